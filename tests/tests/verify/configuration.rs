//! Configuration errors: builder decisions, pool ids and issuers, JWK Set
//! documents.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use groupguard::{ConfigError, TokenUse, Verifier, VerifyError};
use serde_json::Value;
use serde_json::json;

use crate::support::*;

#[test]
fn build_requires_every_decision() {
    let base = || Verifier::<Group>::cognito(POOL).unwrap();
    assert_eq!(
        base()
            .token_use(TokenUse::Id)
            .jwks_json(&pool_jwks())
            .unwrap()
            .build()
            .unwrap_err(),
        ConfigError::ClientUndecided
    );
    assert_eq!(
        base()
            .client_id(CLIENT)
            .jwks_json(&pool_jwks())
            .unwrap()
            .build()
            .unwrap_err(),
        ConfigError::TokenUseUndecided
    );
    assert_eq!(
        base()
            .client_id(CLIENT)
            .token_use(TokenUse::Id)
            .build()
            .unwrap_err(),
        ConfigError::NoKeys
    );
    assert_eq!(
        Verifier::<Group>::hs256(b"secret")
            .any_client()
            .build()
            .unwrap_err(),
        ConfigError::MissingIssuer
    );
    assert!(matches!(
        Verifier::<Group>::hs256(b"")
            .issuer("dev")
            .any_client()
            .build(),
        Err(ConfigError::InvalidValue {
            method: "hs256",
            ..
        })
    ));
    assert_eq!(
        Verifier::<Group>::hs256(b"secret")
            .jwks_json(&pool_jwks())
            .unwrap_err(),
        ConfigError::SecretWithKeySet
    );
    assert!(matches!(
        base()
            .client_id(CLIENT)
            .any_client()
            .any_token_use()
            .jwks_json(&pool_jwks())
            .unwrap()
            .build(),
        Err(ConfigError::Conflict { .. })
    ));
    assert!(matches!(
        base()
            .any_token_use()
            .token_use(TokenUse::Id)
            .any_client()
            .jwks_json(&pool_jwks())
            .unwrap()
            .build(),
        Err(ConfigError::Conflict { .. })
    ));
    assert!(matches!(
        base()
            .client_id("")
            .any_token_use()
            .jwks_json(&pool_jwks())
            .unwrap()
            .build(),
        Err(ConfigError::InvalidValue {
            method: "client_id",
            ..
        })
    ));
    assert!(matches!(
        base()
            .any_client()
            .any_token_use()
            .max_token_bytes(0)
            .jwks_json(&pool_jwks())
            .unwrap()
            .build(),
        Err(ConfigError::InvalidValue {
            method: "max_token_bytes",
            ..
        })
    ));
    for error in [
        ConfigError::ClientUndecided,
        ConfigError::TokenUseUndecided,
        ConfigError::NoKeys,
    ] {
        assert!(error.to_string().contains("call `."), "{error}");
    }
}

#[test]
fn pool_ids_and_issuers_are_checked() {
    for good in [
        "us-east-1_AbC123",
        "eu-central-1_x",
        "us-gov-west-1_ABCdef789",
    ] {
        let builder = Verifier::<Group>::cognito(good).expect(good);
        let v = builder
            .any_client()
            .any_token_use()
            .jwks_json(&pool_jwks())
            .unwrap()
            .build()
            .unwrap();
        let region = good.split_once('_').unwrap().0;
        assert_eq!(
            v.issuer(),
            format!("https://cognito-idp.{region}.amazonaws.com/{good}")
        );
    }
    for bad in [
        "",
        "AbC123",
        "us-east-1",
        "us-east-1_",
        "_AbC123",
        "US-EAST-1_AbC123",
        "us-east_AbC123",
        "us-east-1_AbC 123",
        "us-east-1_AbC/123",
        "us-east-1_AbC123\n",
        "us-east-1_../../evil",
        "us-east-1_ΑbC123",
    ] {
        assert!(
            matches!(
                Verifier::<Group>::cognito(bad),
                Err(ConfigError::PoolId { .. })
            ),
            "{bad:?} accepted"
        );
    }
    // Cognito pool ids are at most 55 characters: 55 is accepted, 56 refused.
    let longest = format!("us-east-1_{}", "a1".repeat(22) + "b");
    assert_eq!(longest.len(), 55);
    assert!(Verifier::<Group>::cognito(&longest).is_ok(), "{longest}");
    let too_long = format!("{longest}c");
    assert_eq!(too_long.len(), 56);
    assert!(
        matches!(
            Verifier::<Group>::cognito(&too_long),
            Err(ConfigError::PoolId { reason, .. }) if reason.contains("55 characters")
        ),
        "{too_long} accepted"
    );
    for good in [
        "https://id.example.com",
        "https://id.example.com/realms/app",
        "http://localhost:8080/realms/app",
        "http://127.0.0.1",
    ] {
        assert!(Verifier::<Group>::oidc(good).is_ok(), "{good} refused");
    }
    for bad in [
        "",
        "id.example.com",
        "http://id.example.com",
        "https://",
        "https:///path",
        "https://id.example.com/?x=1",
        "https://id example.com",
        "http://localhost.evil.com",
        "http://localhost:8080@evil.com/realms/app",
        "https://user@id.example.com",
    ] {
        assert!(
            matches!(
                Verifier::<Group>::oidc(bad),
                Err(ConfigError::Issuer { .. })
            ),
            "{bad:?} accepted"
        );
    }
    assert!(matches!(
        Verifier::<Group>::hs256(b"s")
            .issuer("")
            .any_client()
            .build(),
        Err(ConfigError::Issuer { .. })
    ));
}

#[test]
fn bad_jwks_documents_are_config_errors() {
    let builder = || Verifier::<Group>::oidc(OIDC_ISS).unwrap();
    let rsa = &keys().id;
    let documents = [
        String::new(),
        "not json".to_owned(),
        "[]".to_owned(),
        "{}".to_owned(),
        r#"{"keys": {}}"#.to_owned(),
        r#"{"keys": []}"#.to_owned(),
    ];
    for doc in &documents {
        assert!(
            matches!(builder().jwks_json(doc), Err(ConfigError::Jwks { .. })),
            "{doc:?} accepted"
        );
    }
    // The public half of TEST_ONLY_rsa_1024.pem, as a JWK (AWS-LC will not
    // load a private key that small, so it is not derived from the PEM).
    let weak: Value =
        serde_json::from_str(include_str!("../fixtures/TEST_ONLY_rsa_1024.jwk.json")).unwrap();
    let ec = &keys().ec;
    let p384 = &keys().p384;
    // The untouched P-384 key is accepted: the cases below fail on their change.
    assert!(builder().jwks_json(&jwks(&[&p384.jwk])).is_ok());
    let bad_keys = [
        json!("a key"),
        rsa.jwk_with(json!({"kty": null})),
        rsa.jwk_with(json!({"kty": 1})),
        rsa.jwk_with(json!({"kid": 7})),
        rsa.jwk_with(json!({"n": null})),
        rsa.jwk_with(json!({"n": "!!!"})),
        rsa.jwk_with(json!({"e": "AA"})),
        rsa.jwk_with(json!({"n": URL_SAFE_NO_PAD.encode([0xff; 600])})),
        weak.clone(),
        ec.jwk_with(json!({"x": URL_SAFE_NO_PAD.encode([1u8; 32])})),
        ec.jwk_with(json!({"y": URL_SAFE_NO_PAD.encode([1u8; 31])})),
        // P-384: a point off the curve (right sizes), then a short coordinate.
        p384.jwk_with(json!({"x": URL_SAFE_NO_PAD.encode([1u8; 48])})),
        p384.jwk_with(json!({"y": URL_SAFE_NO_PAD.encode([1u8; 47])})),
        // A P-256 point presented as P-384.
        ec.jwk_with(json!({"crv": "P-384"})),
        keys()
            .ed
            .jwk_with(json!({"x": URL_SAFE_NO_PAD.encode([0u8; 32])})),
        json!({"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"}),
    ];
    for key in &bad_keys {
        assert!(
            matches!(
                builder().jwks_json(&jwks(&[key])),
                Err(ConfigError::Jwk { index: 0, .. })
            ),
            "{key} accepted"
        );
    }
    // EC keys: each curve's size check and on-curve check, told apart by reason.
    let short = |n| URL_SAFE_NO_PAD.encode(vec![1u8; n]);
    for (key, expected) in [
        (
            ec.jwk_with(json!({"x": short(32)})),
            "P-256 point is not on the curve",
        ),
        (ec.jwk_with(json!({"x": short(31)})), "32 bytes"),
        (
            p384.jwk_with(json!({"x": short(48)})),
            "P-384 point is not on the curve",
        ),
        (p384.jwk_with(json!({"y": short(47)})), "48 bytes"),
    ] {
        let result = builder().jwks_json(&jwks(&[&key])).map(|_| ());
        assert_rejects!(
            result,
            ConfigError::Jwk { index: 0, reason, .. } if reason.contains(expected)
        );
    }
    let duplicate = jwks(&[&rsa.jwk, &keys().access.jwk_with(json!({"kid": "id-key"}))]);
    assert!(matches!(
        builder().jwks_json(&duplicate),
        Err(ConfigError::Jwk { index: 1, .. })
    ));
}

#[test]
fn non_signing_and_unknown_keys_are_kept_but_never_verify() {
    // Keycloak publishes an RSA-OAEP encryption key next to its signing key.
    let enc =
        json!({"kty": "RSA", "kid": "enc", "use": "enc", "alg": "RSA-OAEP", "n": "?", "e": "?"});
    let future = json!({"kty": "PQC", "kid": "future"});
    let curve = json!({"kty": "EC", "kid": "k1", "crv": "secp256k1", "x": "AA", "y": "AA"});
    let doc = jwks(&[&enc, &future, &curve, &keys().id.jwk]);
    let verifier = id_verifier_with(&doc);
    verify(&verifier, &id_token(&id_claims())).expect("the signing key still works");
    let header = |kid: &str| json!({"alg": "RS256", "kid": kid});
    assert_rejects!(
        verify(
            &verifier,
            &keys().id.sign_with_header(&header("enc"), &id_claims())
        ),
        VerifyError::KeyUse { .. }
    );
    assert_rejects!(
        verify(
            &verifier,
            &keys().id.sign_with_header(&header("future"), &id_claims())
        ),
        VerifyError::KeyAlgorithm { .. }
    );
    assert_rejects!(
        verify(
            &verifier,
            &keys().id.sign_with_header(&header("k1"), &id_claims())
        ),
        VerifyError::KeyAlgorithm { .. }
    );
}

/// A Cognito custom attribute may be writable by its user: reading groups
/// from one would let users grant themselves groups.
#[test]
fn cognito_refuses_a_custom_attribute_as_groups_claim() {
    let err = Verifier::<Group>::cognito("us-east-1_AbC123")
        .unwrap()
        .groups_claim("custom:groups")
        .any_client()
        .any_token_use()
        .build()
        .unwrap_err();
    assert!(
        matches!(
            err,
            ConfigError::InvalidValue {
                method: "groups_claim",
                ..
            }
        ),
        "{err:?}"
    );
    // OIDC issuers have no such attributes: any claim name is the issuer's own.
    assert!(
        Verifier::<Group>::oidc("https://id.example.com")
            .unwrap()
            .groups_claim("custom:groups")
            .any_client()
            .build()
            .is_err_and(|e| !matches!(e, ConfigError::InvalidValue { .. }))
    );
}
