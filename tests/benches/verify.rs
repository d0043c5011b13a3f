//! Speed of `Verifier::verify`: `cargo bench -p groupguard-tests --bench verify`.
//!
//! - `verify/*`: accepted tokens: a Cognito RS256 access token with 3 groups,
//!   a Cognito RS256 ID token, OIDC ES256 and EdDSA tokens, an HS256 dev token.
//! - `cache/hit_cognito_access_rs256`: the access token again, through
//!   `.cache_verified(10_000)` (a hit).
//! - `reject/*`: rejections that must stay cheap (before any signature check):
//!   a token of 1 MiB + 1 byte (the default limit), `alg: none` (also with a
//!   payload just under the limit), an unknown `kid`; and a bad RS256
//!   signature, which costs one signature check by nature.
//!
//! Tokens are signed at start with the `tests/fixtures/TEST_ONLY_*.pem` keys
//! and expire an hour later; the setup asserts what each case measures.

use std::hint::black_box;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{Criterion, criterion_group, criterion_main};
use groupguard::{TokenUse, Verifier, VerifierBuilder, VerifyError, groups};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    VIEWERS,
}

const POOL: &str = "us-east-1_AbC123";
const ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";
const CLIENT: &str = "7abcd1234client";
const OIDC_ISS: &str = "https://id.example.com/realms/app";

/// A fixture key, and the `kid` its public JWK is published under.
struct Key {
    kid: &'static str,
    alg: Algorithm,
    private: EncodingKey,
}

impl Key {
    fn load(file: &str, kid: &'static str, alg: Algorithm) -> Self {
        let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
        let pem = std::fs::read(&path).expect("fixture is readable");
        let private = match alg {
            Algorithm::ES256 => EncodingKey::from_ec_pem(&pem),
            Algorithm::EdDSA => EncodingKey::from_ed_pem(&pem),
            _ => EncodingKey::from_rsa_pem(&pem),
        }
        .expect("fixture parses");
        Self { kid, alg, private }
    }

    fn jwk(&self) -> Value {
        let jwk = Jwk::from_encoding_key(&self.private, self.alg).expect("public JWK");
        let mut jwk = serde_json::to_value(jwk).expect("JWK serializes");
        jwk["kid"] = json!(self.kid);
        jwk["use"] = json!("sig");
        jwk
    }

    fn sign(&self, claims: &Value) -> String {
        self.sign_as(self.kid, claims)
    }

    /// Signed with this key, under any `kid`.
    fn sign_as(&self, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(self.alg);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, claims, &self.private).expect("fixture signs")
    }
}

/// The error a rejection case must produce.
type Expected = fn(&VerifyError) -> bool;

fn jwks(keys: &[&Key]) -> String {
    json!({ "keys": keys.iter().map(|k| k.jwk()).collect::<Vec<_>>() }).to_string()
}

fn cognito(token_use: TokenUse, jwks: &str) -> Verifier<Group> {
    Verifier::cognito(POOL)
        .and_then(|b| b.client_id(CLIENT).token_use(token_use).jwks_json(jwks))
        .and_then(VerifierBuilder::build)
        .expect("complete configuration")
}

fn bench_verify(c: &mut Criterion) {
    let id_key = Key::load("TEST_ONLY_rsa_a.pem", "id-key", Algorithm::RS256);
    let access_key = Key::load("TEST_ONLY_rsa_b.pem", "access-key", Algorithm::RS256);
    let ec_key = Key::load("TEST_ONLY_ec_p256.pem", "ec-key", Algorithm::ES256);
    let ed25519_key = Key::load("TEST_ONLY_ed25519.pem", "ed-key", Algorithm::EdDSA);

    let pool = jwks(&[&id_key, &access_key]);
    let access = cognito(TokenUse::Access, &pool);
    let id = cognito(TokenUse::Id, &pool);
    let oidc = Verifier::oidc(OIDC_ISS)
        .and_then(|b| {
            b.audience("api")
                .groups_claim("groups")
                .jwks_json(&jwks(&[&ec_key, &ed25519_key]))
        })
        .and_then(VerifierBuilder::build)
        .expect("complete configuration");
    let dev = Verifier::hs256(b"dev-only-secret")
        .issuer("dev")
        .audience("dev")
        .build()
        .expect("complete configuration");

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let groups = json!(["ADMINS", "EDITORS", "VIEWERS"]);
    let access_claims = json!({
        "sub": "3f1c9a2e-sub", "iss": ISS, "client_id": CLIENT, "token_use": "access",
        "username": "bob", "scope": "aws.cognito.signin.user.admin", "jti": "2b1e-jti",
        "auth_time": now, "iat": now, "exp": now + 3600, "cognito:groups": groups,
    });
    let id_claims = json!({
        "sub": "3f1c9a2e-sub", "iss": ISS, "aud": CLIENT, "token_use": "id",
        "cognito:username": "bob", "email": "bob@example.com",
        "auth_time": now, "iat": now, "exp": now + 3600, "cognito:groups": groups,
    });
    let oidc_claims = json!({
        "iss": OIDC_ISS, "sub": "u-42", "aud": ["account", "api"], "iat": now,
        "exp": now + 3600, "preferred_username": "alice", "groups": groups,
    });
    let dev_claims = json!({
        "iss": "dev", "aud": "dev", "sub": "u-1", "exp": now + 3600, "cognito:groups": groups,
    });
    let dev_token = jsonwebtoken::encode(
        &Header::default(),
        &dev_claims,
        &EncodingKey::from_secret(b"dev-only-secret"),
    )
    .expect("HS256 signs");

    let accepted = [
        (
            "cognito_access_rs256_3_groups",
            &access,
            access_key.sign(&access_claims),
        ),
        ("cognito_id_rs256", &id, id_key.sign(&id_claims)),
        ("oidc_es256", &oidc, ec_key.sign(&oidc_claims)),
        ("oidc_eddsa", &oidc, ed25519_key.sign(&oidc_claims)),
        ("hs256_dev", &dev, dev_token),
    ];
    let mut group = c.benchmark_group("verify");
    for (name, verifier, token) in &accepted {
        let principal = verifier.verify(token).expect("accepted");
        assert!(principal.is_in(Group::ADMINS) && principal.is_in(Group::VIEWERS));
        group.bench_function(*name, |b| b.iter(|| verifier.verify(black_box(token))));
    }
    group.finish();

    // The same Cognito access token through `.cache_verified(..)`: a hit.
    let cached: Verifier<Group> = Verifier::cognito(POOL)
        .and_then(|b| {
            b.client_id(CLIENT)
                .token_use(TokenUse::Access)
                .jwks_json(&pool)
        })
        .map(|b: VerifierBuilder<Group>| b.cache_verified(10_000))
        .and_then(VerifierBuilder::build)
        .expect("complete configuration");
    let token = &accepted[0].2;
    let first = cached.verify(token).expect("accepted, then cached");
    assert_eq!(cached.verify(token).expect("a hit"), first);
    let mut group = c.benchmark_group("cache");
    group.bench_function("hit_cognito_access_rs256", |b| {
        b.iter(|| cached.verify(black_box(token)));
    });
    group.finish();

    // Every rejection is of the access token, by the access-token verifier.
    let good = access_key.sign(&access_claims);
    let payload = good.split('.').nth(1).expect("three parts");
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"access-key"}"#);
    // The same claims padded so that the token is just under the 1 MiB limit.
    let mut padded = access_claims.clone();
    padded["pad"] = json!("x".repeat(785_000));
    let padded = URL_SAFE_NO_PAD.encode(padded.to_string());
    // The valid token with the lowest bit of its signature flipped: still below
    // the RSA modulus, so the check is done in full (rsa refuses a signature at
    // or above the modulus, as a foreign key's may be, before any arithmetic).
    let (message, signature) = good.rsplit_once('.').expect("three parts");
    let mut signature = URL_SAFE_NO_PAD.decode(signature).expect("base64url");
    *signature.last_mut().expect("a signature") ^= 1;
    let tampered = format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature));
    // Each case with the error it must produce (a measured path, not a test).
    let rejected: [(&str, String, Expected); 5] = [
        // The valid token padded with `A` to 1 MiB + 1 byte.
        (
            "oversized_1m_plus_1",
            format!("{good}{}", "A".repeat(1_048_577 - good.len())),
            |e| matches!(e, VerifyError::TooLarge { len: 1_048_577, .. }),
        ),
        ("alg_none", format!("{none_header}.{payload}."), |e| {
            matches!(e, VerifyError::Algorithm { .. })
        }),
        // The worst case before any signature check: the payload is decoded first.
        ("alg_none_1m", format!("{none_header}.{padded}."), |e| {
            matches!(e, VerifyError::Algorithm { .. })
        }),
        (
            "unknown_kid",
            access_key.sign_as("rotated-away", &access_claims),
            |e| matches!(e, VerifyError::UnknownKey { .. }),
        ),
        ("bad_signature_rs256", tampered, |e| {
            matches!(e, VerifyError::Signature { .. })
        }),
    ];
    let limit = 1024 * 1024;
    assert!(
        (limit - 8 * 1024..limit).contains(&rejected[2].1.len()),
        "just under the limit"
    );
    let mut group = c.benchmark_group("reject");
    for (name, token, expected) in &rejected {
        let error = access.verify(token).expect_err("rejected");
        assert!(expected(&error), "{name}: unexpected {error:?}");
        group.bench_function(*name, |b| b.iter(|| access.verify(black_box(token))));
    }
    group.finish();
}

criterion_group!(benches, bench_verify);
criterion_main!(benches);
