//! Writes the seed corpus, `seeds/<target>/<name>`, from the `TEST_ONLY`
//! keys: `cargo run --example seeds` in `fuzz/`. The tokens are
//! deterministic (RS256 and EdDSA signatures are), so a rerun rewrites the
//! same files.

use std::fs;
use std::path::Path;

use groupguard_fuzz::keys::{self, FAR_EXP, jwks, valid_tokens};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

fn write(target: &str, name: &str, bytes: impl AsRef<[u8]>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(target);
    fs::create_dir_all(&dir).expect("seeds directory");
    fs::write(dir.join(name), bytes).expect("seed written");
}

fn main() {
    let keys = keys::keys();

    for (name, token) in valid_tokens() {
        write("verify_bytes", name, &token);
        if name == "cognito-id" {
            write("verify_bytes", "bearer-prefix", format!("Bearer {token}"));
        }
    }
    let unsigned = format!(
        "{}.{}.",
        keys::b64(&json!({"alg": "none"})),
        keys::b64(&keys::id_claims(FAR_EXP))
    );
    write("verify_bytes", "alg-none", unsigned);

    // The structured target reads: case, mutation count, mutations, signer.
    // A case byte followed by zeros is that case's valid token, unmutated.
    for case in 0..6_u8 {
        write(
            "verify_structured",
            &format!("case-{case}"),
            [case, 0, 0, 0],
        );
    }
    write(
        "verify_structured",
        "mutated",
        b"\x02\x03\x00\x07exp\x02\x00\x05\x01\x09",
    );

    let claims = [
        ("id", keys::id_claims(FAR_EXP)),
        ("access", keys::access_claims(FAR_EXP)),
        ("dev", keys::dev_claims(FAR_EXP)),
        ("groups-number", json!({"sub": "s", "cognito:groups": 7})),
        (
            "groups-mixed",
            json!({"sub": "s", "groups": ["ADMINS", 1], "cognito:groups": ["type", "\u{395}DITORS"]}),
        ),
        ("empty-sub", json!({"sub": "", "exp": "1"})),
    ];
    for (name, claims) in claims {
        write("from_claims", name, claims.to_string());
    }

    let ec_private = EncodingKey::from_ec_pem(include_bytes!(
        "../../tests/tests/fixtures/TEST_ONLY_ec_p256.pem"
    ))
    .expect("TEST_ONLY fixture parses");
    let mut ec: Value = serde_json::to_value(
        Jwk::from_encoding_key(&ec_private, Algorithm::ES256).expect("public JWK"),
    )
    .expect("JWK serializes");
    ec["kid"] = json!("ec-key");
    let mut enc = keys.access.jwk.clone();
    enc["use"] = json!("enc");
    enc["kid"] = json!("enc-key");
    let mut ops = keys.ed.jwk.clone();
    ops["key_ops"] = json!(["verify"]);
    let mut no_kid = keys.id.jwk.clone();
    if let Some(members) = no_kid.as_object_mut() {
        members.remove("kid");
    }
    write("jwks", "pool", keys::pool_jwks());
    write(
        "jwks",
        "ec-ed-enc",
        json!({"keys": [ec, ops, enc]}).to_string(),
    );
    write(
        "jwks",
        "one-key-no-kid",
        json!({"keys": [no_kid]}).to_string(),
    );
    write(
        "jwks",
        "oct-refused",
        r#"{"keys": [{"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"}]}"#,
    );
    write("jwks", "duplicate-kid", jwks(&[&keys.id, &keys.id]));
    write(
        "jwks",
        "unsupported",
        r#"{"keys": [{"kty": "EC", "crv": "P-521", "x": "AA", "y": "AA", "alg": "ES512"}, {"kty": "OKP", "crv": "X25519", "x": "AA"}]}"#,
    );

    let requests: [(&str, &[u8]); 8] = [
        ("guest-public", b"\x00\npublic/a.png"),
        ("editor-draft", b"\x09bob\ndrafts/a.md"),
        ("admin-archive", b"\x05root\ndrafts/archive/old.md"),
        (
            "identity-profile",
            b"\x02sub-1\nid-1\nprofiles/id-1/avatar.png",
        ),
        ("owner-shared", b"\x03bob\nshared/bob/x"),
        ("literal-beside-entity", b"\x01bob\nshared/common/readme"),
        ("traversal", b"\x01bob\ndrafts/../profiles/eve/a"),
        ("reviewers-list", b"\x31x\nreviews/"),
    ];
    for (name, request) in requests {
        write("storage_authorize", name, request);
    }

    let names: [(&str, &str); 9] = [
        ("admins", "ADMINS"),
        ("renamed", "content-reviewers"),
        ("raw-identifier", "type"),
        ("raw-identifier-spelled", "r#type"),
        ("json-editors", "\"EDITORS\""),
        ("json-renamed", "\"content-reviewers\""),
        ("json-escaped", "\"\\u0041DMINS\""),
        ("greek-epsilon", "\u{395}DITORS"),
        ("forged-line", "x`\nINFO forged"),
    ];
    for (name, text) in names {
        write("groups_parse", name, text);
    }
}
