//! Unknown `kid`s and failures: one refetch, then a cool-down (measured on
//! a manual clock) during which such tokens are refused at once; single
//! flight for concurrent misses; an issuer down at start, then up.

use std::time::{Duration, Instant};

use groupguard::VerifyError;

use crate::support::{Served, assert_rejects, bounded, with_kid};

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
        VerifyError::NoUsableKeys { reason } if reason.contains("failed")
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
