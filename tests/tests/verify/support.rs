//! What every module of the verifier tests shares: the groups enum, the
//! `TEST_ONLY` keys and their JWKs, token claims, verifiers over the fake
//! Cognito pool and OIDC provider, and `assert_rejects!`.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use groupguard::{Principal, TokenUse, Verifier, VerifyError, groups, model};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

#[groups]
pub enum Group {
    #[group(role = "arn:aws:iam::123456789012:role/Admins")]
    ADMINS,
    #[group(role = "arn:aws:iam::123456789012:role/Editors")]
    EDITORS,
}

#[model(allow(groups = [EDITORS], to = [read]), allow(groups = [ADMINS]))]
pub struct Article;

pub(crate) const POOL: &str = "us-east-1_AbC123";
pub(crate) const ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";
pub(crate) const CLIENT: &str = "7abcd1234client";
pub(crate) const OIDC_ISS: &str = "https://id.example.com/realms/app";
/// The verifiers' clock in these tests (2023-11-14); tokens expire an hour later.
pub(crate) const NOW: u64 = 1_700_000_000;

pub(crate) fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

/// Fails with the expected pattern and the value actually returned.
macro_rules! assert_rejects {
    ($result:expr, $pattern:pat $(if $guard:expr)?) => {{
        let result = $result;
        let debug = format!("{result:?}");
        assert!(
            matches!(result, Err($pattern) $(if $guard)?),
            "expected Err({}), got {debug}",
            stringify!($pattern),
        );
    }};
}
pub(crate) use assert_rejects;

// ---------------------------------------------------------------- keys

/// A test signing key and the public JWK that goes with it.
pub(crate) struct TestKey {
    pub(crate) kid: &'static str,
    pub(crate) alg: Algorithm,
    pub(crate) private: EncodingKey,
    /// The public JWK, with `kid`, `use: sig` and `alg`.
    pub(crate) jwk: Value,
}

impl TestKey {
    pub(crate) fn load(pem: &[u8], kid: &'static str, alg: Algorithm) -> Self {
        let private = match alg {
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => {
                EncodingKey::from_rsa_pem(pem)
            }
            Algorithm::ES256 | Algorithm::ES384 => EncodingKey::from_ec_pem(pem),
            Algorithm::EdDSA => EncodingKey::from_ed_pem(pem),
            other => panic!("no test key for {other:?}"),
        }
        .expect("TEST_ONLY fixture parses");
        let mut jwk = serde_json::to_value(
            Jwk::from_encoding_key(&private, alg).expect("public JWK of a fixture"),
        )
        .expect("JWK serializes");
        jwk["kid"] = json!(kid);
        jwk["use"] = json!("sig");
        Self {
            kid,
            alg,
            private,
            jwk,
        }
    }

    /// The JWK with some members replaced (`null` removes one).
    pub(crate) fn jwk_with(&self, changes: Value) -> Value {
        let mut jwk = self.jwk.clone();
        for (name, value) in changes.as_object().expect("changes are an object") {
            let members = jwk.as_object_mut().expect("a JWK is an object");
            if value.is_null() {
                members.remove(name);
            } else {
                members.insert(name.clone(), value.clone());
            }
        }
        jwk
    }

    /// A token with the usual header (`alg`, `kid`).
    pub(crate) fn sign(&self, claims: &Value) -> String {
        self.sign_with_header(&json!({"alg": alg_name(self.alg), "kid": self.kid}), claims)
    }

    /// A token with any header, signed as this key's algorithm.
    pub(crate) fn sign_with_header(&self, header: &Value, claims: &Value) -> String {
        sign_raw(header, claims, &self.private, self.alg)
    }
}

pub(crate) struct Keys {
    /// The ID-token key of the pool (RS256), kid `id-key`.
    pub(crate) id: TestKey,
    /// The access-token key of the pool (RS256), kid `access-key`.
    pub(crate) access: TestKey,
    /// An OIDC provider's ES256 key.
    pub(crate) ec: TestKey,
    /// An OIDC provider's EdDSA key.
    pub(crate) ed: TestKey,
    /// An OIDC provider's ES384 key (EC P-384).
    pub(crate) p384: TestKey,
}

pub(crate) fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| Keys {
        id: TestKey::load(
            include_bytes!("../fixtures/TEST_ONLY_rsa_a.pem"),
            "id-key",
            Algorithm::RS256,
        ),
        access: TestKey::load(
            include_bytes!("../fixtures/TEST_ONLY_rsa_b.pem"),
            "access-key",
            Algorithm::RS256,
        ),
        ec: TestKey::load(
            include_bytes!("../fixtures/TEST_ONLY_ec_p256.pem"),
            "ec-key",
            Algorithm::ES256,
        ),
        ed: TestKey::load(
            include_bytes!("../fixtures/TEST_ONLY_ed25519.pem"),
            "ed-key",
            Algorithm::EdDSA,
        ),
        p384: TestKey::load(
            include_bytes!("../fixtures/TEST_ONLY_ec_p384.pem"),
            "ec384-key",
            Algorithm::ES384,
        ),
    })
}

pub(crate) fn alg_name(alg: Algorithm) -> &'static str {
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

pub(crate) fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("JSON encodes"))
}

/// `b64(header).b64(claims).signature`, the header taken as given.
pub(crate) fn sign_raw(
    header: &Value,
    claims: &Value,
    key: &EncodingKey,
    alg: Algorithm,
) -> String {
    let message = format!("{}.{}", b64(header), b64(claims));
    let signature =
        jsonwebtoken::crypto::sign(message.as_bytes(), key, alg).expect("test key signs");
    format!("{message}.{signature}")
}

pub(crate) fn jwks(keys: &[&Value]) -> String {
    json!({ "keys": keys }).to_string()
}

/// The pool's key set, as Cognito publishes it: two RS256 keys.
pub(crate) fn pool_jwks() -> String {
    jwks(&[&keys().id.jwk, &keys().access.jwk])
}

// ---------------------------------------------------------------- tokens

pub(crate) fn id_claims() -> Value {
    json!({
        "sub": "3f1c9a2e-sub",
        "iss": ISS,
        "aud": CLIENT,
        "token_use": "id",
        "cognito:username": "bob",
        "email": "bob@example.com",
        "custom:tenant": "acme",
        "auth_time": NOW - 60,
        "iat": NOW - 60,
        "exp": NOW + 3600,
        "cognito:groups": ["EDITORS"],
        "cognito:preferred_role": "arn:aws:iam::123456789012:role/Editors",
        "cognito:roles": ["arn:aws:iam::123456789012:role/Editors"],
    })
}

pub(crate) fn access_claims() -> Value {
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
        "exp": NOW + 3600,
        "cognito:groups": ["ADMINS", "EDITORS"],
    })
}

/// `base` with some claims replaced (`null` removes one).
pub(crate) fn with(mut base: Value, changes: Value) -> Value {
    let claims = base.as_object_mut().expect("claims are an object");
    for (name, value) in changes.as_object().expect("changes are an object") {
        if value.is_null() {
            claims.remove(name);
        } else {
            claims.insert(name.clone(), value.clone());
        }
    }
    base
}

pub(crate) fn id_token(claims: &Value) -> String {
    keys().id.sign(claims)
}

pub(crate) fn access_token(claims: &Value) -> String {
    keys().access.sign(claims)
}

// ---------------------------------------------------------------- verifiers

pub(crate) fn cognito(token_use: TokenUse) -> Verifier<Group> {
    Verifier::<Group>::cognito(POOL)
        .expect("valid pool id")
        .client_id(CLIENT)
        .token_use(token_use)
        .jwks_json(&pool_jwks())
        .expect("valid key set")
        .build()
        .expect("complete configuration")
}

pub(crate) fn id_verifier() -> Verifier<Group> {
    cognito(TokenUse::Id)
}

pub(crate) fn access_verifier() -> Verifier<Group> {
    cognito(TokenUse::Access)
}

/// A Cognito ID-token verifier over a custom key set.
pub(crate) fn id_verifier_with(jwks: &str) -> Verifier<Group> {
    Verifier::<Group>::cognito(POOL)
        .expect("valid pool id")
        .client_id(CLIENT)
        .token_use(TokenUse::Id)
        .jwks_json(jwks)
        .expect("valid key set")
        .build()
        .expect("complete configuration")
}

/// Verifies at the test clock; on failure, checks that the message leaks
/// neither the token nor its signature.
pub(crate) fn verify(
    verifier: &Verifier<Group>,
    token: &str,
) -> Result<Principal<Group>, VerifyError> {
    let result = verifier.verify_at(token, now());
    if let Err(error) = &result {
        let message = error.to_string();
        let signature = token.rsplit('.').next().unwrap_or_default();
        assert!(
            token.len() < 16 || !message.contains(token),
            "message contains the token: {message}"
        );
        assert!(
            signature.len() < 16 || !message.contains(signature),
            "message contains the signature: {message}"
        );
        // What may go to a client names neither the configuration nor a
        // value from the token.
        let public = error.public_description();
        for secret in [
            ISS,
            OIDC_ISS,
            POOL,
            CLIENT,
            "other-client",
            "id-key",
            "access-key",
        ] {
            assert!(!public.contains(secret), "{public:?} contains {secret:?}");
        }
        for part in token.split('.').filter(|part| part.len() >= 8) {
            assert!(!public.contains(part), "{public:?} contains a token part");
        }
    }
    result
}

// ---------------------------------------------------------------- OIDC

pub(crate) fn oidc_verifier() -> Verifier<Group> {
    Verifier::<Group>::oidc(OIDC_ISS)
        .unwrap()
        .audience("api")
        .groups_claim("groups")
        .jwks_json(&jwks(&[&keys().ec.jwk, &keys().ed.jwk]))
        .unwrap()
        .build()
        .unwrap()
}

pub(crate) fn oidc_claims() -> Value {
    json!({
        "iss": OIDC_ISS,
        "sub": "u-42",
        "aud": ["account", "api"],
        "exp": NOW + 300,
        "iat": NOW,
        "preferred_username": "alice",
        "groups": ["ADMINS", "/nested/path"],
        // Cognito's claim means nothing to this verifier.
        "cognito:groups": ["EDITORS"],
    })
}

/// An OIDC verifier (audience `api`, groups in `groups`) over `jwks`.
pub(crate) fn oidc_verifier_with(jwks: &str) -> Verifier<Group> {
    Verifier::<Group>::oidc(OIDC_ISS)
        .unwrap()
        .audience("api")
        .groups_claim("groups")
        .jwks_json(jwks)
        .expect("valid key set")
        .build()
        .unwrap()
}
