//! The verified-token cache (`.cache_verified(capacity)`): no outcome of a
//! cached verifier ever differs from an uncached one's.

use std::time::Duration;

use groupguard::{ConfigError, TokenUse, Verifier, VerifyError};
use proptest::prelude::*;
use serde_json::json;

use crate::support::*;

/// An ID-token verifier of the pool over `jwks`, with the cache or without.
fn verifier(jwks: &str, leeway: u64, cached: bool) -> Verifier<Group> {
    let builder = Verifier::<Group>::cognito(POOL)
        .expect("valid pool id")
        .client_id(CLIENT)
        .token_use(TokenUse::Id)
        .jwks_json(jwks)
        .expect("valid key set")
        .leeway(Duration::from_secs(leeway));
    let builder = if cached {
        builder.cache_verified(64)
    } else {
        builder
    };
    builder.build().expect("complete configuration")
}

fn cached_with(jwks: &str, leeway: u64) -> Verifier<Group> {
    verifier(jwks, leeway, true)
}

fn uncached_with(jwks: &str, leeway: u64) -> Verifier<Group> {
    verifier(jwks, leeway, false)
}

fn at(offset: i64) -> std::time::SystemTime {
    let seconds = NOW.checked_add_signed(offset).expect("a time after 1970");
    std::time::UNIX_EPOCH + Duration::from_secs(seconds)
}

#[test]
fn a_capacity_of_zero_is_a_configuration_error() {
    let error = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id(CLIENT)
        .token_use(TokenUse::Id)
        .jwks_json(&pool_jwks())
        .unwrap()
        .cache_verified(0)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            error,
            ConfigError::InvalidValue {
                method: "cache_verified",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn a_cached_token_expires_at_its_exp() {
    for leeway in [0, 30] {
        let verifier = cached_with(&pool_jwks(), leeway);
        let token = id_token(&with(id_claims(), json!({"exp": NOW + 60})));
        assert!(
            verifier.verify_at(&token, at(0)).is_ok(),
            "verified, cached"
        );
        assert!(verifier.verify_at(&token, at(59)).is_ok(), "a hit");
        let limit = 60 + i64::try_from(leeway).unwrap();
        assert!(
            verifier.verify_at(&token, at(limit - 1)).is_ok(),
            "a hit, in the leeway"
        );
        assert_rejects!(
            verifier.verify_at(&token, at(limit)),
            VerifyError::Expired { .. }
        );
        // Back in time: verified in full again, and valid there.
        assert!(verifier.verify_at(&token, at(10)).is_ok());
    }
}

#[test]
fn a_cached_token_is_not_valid_before_its_nbf() {
    let verifier = cached_with(&pool_jwks(), 0);
    let token = id_token(&with(id_claims(), json!({"nbf": NOW + 100})));
    assert!(
        verifier.verify_at(&token, at(100)).is_ok(),
        "verified, cached"
    );
    assert_rejects!(
        verifier.verify_at(&token, at(99)),
        VerifyError::NotYetValid { .. }
    );
}

#[test]
fn a_key_rotated_out_is_not_trusted_through_the_cache() {
    let verifier = cached_with(&pool_jwks(), 0);
    let token = id_token(&id_claims());
    assert!(verify(&verifier, &token).is_ok(), "verified, cached");
    // The issuer drops the ID-token key: the same token is refused now.
    let rotated = groupguard::KeySet::from_jwks_json(&jwks(&[&keys().access.jwk])).unwrap();
    let after = verifier.with_keys(rotated).unwrap();
    assert_rejects!(verify(&after, &token), VerifyError::UnknownKey { .. });
    // The old verifier, with the old set, still hits.
    assert!(verify(&verifier, &token).is_ok());
    // A new set that still holds the key verifies in full, and accepts.
    let same_keys = groupguard::KeySet::from_jwks_json(&pool_jwks()).unwrap();
    assert!(verify(&verifier.with_keys(same_keys).unwrap(), &token).is_ok());
}

#[test]
fn a_token_differing_in_one_payload_byte_is_verified_in_full() {
    let verifier = cached_with(&pool_jwks(), 0);
    let token = id_token(&id_claims());
    assert!(verify(&verifier, &token).is_ok(), "verified, cached");
    let payload_start = token.find('.').unwrap() + 1;
    for offset in [0, 5, 40] {
        let mut bytes = token.clone().into_bytes();
        let i = payload_start + offset;
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(bytes).unwrap();
        assert!(verify(&verifier, &forged).is_err(), "offset {offset}");
        assert_eq!(
            verify(&verifier, &forged),
            verify(&uncached_with(&pool_jwks(), 0), &forged)
        );
    }
    assert!(verify(&verifier, &token).is_ok(), "the original still hits");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The same sequence of (token, time) on a cached and an uncached
    /// verifier gets the same answers, whatever the order: valid tokens,
    /// expired ones, ones not yet valid, and one-byte mutations.
    #[test]
    fn cached_and_uncached_verifiers_always_agree(
        calls in prop::collection::vec((0usize..6, -120i64..7300, any::<u16>()), 1..40),
        leeway in 0u64..90,
    ) {
        let tokens = [
            id_token(&id_claims()),
            id_token(&with(id_claims(), json!({"exp": NOW + 30}))),
            id_token(&with(id_claims(), json!({"nbf": NOW + 60}))),
            id_token(&with(id_claims(), json!({"cognito:groups": ["ADMINS"]}))),
            access_token(&access_claims()),
            id_token(&with(id_claims(), json!({"exp": NOW - 1}))),
        ];
        let cached = cached_with(&pool_jwks(), leeway);
        let uncached = uncached_with(&pool_jwks(), leeway);
        for (which, offset, mutation) in calls {
            let mut token = tokens[which].clone();
            if mutation % 4 == 0 {
                // One byte of the token changed.
                let mut bytes = token.into_bytes();
                let i = usize::from(mutation) % bytes.len();
                bytes[i] = if bytes[i] == b'x' { b'y' } else { b'x' };
                token = String::from_utf8(bytes).unwrap();
            }
            prop_assert_eq!(
                cached.verify_at(&token, at(offset)),
                uncached.verify_at(&token, at(offset))
            );
        }
    }
}
