//! groupguard's `Verifier::verify` against plain `jsonwebtoken::decode`, on
//! the same token and key (`cargo bench`; see README.md).
//!
//! Per token, three ways to get from the JWT to the caller's groups:
//!
//! - `groupguard_verify`: every check of the verifier, `Principal` built.
//! - `jsonwebtoken_value`: `decode::<Map<String, Value>>` with a `Validation`
//!   as close as jsonwebtoken allows (algorithm, issuer, audience when the
//!   token has one, `exp`/`iss`/`sub` required, `nbf` checked, leeway 0),
//!   then by hand what it cannot check (`client_id`, `token_use`) and
//!   `cognito:groups` copied into a `Vec<String>`.
//! - `jsonwebtoken_struct`: the same into a `#[derive(Deserialize)]` struct,
//!   the way most applications use jsonwebtoken.

use std::hint::black_box;
use std::time::{SystemTime, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use groupguard::{TokenUse, Verifier, groups};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode};
use serde::Deserialize;
use serde_json::{Map, Value, json};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    VIEWERS,
}

const POOL: &str = "us-east-1_AbC123";
const ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";
const CLIENT: &str = "7abcd1234client";
const SECRET: &[u8] = b"dev-only-secret";

/// The claims an application reads, for `jsonwebtoken_struct`.
#[derive(Deserialize)]
struct Claims {
    token_use: Option<String>,
    client_id: Option<String>,
    #[serde(rename = "cognito:groups", default)]
    groups: Vec<String>,
}

/// The hand-written checks of `jsonwebtoken_value`: what `Validation` cannot
/// express, and the groups.
fn groups_from_value(claims: &Map<String, Value>, cognito_access: bool) -> Option<Vec<String>> {
    if cognito_access {
        let text = |name| claims.get(name).and_then(Value::as_str);
        if text("token_use") != Some("access") || text("client_id") != Some(CLIENT) {
            return None;
        }
    }
    match claims.get("cognito:groups") {
        None => Some(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|g| g.as_str().map(str::to_owned))
            .collect(),
        Some(_) => None,
    }
}

/// The same for `jsonwebtoken_struct`.
fn groups_from_struct(claims: Claims, cognito_access: bool) -> Option<Vec<String>> {
    let ok = !cognito_access
        || (claims.token_use.as_deref() == Some("access")
            && claims.client_id.as_deref() == Some(CLIENT));
    ok.then_some(claims.groups)
}

/// One token, its groupguard verifier, and jsonwebtoken's key and validation.
struct Case {
    name: &'static str,
    token: String,
    verifier: Verifier<Group>,
    key: DecodingKey,
    validation: Validation,
    /// A Cognito access token: `client_id` and `token_use` checked by hand.
    cognito_access: bool,
}

fn cases() -> [Case; 2] {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();

    // A Cognito access token (RS256, 3 groups), with the pool's access-token key.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/tests/fixtures/TEST_ONLY_rsa_b.pem"
    );
    let pem = std::fs::read(path).expect("fixture is readable");
    let private = EncodingKey::from_rsa_pem(&pem).expect("fixture parses");
    let mut jwk = Jwk::from_encoding_key(&private, Algorithm::RS256).expect("public JWK");
    jwk.common.key_id = Some("access-key".to_owned());
    let claims = json!({
        "sub": "3f1c9a2e-sub", "iss": ISS, "client_id": CLIENT, "token_use": "access",
        "username": "bob", "scope": "aws.cognito.signin.user.admin", "jti": "2b1e-jti",
        "auth_time": now, "iat": now, "exp": now + 3600,
        "cognito:groups": ["ADMINS", "EDITORS", "VIEWERS"],
    });
    let mut header = Header::new(Algorithm::RS256);
    header.kid = jwk.common.key_id.clone();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[ISS]);
    validation.set_required_spec_claims(&["exp", "iss", "sub"]);
    validation.validate_aud = false; // Cognito access tokens have no `aud`: `client_id` by hand.
    validation.validate_nbf = true;
    validation.leeway = 0;
    let cognito = Case {
        name: "cognito_access_rs256",
        token: jsonwebtoken::encode(&header, &claims, &private).expect("signs"),
        verifier: Verifier::cognito(POOL)
            .and_then(|b| {
                let jwks = json!({ "keys": [&jwk] }).to_string();
                b.client_id(CLIENT)
                    .token_use(TokenUse::Access)
                    .jwks_json(&jwks)
            })
            .and_then(|b| b.build())
            .expect("complete configuration"),
        key: DecodingKey::from_jwk(&jwk).expect("same key"),
        validation,
        cognito_access: true,
    };

    // An HS256 development token: the signature is cheap, so the rest shows.
    let claims = json!({
        "iss": "dev", "aud": "dev", "sub": "u-1", "iat": now, "exp": now + 3600,
        "cognito:groups": ["ADMINS", "EDITORS", "VIEWERS"],
    });
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&["dev"]);
    validation.set_audience(&["dev"]);
    validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    validation.validate_nbf = true;
    validation.leeway = 0;
    let dev = Case {
        name: "hs256_dev",
        token: jsonwebtoken::encode(
            &Header::default(),
            &claims,
            &EncodingKey::from_secret(SECRET),
        )
        .expect("signs"),
        verifier: Verifier::hs256(SECRET)
            .issuer("dev")
            .audience("dev")
            .build()
            .expect("complete configuration"),
        key: DecodingKey::from_secret(SECRET),
        validation,
        cognito_access: false,
    };
    [cognito, dev]
}

fn compare(c: &mut Criterion) {
    for case in cases() {
        let Case {
            name,
            token,
            verifier,
            key,
            validation,
            cognito_access,
        } = &case;
        let value = || {
            let data = decode::<Map<String, Value>>(black_box(token), key, validation).ok()?;
            groups_from_value(&data.claims, *cognito_access)
        };
        let typed = || {
            let data = decode::<Claims>(black_box(token), key, validation).ok()?;
            groups_from_struct(data.claims, *cognito_access)
        };

        // All three accept the token and find the same groups.
        let principal = verifier.verify(token).expect("groupguard accepts");
        let names: Vec<&str> = principal.groups().iter().map(|g| g.name()).collect();
        assert_eq!(names, ["ADMINS", "EDITORS", "VIEWERS"], "{name}");
        assert_eq!(value().expect("jsonwebtoken accepts"), names, "{name}");
        assert_eq!(typed().expect("jsonwebtoken accepts"), names, "{name}");

        let mut group = c.benchmark_group(*name);
        group.bench_function("groupguard_verify", |b| {
            b.iter(|| verifier.verify(black_box(token)))
        });
        group.bench_function("jsonwebtoken_value", |b| b.iter(value));
        group.bench_function("jsonwebtoken_struct", |b| b.iter(typed));
        group.finish();
    }
}

criterion_group!(benches, compare);
criterion_main!(benches);
