//! The key set: the `use` and `key_ops` rules (a key not meant for
//! verifying is kept and never verifies), `KeySet`, and key rotation with
//! `Verifier::with_keys`.

use std::time::Duration;

use groupguard::{ConfigError, KeySet, TokenUse, Verifier, VerifyError};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

use crate::support::*;

/// An ID-token verifier over the pool's ID key with `changes` to its JWK,
/// next to the untouched access key.
fn id_key_with(changes: Value) -> Verifier<Group> {
    id_verifier_with(&jwks(&[&keys().id.jwk_with(changes), &keys().access.jwk]))
}

// ---------------------------------------------------------------- key_ops

#[test]
fn key_ops_without_verify_is_refused_like_another_use() {
    let verifier = id_key_with(json!({"key_ops": ["encrypt"]}));
    let err = verify(&verifier, &id_token(&id_claims())).unwrap_err();
    assert!(
        matches!(
            &err,
            VerifyError::KeyUse { kid: Some(kid), member: "key_ops", key_use }
                if kid == "id-key" && key_use == r#"["encrypt"]"#
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("`key_ops`") && message.contains("include `verify`"),
        "{message}"
    );
    // The set's other key still verifies.
    verify(&verifier, &keys().access.sign(&id_claims())).expect("the access key signs");
}

#[test]
fn empty_key_ops_is_refused() {
    // RFC 7517 4.3: `key_ops` lists what the key may do; `[]` allows nothing.
    let verifier = id_key_with(json!({"key_ops": []}));
    assert_rejects!(
        verify(&verifier, &id_token(&id_claims())),
        VerifyError::KeyUse { member: "key_ops", key_use, .. } if key_use == "[]"
    );
}

#[test]
fn key_ops_naming_verify_is_accepted() {
    let verifier = id_key_with(json!({"key_ops": ["verify"]}));
    verify(&verifier, &id_token(&id_claims())).expect("`key_ops: [\"verify\"]`");
}

#[test]
fn key_ops_naming_sign_and_verify_is_accepted() {
    let verifier = id_key_with(json!({"key_ops": ["sign", "verify"]}));
    verify(&verifier, &id_token(&id_claims())).expect("`key_ops: [\"sign\", \"verify\"]`");
}

#[test]
fn key_ops_that_are_not_an_array_of_strings_are_a_config_error() {
    for key_ops in [
        json!("verify"),
        json!({"verify": true}),
        json!([1]),
        json!(["verify", null]),
        json!(true),
    ] {
        let doc = jwks(&[&keys().id.jwk_with(json!({"key_ops": key_ops}))]);
        let result = Verifier::<Group>::oidc(OIDC_ISS)
            .unwrap()
            .jwks_json(&doc)
            .map(|_| ());
        assert_rejects!(
            result,
            ConfigError::Jwk { index: 0, reason, .. }
                if reason == "`key_ops` must be an array of strings"
        );
    }
    // `null` is not an absent member either, as for `use`.
    let doc = jwks(&[&keys().id.jwk]).replace(r#""use":"sig""#, r#""use":"sig","key_ops":null"#);
    assert!(doc.contains(r#""key_ops":null"#), "{doc}");
    assert_rejects!(
        Verifier::<Group>::oidc(OIDC_ISS)
            .unwrap()
            .jwks_json(&doc)
            .map(|_| ()),
        ConfigError::Jwk { index: 0, .. }
    );
}

#[test]
fn keys_refused_by_key_ops_are_kept_but_never_verify() {
    // As for `use: enc`, the key material of a key that never verifies is
    // not checked: a provider's key-wrapping key does not break the set.
    let wrap = json!({"kty": "RSA", "kid": "wrap", "key_ops": ["wrapKey"], "n": "?", "e": "?"});
    let verifier = id_verifier_with(&jwks(&[&wrap, &keys().id.jwk]));
    verify(&verifier, &id_token(&id_claims())).expect("the signing key still works");
    let header = json!({"alg": "RS256", "kid": "wrap"});
    assert_rejects!(
        verify(
            &verifier,
            &keys().id.sign_with_header(&header, &id_claims())
        ),
        VerifyError::KeyUse {
            member: "key_ops",
            ..
        }
    );
}

#[test]
fn use_is_judged_before_key_ops() {
    let verifier = id_key_with(json!({"use": "enc", "key_ops": ["encrypt"]}));
    assert_rejects!(
        verify(&verifier, &id_token(&id_claims())),
        VerifyError::KeyUse { member: "use", key_use, .. } if key_use == "enc"
    );
}

// ---------------------------------------------------------------- KeySet

#[test]
fn key_set_loads_what_jwks_json_loads_with_the_same_errors() {
    let rsa = &keys().id;
    let documents = [
        pool_jwks(),
        jwks(&[&keys().ec.jwk, &keys().ed.jwk, &keys().p384.jwk]),
        "not json".to_owned(),
        "{}".to_owned(),
        r#"{"keys": []}"#.to_owned(),
        jwks(&[&rsa.jwk_with(json!({"n": "!!!"}))]),
        jwks(&[&rsa.jwk_with(json!({"key_ops": "verify"}))]),
        jwks(&[&json!({"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"})]),
        jwks(&[&rsa.jwk, &keys().access.jwk_with(json!({"kid": "id-key"}))]),
    ];
    let mut refused = 0;
    for doc in &documents {
        let from_builder = Verifier::<Group>::oidc(OIDC_ISS)
            .unwrap()
            .jwks_json(doc)
            .map(|_| ());
        let key_set = KeySet::from_jwks_json(doc).map(|_| ());
        assert_eq!(key_set, from_builder, "{doc}");
        refused += usize::from(key_set.is_err());
    }
    assert_eq!(refused, documents.len() - 2, "only the first two are valid");
}

#[test]
fn key_set_counts_keys_and_lists_kids() {
    let pool = KeySet::from_jwks_json(&pool_jwks()).unwrap();
    assert_eq!(pool.len(), 2);
    assert_eq!(pool.kids().collect::<Vec<_>>(), ["id-key", "access-key"]);
    // Keys that never verify count; a key without `kid` has none to list.
    let enc = json!({"kty": "RSA", "kid": "enc", "use": "enc", "n": "?", "e": "?"});
    let anonymous = keys().ec.jwk_with(json!({"kid": null}));
    let mixed = KeySet::from_jwks_json(&jwks(&[&enc, &anonymous, &keys().ed.jwk])).unwrap();
    assert_eq!(mixed.len(), 3);
    assert_eq!(mixed.kids().collect::<Vec<_>>(), ["enc", "ed-key"]);
}

#[test]
fn key_set_debug_shows_kids_never_key_material() {
    let doc = jwks(&[&keys().id.jwk, &keys().ec.jwk, &keys().ed.jwk]);
    let set = KeySet::from_jwks_json(&doc).unwrap();
    let verifier = Verifier::<Group>::oidc(OIDC_ISS)
        .unwrap()
        .any_client()
        .key_set(set.clone())
        .build()
        .unwrap();
    let material = [
        &keys().id.jwk["n"],
        &keys().ec.jwk["x"],
        &keys().ec.jwk["y"],
        &keys().ed.jwk["x"],
    ];
    for debug in [format!("{set:?}"), format!("{verifier:?}")] {
        for kid in ["id-key", "ec-key", "ed-key"] {
            assert!(debug.contains(kid), "{kid} missing from {debug}");
        }
        for value in material {
            let start = &value.as_str().expect("base64url text")[..12];
            assert!(!debug.contains(start), "Debug prints key material: {debug}");
        }
    }
}

#[test]
fn one_key_set_serves_several_verifiers() {
    let pool = KeySet::from_jwks_json(&pool_jwks()).unwrap();
    let builder = |token_use| {
        Verifier::<Group>::cognito(POOL)
            .unwrap()
            .client_id(CLIENT)
            .token_use(token_use)
    };
    let id = builder(TokenUse::Id).key_set(pool.clone()).build().unwrap();
    let access = builder(TokenUse::Access).key_set(pool).build().unwrap();
    verify(&id, &id_token(&id_claims())).expect("ID token");
    verify(&access, &access_token(&access_claims())).expect("access token");
}

#[test]
fn key_set_and_jwks_json_replace_the_set_given_before() {
    let ec_only = jwks(&[&keys().ec.jwk]);
    let builder = || {
        Verifier::<Group>::cognito(POOL)
            .unwrap()
            .client_id(CLIENT)
            .token_use(TokenUse::Id)
    };
    let token = id_token(&id_claims());
    let later_key_set = builder()
        .jwks_json(&ec_only)
        .unwrap()
        .key_set(KeySet::from_jwks_json(&pool_jwks()).unwrap())
        .build()
        .unwrap();
    verify(&later_key_set, &token).expect("the pool's set replaced the EC one");
    let later_jwks = builder()
        .key_set(KeySet::from_jwks_json(&pool_jwks()).unwrap())
        .jwks_json(&ec_only)
        .unwrap()
        .build()
        .unwrap();
    assert_rejects!(verify(&later_jwks, &token), VerifyError::UnknownKey { .. });
}

#[test]
fn key_set_on_an_hs256_verifier_is_refused_at_build() {
    let pool = KeySet::from_jwks_json(&pool_jwks()).unwrap();
    let result = Verifier::<Group>::hs256(b"dev-only-secret")
        .issuer("dev")
        .any_client()
        .key_set(pool)
        .build();
    let err = result.map(|_| ()).unwrap_err();
    assert_eq!(err, ConfigError::SecretWithKeySet);
    assert!(err.to_string().contains("`.key_set(..)`"), "{err}");
}

// ---------------------------------------------------------------- with_keys

/// The pool's ID key, published under a new `kid` after a rotation.
fn rotated_key() -> TestKey {
    TestKey::load(
        include_bytes!("../fixtures/TEST_ONLY_rsa_a.pem"),
        "rotated",
        Algorithm::RS256,
    )
}

#[test]
fn with_keys_rotates_the_keys_and_keeps_the_configuration() {
    // Everything but the keys differs from the defaults: a reset would show.
    let old = Verifier::<Group>::oidc(OIDC_ISS)
        .unwrap()
        .audience("api")
        .groups_claim("groups")
        .leeway(Duration::from_secs(30))
        .max_token_bytes(4096)
        .jwks_json(&jwks(&[&keys().ec.jwk]))
        .unwrap()
        .build()
        .unwrap();
    let token = keys().ed.sign(&oidc_claims());
    assert_rejects!(
        verify(&old, &token),
        VerifyError::UnknownKey { kid } if kid == "ed-key"
    );

    let rotated = old
        .with_keys(KeySet::from_jwks_json(&jwks(&[&keys().ed.jwk])).unwrap())
        .unwrap();
    let p = verify(&rotated, &token).expect("signed by a key of the new set");
    // The groups come from `groups`, not the default `cognito:groups`.
    assert!(p.is_in(Group::ADMINS) && !p.is_in(Group::EDITORS));
    assert_eq!(rotated.issuer(), OIDC_ISS);
    let signed = |changes| keys().ed.sign(&with(oidc_claims(), changes));
    assert_rejects!(
        verify(&rotated, &signed(json!({"aud": "web"}))),
        VerifyError::Audience { claim: "aud", .. }
    );
    assert_rejects!(
        verify(&rotated, &signed(json!({"iss": ISS}))),
        VerifyError::Issuer { .. }
    );
    verify(&rotated, &signed(json!({"exp": NOW - 10}))).expect("within the 30 s leeway");
    let padded = signed(json!({"pad": "x".repeat(4096)}));
    assert_rejects!(
        verify(&rotated, &padded),
        VerifyError::TooLarge { max: 4096, .. }
    );

    // The keys are replaced, not added to; the old verifier is unchanged.
    let old_token = keys().ec.sign(&oidc_claims());
    assert_rejects!(verify(&rotated, &old_token), VerifyError::UnknownKey { .. });
    verify(&old, &old_token).expect("the old verifier keeps its keys");
    assert_rejects!(verify(&old, &token), VerifyError::UnknownKey { .. });
}

#[test]
fn with_keys_keeps_the_cognito_client_and_token_use() {
    let rotated_key = rotated_key();
    let rotated = access_verifier()
        .with_keys(KeySet::from_jwks_json(&jwks(&[&rotated_key.jwk])).unwrap())
        .unwrap();
    let access = rotated_key.sign(&access_claims());
    assert_rejects!(
        verify(&access_verifier(), &access),
        VerifyError::UnknownKey { kid } if kid == "rotated"
    );
    verify(&rotated, &access).expect("the rotated key signs");
    // A Cognito access token names its client in `client_id`.
    let other_client = with(access_claims(), json!({"client_id": "other-client"}));
    assert_rejects!(
        verify(&rotated, &rotated_key.sign(&other_client)),
        VerifyError::Audience {
            claim: "client_id",
            ..
        }
    );
    assert_rejects!(
        verify(&rotated, &rotated_key.sign(&id_claims())),
        VerifyError::TokenUse { .. }
    );
}

#[test]
fn with_keys_on_an_hs256_verifier_is_refused() {
    let dev = Verifier::<Group>::hs256(b"dev-only-secret")
        .issuer("dev")
        .any_client()
        .build()
        .unwrap();
    let pool = KeySet::from_jwks_json(&pool_jwks()).unwrap();
    let err = dev.with_keys(pool).map(|_| ()).unwrap_err();
    assert_eq!(err, ConfigError::NoKeySetToReplace);
    assert!(err.to_string().contains("`.with_keys(..)`"), "{err}");
    // The development verifier is untouched: its secret still verifies.
    let claims = json!({"iss": "dev", "sub": "u", "exp": NOW + 60});
    let secret = EncodingKey::from_secret(b"dev-only-secret");
    let token = sign_raw(&json!({"alg": "HS256"}), &claims, &secret, Algorithm::HS256);
    verify(&dev, &token).expect("the secret still verifies");
}
