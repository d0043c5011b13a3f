//! A Cognito pool's two issuer formats, each with its own live key set:
//! unit tests of the verifier that stand two local [`JwksServer`]s in for
//! the pool's two addresses (the tests cannot reach Cognito). They live with
//! the test issuer, which they use, so that the verifier does not import
//! it.

use crate::test_issuer::{JwksServer, TestIssuer};
use crate::{TokenUse, Verifier, VerifyError};

#[crate::groups]
enum Group {
    ADMINS,
}

/// Two issuers of one pool, each serving its own set, as a Cognito
/// pool's two issuer formats do (on 127.0.0.1: the tests cannot reach
/// Cognito). `a` publishes `test-key-1`; `b` signs with `test-key-2`.
fn two_issuers() -> (JwksServer, JwksServer) {
    let a = JwksServer::serve(TestIssuer::new()).expect("a port");
    let b = JwksServer::serve(TestIssuer::new()).expect("a port");
    assert_eq!(b.issuer().rotate(), "test-key-2");
    (a, b)
}

/// The verifier `Verifier::cognito(pool).fetch_jwks()` builds, with the
/// two local issuers in place of the pool's two formats.
fn verifier(a: &JwksServer, b: &JwksServer) -> Verifier<Group> {
    Verifier::<Group>::cognito(a.issuer().pool_id())
        .expect("pool id")
        .client_id(a.issuer().client_id())
        .token_use(TokenUse::Access)
        .cache_verified(16)
        .with_issuers_for_test(vec![
            a.issuer().issuer().to_owned(),
            b.issuer().issuer().to_owned(),
        ])
        .fetch_jwks()
        .build()
        .expect("configured")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

#[test]
fn each_issuer_is_verified_with_its_own_set_only() {
    let (a, b) = two_issuers();
    let verifier = verifier(&a, &b);
    assert_eq!(verifier.jwks_urls(), [a.jwks_url(), b.jwks_url()]);
    let runtime = runtime();
    let of_b = b.issuer().access_token().sign();
    runtime
        .block_on(verifier.verify_async(&of_b))
        .expect("b's token, b's set");
    assert_eq!(
        (a.requests(), b.requests()),
        (0, 1),
        "only b's set was fetched"
    );
    // Signed with b's key but naming a's issuer: a's set, which lacks
    // the key. Were keys taken from any set, it would verify.
    let forged = b
        .issuer()
        .access_token()
        .claim("iss", a.issuer().issuer())
        .sign();
    let error = runtime
        .block_on(verifier.verify_async(&forged))
        .unwrap_err();
    assert!(
        matches!(error, VerifyError::UnknownKey { ref kid } if kid == "test-key-2"),
        "{error}"
    );
    assert_eq!(
        (a.requests(), b.requests()),
        (1, 1),
        "a's set was fetched for it"
    );
    runtime
        .block_on(verifier.verify_async(&a.issuer().access_token().sign()))
        .expect("a's token");
    // Another issuer: refused before any fetch.
    let foreign = b
        .issuer()
        .access_token()
        .claim("iss", format!("{}x", a.issuer().issuer()))
        .sign();
    let error = runtime
        .block_on(verifier.verify_async(&foreign))
        .unwrap_err();
    assert!(matches!(error, VerifyError::Issuer { .. }), "{error}");
    assert_eq!((a.requests(), b.requests()), (1, 1));
}

#[test]
fn a_cached_token_needs_both_sets_unchanged() {
    let (a, b) = two_issuers();
    let verifier = verifier(&a, &b);
    let runtime = runtime();
    runtime.block_on(verifier.hydrate()).expect("both sets");
    let of_b = b.issuer().access_token().sign();
    verifier.verify(&of_b).expect("verified, then cached");
    verifier.verify(&of_b).expect("from the cache");
    // b's key is withdrawn; a's set is unchanged (a `304` keeps it, and
    // its generation, as it was).
    b.serve_body(a.issuer().jwks_json());
    runtime
        .block_on(verifier.hydrate())
        .expect("both sets again");
    assert_eq!(a.not_modified_responses(), 1);
    // A stamp of a's set alone would still find the entry.
    let error = verifier.verify(&of_b).unwrap_err();
    assert!(matches!(error, VerifyError::UnknownKey { .. }), "{error}");
}
