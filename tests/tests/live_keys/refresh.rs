//! Ages: a set older than its refresh time (10 min, or the server's
//! `max-age` clamped to 5 min..24 h) is refreshed in the background without
//! holding back verification; a failed refresh keeps the last good set up
//! to the maximum age, then verification fails closed; `304` keeps the set
//! and resets its age.

use std::time::Duration;

use groupguard::VerifyError;

use crate::support::{Served, assert_rejects, bounded, eventually, settled};

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn old_set_is_refreshed_in_the_background() {
    let served = Served::start();
    let verifier = served.verifier();
    let old_token = served.token();
    bounded(verifier.hydrate()).await.unwrap();
    served.server.issuer().rotate();
    let new_token = served.token();

    served.clock.advance(9 * MINUTE);
    verifier.verify(&old_token).unwrap();
    tokio::task::yield_now().await;
    assert_eq!(served.requests(), 1, "not yet due");

    served.clock.advance(2 * MINUTE);
    // Served from the cache at once, and a refresh starts behind it.
    verifier
        .verify(&old_token)
        .expect("the cached set still verifies");
    eventually(|| verifier.verify(&new_token).is_ok()).await;
    assert_eq!(served.requests(), 2);
}

#[tokio::test]
async fn configured_refresh_time() {
    let served = Served::start();
    let verifier = served.builder().jwks_refresh_after(HOUR).build().unwrap();
    bounded(verifier.hydrate()).await.unwrap();
    served.clock.advance(59 * MINUTE);
    verifier.verify(&served.token()).unwrap();
    tokio::task::yield_now().await;
    assert_eq!(served.requests(), 1);
    served.clock.advance(MINUTE);
    verifier.verify(&served.token()).unwrap();
    eventually(|| served.requests() == 2).await;
}

#[tokio::test]
async fn max_age_below_five_minutes_is_raised_to_five() {
    let served = Served::start();
    served.server.cache_control(Some("public, max-age=60"));
    let verifier = served.verifier();
    bounded(verifier.hydrate()).await.unwrap();
    served.clock.advance(4 * MINUTE);
    verifier.verify(&served.token()).unwrap();
    tokio::task::yield_now().await;
    assert_eq!(served.requests(), 1, "60 s is clamped to 5 min");
    served.clock.advance(MINUTE);
    verifier.verify(&served.token()).unwrap();
    eventually(|| served.requests() == 2).await;
}

#[tokio::test]
async fn max_age_is_honoured_and_capped_at_a_day() {
    let served = Served::start();
    served.server.cache_control(Some("max-age=7200"));
    let verifier = served.verifier();
    bounded(verifier.hydrate()).await.unwrap();
    served.clock.advance(HOUR);
    verifier.verify(&served.token()).unwrap();
    tokio::task::yield_now().await;
    assert_eq!(
        served.requests(),
        1,
        "two hours, not the default ten minutes"
    );
    served.clock.advance(HOUR);
    verifier.verify(&served.token()).unwrap();
    eventually(|| served.requests() == 2).await;

    // A week is capped at 24 h (and the maximum age is then raised to let it be used).
    served.server.cache_control(Some("max-age=604800"));
    let verifier = served.builder().jwks_max_age(48 * HOUR).build().unwrap();
    bounded(verifier.hydrate()).await.unwrap();
    let requests = served.requests();
    served.clock.advance(23 * HOUR);
    verifier.verify(&served.token()).unwrap();
    tokio::task::yield_now().await;
    assert_eq!(served.requests(), requests);
    served.clock.advance(HOUR);
    verifier.verify(&served.token()).unwrap();
    eventually(|| served.requests() == requests + 1).await;
}

#[tokio::test]
async fn failed_refresh_keeps_the_last_good_set_then_fails_closed() {
    let served = Served::start();
    let verifier = served.verifier();
    let token = served.token();
    bounded(verifier.hydrate()).await.unwrap();
    served.server.fail_with(500);

    // A request that reached the server is not a refresh that ended: each
    // `settled` waits for the answer to be recorded before the clock moves.
    served.clock.advance(11 * MINUTE);
    verifier.verify(&token).expect("stale but usable");
    eventually(|| served.requests() >= 2).await;
    assert_rejects!(settled(&verifier).await, VerifyError::NoUsableKeys { .. });
    // A failed background refresh is not retried before a cool-down.
    let requests = served.requests();
    verifier.verify(&token).unwrap();
    tokio::task::yield_now().await;
    assert_eq!(served.requests(), requests);
    served.clock.advance(Duration::from_secs(10));
    verifier.verify(&token).unwrap();
    eventually(|| served.requests() > requests).await;
    assert_rejects!(settled(&verifier).await, VerifyError::NoUsableKeys { .. });

    // Past the maximum age (24 h): refused, with the reason, and a refresh starts.
    let requests = served.requests();
    served.clock.advance(24 * HOUR);
    assert_rejects!(
        verifier.verify(&token),
        VerifyError::NoUsableKeys { reason, .. } if reason.contains("maximum age") && reason.contains("500")
    );
    eventually(|| served.requests() > requests).await;
    assert_rejects!(settled(&verifier).await, VerifyError::NoUsableKeys { .. });
    assert_rejects!(verifier.verify(&token), VerifyError::NoUsableKeys { .. });
    // Once the issuer is back, the next fetch restores service.
    served.server.reset();
    served.clock.advance(Duration::from_secs(10));
    bounded(verifier.verify_async(&token))
        .await
        .expect("fetched again");
}

#[tokio::test]
async fn configured_max_age_fails_closed_sooner() {
    let served = Served::start();
    let verifier = served.builder().jwks_max_age(5 * MINUTE).build().unwrap();
    let token = served.token();
    bounded(verifier.hydrate()).await.unwrap();
    served.server.pause();
    served.clock.advance(5 * MINUTE);
    verifier
        .verify(&token)
        .expect("exactly the maximum age is still usable");
    served.clock.advance(Duration::from_secs(1));
    assert_rejects!(verifier.verify(&token), VerifyError::NoUsableKeys { .. });
    assert_eq!(
        VerifyError::NoUsableKeys {
            reason: String::new(),
            retry_after: Duration::from_secs(1),
        }
        .public_description(),
        "the service cannot verify tokens right now"
    );
}

#[tokio::test]
async fn etag_304_keeps_the_set_and_resets_its_age() {
    let served = Served::start();
    let verifier = served.builder().jwks_max_age(20 * MINUTE).build().unwrap();
    let token = served.token();
    bounded(verifier.hydrate()).await.unwrap();
    served.clock.advance(15 * MINUTE);
    bounded(verifier.hydrate()).await.expect("304 is a success");
    assert_eq!(served.requests(), 2);
    assert_eq!(
        served.server.not_modified_responses(),
        1,
        "If-None-Match was sent"
    );
    // 25 min after the first fetch, 10 after the 304: still within 20 min.
    served.clock.advance(10 * MINUTE);
    verifier.verify(&token).expect("the 304 reset the age");
    // A new set after a rotation is fetched whole.
    served.server.issuer().rotate();
    bounded(verifier.hydrate()).await.unwrap();
    assert_eq!(served.server.not_modified_responses(), 1);
    verifier.verify(&served.token()).expect("the new key");
}

/// A background refresh runs on the runtime of the `verify` that found the
/// set due; when that runtime shuts down mid-fetch, the task is dropped
/// unfinished. The cache must not stay marked refreshing: the next due
/// `verify`, on another runtime, starts a refresh again.
#[test]
fn a_refresh_dropped_with_its_runtime_is_started_again() {
    let runtime = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    };
    let served = Served::start();
    let verifier = served.verifier();
    let token = served.token();
    let first = runtime();
    first.block_on(bounded(verifier.hydrate())).unwrap();
    // The refresh stays in flight until its runtime is gone.
    served.server.delay(Duration::from_secs(10));
    served.clock.advance(11 * MINUTE);
    first.block_on(async {
        verifier.verify(&token).expect("stale but usable");
        eventually(|| served.requests() == 2).await;
    });
    drop(first);

    served.server.reset();
    runtime().block_on(async {
        verifier.verify(&token).expect("stale but usable");
        eventually(|| served.requests() == 3).await;
    });
}
