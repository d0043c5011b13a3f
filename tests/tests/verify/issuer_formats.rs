//! Cognito's two issuer formats: `Verifier::cognito(pool)` accepts the
//! pool's ORIGINAL (`https://cognito-idp.{region}.amazonaws.com/{pool}`)
//! and UPDATED (`https://issuer-cognito-idp.{region}.amazonaws.com/{pool}`)
//! issuers, ID and access tokens alike, with its defaults; anything else,
//! the same pool id under another host or region included, is refused
//! before a key is looked up, with a message that says what differs.

use groupguard::test_issuer::{DEFAULT_CLIENT_ID, DEFAULT_POOL_ID, TestIssuer};
use groupguard::{TokenUse, Verifier, VerifyError};

use crate::support::{Group, assert_rejects};

const ORIGINAL: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly";
const UPDATED: &str = "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly";

/// `Verifier::cognito(pool)` with nothing but the required decisions and
/// the pool's keys: the production configuration.
fn pool_verifier(issuer: &TestIssuer, token_use: TokenUse) -> Verifier<Group> {
    Verifier::<Group>::cognito(DEFAULT_POOL_ID)
        .expect("pool id")
        .client_id(DEFAULT_CLIENT_ID)
        .token_use(token_use)
        .key_set(issuer.key_set())
        .build()
        .expect("configured")
}

#[test]
fn a_pool_verifier_accepts_both_formats_in_order() {
    let issuer = TestIssuer::new();
    let verifier = pool_verifier(&issuer, TokenUse::Access);
    assert_eq!(verifier.issuers(), [ORIGINAL, UPDATED]);
    assert_eq!(verifier.issuer(), ORIGINAL);
}

#[test]
fn access_and_id_tokens_of_both_formats_verify_with_the_defaults() {
    let original = TestIssuer::new();
    let updated = TestIssuer::new().with_updated_issuer();
    assert_eq!(original.issuer(), ORIGINAL);
    assert_eq!(updated.issuer(), UPDATED);
    let access = pool_verifier(&original, TokenUse::Access);
    let id = pool_verifier(&original, TokenUse::Id);
    for issuer in [&original, &updated] {
        let token = issuer.access_token().groups([Group::ADMINS]).sign();
        let principal = access.verify(&token).expect("an access token");
        assert!(principal.is_in(Group::ADMINS), "{}", issuer.issuer());
        let token = issuer.id_token().groups([Group::EDITORS]).sign();
        let principal = id.verify(&token).expect("an ID token");
        assert!(principal.is_in(Group::EDITORS), "{}", issuer.issuer());
    }
    // The test issuer's own verifier is the pool's, whatever its format.
    let verifier = updated.verifier::<Group>(TokenUse::Access).build().unwrap();
    assert_eq!(verifier.issuers(), [ORIGINAL, UPDATED]);
    verifier
        .verify(&original.access_token().sign())
        .expect("the other format too");
}

#[test]
fn the_same_pool_id_under_another_host_or_region_is_refused() {
    let issuer = TestIssuer::new();
    let verifier = pool_verifier(&issuer, TokenUse::Access);
    for iss in [
        // A host that ends like Cognito's, or contains it.
        "https://cognito-idp.us-east-1.amazonaws.com.evil.example/us-east-1_TestOnly",
        "https://issuer-cognito-idp.us-east-1.amazonaws.com.evil.example/us-east-1_TestOnly",
        "https://evil.example/cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly",
        "https://evil-cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly",
        // Another region, in either format.
        "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_TestOnly",
        "https://issuer-cognito-idp.eu-west-1.amazonaws.com/us-east-1_TestOnly",
        // aws-jwt-verify's spelling of the UPDATED host, which the Cognito
        // API reference does not use.
        "https://issuer.cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly",
        // Another scheme, port, case, or path before the pool id.
        "http://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly",
        "https://cognito-idp.us-east-1.amazonaws.com:8443/us-east-1_TestOnly",
        "https://COGNITO-IDP.us-east-1.amazonaws.com/us-east-1_TestOnly",
        "https://cognito-idp.us-east-1.amazonaws.com/x/us-east-1_TestOnly",
        "http://127.0.0.1:9/us-east-1_TestOnly",
    ] {
        let token = issuer.access_token().claim("iss", iss).sign();
        let error = verifier.verify(&token).unwrap_err();
        let VerifyError::Issuer { reason, .. } = &error else {
            panic!("{iss}: {error:?}");
        };
        assert!(reason.contains("another host or region"), "{iss}: {reason}");
        assert!(
            !error.to_string().contains("another user pool"),
            "{iss}: {error}"
        );
    }
    // Near misses of the strings themselves.
    for iss in [
        format!("{ORIGINAL}/"),
        format!("{UPDATED}/"),
        ORIGINAL.replace("TestOnly", "testonly"),
        format!("{ORIGINAL}/.well-known/jwks.json"),
        format!(" {UPDATED}"),
        UPDATED.replace("us-east-1_TestOnly", "us-east-1_Other"),
    ] {
        let token = issuer.access_token().claim("iss", iss.as_str()).sign();
        assert_rejects!(verifier.verify(&token), VerifyError::Issuer { .. });
    }
}

#[test]
fn the_issuer_message_names_both_formats_and_what_differs() {
    let issuer = TestIssuer::new();
    let verifier = pool_verifier(&issuer, TokenUse::Access);
    let evil = "https://cognito-idp.us-east-1.amazonaws.com.evil.example/us-east-1_TestOnly";
    let error = verifier
        .verify(&issuer.access_token().claim("iss", evil).sign())
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains(&format!("is not `{ORIGINAL}` or `{UPDATED}`")),
        "{message}"
    );
    assert!(
        message.contains("under another host or region"),
        "{message}"
    );
    assert!(!message.contains('\n'), "{message}");

    let other_pool = verifier
        .verify(&issuer.access_token().other_issuer().sign())
        .unwrap_err();
    assert!(
        other_pool
            .to_string()
            .contains("another user pool or provider"),
        "{other_pool}"
    );

    // One format named with `.issuer(..)`: a token of the other format is
    // the same pool's, and the message says so (not "another user pool").
    let pinned = Verifier::<Group>::cognito(DEFAULT_POOL_ID)
        .unwrap()
        .issuer(ORIGINAL)
        .client_id(DEFAULT_CLIENT_ID)
        .token_use(TokenUse::Access)
        .key_set(issuer.key_set())
        .build()
        .unwrap();
    assert_eq!(pinned.issuers(), [ORIGINAL]);
    let updated = TestIssuer::new().with_updated_issuer();
    let error = pinned.verify(&updated.access_token().sign()).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("only Cognito's issuer format differs"),
        "{message}"
    );
    assert!(
        message.contains("without it, `Verifier::cognito(pool_id)` accepts both"),
        "{message}"
    );
    assert!(!message.contains("another user pool"), "{message}");
}

#[test]
fn the_issuer_is_checked_before_the_keys() {
    // A token of a foreign issuer is refused as such whatever its key: the
    // issuer chooses the key set, so no key is looked up (or fetched) for it.
    let issuer = TestIssuer::new();
    let verifier = pool_verifier(&issuer, TokenUse::Access);
    let foreign = "https://cognito-idp.us-east-1.amazonaws.com.evil.example/us-east-1_TestOnly";
    for token in [
        issuer
            .access_token()
            .claim("iss", foreign)
            .kid("unknown")
            .sign(),
        issuer
            .access_token()
            .claim("iss", foreign)
            .bad_signature()
            .sign(),
    ] {
        assert_rejects!(verifier.verify(&token), VerifyError::Issuer { .. });
    }
    assert_rejects!(
        verifier.verify(&issuer.access_token().claim("iss", 7).kid("unknown").sign()),
        VerifyError::ClaimType { claim: "iss", .. }
    );
    assert_rejects!(
        verifier.verify(
            &issuer
                .access_token()
                .without_claim("iss")
                .kid("unknown")
                .sign()
        ),
        VerifyError::MissingClaim { claim: "iss" }
    );
}
