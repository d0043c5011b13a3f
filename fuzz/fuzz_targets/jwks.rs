//! `KeySet::from_jwks_json` on arbitrary input (lossily converted to UTF-8).
//!
//! Never panics. A refusal's message is one line. An accepted set has one
//! key per entry of `keys`, their `kid`s in order and unique, a `Debug`
//! without key material, and builds a verifier; that verifier accepts a
//! token signed with a `TEST_ONLY` key only when the set holds that very
//! public key (under the token's `kid`, or as its only key).
#![no_main]

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use groupguard::{KeySet, Verifier};
use groupguard_fuzz::keys::{self, FAR_EXP, TestKey, alg_name};
use groupguard_fuzz::{Group, text};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const ISSUER: &str = "https://id.example.com";

/// JWK members are base64url, padded or not.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The key-material members of a JWK.
const MATERIAL: &[&str] = &["n", "e", "x", "y", "d", "p", "q", "dp", "dq", "qi", "k"];

/// Tokens for [`ISSUER`], each with the key that signed it, its header
/// naming the key's `kid` or no `kid`.
fn tokens() -> &'static [(&'static TestKey, bool, String)] {
    static TOKENS: OnceLock<Vec<(&'static TestKey, bool, String)>> = OnceLock::new();
    TOKENS.get_or_init(|| {
        let keys = keys::keys();
        let claims = json!({"iss": ISSUER, "sub": "u-1", "exp": FAR_EXP});
        let mut tokens = Vec::new();
        for key in [&keys.id, &keys.ed] {
            for with_kid in [true, false] {
                let header = if with_kid {
                    json!({"alg": alg_name(key.alg), "kid": key.kid})
                } else {
                    json!({"alg": alg_name(key.alg)})
                };
                tokens.push((
                    key,
                    with_kid,
                    keys::sign(&header, &claims, &key.private, key.alg),
                ));
            }
        }
        tokens
    })
}

fn decoded(jwk: &Value, member: &str) -> Option<Vec<u8>> {
    let bytes = LENIENT.decode(jwk.get(member)?.as_str()?).ok()?;
    // A big-endian integer: leading zeros change nothing.
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    Some(bytes[first..].to_vec())
}

/// Whether the JWK is the public half of `key`.
fn is_public_key_of(jwk: &Value, key: &TestKey) -> bool {
    let members: &[&str] = if key.alg == jsonwebtoken::Algorithm::EdDSA {
        &["x"]
    } else {
        &["n", "e"]
    };
    members
        .iter()
        .all(|m| decoded(jwk, m).is_some_and(|bytes| Some(bytes) == decoded(&key.jwk, m)))
}

/// The material members of a JWK that an accepted set decoded and checked
/// (a key that may verify: `use` absent or `sig`, `key_ops` absent or naming
/// `verify`, a supported type and curve): real key material. Other members
/// are never decoded, and arbitrary text in them can line up with the
/// escaped text of another member in `Debug` (as the fuzzer found with a
/// `crv` ending like an `x` and the backtick that closes its quote).
fn checked_material(jwk: &Value) -> &'static [&'static str] {
    let may_verify = jwk.get("use").is_none_or(|u| u == "sig")
        && jwk["key_ops"]
            .as_array()
            .is_none_or(|ops| ops.iter().any(|op| op == "verify"));
    match (may_verify, jwk["kty"].as_str(), jwk["crv"].as_str()) {
        (true, Some("RSA"), _) => &["n", "e"],
        (true, Some("EC"), Some("P-256" | "P-384")) => &["x", "y"],
        (true, Some("OKP"), Some("Ed25519")) => &["x"],
        _ => &[],
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let keys = match KeySet::from_jwks_json(&text) {
        Ok(keys) => keys,
        Err(error) => return text::assert_one_line(&error.to_string()),
    };
    let doc: Value = serde_json::from_str(&text).expect("an accepted set is JSON");
    let entries = doc["keys"]
        .as_array()
        .expect("an accepted set has a `keys` array");
    assert_eq!(keys.len(), entries.len(), "one key per entry");
    let kids: Vec<&str> = entries.iter().filter_map(|k| k["kid"].as_str()).collect();
    assert_eq!(keys.kids().collect::<Vec<_>>(), kids, "the kids, in order");
    for (i, kid) in kids.iter().enumerate() {
        assert!(!kids[..i].contains(kid), "duplicate kid {kid:?} accepted");
    }

    let debug = format!("{keys:?}");
    let names: Vec<&str> = entries
        .iter()
        .flat_map(|k| k.as_object().into_iter().flatten())
        .filter(|(member, _)| !MATERIAL.contains(&member.as_str()))
        .flat_map(|(member, value)| {
            let items = value
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str);
            [member.as_str()]
                .into_iter()
                .chain(value.as_str())
                .chain(items)
        })
        .collect();
    for entry in entries {
        for member in checked_material(entry) {
            if let Some(material) = entry[*member].as_str()
                && material.len() >= 16
                && !names.iter().any(|name| name.contains(material))
            {
                assert!(
                    !debug.contains(material),
                    "`Debug` shows `{member}`: {debug}"
                );
            }
        }
    }

    let verifier = Verifier::<Group>::oidc(ISSUER)
        .expect("valid issuer")
        .any_client()
        .key_set(keys)
        .build()
        .expect("an accepted key set builds a verifier");
    for (key, with_kid, token) in tokens() {
        if verifier.verify(token).is_ok() {
            let holder: Vec<&Value> = if *with_kid {
                entries.iter().filter(|k| k["kid"] == key.kid).collect()
            } else {
                entries.iter().collect()
            };
            assert!(
                matches!(holder[..], [jwk] if is_public_key_of(jwk, key)),
                "a token of `{}` (kid in header: {with_kid}) accepted by another key",
                key.kid
            );
        }
    }
});
