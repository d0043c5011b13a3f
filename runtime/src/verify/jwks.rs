//! The JWK Set document, parsed and checked once, when the set is loaded,
//! for [`KeySet`](super::keys::KeySet) (its only user).
//!
//! A key that could verify signatures (`use` absent or `sig`, `key_ops`
//! absent or naming `verify`, type RSA, EC or OKP) is validated completely
//! here, so that a broken or weak key is a [`ConfigError`] at start-up rather
//! than a stream of signature failures. Keys that can never verify a token
//! (`use: enc`, `key_ops` without `verify`, unknown `kty`) are kept so that a
//! token naming them gets a precise error, as providers such as Keycloak
//! publish encryption keys next to signing keys.

use core::fmt;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use jsonwebtoken::Algorithm;
use serde_json::{Map, Value};

use super::crypto::{self, PublicKey};
use super::error::ConfigError;
use crate::text::shown;

/// Smallest RSA modulus accepted, in bits (NIST SP 800-131A; Cognito uses 2048).
const MIN_RSA_BITS: usize = 2048;

/// Largest RSA modulus accepted, in bits (the `rsa` crate's verification
/// limit, kept for both backends).
const MAX_RSA_BITS: usize = 4096;

/// JWK members are base64url; padding is tolerated in a key set (it is trusted
/// configuration), never in a token.
const JWK_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// One key of the set.
#[derive(Clone)]
pub(crate) struct Jwk {
    pub(crate) kid: Option<String>,
    /// The JWK's `use`, when present.
    pub(crate) key_use: Option<String>,
    /// The JWK's `key_ops`, when present.
    pub(crate) key_ops: Option<Vec<String>>,
    /// The JWK's `alg`, when present.
    pub(crate) alg: Option<String>,
    pub(crate) material: Material,
}

/// What a key can verify.
#[derive(Clone)]
pub(crate) enum Material {
    /// RSA, for RS256/RS384/RS512.
    Rsa(PublicKey),
    /// EC on P-256, for ES256.
    P256(PublicKey),
    /// EC on P-384, for ES384.
    P384(PublicKey),
    /// OKP on Ed25519, for EdDSA.
    Ed25519(PublicKey),
    /// Not checked because its `use` is not `sig`, or its `key_ops` lack
    /// `verify`: never verifies.
    NotForSigning,
    /// A `kty` this verifier does not support: never verifies.
    Unsupported(String),
}

/// Describes the key without its material (public, but noise in a log).
impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwk")
            .field("kid", &self.kid)
            .field("use", &self.key_use)
            .field("key_ops", &self.key_ops)
            .field("alg", &self.alg)
            .field("key", &self.material.describe())
            .finish()
    }
}

impl Material {
    /// The public key, when this key can verify `alg`.
    pub(crate) fn for_alg(&self, alg: Algorithm) -> Option<&PublicKey> {
        match (self, alg) {
            (Self::Rsa(key), Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512)
            | (Self::P256(key), Algorithm::ES256)
            | (Self::P384(key), Algorithm::ES384)
            | (Self::Ed25519(key), Algorithm::EdDSA) => Some(key),
            _ => None,
        }
    }

    /// What the key is, for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Rsa(_) => "an RSA key".to_owned(),
            Self::P256(_) => "an EC P-256 key (ES256 only)".to_owned(),
            Self::P384(_) => "an EC P-384 key (ES384 only)".to_owned(),
            Self::Ed25519(_) => "an Ed25519 key (EdDSA only)".to_owned(),
            Self::NotForSigning => "not a signing key".to_owned(),
            Self::Unsupported(kty) => format!("of unsupported type `{kty}`"),
        }
    }
}

/// Parses a JWK Set document and checks every key that could verify tokens.
pub(crate) fn parse(json: &str) -> Result<Vec<Jwk>, ConfigError> {
    let doc: Value = serde_json::from_str(json).map_err(|e| ConfigError::Jwks {
        reason: format!("not JSON ({e})"),
    })?;
    let Some(keys) = doc.get("keys") else {
        return Err(ConfigError::Jwks {
            reason: "expected a JSON object `{\"keys\": [...]}`".to_owned(),
        });
    };
    let Some(keys) = keys.as_array() else {
        return Err(ConfigError::Jwks {
            reason: "`keys` must be an array".to_owned(),
        });
    };
    if keys.is_empty() {
        return Err(ConfigError::Jwks {
            reason: "`keys` is empty".to_owned(),
        });
    }
    let keys = keys
        .iter()
        .enumerate()
        .map(|(index, key)| {
            let kid = key.get("kid").and_then(Value::as_str).map(shown);
            parse_key(key).map_err(|reason| ConfigError::Jwk { index, kid, reason })
        })
        .collect::<Result<Vec<_>, _>>()?;
    check_unique_kids(&keys)?;
    Ok(keys)
}

fn parse_key(key: &Value) -> Result<Jwk, String> {
    let Some(key) = key.as_object() else {
        return Err("not a JSON object".to_owned());
    };
    let kid = optional_str(key, "kid")?;
    let key_use = optional_str(key, "use")?;
    let key_ops = optional_strings(key, "key_ops")?;
    let alg = optional_str(key, "alg")?;
    let kty = optional_str(key, "kty")?.ok_or("missing `kty`")?;
    let material = if refused_use(key_use.as_deref(), key_ops.as_deref()).is_some() {
        Material::NotForSigning
    } else {
        match kty.as_str() {
            "RSA" => Material::Rsa(rsa_key(key)?),
            "EC" => ec_key(key)?,
            "OKP" => ed25519_key(key)?,
            "oct" => {
                return Err("a symmetric (`oct`) key: a JWK Set holds public keys; a shared secret belongs in `Verifier::hs256`".to_owned());
            }
            _ => Material::Unsupported(shown(&kty)),
        }
    };
    Ok(Jwk {
        kid,
        key_use,
        key_ops,
        alg,
        material,
    })
}

/// Why a key with this `use` and these `key_ops` never verifies a token:
/// the JWK member that says so, and its value for messages. `None` when the
/// key may verify: `use` absent or `sig`, and `key_ops` absent or naming
/// `verify` (RFC 7517 4.3: an empty `key_ops` allows nothing).
pub(crate) fn refused_use(
    key_use: Option<&str>,
    key_ops: Option<&[String]>,
) -> Option<(&'static str, String)> {
    if let Some(key_use) = key_use.filter(|u| *u != "sig") {
        return Some(("use", key_use.to_owned()));
    }
    match key_ops {
        Some(ops) if !ops.iter().any(|op| op == "verify") => {
            Some(("key_ops", serde_json::to_string(ops).unwrap_or_default()))
        }
        _ => None,
    }
}

fn optional_str(key: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match key.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{name}` must be a string")),
    }
}

fn optional_strings(key: &Map<String, Value>, name: &str) -> Result<Option<Vec<String>>, String> {
    let not_strings = || format!("`{name}` must be an array of strings");
    match key.get(name) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or_else(not_strings),
        Some(_) => Err(not_strings()),
    }
}

fn base64_member(key: &Map<String, Value>, name: &str) -> Result<Vec<u8>, String> {
    let text = optional_str(key, name)?.ok_or_else(|| format!("missing `{name}`"))?;
    JWK_BASE64
        .decode(text)
        .map_err(|_| format!("`{name}` is not base64url"))
}

fn rsa_key(key: &Map<String, Value>) -> Result<PublicKey, String> {
    let n = base64_member(key, "n")?;
    let e = base64_member(key, "e")?;
    // Big-endian integers; a leading zero byte adds nothing (and AWS-LC
    // refuses it), so it is dropped.
    let n = without_leading_zeros(&n);
    let e = without_leading_zeros(&e);
    let bits = bit_length(n);
    if bits < MIN_RSA_BITS {
        return Err(format!(
            "RSA modulus of {bits} bits; keys under {MIN_RSA_BITS} bits are refused"
        ));
    }
    if bits > MAX_RSA_BITS {
        return Err(format!(
            "RSA modulus of {bits} bits; keys over {MAX_RSA_BITS} bits are refused"
        ));
    }
    if e.is_empty() {
        return Err("invalid RSA public key (the exponent is zero)".to_owned());
    }
    PublicKey::rsa(n, e)
}

fn without_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// The number of bits of the big-endian integer `bytes` (no leading zeros).
fn bit_length(bytes: &[u8]) -> usize {
    match bytes.first() {
        None => 0,
        Some(first) => (bytes.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
    }
}

fn ec_key(key: &Map<String, Value>) -> Result<Material, String> {
    let crv = optional_str(key, "crv")?.ok_or("missing `crv`")?;
    let x = base64_member(key, "x")?;
    let y = base64_member(key, "y")?;
    let mut point = Vec::with_capacity(1 + x.len() + y.len());
    point.push(0x04);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    match crv.as_str() {
        "P-256" => {
            if x.len() != 32 || y.len() != 32 {
                return Err("P-256 `x` and `y` must be 32 bytes each".to_owned());
            }
            PublicKey::p256(&point).map(Material::P256)
        }
        "P-384" => {
            if x.len() != 48 || y.len() != 48 {
                return Err("P-384 `x` and `y` must be 48 bytes each".to_owned());
            }
            PublicKey::p384(&point).map(Material::P384)
        }
        other => Ok(Material::Unsupported(format!("EC {}", shown(other)))),
    }
}

fn ed25519_key(key: &Map<String, Value>) -> Result<Material, String> {
    let crv = optional_str(key, "crv")?.ok_or("missing `crv`")?;
    if crv != "Ed25519" {
        return Ok(Material::Unsupported(format!("OKP {}", shown(&crv))));
    }
    let x = base64_member(key, "x")?;
    let bytes: [u8; 32] = x
        .as_slice()
        .try_into()
        .map_err(|_| "Ed25519 `x` must be 32 bytes".to_owned())?;
    if crypto::is_small_order_ed25519(&bytes) {
        return Err("a weak (small-order) Ed25519 key".to_owned());
    }
    PublicKey::ed25519(&bytes).map(Material::Ed25519)
}

/// Refuses two keys with the same `kid`: the choice would be arbitrary.
fn check_unique_kids(keys: &[Jwk]) -> Result<(), ConfigError> {
    let mut seen = std::collections::HashSet::new();
    for (index, key) in keys.iter().enumerate() {
        let Some(kid) = &key.kid else { continue };
        if !seen.insert(kid.as_str()) {
            return Err(ConfigError::Jwk {
                index,
                kid: Some(shown(kid)),
                reason: "another key has the same `kid`".to_owned(),
            });
        }
    }
    Ok(())
}
