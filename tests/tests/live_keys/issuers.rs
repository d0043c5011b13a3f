//! Whose set verifies a token: a Cognito pool's two issuer formats each
//! have their set at their own address, made from the pool id; a token's
//! `iss` chooses one of them only by naming its issuer exactly, and a token
//! naming anything else is refused before any fetch. With `.jwks_url(..)`
//! (an emulator, a private endpoint) the issuers stay the pool's.

use groupguard::test_issuer::{DEFAULT_CLIENT_ID, DEFAULT_POOL_ID, JwksServer, TestIssuer};
use groupguard::{TokenUse, Verifier, VerifyError};

use crate::support::{Group, Served, assert_rejects, bounded};

const ORIGINAL: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly";
const UPDATED: &str = "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly";

#[test]
fn a_pool_fetches_each_format_from_its_own_address() {
    let verifier = Verifier::<Group>::cognito("eu-central-1_Pool42")
        .unwrap()
        .any_client()
        .any_token_use()
        .fetch_jwks()
        .build()
        .unwrap();
    assert_eq!(
        verifier.jwks_urls(),
        [
            "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Pool42/.well-known/jwks.json",
            "https://issuer-cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Pool42/.well-known/jwks.json",
        ]
    );
    assert_eq!(verifier.jwks_url(), verifier.jwks_urls().first().copied());
}

#[test]
fn the_token_s_issuer_chooses_the_set_of_its_format() {
    // Nothing is fetched by `verify`: the error names the set it needs.
    let verifier = Verifier::<Group>::cognito(DEFAULT_POOL_ID)
        .unwrap()
        .client_id(DEFAULT_CLIENT_ID)
        .token_use(TokenUse::Access)
        .fetch_jwks()
        .build()
        .unwrap();
    let issuer = TestIssuer::new();
    for iss in [ORIGINAL, UPDATED] {
        let token = issuer.access_token().claim("iss", iss).sign();
        let wanted = format!("`{iss}/.well-known/jwks.json`");
        assert_rejects!(
            verifier.verify(&token),
            VerifyError::NoUsableKeys { reason, .. } if reason.contains(&wanted)
        );
    }
    let evil = "https://issuer-cognito-idp.us-east-1.amazonaws.com.evil.example/us-east-1_TestOnly";
    assert_rejects!(
        verifier.verify(&issuer.access_token().claim("iss", evil).sign()),
        VerifyError::Issuer { .. }
    );
}

#[tokio::test]
async fn foreign_issuers_are_refused_before_any_fetch() {
    let served = Served::start();
    let verifier = served.verifier();
    let issuer = served.server.issuer();
    let local = issuer.issuer();
    let port = served.server.addr().port();
    for iss in [
        format!("{local}/"),
        format!("{local}/.well-known/jwks.json"),
        local.replace("127.0.0.1", "localhost"),
        local.replace(&format!(":{port}"), &format!(":{port}.evil.example")),
        local.replace(&format!(":{port}"), &format!(":{}", port ^ 1)),
        ORIGINAL.to_owned(),
        UPDATED.to_owned(),
    ] {
        let token = issuer.access_token().claim("iss", iss.as_str()).sign();
        let result = bounded(verifier.verify_async(&token)).await;
        assert_rejects!(result, VerifyError::Issuer { .. });
    }
    assert_eq!(served.requests(), 0, "no token chose an address");
    bounded(verifier.verify_async(&served.token()))
        .await
        .expect("the issuer's own token");
    assert_eq!(served.requests(), 1);
}

/// The bulletin's `--cognito-pool P --client-id C --jwks-url URL`: tokens
/// carry the pool's issuer, in either format, and are verified with the
/// keys served at `URL`.
#[tokio::test]
async fn a_set_served_elsewhere_verifies_the_pools_tokens_of_both_formats() {
    let pool = TestIssuer::new();
    // Its clone, served on 127.0.0.1: the same keys under a local URL.
    let server = JwksServer::serve(pool.clone()).expect("a port");
    let verifier = Verifier::<Group>::cognito(DEFAULT_POOL_ID)
        .unwrap()
        .client_id(DEFAULT_CLIENT_ID)
        .token_use(TokenUse::Access)
        .jwks_url(server.jwks_url())
        .build()
        .unwrap();
    assert_eq!(verifier.issuers(), [ORIGINAL, UPDATED]);
    assert_eq!(verifier.jwks_urls(), [server.jwks_url()]);
    let updated = pool.clone().with_updated_issuer();
    for token in [
        pool.access_token().groups(["ADMINS"]).sign(),
        updated.access_token().groups(["ADMINS"]).sign(),
    ] {
        let principal = bounded(verifier.verify_async(&token))
            .await
            .expect("verified");
        assert!(principal.is_in(Group::ADMINS));
    }
    assert_eq!(server.requests(), 1, "one set for both formats");
    // The server's own URL is not an issuer of the pool.
    let local = server.issuer().access_token().sign();
    assert_rejects!(
        bounded(verifier.verify_async(&local)).await,
        VerifyError::Issuer { .. }
    );
    assert_eq!(server.requests(), 1);
}

#[test]
fn a_jwks_url_with_a_line_break_is_shown_normalised() {
    // The URL parser drops tabs and line breaks; the verifier keeps, shows
    // and logs the parsed form, never the text given.
    let verifier = Verifier::<Group>::cognito(DEFAULT_POOL_ID)
        .unwrap()
        .any_client()
        .any_token_use()
        .jwks_url("http://127.0.0.1:9/\nforged\tline/jwks.json")
        .build()
        .unwrap();
    assert_eq!(
        verifier.jwks_urls(),
        ["http://127.0.0.1:9/forgedline/jwks.json"]
    );
    let token = TestIssuer::new().access_token().sign();
    let error = verifier.verify(&token).unwrap_err().to_string();
    assert!(!error.contains('\n') && !error.contains('\t'), "{error}");
}
