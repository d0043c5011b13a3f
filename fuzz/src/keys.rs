//! The `TEST_ONLY` keys, the verifiers built from them, and valid tokens:
//! what the targets verify and the seeds start from.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use groupguard::{KeySet, TokenUse, Verifier};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

use crate::Group;

/// The fake user pool of the verifier tests.
pub const POOL: &str = "us-east-1_AbC123";
/// Its issuer, in Cognito's ORIGINAL format.
pub const ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";
/// Its issuer in Cognito's UPDATED format, which its verifiers accept too.
pub const ISS_UPDATED: &str = "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";
/// Both issuers of the pool, as its verifiers accept them.
pub const POOL_ISSUERS: &[&str] = &[ISS, ISS_UPDATED];
/// The size limit of the targets' verifiers: below the default (1 MiB), so
/// that inputs of `verify_bytes`'s `-max_len` cross it.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;
/// Its app client.
pub const CLIENT: &str = "7abcd1234client";
/// The shared secret of the `hs256` verifiers, as in the verifier tests.
pub const SECRET: &[u8] = b"dev-only-secret";
/// Issuer and audience of the `hs256` verifiers.
pub const DEV: &str = "dev";
/// The clock of the structured target (2023-11-14): its tokens expire an hour later.
pub const NOW: u64 = 1_700_000_000;
/// The `exp` of the seed tokens (2096), so that `verify` at the real clock accepts them.
pub const FAR_EXP: u64 = 4_000_000_000;

/// [`NOW`] as a clock.
#[must_use]
pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

/// A signing key of the fixtures and its public JWK.
pub struct TestKey {
    /// The `kid` of its JWK.
    pub kid: &'static str,
    /// The algorithm its JWK names.
    pub alg: Algorithm,
    /// The private key.
    pub private: EncodingKey,
    /// The public JWK, with `kid`, `use: sig` and `alg`.
    pub jwk: Value,
}

impl TestKey {
    fn load(pem: &[u8], kid: &'static str, alg: Algorithm) -> Self {
        let private = match alg {
            Algorithm::EdDSA => EncodingKey::from_ed_pem(pem),
            _ => EncodingKey::from_rsa_pem(pem),
        }
        .expect("TEST_ONLY fixture parses");
        let mut jwk = serde_json::to_value(
            Jwk::from_encoding_key(&private, alg).expect("public JWK of a fixture"),
        )
        .expect("JWK serializes");
        jwk["kid"] = json!(kid);
        jwk["use"] = json!("sig");
        jwk["alg"] = json!(alg_name(alg));
        Self {
            kid,
            alg,
            private,
            jwk,
        }
    }
}

/// The fixtures' keys.
pub struct Keys {
    /// The pool's ID-token key (RSA 2048, RS256), kid `id-key`.
    pub id: TestKey,
    /// The pool's access-token key (RSA 2048, RS256), kid `access-key`.
    pub access: TestKey,
    /// An Ed25519 key (EdDSA), kid `ed-key`: signs in microseconds where RSA
    /// takes a millisecond, so the structured target reaches the claim
    /// checks fast.
    pub ed: TestKey,
    /// The public half of `id` in PEM, as an HMAC secret (algorithm confusion).
    pub id_public_pem: &'static [u8],
}

/// The keys, loaded once.
pub fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| Keys {
        id: TestKey::load(
            include_bytes!("../../tests/tests/fixtures/TEST_ONLY_rsa_a.pem"),
            "id-key",
            Algorithm::RS256,
        ),
        access: TestKey::load(
            include_bytes!("../../tests/tests/fixtures/TEST_ONLY_rsa_b.pem"),
            "access-key",
            Algorithm::RS256,
        ),
        ed: TestKey::load(
            include_bytes!("../../tests/tests/fixtures/TEST_ONLY_ed25519.pem"),
            "ed-key",
            Algorithm::EdDSA,
        ),
        id_public_pem: include_bytes!("../../tests/tests/fixtures/TEST_ONLY_rsa_a.pub.pem"),
    })
}

/// The name of `alg` in a JWT header.
#[must_use]
pub fn alg_name(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::HS256 => "HS256",
        Algorithm::RS256 => "RS256",
        Algorithm::RS384 => "RS384",
        Algorithm::RS512 => "RS512",
        Algorithm::ES256 => "ES256",
        Algorithm::ES384 => "ES384",
        Algorithm::EdDSA => "EdDSA",
        other => panic!("no name for {other:?}"),
    }
}

/// Unpadded base64url of the JSON text of `value`.
#[must_use]
pub fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("JSON encodes"))
}

/// `b64(header).b64(claims).signature`, the header taken as given and the
/// signature made with `key` and `alg` whatever the header says.
#[must_use]
pub fn sign(header: &Value, claims: &Value, key: &EncodingKey, alg: Algorithm) -> String {
    let message = format!("{}.{}", b64(header), b64(claims));
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), key, alg).expect("key signs");
    format!("{message}.{signature}")
}

/// A JWK Set of `keys`.
#[must_use]
pub fn jwks(keys: &[&TestKey]) -> String {
    let keys: Vec<&Value> = keys.iter().map(|key| &key.jwk).collect();
    json!({ "keys": keys }).to_string()
}

/// The pool's key set, as Cognito publishes it: its two RS256 keys.
#[must_use]
pub fn pool_jwks() -> String {
    jwks(&[&keys().id, &keys().access])
}

/// A Cognito verifier of the pool (client [`CLIENT`]) over `key_set`.
///
/// # Panics
///
/// When the configuration is refused, which would be a bug of the target.
#[must_use]
pub fn cognito(token_use: Option<TokenUse>, key_set: &KeySet, leeway: u64) -> Verifier<Group> {
    let builder = Verifier::<Group>::cognito(POOL)
        .expect("valid pool id")
        .client_id(CLIENT)
        .key_set(key_set.clone())
        .max_token_bytes(MAX_TOKEN_BYTES)
        .leeway(Duration::from_secs(leeway));
    match token_use {
        Some(token_use) => builder.token_use(token_use),
        None => builder.any_token_use(),
    }
    .build()
    .expect("complete configuration")
}

/// The `hs256` verifier of the verifier tests: issuer and audience [`DEV`].
///
/// # Panics
///
/// When the configuration is refused, which would be a bug of the target.
#[must_use]
pub fn hs256() -> Verifier<Group> {
    Verifier::<Group>::hs256(SECRET)
        .issuer(DEV)
        .audience(DEV)
        .max_token_bytes(MAX_TOKEN_BYTES)
        .build()
        .expect("complete configuration")
}

/// The claims of a Cognito ID token of the pool, expiring at `exp`.
#[must_use]
pub fn id_claims(exp: u64) -> Value {
    json!({
        "sub": "3f1c9a2e-sub",
        "iss": ISS,
        "aud": CLIENT,
        "token_use": "id",
        "cognito:username": "bob",
        "email": "bob@example.com",
        "auth_time": NOW - 60,
        "iat": NOW - 60,
        "exp": exp,
        "cognito:groups": ["EDITORS", "content-reviewers"],
        "cognito:preferred_role": "arn:aws:iam::123456789012:role/Editors",
        "cognito:roles": ["arn:aws:iam::123456789012:role/Editors"],
    })
}

/// The claims of a Cognito access token of the pool, expiring at `exp`.
#[must_use]
pub fn access_claims(exp: u64) -> Value {
    json!({
        "sub": "3f1c9a2e-sub",
        "iss": ISS,
        "client_id": CLIENT,
        "token_use": "access",
        "username": "bob",
        "scope": "aws.cognito.signin.user.admin",
        "jti": "2b1e-jti",
        "auth_time": NOW - 60,
        "iat": NOW - 60,
        "exp": exp,
        "cognito:groups": ["ADMINS", "type"],
    })
}

/// The claims of a development token for [`hs256`], expiring at `exp`.
#[must_use]
pub fn dev_claims(exp: u64) -> Value {
    json!({"iss": DEV, "aud": DEV, "sub": "u-1", "exp": exp, "cognito:groups": "ADMINS"})
}

/// Tokens that [`cognito`] (any token use) over [`pool_jwks`], or
/// [`hs256`], accept at the real clock until 2096, each with a name: the
/// seeds of `verify_bytes`, and the only tokens it may see accepted.
#[must_use]
pub fn valid_tokens() -> Vec<(&'static str, String)> {
    let keys = keys();
    let header = |key: &TestKey| json!({"alg": alg_name(key.alg), "kid": key.kid});
    vec![
        (
            "cognito-id",
            sign(
                &header(&keys.id),
                &id_claims(FAR_EXP),
                &keys.id.private,
                keys.id.alg,
            ),
        ),
        (
            "cognito-access",
            sign(
                &header(&keys.access),
                &access_claims(FAR_EXP),
                &keys.access.private,
                keys.access.alg,
            ),
        ),
        (
            "hs256-dev",
            sign(
                &json!({"alg": "HS256", "typ": "JWT"}),
                &dev_claims(FAR_EXP),
                &EncodingKey::from_secret(SECRET),
                Algorithm::HS256,
            ),
        ),
    ]
}
