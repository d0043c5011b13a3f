//! The key set: the `use` and `key_ops` rules (a key not meant for
//! verifying is kept and never verifies), `KeySet`, and key rotation with
//! `Verifier::with_keys`.

use groupguard::{ConfigError, Verifier, VerifyError};
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
