//! Tokens the verifier accepts: Cognito ID and access tokens, OIDC tokens of
//! every accepted algorithm, `hs256` development tokens, and
//! `Principal::from_claims`.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use groupguard::{Op, Principal, TokenUse, Verifier, VerifyError};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::json;

use crate::support::*;

#[test]
fn cognito_id_token_becomes_a_principal() {
    let p = verify(&id_verifier(), &id_token(&id_claims())).expect("valid ID token");
    assert_eq!(p.sub(), Some("3f1c9a2e-sub"));
    assert_eq!(p.username(), Some("bob"));
    assert!(p.is_in(Group::EDITORS));
    assert!(!p.is_in(Group::ADMINS));
    assert!(p.unknown_groups().is_empty());
    assert_eq!(
        p.claimed_preferred_role(),
        Some("arn:aws:iam::123456789012:role/Editors")
    );
    assert_eq!(
        p.claimed_roles(),
        ["arn:aws:iam::123456789012:role/Editors"]
    );
    assert!(Article::authorize(&p, Op::Get).is_allowed());
    assert!(Article::authorize(&p, Op::Delete).is_denied());
}

#[test]
fn cognito_access_token_becomes_a_principal() {
    let p = verify(&access_verifier(), &access_token(&access_claims())).expect("valid token");
    assert_eq!(p.sub(), Some("3f1c9a2e-sub"));
    assert_eq!(p.username(), Some("bob"));
    assert!(p.is_in(Group::ADMINS) && p.is_in(Group::EDITORS));
    assert_eq!(p.claimed_preferred_role(), None);
    assert!(p.claimed_roles().is_empty());
    assert!(Article::authorize(&p, Op::Delete).is_allowed());
}

#[test]
fn verify_with_claims_returns_every_claim() {
    let verifier = id_verifier();
    let token = id_token(&id_claims());
    // `verify_with_claims` reads the real clock: the fixed test clock is long past.
    let fresh = with(id_claims(), json!({"exp": unix_now() + 3600}));
    let (p, claims) = verifier
        .verify_with_claims(&id_token(&fresh))
        .expect("valid ID token");
    assert_eq!(p.username(), Some("bob"));
    assert_eq!(claims["email"], "bob@example.com");
    assert_eq!(claims["custom:tenant"], "acme");
    // The same token against the real clock is long expired.
    assert_rejects!(verifier.verify(&token), VerifyError::Expired { .. });
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

#[test]
fn any_token_use_accepts_both_and_reads_the_right_client_claim() {
    let verifier = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id(CLIENT)
        .any_token_use()
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    verify(&verifier, &id_token(&id_claims())).expect("ID token");
    verify(&verifier, &access_token(&access_claims())).expect("access token");
    // An access token is judged by `client_id`, even when its `aud` would match.
    let claims = with(
        access_claims(),
        json!({"client_id": "other", "aud": CLIENT}),
    );
    assert_rejects!(
        verify(&verifier, &access_token(&claims)),
        VerifyError::Audience {
            claim: "client_id",
            ..
        }
    );
    // Cognito tokens are ID or access tokens: nothing else, even with `any_token_use`.
    let claims = with(access_claims(), json!({"token_use": "refresh"}));
    assert_rejects!(
        verify(&verifier, &access_token(&claims)),
        VerifyError::TokenUse { .. }
    );
    let claims = with(access_claims(), json!({"token_use": null}));
    assert_rejects!(
        verify(&verifier, &access_token(&claims)),
        VerifyError::MissingClaim { claim: "token_use" }
    );
}

#[test]
fn several_clients_and_any_client() {
    let two = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id("first-client")
        .client_id(CLIENT)
        .token_use(TokenUse::Id)
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    verify(&two, &id_token(&id_claims())).expect("second accepted client");

    let any = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .any_client()
        .token_use(TokenUse::Id)
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    let claims = with(id_claims(), json!({"aud": "some-other-client"}));
    verify(&any, &id_token(&claims)).expect("any client");
}

#[test]
fn oidc_with_custom_groups_claim_es256_and_eddsa() {
    let verifier = oidc_verifier();
    for key in [&keys().ec, &keys().ed] {
        let p = verify(&verifier, &key.sign(&oidc_claims())).expect("valid OIDC token");
        assert_eq!(p.sub(), Some("u-42"));
        assert!(p.is_in(Group::ADMINS));
        assert!(!p.is_in(Group::EDITORS), "cognito:groups must be ignored");
        assert_eq!(p.unknown_groups(), ["/nested/path"]);
    }
    // OIDC tokens have no `token_use`, and it is not required.
    let claims = with(oidc_claims(), json!({"aud": "web"}));
    assert_rejects!(
        verify(&verifier, &keys().ec.sign(&claims)),
        VerifyError::Audience { claim: "aud", .. }
    );
}

#[test]
fn oidc_access_tokens_are_judged_by_aud_not_client_id() {
    // Only Cognito access tokens carry the client in `client_id`; an OIDC
    // verifier checks `aud` even when it requires `token_use`.
    let verifier = Verifier::<Group>::oidc(OIDC_ISS)
        .unwrap()
        .audience("api")
        .token_use(TokenUse::Access)
        .jwks_json(&jwks(&[&keys().ec.jwk]))
        .unwrap()
        .build()
        .unwrap();
    let access = with(oidc_claims(), json!({"token_use": "access"}));
    verify(&verifier, &keys().ec.sign(&access)).expect("aud names the API");
    let other_api = with(access, json!({"aud": "billing", "client_id": "api"}));
    assert_rejects!(
        verify(&verifier, &keys().ec.sign(&other_api)),
        VerifyError::Audience { claim: "aud", .. }
    );
}

/// `key`'s tokens are accepted from a key set holding its JWK, with or
/// without the JWK's `alg`, and refused once a signature bit is flipped.
fn accepts_tokens_of(key: &TestKey) {
    let name = alg_name(key.alg);
    assert_eq!(
        key.jwk["alg"], name,
        "the fixture's JWK names its algorithm"
    );
    let token = key.sign(&oidc_claims());
    let with_alg = jwks(&[&keys().ec.jwk, &keys().ed.jwk, &key.jwk]);
    let without_alg = jwks(&[&key.jwk_with(json!({"alg": null}))]);
    for doc in [with_alg, without_alg] {
        let verifier = oidc_verifier_with(&doc);
        let p = verify(&verifier, &token).unwrap_or_else(|e| panic!("{name} refused: {e}"));
        assert_eq!(p.sub(), Some("u-42"));
        assert!(p.is_in(Group::ADMINS));
        let (message, signature) = token.rsplit_once('.').unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        let flipped = format!("{message}.{}", URL_SAFE_NO_PAD.encode(&bytes));
        assert_rejects!(
            verify(&verifier, &flipped),
            VerifyError::Signature { alg, .. } if alg == name
        );
    }
}

#[test]
fn rs384_tokens_are_accepted() {
    let key = TestKey::load(
        include_bytes!("../fixtures/TEST_ONLY_rsa_a.pem"),
        "rs384-key",
        Algorithm::RS384,
    );
    accepts_tokens_of(&key);
}

#[test]
fn rs512_tokens_are_accepted() {
    let key = TestKey::load(
        include_bytes!("../fixtures/TEST_ONLY_rsa_b.pem"),
        "rs512-key",
        Algorithm::RS512,
    );
    accepts_tokens_of(&key);
}

#[test]
fn es384_tokens_are_accepted_with_a_p384_key() {
    accepts_tokens_of(&keys().p384);
    // The P-384 JWK is an EC key on its own curve: ES256 over it is refused.
    let verifier = oidc_verifier_with(&jwks(&[&keys().p384.jwk_with(json!({"alg": null}))]));
    let token = keys()
        .p384
        .sign_with_header(&json!({"alg": "ES256", "kid": "ec384-key"}), &oidc_claims());
    assert_rejects!(
        verify(&verifier, &token),
        VerifyError::KeyAlgorithm { alg, .. } if alg == "ES256"
    );
}

#[test]
fn hs256_dev_mode() {
    let dev = Verifier::<Group>::hs256(b"dev-only-secret")
        .issuer("dev")
        .audience("dev")
        .build()
        .unwrap();
    let debug = format!("{dev:?}");
    // Neither as text nor as the byte array a derived `Debug` would print.
    for leak in [
        "dev-only-secret".to_owned(),
        format!("{:?}", b"dev-only-secret"),
    ] {
        assert!(!debug.contains(&leak), "Debug leaks the secret: {debug}");
    }
    let secret = EncodingKey::from_secret(b"dev-only-secret");
    let claims = json!({"iss": "dev", "aud": "dev", "sub": "u", "exp": NOW + 60,
                        "cognito:groups": "ADMINS"});
    let token = sign_raw(
        &json!({"alg": "HS256", "typ": "JWT"}),
        &claims,
        &secret,
        Algorithm::HS256,
    );
    let p = verify(&dev, &token).expect("dev token");
    assert!(p.is_in(Group::ADMINS), "a lone string is one group");

    // Another secret, another algorithm, or a public-key token: all refused.
    let wrong = EncodingKey::from_secret(b"another-secret");
    let token = sign_raw(&json!({"alg": "HS256"}), &claims, &wrong, Algorithm::HS256);
    assert_rejects!(verify(&dev, &token), VerifyError::Signature { .. });
    let token = sign_raw(&json!({"alg": "HS384"}), &claims, &secret, Algorithm::HS384);
    assert_rejects!(verify(&dev, &token), VerifyError::Algorithm { .. });
    let token = keys().id.sign(&claims);
    assert_rejects!(verify(&dev, &token), VerifyError::Algorithm { .. });
}

#[test]
fn hs256_truncated_extended_or_empty_signature_is_refused() {
    let dev = Verifier::<Group>::hs256(b"dev-only-secret")
        .issuer("dev")
        .any_client()
        .build()
        .unwrap();
    let claims = json!({"iss": "dev", "sub": "u", "exp": NOW + 60});
    let secret = EncodingKey::from_secret(b"dev-only-secret");
    let token = sign_raw(&json!({"alg": "HS256"}), &claims, &secret, Algorithm::HS256);
    verify(&dev, &token).expect("the untouched token");
    let (message, signature) = token.rsplit_once('.').unwrap();
    let mac = URL_SAFE_NO_PAD.decode(signature).unwrap();
    assert_eq!(mac.len(), 32);
    // A MAC compared on a prefix only would accept a one-byte signature
    // after at most 256 guesses.
    let mut longer = mac.clone();
    longer.push(0);
    for forged in [&mac[..0], &mac[..1], &mac[..16], &mac[..31], &longer[..]] {
        let token = format!("{message}.{}", URL_SAFE_NO_PAD.encode(forged));
        assert_rejects!(
            verify(&dev, &token),
            VerifyError::Signature { kid: None, .. }
        );
    }
}

#[test]
fn from_claims_applies_the_claim_rules() {
    let p = Principal::<Group>::from_claims(&id_claims()).expect("ID token claims");
    assert_eq!(p.sub(), Some("3f1c9a2e-sub"));
    assert_eq!(p.username(), Some("bob"));
    assert!(p.is_in(Group::EDITORS));
    assert_eq!(
        p.claimed_preferred_role(),
        Some("arn:aws:iam::123456789012:role/Editors")
    );
    let p = Principal::<Group>::from_claims(&access_claims()).expect("access token claims");
    assert_eq!(p.username(), Some("bob"));
    assert_eq!(p.groups().len(), 2);

    // No group claim: authenticated, no groups.
    let p = Principal::<Group>::from_claims(&json!({"sub": "s"})).unwrap();
    assert!(p.is_authenticated() && p.groups().is_empty());

    assert_rejects!(
        Principal::<Group>::from_claims(&json!({"cognito:groups": ["ADMINS"]})),
        VerifyError::MissingClaim { claim: "sub" }
    );
    assert_rejects!(
        Principal::<Group>::from_claims(&json!({"sub": ""})),
        VerifyError::ClaimType { claim: "sub", .. }
    );
    assert_rejects!(
        Principal::<Group>::from_claims(&json!({"sub": 7})),
        VerifyError::ClaimType { claim: "sub", .. }
    );
    assert_rejects!(
        Principal::<Group>::from_claims(&json!({"sub": "s", "exp": "never"})),
        VerifyError::ClaimType { claim: "exp", .. }
    );
    assert_rejects!(
        Principal::<Group>::from_claims(&json!({"sub": "s", "cognito:groups": {"ADMINS": true}})),
        VerifyError::GroupsClaim { .. }
    );
    assert_rejects!(
        Principal::<Group>::from_claims(&json!(["sub", "s"])),
        VerifyError::Malformed { .. }
    );
    let p =
        Principal::<Group>::from_claims_with(&json!({"sub": "s", "groups": ["ADMINS"]}), "groups")
            .unwrap();
    assert!(p.is_in(Group::ADMINS));
}

#[test]
fn from_claims_refuses_more_than_10000_groups() {
    let names: Vec<String> = (0..10_000).map(|i| format!("g{i}")).collect();
    let p = Principal::<Group>::from_claims(&json!({"sub": "s", "cognito:groups": names}))
        .expect("10,000 entries are accepted");
    assert_eq!(p.unknown_groups().len(), 10_000);
    let names: Vec<String> = (0..10_001).map(|i| format!("g{i}")).collect();
    assert_rejects!(
        Principal::<Group>::from_claims(&json!({"sub": "s", "cognito:groups": names})),
        VerifyError::GroupsClaim { .. }
    );
}

/// A JWK modulus with a leading zero byte (RFC 7518 says none, some
/// providers send one) is the same key: AWS-LC refuses such an encoding,
/// so the verifier drops the zero first.
#[test]
fn a_modulus_with_a_leading_zero_byte_is_the_same_key() {
    let id = &keys().id;
    let n = URL_SAFE_NO_PAD
        .decode(id.jwk["n"].as_str().expect("n"))
        .expect("base64url");
    let padded = URL_SAFE_NO_PAD.encode([&[0u8][..], &n].concat());
    let jwk = id.jwk_with(json!({ "n": padded }));
    let verifier = id_verifier_with(&jwks(&[&jwk]));
    let p = verify(&verifier, &id_token(&id_claims())).expect("same key, same verdict");
    assert_eq!(p.sub(), Some("3f1c9a2e-sub"));
}
