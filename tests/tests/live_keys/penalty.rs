//! Unknown `kid`s and failures: one refetch, then a cool-down (measured on
//! a manual clock) during which such tokens are refused at once; single
//! flight for concurrent misses, and no miss slipping in between a refetch
//! and its cool-down (concurrent floods, many rounds); an issuer down at
//! start, then up.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use groupguard::test_issuer::ManualClock;
use groupguard::{Verifier, VerifyError};

use crate::support::{Group, Served, assert_rejects, bounded, with_kid};

#[tokio::test]
async fn flood_of_a_thousand_random_kids_fetches_once_per_cooldown() {
    let served = Served::start();
    let verifier = served.verifier();
    let good = served.token();
    bounded(verifier.verify_async(&good))
        .await
        .expect("first fetch");
    assert_eq!(served.requests(), 1);

    let start = Instant::now();
    for i in 0..1_000 {
        let kid = format!("random-{i}-{:x}", i * 7919);
        let token = with_kid(&good, &kid);
        assert_rejects!(
            bounded(verifier.verify_async(&token)).await,
            VerifyError::UnknownKey { .. }
        );
        // Known keys keep verifying during the flood.
        if i % 100 == 0 {
            verifier.verify(&good).expect("the cached key");
        }
    }
    // One refetch for the first unknown kid, none in the cool-down after it.
    assert_eq!(served.requests(), 2);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "refused at once: {:?}",
        start.elapsed()
    );

    // Each cool-down lets one more refetch through.
    for round in 0..3 {
        served.clock.advance(Duration::from_secs(10));
        for i in 0..100 {
            let token = with_kid(&good, &format!("round-{round}-{i}"));
            assert_rejects!(
                bounded(verifier.verify_async(&token)).await,
                VerifyError::UnknownKey { .. }
            );
        }
        assert_eq!(served.requests(), 3 + round);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_misses_share_one_fetch() {
    let served = Served::start();
    // A slow answer, so that all hundred requests wait on the same fetch.
    served.server.delay(Duration::from_millis(300));
    let verifier = served.verifier();
    let token = served.token();
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let verifier = verifier.clone();
            let token = token.clone();
            tokio::spawn(async move { verifier.verify_async(&token).await })
        })
        .collect();
    for task in tasks {
        bounded(task).await.unwrap().expect("verified");
    }
    assert_eq!(served.requests(), 1);

    // After a rotation, a hundred requests with the new kid: one more fetch.
    served.server.issuer().rotate();
    let token = served.token();
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let verifier = verifier.clone();
            let token = token.clone();
            tokio::spawn(async move { verifier.verify_async(&token).await })
        })
        .collect();
    for task in tasks {
        bounded(task).await.unwrap().expect("verified");
    }
    assert_eq!(served.requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_misses_of_an_unknown_kid_share_one_fetch() {
    let served = Served::start();
    let verifier = served.verifier();
    let good = served.token();
    bounded(verifier.hydrate()).await.unwrap();
    served.server.delay(Duration::from_millis(300));
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let verifier = verifier.clone();
            let token = with_kid(&good, &format!("nope-{i}"));
            tokio::spawn(async move { verifier.verify_async(&token).await })
        })
        .collect();
    for task in tasks {
        assert_rejects!(bounded(task).await.unwrap(), VerifyError::UnknownKey { .. });
    }
    assert_eq!(served.requests(), 2);
}

#[tokio::test]
async fn issuer_down_at_start_then_up() {
    let served = Served::start();
    served.server.pause();
    let verifier = served.verifier(); // building never fails because the issuer is down
    let token = served.token();
    assert_rejects!(
        bounded(verifier.verify_async(&token)).await,
        VerifyError::NoUsableKeys { reason, .. } if reason.contains("failed")
    );
    served.server.resume().unwrap();
    // Within the cool-down after the failure: refused at once, no request.
    assert_rejects!(
        bounded(verifier.verify_async(&token)).await,
        VerifyError::NoUsableKeys { .. }
    );
    assert_eq!(served.requests(), 0);
    served.clock.advance(Duration::from_secs(10));
    bounded(verifier.verify_async(&token))
        .await
        .expect("the issuer is up");
    assert_eq!(served.requests(), 1);
}

#[tokio::test]
async fn hydrate_ignores_the_cooldown() {
    let served = Served::start();
    served.server.fail_with(500);
    let verifier = served.verifier();
    let token = served.token();
    assert_rejects!(
        bounded(verifier.verify_async(&token)).await,
        VerifyError::NoUsableKeys { .. }
    );
    served.server.reset();
    bounded(verifier.hydrate())
        .await
        .expect("fetched, cool-down or not");
    verifier.verify(&token).expect("cached");
    assert_eq!(served.requests(), 2);
}

#[tokio::test]
async fn configured_cooldown() {
    let served = Served::start();
    let verifier = served
        .builder()
        .jwks_cooldown(Duration::from_secs(60))
        .build()
        .unwrap();
    let good = served.token();
    bounded(verifier.hydrate()).await.unwrap();
    let refused = |n: u32| with_kid(&good, &format!("missing-{n}"));
    let _ = bounded(verifier.verify_async(&refused(0))).await;
    assert_eq!(served.requests(), 2);
    served.clock.advance(Duration::from_secs(59));
    let _ = bounded(verifier.verify_async(&refused(1))).await;
    assert_eq!(served.requests(), 2, "still cooling down");
    served.clock.advance(Duration::from_secs(1));
    let _ = bounded(verifier.verify_async(&refused(2))).await;
    assert_eq!(served.requests(), 3);
}

/// Misses that wait for a fetch take its outcome: a rotation's fetch
/// brings the new `kid`, and the unknown `kid`s that waited for it find
/// theirs still missing, which starts the cool-down as a fetch of their
/// own would have (aws-jwt-verify's shared fetch).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn misses_that_wait_for_a_rotation_fetch_share_it_and_start_the_cooldown() {
    let served = Served::start();
    let verifier = served.verifier();
    bounded(verifier.hydrate()).await.unwrap();
    // Long enough for every miss below to arrive while the fetch is in flight.
    served.server.delay(Duration::from_secs(1));
    served.server.issuer().rotate();
    let rotated = served.token();
    let base = rotated.clone();
    let fetching = {
        let verifier = verifier.clone();
        tokio::spawn(async move { verifier.verify_async(&rotated).await })
    };
    crate::support::eventually(|| served.requests() == 2).await;
    let waiting: Vec<_> = (0..50)
        .map(|i| {
            let verifier = verifier.clone();
            let token = with_kid(&base, &format!("waiting-{i}"));
            tokio::spawn(async move { verifier.verify_async(&token).await })
        })
        .collect();
    bounded(fetching)
        .await
        .unwrap()
        .expect("the rotated key, fetched");
    for task in waiting {
        assert_rejects!(bounded(task).await.unwrap(), VerifyError::UnknownKey { .. });
    }
    assert_eq!(served.requests(), 2, "one fetch, shared");
    served.server.delay(Duration::ZERO);
    let late = with_kid(&base, "late");
    assert_rejects!(
        bounded(verifier.verify_async(&late)).await,
        VerifyError::UnknownKey { .. }
    );
    assert_eq!(served.requests(), 2, "cooling down");
    served.clock.advance(Duration::from_secs(10));
    assert_rejects!(
        bounded(verifier.verify_async(&late)).await,
        VerifyError::UnknownKey { .. }
    );
    assert_eq!(served.requests(), 3);
}

/// The `retry_after` of a `NoUsableKeys`, in seconds.
fn retry_after<T: std::fmt::Debug>(result: Result<T, VerifyError>) -> u64 {
    match result {
        Err(VerifyError::NoUsableKeys { retry_after, .. }) => {
            assert_eq!(retry_after.subsec_nanos(), 0, "whole seconds");
            retry_after.as_secs()
        }
        other => panic!("expected NoUsableKeys, got {other:?}"),
    }
}

/// `NoUsableKeys` says when to retry: when the cool-down after the failed
/// fetch ends, in whole seconds rounded up, counted down on the verifier's
/// clock; 1 s when a fetch may happen at once.
#[tokio::test]
async fn no_usable_keys_says_when_to_retry() {
    let served = Served::start();
    let verifier = served
        .builder()
        .jwks_cooldown(Duration::from_secs(30))
        .build()
        .unwrap();
    let token = served.token();

    // Nothing fetched yet, no cool-down: `verify_async` would fetch at once.
    assert_eq!(retry_after(verifier.verify(&token)), 1);

    served.server.fail_with(500);
    assert_eq!(
        retry_after(bounded(verifier.verify_async(&token)).await),
        30
    );
    served.clock.advance(Duration::from_millis(12_500));
    // Refused at once, without a request: 17.5 s left, said as 18.
    assert_eq!(
        retry_after(bounded(verifier.verify_async(&token)).await),
        18
    );
    assert_eq!(retry_after(verifier.verify(&token)), 18);
    assert_eq!(served.requests(), 1);
    served.clock.advance(Duration::from_millis(17_499));
    assert_eq!(
        retry_after(verifier.verify(&token)),
        1,
        "1 ms left: at least 1 s"
    );
    // The cool-down is over: a new fetch, which fails and starts another.
    served.clock.advance(Duration::from_millis(1));
    assert_eq!(
        retry_after(bounded(verifier.verify_async(&token)).await),
        30
    );
    assert_eq!(served.requests(), 2);
    // `hydrate` ignores the cool-down, and says the same.
    served.clock.advance(Duration::from_secs(5));
    assert_eq!(retry_after(bounded(verifier.hydrate()).await), 30);
    assert_eq!(served.requests(), 3);

    // The message tells the operator too.
    let message = verifier.verify(&token).unwrap_err().to_string();
    assert!(message.ends_with("(retry in 30 s)"), "{message}");
}

/// Rounds of the concurrent flood on a cold cache: whether a miss lands
/// between a refetch and the start of its cool-down is a matter of
/// scheduling, so the flood is run many times, each round on a cache of its
/// own (whose HTTP client takes a while to build).
const COLD_ROUNDS: usize = 50;

/// Rounds of the flood on a warm cache, which cost less: one cache, its
/// clock stepped over the cool-down between rounds.
const WARM_ROUNDS: usize = 100;

/// Tokens per flood.
const FLOOD: usize = 200;

/// A verifier of `served`'s set with a cache of its own: the cache is
/// shared per URL, options and clock, and this clock is new.
fn fresh_verifier(served: &Served) -> Verifier<Group> {
    served
        .server
        .verifier(groupguard::TokenUse::Access)
        .jwks_clock(Arc::new(ManualClock::new()))
        .build()
        .expect("configured")
}

/// What one flood did.
#[derive(Debug)]
struct Flood {
    /// Requests the server answered during it.
    fetches: usize,
    /// Results other than the expected ones (a known token verified, an
    /// unknown `kid` refused with `UnknownKey`), as `Debug` text.
    wrong: Vec<String>,
}

/// `FLOOD` tokens from as many tasks, started evenly `over` a time about
/// twice as long as a fetch takes, so that misses fall before, during and
/// just after the fetch: where one once slipped in between a refetch and
/// its cool-down. With `every_good: Some(n)`, the tokens with `i % n == 0`
/// are `good`; the others name unknown `kid`s.
async fn flood(
    served: &Served,
    verifier: &Verifier<Group>,
    good: &str,
    every_good: Option<usize>,
    over: Duration,
) -> Flood {
    let spread = over / u32::try_from(FLOOD).expect("a small number");
    let before = served.requests();
    let start = Instant::now();
    let tasks: Vec<_> = (0..FLOOD)
        .map(|i| {
            let verifier = verifier.clone();
            let known = every_good.is_some_and(|n| i % n == 0);
            let token = if known {
                good.to_owned()
            } else {
                with_kid(good, &format!("flood-{i}"))
            };
            let at = start + spread * u32::try_from(i).expect("a small number");
            tokio::spawn(async move {
                // Finer than a timer: yield until the task's moment.
                while Instant::now() < at {
                    tokio::task::yield_now().await;
                }
                (known, verifier.verify_async(&token).await)
            })
        })
        .collect();
    let mut wrong = Vec::new();
    for task in tasks {
        match task.await.expect("no panic") {
            (true, Ok(_)) | (false, Err(VerifyError::UnknownKey { .. })) => {}
            (_, result) => wrong.push(format!("{result:?}")),
        }
    }
    Flood {
        fetches: served.requests() - before,
        wrong,
    }
}

/// Twice the time `fetch` takes (3 ms at least): how long a flood's
/// starts are spread over.
async fn twice<T>(fetch: impl Future<Output = T>) -> Duration {
    let start = Instant::now();
    fetch.await;
    (start.elapsed() * 2).max(Duration::from_millis(3))
}

/// Fails unless every round made `fetches` requests and gave the expected
/// results; prints the fetches per round.
fn check_rounds(name: &str, rounds: &[Flood], fetches: usize) {
    let counts: Vec<usize> = rounds.iter().map(|round| round.fetches).collect();
    let wrong: Vec<&String> = rounds.iter().flat_map(|round| &round.wrong).collect();
    eprintln!(
        "{name}: fetches per round {counts:?}; wrong results {}",
        wrong.len()
    );
    assert!(
        counts.iter().all(|&n| n == fetches),
        "{fetches} fetches per round allowed; fetches per round: {counts:?}"
    );
    assert!(
        wrong.is_empty(),
        "{} wrong results, first: {}",
        wrong.len(),
        wrong[0]
    );
}

/// On a cold cache, a flood of unknown `kid`s makes one fetch: it brings a
/// set that lacks the `kid` of the token that caused it, which starts the
/// cool-down before any other miss can fetch; every token is then refused
/// for its `kid` (`UnknownKey`), not for the keys it found missing at first.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_concurrent_flood_of_unknown_kids_on_a_cold_cache_fetches_once() {
    let served = Served::start();
    let good = served.token();
    // A first fetch builds the cache's HTTP client: it takes longest.
    let over = twice(bounded(fresh_verifier(&served).hydrate())).await;
    let mut rounds = Vec::with_capacity(COLD_ROUNDS);
    for _ in 0..COLD_ROUNDS {
        let verifier = fresh_verifier(&served);
        rounds.push(bounded(flood(&served, &verifier, &good, None, over)).await);
    }
    check_rounds("cold cache", &rounds, 1);
}

/// On a warm cache, a flood of unknown `kid`s (with known tokens among
/// them, which never fetch) makes exactly one refetch per cool-down.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_concurrent_flood_of_unknown_kids_refetches_once_per_cooldown() {
    let served = Served::start();
    let verifier = served
        .builder()
        // No background refresh in the 1,000 s the rounds step over.
        .jwks_refresh_after(Duration::from_secs(86_400))
        .build()
        .unwrap();
    let good = served.token();
    bounded(verifier.hydrate())
        .await
        .expect("the set is served");
    // A refetch's time: a conditional request, answered `304`.
    let over = twice(bounded(verifier.hydrate())).await;
    let mut rounds = Vec::with_capacity(WARM_ROUNDS);
    for _ in 0..WARM_ROUNDS {
        rounds.push(bounded(flood(&served, &verifier, &good, Some(10), over)).await);
        served.clock.advance(Duration::from_secs(10));
    }
    check_rounds("warm cache", &rounds, 1);
}
