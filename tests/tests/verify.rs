//! Behaviour of the JWT `Verifier`: happy paths for Cognito ID and access
//! tokens, OIDC and `hs256`, the attack corpus of issue 4 (each case asserts
//! its own `VerifyError`), configuration errors and `Principal::from_claims`.
//!
//! Keys are the `fixtures/TEST_ONLY_*.pem` files: throwaway keys generated for
//! these tests, protecting nothing.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use groupguard::{ConfigError, Op, Principal, TokenUse, Verifier, VerifyError, groups, model};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey};
use proptest::prelude::*;
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

const POOL: &str = "us-east-1_AbC123";
const ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";
const CLIENT: &str = "7abcd1234client";
const OIDC_ISS: &str = "https://id.example.com/realms/app";
/// The verifiers' clock in these tests (2023-11-14); tokens expire an hour later.
const NOW: u64 = 1_700_000_000;

fn now() -> SystemTime {
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

// ---------------------------------------------------------------- keys

/// A test signing key and the public JWK that goes with it.
struct TestKey {
    kid: &'static str,
    alg: Algorithm,
    private: EncodingKey,
    /// The public JWK, with `kid`, `use: sig` and `alg`.
    jwk: Value,
}

impl TestKey {
    fn load(pem: &[u8], kid: &'static str, alg: Algorithm) -> Self {
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
    fn jwk_with(&self, changes: Value) -> Value {
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
    fn sign(&self, claims: &Value) -> String {
        self.sign_with_header(&json!({"alg": alg_name(self.alg), "kid": self.kid}), claims)
    }

    /// A token with any header, signed as this key's algorithm.
    fn sign_with_header(&self, header: &Value, claims: &Value) -> String {
        sign_raw(header, claims, &self.private, self.alg)
    }
}

struct Keys {
    /// The ID-token key of the pool (RS256), kid `id-key`.
    id: TestKey,
    /// The access-token key of the pool (RS256), kid `access-key`.
    access: TestKey,
    /// An OIDC provider's ES256 key.
    ec: TestKey,
    /// An OIDC provider's EdDSA key.
    ed: TestKey,
    /// An OIDC provider's ES384 key (EC P-384).
    p384: TestKey,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| Keys {
        id: TestKey::load(
            include_bytes!("fixtures/TEST_ONLY_rsa_a.pem"),
            "id-key",
            Algorithm::RS256,
        ),
        access: TestKey::load(
            include_bytes!("fixtures/TEST_ONLY_rsa_b.pem"),
            "access-key",
            Algorithm::RS256,
        ),
        ec: TestKey::load(
            include_bytes!("fixtures/TEST_ONLY_ec_p256.pem"),
            "ec-key",
            Algorithm::ES256,
        ),
        ed: TestKey::load(
            include_bytes!("fixtures/TEST_ONLY_ed25519.pem"),
            "ed-key",
            Algorithm::EdDSA,
        ),
        p384: TestKey::load(
            include_bytes!("fixtures/TEST_ONLY_ec_p384.pem"),
            "ec384-key",
            Algorithm::ES384,
        ),
    })
}

fn alg_name(alg: Algorithm) -> &'static str {
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

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("JSON encodes"))
}

/// `b64(header).b64(claims).signature`, the header taken as given.
fn sign_raw(header: &Value, claims: &Value, key: &EncodingKey, alg: Algorithm) -> String {
    let message = format!("{}.{}", b64(header), b64(claims));
    let signature =
        jsonwebtoken::crypto::sign(message.as_bytes(), key, alg).expect("test key signs");
    format!("{message}.{signature}")
}

fn jwks(keys: &[&Value]) -> String {
    json!({ "keys": keys }).to_string()
}

/// The pool's key set, as Cognito publishes it: two RS256 keys.
fn pool_jwks() -> String {
    jwks(&[&keys().id.jwk, &keys().access.jwk])
}

// ---------------------------------------------------------------- tokens

fn id_claims() -> Value {
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

fn access_claims() -> Value {
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
fn with(mut base: Value, changes: Value) -> Value {
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

fn id_token(claims: &Value) -> String {
    keys().id.sign(claims)
}

fn access_token(claims: &Value) -> String {
    keys().access.sign(claims)
}

// ---------------------------------------------------------------- verifiers

fn cognito(token_use: TokenUse) -> Verifier<Group> {
    Verifier::<Group>::cognito(POOL)
        .expect("valid pool id")
        .client_id(CLIENT)
        .token_use(token_use)
        .jwks_json(&pool_jwks())
        .expect("valid key set")
        .build()
        .expect("complete configuration")
}

fn id_verifier() -> Verifier<Group> {
    cognito(TokenUse::Id)
}

fn access_verifier() -> Verifier<Group> {
    cognito(TokenUse::Access)
}

/// A Cognito ID-token verifier over a custom key set.
fn id_verifier_with(jwks: &str) -> Verifier<Group> {
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
fn verify(verifier: &Verifier<Group>, token: &str) -> Result<Principal<Group>, VerifyError> {
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
    }
    result
}

// ================================================================ happy paths

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

fn oidc_verifier() -> Verifier<Group> {
    Verifier::<Group>::oidc(OIDC_ISS)
        .unwrap()
        .audience("api")
        .groups_claim("groups")
        .jwks_json(&jwks(&[&keys().ec.jwk, &keys().ed.jwk]))
        .unwrap()
        .build()
        .unwrap()
}

fn oidc_claims() -> Value {
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

/// An OIDC verifier (audience `api`, groups in `groups`) over `jwks`.
fn oidc_verifier_with(jwks: &str) -> Verifier<Group> {
    Verifier::<Group>::oidc(OIDC_ISS)
        .unwrap()
        .audience("api")
        .groups_claim("groups")
        .jwks_json(jwks)
        .expect("valid key set")
        .build()
        .unwrap()
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
        include_bytes!("fixtures/TEST_ONLY_rsa_a.pem"),
        "rs384-key",
        Algorithm::RS384,
    );
    accepts_tokens_of(&key);
}

#[test]
fn rs512_tokens_are_accepted() {
    let key = TestKey::load(
        include_bytes!("fixtures/TEST_ONLY_rsa_b.pem"),
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

// ================================================================ attack corpus

#[test]
fn alg_none_is_refused() {
    let verifier = id_verifier();
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = json!({"alg": alg, "kid": "id-key"});
        let unsigned = format!("{}.{}.", b64(&header), b64(&id_claims()));
        assert_rejects!(verify(&verifier, &unsigned), VerifyError::Algorithm { .. });
        // With a copied signature too.
        let real = id_token(&id_claims());
        let signature = real.rsplit('.').next().unwrap();
        let forged = format!("{}.{}.{signature}", b64(&header), b64(&id_claims()));
        assert_rejects!(verify(&verifier, &forged), VerifyError::Algorithm { .. });
    }
    // No `alg` at all, or not a string.
    for header in [
        json!({"kid": "id-key"}),
        json!({"alg": ["RS256"], "kid": "id-key"}),
    ] {
        let token = format!("{}.{}.", b64(&header), b64(&id_claims()));
        assert_rejects!(verify(&verifier, &token), VerifyError::Algorithm { .. });
    }
}

#[test]
fn hs256_signed_with_the_rsa_public_key_is_refused() {
    // Algorithm confusion: an attacker signs HS256 with the public key as the
    // secret, hoping the verifier feeds its RSA key to HMAC.
    let public_pem = include_bytes!("fixtures/TEST_ONLY_rsa_a.pub.pem");
    let public_jwk = keys().id.jwk.to_string();
    for secret in [&public_pem[..], public_jwk.as_bytes()] {
        let token = sign_raw(
            &json!({"alg": "HS256", "kid": "id-key"}),
            &id_claims(),
            &EncodingKey::from_secret(secret),
            Algorithm::HS256,
        );
        assert_rejects!(
            verify(&id_verifier(), &token),
            VerifyError::Algorithm { .. }
        );
    }
}

#[test]
fn expired_token_is_refused() {
    let verifier = id_verifier();
    let claims = with(id_claims(), json!({"exp": NOW - 1}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::Expired {
            exp,
            now,
            leeway: 0
        } if exp == (NOW - 1) as i64 && now == NOW as i64
    );
    // RFC 7519: valid only *before* `exp`.
    let claims = with(id_claims(), json!({"exp": NOW}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::Expired { .. }
    );
    let claims = with(id_claims(), json!({"exp": NOW + 1}));
    verify(&verifier, &id_token(&claims)).expect("one second left");
    // `exp` is required.
    let claims = with(id_claims(), json!({"exp": null}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::MissingClaim { claim: "exp" }
    );
}

#[test]
fn leeway_applies_to_exp_and_nbf() {
    let lenient = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id(CLIENT)
        .token_use(TokenUse::Id)
        .leeway(Duration::from_secs(30))
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    let expired_20s = with(id_claims(), json!({"exp": NOW - 20}));
    verify(&lenient, &id_token(&expired_20s)).expect("within the leeway");
    assert_rejects!(
        verify(&id_verifier(), &id_token(&expired_20s)),
        VerifyError::Expired { .. }
    );
    let expired_40s = with(id_claims(), json!({"exp": NOW - 40}));
    assert_rejects!(
        verify(&lenient, &id_token(&expired_40s)),
        VerifyError::Expired { leeway: 30, .. }
    );
    let early_20s = with(id_claims(), json!({"nbf": NOW + 20}));
    verify(&lenient, &id_token(&early_20s)).expect("within the leeway");
    let early_40s = with(id_claims(), json!({"nbf": NOW + 40}));
    assert_rejects!(
        verify(&lenient, &id_token(&early_40s)),
        VerifyError::NotYetValid { .. }
    );
}

#[test]
fn nbf_in_the_future_is_refused() {
    let claims = with(id_claims(), json!({"nbf": NOW + 600}));
    assert_rejects!(
        verify(&id_verifier(), &id_token(&claims)),
        VerifyError::NotYetValid { nbf, .. } if nbf == (NOW + 600) as i64
    );
    let claims = with(id_claims(), json!({"nbf": NOW}));
    verify(&id_verifier(), &id_token(&claims)).expect("valid from now on");
}

#[test]
fn numeric_dates_of_every_shape_are_judged_not_skipped() {
    let verifier = id_verifier();
    // Not numbers: refused at the claim-type step.
    for (claim, value) in [
        ("exp", json!(true)),
        ("exp", json!([NOW + 60])),
        ("exp", json!({"at": NOW + 60})),
        ("nbf", json!(false)),
        ("nbf", json!(null)),
        ("iat", json!([])),
        ("auth_time", json!("now")),
    ] {
        let mut claims = id_claims();
        claims[claim] = value;
        let expected: &str = claim;
        assert_rejects!(
            verify(&verifier, &id_token(&claims)),
            VerifyError::ClaimType { claim, .. } if claim == expected
        );
    }
    // Numbers of any size and sign: compared without overflow or panic.
    for exp in [json!(-1), json!(i64::MIN), json!(NOW as f64 - 0.5)] {
        let claims = with(id_claims(), json!({ "exp": exp }));
        assert_rejects!(
            verify(&verifier, &id_token(&claims)),
            VerifyError::Expired { .. }
        );
    }
    // A far `exp` is what the issuer signed (as aws-jwt-verify, no cap).
    for exp in [json!(NOW as f64 + 0.5), json!(u64::MAX), json!(1e300)] {
        let claims = with(id_claims(), json!({ "exp": exp }));
        verify(&verifier, &id_token(&claims)).expect("exp in the future");
    }
    for nbf in [json!(u64::MAX), json!(1e300)] {
        let claims = with(id_claims(), json!({ "nbf": nbf }));
        assert_rejects!(
            verify(&verifier, &id_token(&claims)),
            VerifyError::NotYetValid { nbf: i64::MAX, .. }
        );
    }
    let claims = with(id_claims(), json!({"nbf": -1e300}));
    verify(&verifier, &id_token(&claims)).expect("nbf long past");
}

#[test]
fn clock_before_the_epoch_and_huge_leeway_do_not_overflow() {
    let before_epoch = UNIX_EPOCH - Duration::from_secs(10);
    let verifier = id_verifier();
    verifier
        .verify_at(&id_token(&id_claims()), before_epoch)
        .expect("exp is after a clock set before 1970");
    let claims = with(id_claims(), json!({"nbf": 0}));
    assert_rejects!(
        verifier.verify_at(&id_token(&claims), before_epoch),
        VerifyError::NotYetValid {
            nbf: 0,
            now: -10,
            ..
        }
    );
    let lenient = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id(CLIENT)
        .token_use(TokenUse::Id)
        .leeway(Duration::MAX)
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    let claims = with(id_claims(), json!({"exp": 0}));
    verify(&lenient, &id_token(&claims)).expect("within an unbounded leeway");
    let claims = with(id_claims(), json!({"nbf": 1e300}));
    assert_rejects!(
        verify(&lenient, &id_token(&claims)),
        VerifyError::NotYetValid {
            leeway: u64::MAX,
            ..
        }
    );
}

#[test]
fn exp_as_a_string_is_refused_not_skipped() {
    // CVE-2026-25537: jsonwebtoken < 10.3 skipped `exp`/`nbf` given as strings.
    let verifier = id_verifier();
    for (claim, value) in [
        ("exp", json!("1")),
        ("exp", json!(format!("{}", NOW - 3600))),
        ("nbf", json!(format!("{}", NOW + 3600))),
        ("iat", json!("yesterday")),
        ("exp", json!(null)),
    ] {
        let mut claims = id_claims();
        claims[claim] = value;
        let expected: &str = claim;
        assert_rejects!(
            verify(&verifier, &id_token(&claims)),
            VerifyError::ClaimType { claim, .. } if claim == expected
        );
    }
    let claims = with(id_claims(), json!({"iss": 42}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::ClaimType { claim: "iss", .. }
    );
    let claims = with(id_claims(), json!({"aud": [CLIENT, 7]}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::ClaimType { claim: "aud", .. }
    );
}

/// Every claim the verifier or the principal reads as a string (or strings),
/// given another JSON type. Skipping the type check would read most of them
/// as missing (no user name, no role), and an array `client_id` naming the
/// client would pass the client check.
fn wrongly_typed_cognito_claims() -> Vec<(&'static str, Value)> {
    let role = "arn:aws:iam::123456789012:role/Editors";
    vec![
        ("token_use", json!(7)),
        ("token_use", json!(["access"])),
        ("token_use", json!(["id"])),
        ("token_use", json!(null)),
        ("client_id", json!(["other", CLIENT])),
        ("client_id", json!([CLIENT])),
        ("client_id", json!(7)),
        ("client_id", json!({"id": CLIENT})),
        ("username", json!(7)),
        ("username", json!(["bob"])),
        ("username", json!(null)),
        ("cognito:username", json!(true)),
        ("cognito:username", json!(["bob"])),
        ("cognito:preferred_role", json!([role])),
        ("cognito:preferred_role", json!(1)),
        ("cognito:roles", json!(7)),
        ("cognito:roles", json!([role, 1])),
        ("cognito:roles", json!({"0": role})),
        ("cognito:roles", json!([[role]])),
    ]
}

#[test]
fn cognito_claims_of_the_wrong_type_are_refused() {
    let any_use = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id(CLIENT)
        .any_token_use()
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    let oidc = oidc_verifier();
    for (expected, value) in wrongly_typed_cognito_claims() {
        let mut id = id_claims();
        id[expected] = value.clone();
        let mut access = access_claims();
        access[expected] = value.clone();
        let mut oidc_token = oidc_claims();
        oidc_token[expected] = value.clone();
        let results = [
            ("ID token", verify(&id_verifier(), &id_token(&id))),
            ("ID token, any use", verify(&any_use, &id_token(&id))),
            (
                "access token",
                verify(&access_verifier(), &access_token(&access)),
            ),
            (
                "access token, any use",
                verify(&any_use, &access_token(&access)),
            ),
            ("OIDC token", verify(&oidc, &keys().ec.sign(&oidc_token))),
            ("from_claims", Principal::<Group>::from_claims(&id)),
            ("from_claims", Principal::<Group>::from_claims(&access)),
        ];
        for (case, result) in results {
            let debug = format!("{result:?}");
            assert!(
                matches!(result, Err(VerifyError::ClaimType { claim, .. }) if claim == expected),
                "{case} with {expected}: {value}: expected ClaimType, got {debug}"
            );
        }
    }
}

#[test]
fn claimed_roles_may_be_a_string_or_strings() {
    let role = "arn:aws:iam::123456789012:role/Admins";
    let claims = with(id_claims(), json!({"cognito:roles": role}));
    let p = verify(&id_verifier(), &id_token(&claims)).expect("a lone role");
    assert_eq!(p.claimed_roles(), [role]);
    let claims = with(id_claims(), json!({"cognito:roles": []}));
    let p = verify(&id_verifier(), &id_token(&claims)).expect("no roles");
    assert!(p.claimed_roles().is_empty());
}

#[test]
fn wrong_or_missing_issuer_is_refused() {
    let verifier = id_verifier();
    for iss in [
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1",
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/",
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc123",
        "",
    ] {
        let claims = with(id_claims(), json!({"iss": iss}));
        assert_rejects!(
            verify(&verifier, &id_token(&claims)),
            VerifyError::Issuer { .. }
        );
    }
    let claims = with(id_claims(), json!({"iss": null}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::MissingClaim { claim: "iss" }
    );
}

#[test]
fn wrong_audience_is_refused() {
    let verifier = id_verifier();
    for aud in [
        json!("another-client"),
        json!(["a", "b"]),
        json!([]),
        json!("7ABCD1234CLIENT"),
    ] {
        let claims = with(id_claims(), json!({"aud": aud}));
        assert_rejects!(
            verify(&verifier, &id_token(&claims)),
            VerifyError::Audience { claim: "aud", .. }
        );
    }
    let claims = with(id_claims(), json!({"aud": ["other", CLIENT]}));
    verify(&verifier, &id_token(&claims)).expect("an array naming the client");
    let claims = with(id_claims(), json!({"aud": null}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::MissingClaim { claim: "aud" }
    );
}

#[test]
fn id_token_used_as_access_token_and_back_is_refused() {
    assert_rejects!(
        verify(&access_verifier(), &id_token(&id_claims())),
        VerifyError::TokenUse {
            expected: "access",
            ..
        }
    );
    assert_rejects!(
        verify(&id_verifier(), &access_token(&access_claims())),
        VerifyError::TokenUse { expected: "id", .. }
    );
    let claims = with(id_claims(), json!({"token_use": null}));
    assert_rejects!(
        verify(&id_verifier(), &id_token(&claims)),
        VerifyError::MissingClaim { claim: "token_use" }
    );
}

#[test]
fn access_token_with_wrong_client_id_is_refused() {
    let claims = with(access_claims(), json!({"client_id": "another-client"}));
    assert_rejects!(
        verify(&access_verifier(), &access_token(&claims)),
        VerifyError::Audience {
            claim: "client_id",
            ..
        }
    );
    // An array naming the client is not a client id: refused at the claim-type
    // step, with every verifier that reads access tokens.
    let any_use = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id(CLIENT)
        .any_token_use()
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    let claims = with(access_claims(), json!({"client_id": ["other", CLIENT]}));
    for verifier in [&access_verifier(), &any_use] {
        assert_rejects!(
            verify(verifier, &access_token(&claims)),
            VerifyError::ClaimType {
                claim: "client_id",
                ..
            }
        );
    }
    // An `aud` naming the client does not stand in for `client_id`.
    let claims = with(access_claims(), json!({"client_id": null, "aud": CLIENT}));
    assert_rejects!(
        verify(&access_verifier(), &access_token(&claims)),
        VerifyError::MissingClaim { claim: "client_id" }
    );
}

#[test]
fn missing_kid_with_several_keys_is_refused() {
    let header = json!({"alg": "RS256"});
    let token = keys().id.sign_with_header(&header, &id_claims());
    assert_rejects!(
        verify(&id_verifier(), &token),
        VerifyError::MissingKid { keys: 2 }
    );
    // With a single key, the key is unambiguous.
    let single = id_verifier_with(&jwks(&[&keys().id.jwk]));
    verify(&single, &token).expect("one key, no kid needed");
}

#[test]
fn unknown_kid_is_refused() {
    let header = json!({"alg": "RS256", "kid": "rotated-away"});
    let token = keys().id.sign_with_header(&header, &id_claims());
    assert_rejects!(
        verify(&id_verifier(), &token),
        VerifyError::UnknownKey { kid } if kid == "rotated-away"
    );
    // A kid that differs only by case is another kid.
    let header = json!({"alg": "RS256", "kid": "ID-KEY"});
    let token = keys().id.sign_with_header(&header, &id_claims());
    assert_rejects!(
        verify(&id_verifier(), &token),
        VerifyError::UnknownKey { .. }
    );
    // Not a string: malformed header.
    let header = json!({"alg": "RS256", "kid": 1});
    let token = keys().id.sign_with_header(&header, &id_claims());
    assert_rejects!(
        verify(&id_verifier(), &token),
        VerifyError::Malformed { .. }
    );
}

#[test]
fn jwk_with_use_enc_is_refused() {
    let enc = keys().id.jwk_with(json!({"use": "enc"}));
    let verifier = id_verifier_with(&jwks(&[&enc, &keys().access.jwk]));
    assert_rejects!(
        verify(&verifier, &id_token(&id_claims())),
        VerifyError::KeyUse { key_use, .. } if key_use == "enc"
    );
    // Without `use`, the key signs.
    let no_use = keys().id.jwk_with(json!({"use": null}));
    let verifier = id_verifier_with(&jwks(&[&no_use, &keys().access.jwk]));
    verify(&verifier, &id_token(&id_claims())).expect("no `use` member");
}

#[test]
fn jwk_alg_mismatch_is_refused() {
    let rs384 = keys().id.jwk_with(json!({"alg": "RS384"}));
    let verifier = id_verifier_with(&jwks(&[&rs384, &keys().access.jwk]));
    assert_rejects!(
        verify(&verifier, &id_token(&id_claims())),
        VerifyError::KeyAlgorithm { alg, .. } if alg == "RS256"
    );
    // A JWK without `alg` still only verifies its own family: ES256 over an RSA key.
    let no_alg = keys().id.jwk_with(json!({"alg": null}));
    let verifier = id_verifier_with(&jwks(&[&no_alg, &keys().access.jwk]));
    verify(&verifier, &id_token(&id_claims())).expect("RSA key, RS256 token");
    let token = sign_raw(
        &json!({"alg": "ES256", "kid": "id-key"}),
        &id_claims(),
        &keys().ec.private,
        Algorithm::ES256,
    );
    assert_rejects!(verify(&verifier, &token), VerifyError::KeyAlgorithm { .. });
}

#[test]
fn alg_must_fit_the_key_type_and_curve() {
    // Without a JWK `alg`, the key's type and curve still decide; the key is
    // judged before the signature, so any signature bytes will do.
    let ec = keys().ec.jwk_with(json!({"alg": null}));
    let ed = keys().ed.jwk_with(json!({"alg": null}));
    let rsa = keys().id.jwk_with(json!({"alg": null}));
    let p384 = keys().p384.jwk_with(json!({"alg": null}));
    let verifier = id_verifier_with(&jwks(&[&ec, &ed, &rsa, &p384]));
    let signature = URL_SAFE_NO_PAD.encode([7u8; 64]);
    for (alg, kid) in [
        ("ES384", "ec-key"),
        ("EdDSA", "ec-key"),
        ("RS256", "ec-key"),
        ("ES256", "ed-key"),
        ("RS512", "ed-key"),
        ("ES256", "id-key"),
        ("EdDSA", "id-key"),
        ("ES384", "id-key"),
        ("ES256", "ec384-key"),
        ("RS384", "ec384-key"),
        ("EdDSA", "ec384-key"),
        ("ES384", "ed-key"),
    ] {
        let header = json!({"alg": alg, "kid": kid});
        let token = format!("{}.{}.{signature}", b64(&header), b64(&id_claims()));
        let expected = alg;
        assert_rejects!(
            verify(&verifier, &token),
            VerifyError::KeyAlgorithm { alg, .. } if alg == expected
        );
    }
}

#[test]
fn header_checks_run_in_the_documented_order() {
    let verifier = id_verifier();
    let claims = b64(&id_claims());
    let junk = URL_SAFE_NO_PAD.encode([7u8; 256]);
    let token = |header: Value, signature: &str| format!("{}.{claims}.{signature}", b64(&header));
    // Shape before algorithm: `none` with a signature that is not base64url.
    assert_rejects!(
        verify(&verifier, &token(json!({"alg": "none"}), "!!")),
        VerifyError::Malformed { .. }
    );
    // Algorithm before key: HS256 naming an unknown key.
    assert_rejects!(
        verify(
            &verifier,
            &token(json!({"alg": "HS256", "kid": "nope"}), &junk)
        ),
        VerifyError::Algorithm { .. }
    );
    // Key before signature: an unknown kid, a missing kid, a JWK alg mismatch.
    assert_rejects!(
        verify(
            &verifier,
            &token(json!({"alg": "RS256", "kid": "nope"}), &junk)
        ),
        VerifyError::UnknownKey { .. }
    );
    assert_rejects!(
        verify(&verifier, &token(json!({"alg": "RS256"}), &junk)),
        VerifyError::MissingKid { keys: 2 }
    );
    assert_rejects!(
        verify(
            &verifier,
            &token(json!({"alg": "RS384", "kid": "id-key"}), &junk)
        ),
        VerifyError::KeyAlgorithm { .. }
    );
    // Then the signature.
    assert_rejects!(
        verify(
            &verifier,
            &token(json!({"alg": "RS256", "kid": "id-key"}), &junk)
        ),
        VerifyError::Signature { .. }
    );
}

#[test]
fn payload_changed_after_signing_is_refused() {
    let token = id_token(&id_claims());
    let mut parts: Vec<&str> = token.split('.').collect();
    let promoted = b64(&with(id_claims(), json!({"cognito:groups": ["ADMINS"]})));
    parts[1] = &promoted;
    assert_rejects!(
        verify(&id_verifier(), &parts.join(".")),
        VerifyError::Signature { .. }
    );
    // The header is signed too.
    let token = id_token(&id_claims());
    let header = b64(&json!({"alg": "RS256", "kid": "id-key", "typ": "JWT"}));
    let resigned = format!("{header}.{}", token.split_once('.').unwrap().1);
    assert_rejects!(
        verify(&id_verifier(), &resigned),
        VerifyError::Signature { .. }
    );
}

#[test]
fn signature_changed_is_refused() {
    let token = id_token(&id_claims());
    let (message, signature) = token.rsplit_once('.').unwrap();
    let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
    bytes[10] ^= 0x01;
    let flipped = format!("{message}.{}", URL_SAFE_NO_PAD.encode(&bytes));
    assert_rejects!(
        verify(&id_verifier(), &flipped),
        VerifyError::Signature { .. }
    );
    // Empty, truncated, or made by another key of the same set.
    let empty = format!("{message}.");
    assert_rejects!(
        verify(&id_verifier(), &empty),
        VerifyError::Signature { .. }
    );
    let short = format!("{message}.{}", URL_SAFE_NO_PAD.encode(&bytes[..128]));
    assert_rejects!(
        verify(&id_verifier(), &short),
        VerifyError::Signature { .. }
    );
    let header = json!({"alg": "RS256", "kid": "id-key"});
    let other_key = keys().access.sign_with_header(&header, &id_claims());
    assert_rejects!(
        verify(&id_verifier(), &other_key),
        VerifyError::Signature { .. }
    );
}

#[test]
fn two_and_four_part_tokens_are_refused() {
    let token = id_token(&id_claims());
    let (message, _) = token.rsplit_once('.').unwrap();
    assert_rejects!(
        verify(&id_verifier(), message),
        VerifyError::Malformed { .. }
    );
    let four = format!("{token}.{}", b64(&json!({})));
    assert_rejects!(verify(&id_verifier(), &four), VerifyError::Malformed { .. });
    let nested = format!("{token}.{token}");
    assert_rejects!(
        verify(&id_verifier(), &nested),
        VerifyError::Malformed { .. }
    );
    assert_rejects!(verify(&id_verifier(), ".."), VerifyError::Malformed { .. });
}

#[test]
fn empty_token_is_refused() {
    assert_rejects!(
        verify(&id_verifier(), ""),
        VerifyError::Malformed { reason } if reason.contains("empty")
    );
    let token = id_token(&id_claims());
    let bearer = format!("Bearer {token}");
    assert_rejects!(
        verify(&id_verifier(), &bearer),
        VerifyError::Malformed { reason } if reason.contains("Bearer")
    );
}

#[test]
fn invalid_base64_is_refused() {
    let token = id_token(&id_claims());
    let (header, rest) = token.split_once('.').unwrap();
    let (payload, signature) = rest.split_once('.').unwrap();
    let cases = [
        format!("{header}*.{payload}.{signature}"),
        // Standard base64 (`+`, `/`) and padding are not base64url.
        format!("{header}.{payload}+/.{signature}"),
        format!("{header}==.{payload}.{signature}"),
        format!("{header}.{payload}.{signature}%%"),
        format!("{header}.{payload}.{signature} "),
        format!("é.{payload}.{signature}"),
    ];
    for case in &cases {
        assert_rejects!(verify(&id_verifier(), case), VerifyError::Malformed { .. });
    }
}

#[test]
fn non_json_payload_is_refused() {
    let token = id_token(&id_claims());
    let (header, rest) = token.split_once('.').unwrap();
    let signature = rest.split_once('.').unwrap().1;
    for payload in [
        &b"not json"[..],
        b"{\"sub\": ",
        b"[1, 2]",
        b"\"sub\"",
        b"\xff\xfe",
    ] {
        let forged = format!("{header}.{}.{signature}", URL_SAFE_NO_PAD.encode(payload));
        assert_rejects!(
            verify(&id_verifier(), &forged),
            VerifyError::Malformed { .. }
        );
    }
    let not_object = format!("{}.{rest}", URL_SAFE_NO_PAD.encode("[\"RS256\"]"));
    assert_rejects!(
        verify(&id_verifier(), &not_object),
        VerifyError::Malformed { .. }
    );
    // `crit` extensions are refused rather than ignored.
    let header = json!({"alg": "RS256", "kid": "id-key", "crit": ["b64"], "b64": false});
    let token = keys().id.sign_with_header(&header, &id_claims());
    assert_rejects!(
        verify(&id_verifier(), &token),
        VerifyError::Malformed { .. }
    );
}

#[test]
fn oversized_token_is_refused_before_decoding() {
    // Not even a JWT: the size check comes first.
    let junk = "a".repeat(16 * 1024 + 1);
    assert_rejects!(
        verify(&id_verifier(), &junk),
        VerifyError::TooLarge {
            len: 16_385,
            max: 16_384
        }
    );
    // A validly signed token stuffed with claims.
    let claims = with(id_claims(), json!({"padding": "x".repeat(20_000)}));
    assert_rejects!(
        verify(&id_verifier(), &id_token(&claims)),
        VerifyError::TooLarge { .. }
    );
    let roomy = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id(CLIENT)
        .token_use(TokenUse::Id)
        .max_token_bytes(64 * 1024)
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    verify(&roomy, &id_token(&claims)).expect("under a raised limit");
}

#[test]
fn groups_claim_of_the_wrong_type_is_refused() {
    for groups in [
        json!(7),
        json!({"ADMINS": true}),
        json!(["EDITORS", 1]),
        json!(["EDITORS", ["ADMINS"]]),
        json!(["EDITORS", null]),
        json!(null),
        json!(true),
    ] {
        let claims = with(id_claims(), json!({"cognito:groups": null}));
        let mut claims = claims;
        claims["cognito:groups"] = groups.clone();
        assert_rejects!(
            verify(&id_verifier(), &id_token(&claims)),
            VerifyError::GroupsClaim { claim, .. } if claim == "cognito:groups"
        );
    }
    // Missing: no groups, still authenticated.
    let claims = with(id_claims(), json!({"cognito:groups": null}));
    let p = verify(&id_verifier(), &id_token(&claims)).unwrap();
    assert!(p.is_authenticated() && p.groups().is_empty());
    assert!(Article::authorize(&p, Op::Get).is_denied());
}

#[test]
fn hundred_group_claim_is_accepted() {
    let mut names: Vec<String> = (0..98).map(|i| format!("team-{i:03}")).collect();
    names.push("ADMINS".to_owned());
    names.push("EDITORS".to_owned());
    let claims = with(id_claims(), json!({"cognito:groups": names}));
    let p = verify(&id_verifier(), &id_token(&claims)).expect("100 groups");
    assert!(p.is_in(Group::ADMINS) && p.is_in(Group::EDITORS));
    assert_eq!(p.unknown_groups().len(), 98);
    assert_eq!(p.unknown_groups()[0], "team-000");
}

#[test]
fn duplicate_empty_and_invisible_group_names() {
    let groups_of = |claim: Value| {
        let claims = with(id_claims(), json!({ "cognito:groups": claim }));
        verify(&id_verifier(), &id_token(&claims)).expect("valid token")
    };
    let p = groups_of(json!(["ADMINS", "ADMINS"]));
    assert!(p.is_in(Group::ADMINS));
    assert_eq!(p.groups().len(), 1);
    assert!(p.unknown_groups().is_empty());
    let p = groups_of(json!([]));
    assert!(p.groups().is_empty() && p.unknown_groups().is_empty());
    for claim in [
        json!(""),
        json!([""]),
        json!(["ADMINS\u{200b}"]),
        json!(["\u{feff}ADMINS"]),
        json!(["ADMINS\u{0}"]),
    ] {
        let p = groups_of(claim.clone());
        assert!(p.groups().is_empty(), "{claim} granted a group");
        assert_eq!(p.unknown_groups().len(), 1, "{claim}");
        assert!(Article::authorize(&p, Op::Get).is_denied());
    }
}

#[test]
fn unicode_look_alike_group_grants_nothing() {
    // `ΕDITORS` starts with U+0395 GREEK CAPITAL LETTER EPSILON.
    let look_alike = "\u{0395}DITORS";
    assert_ne!(look_alike, "EDITORS");
    for claims in [
        with(id_claims(), json!({"cognito:groups": [look_alike]})),
        with(id_claims(), json!({"cognito:groups": look_alike})),
        with(
            id_claims(),
            json!({"cognito:groups": ["editors", "EDITORS "]}),
        ),
    ] {
        let p = verify(&id_verifier(), &id_token(&claims)).expect("valid token");
        assert!(!p.is_in(Group::EDITORS));
        assert!(p.groups().is_empty());
        assert!(!p.unknown_groups().is_empty());
        assert!(Article::authorize(&p, Op::Get).is_denied());
    }
    let claims = with(id_claims(), json!({"cognito:groups": [look_alike]}));
    let p = verify(&id_verifier(), &id_token(&claims)).unwrap();
    assert_eq!(p.unknown_groups(), [look_alike]);
}

#[test]
fn checks_run_in_the_documented_order() {
    let verifier = id_verifier();
    // Bad signature beats every claim problem.
    let claims = with(id_claims(), json!({"exp": "soon", "iss": "evil"}));
    let token = keys()
        .access
        .sign_with_header(&json!({"alg": "RS256", "kid": "id-key"}), &claims);
    assert_rejects!(verify(&verifier, &token), VerifyError::Signature { .. });
    // Claim types before expiry; expiry before issuer; issuer before token use;
    // token use before audience; audience before groups; groups before `sub`.
    let steps = [
        json!({"exp": "soon", "iss": "evil"}),
        json!({"exp": NOW - 1, "iss": "evil"}),
        json!({"nbf": NOW + 60, "iss": "evil"}),
        json!({"iss": "evil", "token_use": "access"}),
        json!({"token_use": "access", "aud": "other"}),
        json!({"aud": "other", "cognito:groups": 1}),
        json!({"cognito:groups": 1, "sub": null}),
        json!({"sub": null}),
    ];
    let results: Vec<_> = steps
        .iter()
        .map(|changes| verify(&verifier, &id_token(&with(id_claims(), changes.clone()))))
        .collect();
    assert_rejects!(
        results[0].clone(),
        VerifyError::ClaimType { claim: "exp", .. }
    );
    assert_rejects!(results[1].clone(), VerifyError::Expired { .. });
    assert_rejects!(results[2].clone(), VerifyError::NotYetValid { .. });
    assert_rejects!(results[3].clone(), VerifyError::Issuer { .. });
    assert_rejects!(results[4].clone(), VerifyError::TokenUse { .. });
    assert_rejects!(results[5].clone(), VerifyError::Audience { .. });
    assert_rejects!(results[6].clone(), VerifyError::GroupsClaim { .. });
    assert_rejects!(
        results[7].clone(),
        VerifyError::MissingClaim { claim: "sub" }
    );
}

#[test]
fn messages_tell_what_to_fix_and_escape_token_values() {
    let verifier = id_verifier();
    let claims = with(
        id_claims(),
        json!({"iss": "https://evil\n[INFO] forged log line"}),
    );
    let err = verify(&verifier, &id_token(&claims)).unwrap_err();
    let message = err.to_string();
    assert!(!message.contains('\n'), "{message}");
    assert!(message.contains(ISS), "{message}");
    let header = json!({"alg": "RS256", "kid": "k".repeat(500)});
    let err = verify(
        &verifier,
        &keys().id.sign_with_header(&header, &id_claims()),
    )
    .unwrap_err();
    assert!(err.to_string().len() < 300, "{err}");
    let err = verify(
        &id_verifier(),
        &id_token(&with(id_claims(), json!({"exp": NOW - 5}))),
    )
    .unwrap_err();
    assert!(err.to_string().contains("refresh"), "{err}");
}

#[test]
fn verifier_is_send_and_sync() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<Verifier<Group>>();
}

// ================================================================ configuration

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
        "".to_owned(),
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
    let weak = TestKey::load(
        include_bytes!("fixtures/TEST_ONLY_rsa_1024.pem"),
        "weak",
        Algorithm::RS256,
    );
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
        weak.jwk.clone(),
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

// ================================================================ no panics

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_strings_never_panic(token in "\\PC{0,200}") {
        let _ = id_verifier().verify_at(&token, now());
    }

    #[test]
    fn dotted_base64_never_panics(
        header in "[A-Za-z0-9_-]{0,80}",
        payload in "[A-Za-z0-9_-]{0,80}",
        signature in "[A-Za-z0-9_=-]{0,80}",
    ) {
        let token = format!("{header}.{payload}.{signature}");
        prop_assert!(id_verifier().verify_at(&token, now()).is_err());
    }

    #[test]
    fn mutated_tokens_are_refused(position in any::<prop::sample::Index>(), byte in any::<u8>()) {
        static TOKEN: OnceLock<String> = OnceLock::new();
        let token = TOKEN.get_or_init(|| id_token(&id_claims()));
        let mut bytes = token.clone().into_bytes();
        // Anywhere in the token, the signature included (it starts past byte 400).
        let i = position.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        if let Ok(mutated) = String::from_utf8(bytes) {
            prop_assert!(id_verifier().verify_at(&mutated, now()).is_err());
        }
    }

    #[test]
    fn arbitrary_claims_never_panic(claims in arbitrary_json(3)) {
        let _ = Principal::<Group>::from_claims(&claims);
        let with_sub = json!({"sub": "s", "cognito:groups": claims});
        let _ = Principal::<Group>::from_claims(&with_sub);
    }

    #[test]
    fn arbitrary_jwks_never_panic(doc in arbitrary_json(4)) {
        let _ = Verifier::<Group>::oidc(OIDC_ISS).unwrap().jwks_json(&doc.to_string());
        let wrapped = json!({"keys": [doc]}).to_string();
        let _ = Verifier::<Group>::oidc(OIDC_ISS).unwrap().jwks_json(&wrapped);
    }
}

fn arbitrary_json(depth: u32) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[a-zA-Z:_ -]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("kty"),
            Just("RSA"),
            Just("EC"),
            Just("OKP"),
            Just("sig"),
            Just("P-256")
        ]
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(depth, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("kty".to_owned()),
                    Just("n".to_owned()),
                    Just("e".to_owned()),
                    Just("x".to_owned()),
                    Just("y".to_owned()),
                    Just("crv".to_owned()),
                    Just("use".to_owned()),
                    Just("alg".to_owned()),
                    Just("kid".to_owned()),
                    Just("sub".to_owned()),
                    Just("keys".to_owned()),
                    "[a-z:]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
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
