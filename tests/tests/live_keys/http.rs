//! One fetch: timeouts (a slow server), one retry on a network error, no
//! retry on a status, status 200 only, no redirects, 64 KiB at most
//! (checked while streaming), and a bad document never replaces a good set.

use std::time::{Duration, Instant};

use groupguard::VerifyError;
use groupguard::test_issuer::JwksServer;

use crate::support::{Served, assert_rejects, bounded};

#[tokio::test]
async fn slow_server_times_out_after_one_retry() {
    let served = Served::start();
    // Far longer than the attempts: only the 200 ms timeout ends them.
    served.server.delay(Duration::from_secs(15));
    let verifier = served
        .builder()
        .jwks_timeouts(Duration::from_secs(1), Duration::from_millis(200))
        .build()
        .unwrap();
    let start = Instant::now();
    assert_rejects!(
        bounded(verifier.verify_async(&served.token())).await,
        VerifyError::NoUsableKeys { reason, .. } if reason.contains("timed out")
    );
    // Real time: generous for a loaded machine (two attempts of 200 ms took
    // 3 s with 16 tests on one busy core), yet under the 10 s of two
    // attempts at the default 5 s timeout, and the server's 15 s.
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(6),
        "two attempts of 200 ms took {took:?}"
    );
    assert_eq!(served.requests(), 2, "a timeout is retried once");
}

#[tokio::test]
async fn status_500_is_not_retried_and_keeps_nothing() {
    let served = Served::start();
    served.server.fail_with(500);
    let verifier = served.verifier();
    assert_rejects!(
        bounded(verifier.verify_async(&served.token())).await,
        VerifyError::NoUsableKeys { reason, .. } if reason.contains("status 500")
    );
    assert_eq!(served.requests(), 1);
}

#[tokio::test]
async fn only_200_is_accepted() {
    let served = Served::start();
    let verifier = served.verifier();
    for status in [201, 204, 302, 404] {
        served.server.fail_with(status);
        assert_rejects!(
            bounded(verifier.hydrate()).await,
            VerifyError::NoUsableKeys { reason, .. } if reason.contains(&format!("status {status}"))
        );
    }
}

/// No redirects: a `302` whose `Location` serves the very keys that sign
/// the token is still a failed fetch, and that URL is never asked.
#[tokio::test]
async fn a_redirect_to_a_good_set_is_not_followed() {
    let served = Served::start();
    // The same issuer's keys (its clones share them), served at another port.
    let elsewhere = JwksServer::serve(served.server.issuer().clone()).expect("a port on 127.0.0.1");
    served.server.redirect_to(Some(&elsewhere.jwks_url()));
    let verifier = served.verifier();
    let token = served.token();
    assert_rejects!(
        bounded(verifier.verify_async(&token)).await,
        VerifyError::NoUsableKeys { reason, .. } if reason.contains("status 302 Found")
    );
    assert_rejects!(
        bounded(verifier.hydrate()).await,
        VerifyError::NoUsableKeys { reason, .. } if reason.contains("status 302 Found")
    );
    assert_eq!(served.requests(), 2);
    assert_eq!(elsewhere.requests(), 0, "the `Location` was never fetched");

    // The server the redirect names does serve a set that verifies it.
    let check = served
        .builder()
        .jwks_url(elsewhere.jwks_url())
        .build()
        .expect("configured");
    bounded(check.verify_async(&token))
        .await
        .expect("the set at `Location` verifies the token");
    assert_eq!(elsewhere.requests(), 1);
}

#[tokio::test]
async fn a_body_of_one_mib_is_refused_and_the_good_set_kept() {
    let served = Served::start();
    let verifier = served.verifier();
    let token = served.token();
    bounded(verifier.hydrate()).await.unwrap();
    let huge = format!(r#"{{"keys": [], "padding": "{}"}}"#, "x".repeat(1 << 20));
    served.server.serve_body(huge);
    for omit_length in [false, true] {
        // Without `Content-Length` only the streaming check can catch it.
        served.server.omit_content_length(omit_length);
        assert_rejects!(
            bounded(verifier.hydrate()).await,
            VerifyError::NoUsableKeys { reason, .. } if reason.contains("over 65536 bytes")
        );
        verifier.verify(&token).expect("the good set is kept");
    }
}

#[tokio::test]
async fn a_bad_document_never_replaces_a_good_set() {
    let served = Served::start();
    let verifier = served.verifier();
    let token = served.token();
    bounded(verifier.hydrate()).await.unwrap();
    for (body, says) in [
        ("not json", "not JSON"),
        (r#"{"keys": []}"#, "`keys` is empty"),
        (r#"{"nokeys": 1}"#, "expected a JSON object"),
        (
            r#"{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}"#,
            "symmetric",
        ),
    ] {
        served.server.serve_body(body);
        assert_rejects!(
            bounded(verifier.hydrate()).await,
            VerifyError::NoUsableKeys { reason, .. } if reason.contains(says)
        );
        verifier.verify(&token).expect("the good set is kept");
    }
}

#[tokio::test]
async fn a_malformed_first_set_is_no_usable_keys() {
    let served = Served::start();
    served.server.serve_body("<html>maintenance</html>");
    let verifier = served.verifier();
    assert_rejects!(
        bounded(verifier.verify_async(&served.token())).await,
        VerifyError::NoUsableKeys { reason, .. } if reason.contains("not JSON")
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_once() {
    let served = Served::start();
    served.server.pause();
    let verifier = served.verifier();
    let start = Instant::now();
    assert_rejects!(
        bounded(verifier.hydrate()).await,
        VerifyError::NoUsableKeys { reason, .. } if reason.contains(&served.server.jwks_url())
    );
    assert!(start.elapsed() < Duration::from_secs(5));
}
