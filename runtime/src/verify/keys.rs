//! The verifier's keys: the algorithms they accept (step 3) and the key that
//! must verify a token (step 4: by `kid`, then the JWK's `use` and `alg`).

use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

use super::error::{VerifyError, shown};
use super::jwks::Jwk;

/// Algorithms accepted with a key set.
const KEY_SET_ALGORITHMS: &[(&str, Algorithm)] = &[
    ("RS256", Algorithm::RS256),
    ("RS384", Algorithm::RS384),
    ("RS512", Algorithm::RS512),
    ("ES256", Algorithm::ES256),
    ("ES384", Algorithm::ES384),
    ("EdDSA", Algorithm::EdDSA),
];
const KEY_SET_ALLOWED: &str = "RS256, RS384, RS512, ES256, ES384 and EdDSA";

/// Algorithms accepted in `hs256` mode.
const SECRET_ALGORITHMS: &[(&str, Algorithm)] = &[("HS256", Algorithm::HS256)];
const SECRET_ALLOWED: &str = "HS256";

/// The keys a verifier checks signatures with.
#[derive(Clone, Debug)]
pub(super) enum Keys {
    Set(Vec<Jwk>),
    Secret(DecodingKey),
}

impl Keys {
    /// The header's `alg`, when it is on the allow-list of these keys.
    pub(super) fn algorithm(
        &self,
        header: &Map<String, Value>,
    ) -> Result<(&'static str, Algorithm), VerifyError> {
        let (allowed, allowed_text) = match self {
            Self::Set(_) => (KEY_SET_ALGORITHMS, KEY_SET_ALLOWED),
            Self::Secret(_) => (SECRET_ALGORITHMS, SECRET_ALLOWED),
        };
        let refuse = |alg: String| VerifyError::Algorithm {
            alg,
            allowed: allowed_text,
        };
        match header.get("alg") {
            None => Err(refuse("(missing)".to_owned())),
            Some(Value::String(alg)) => allowed
                .iter()
                .find(|(name, _)| name == alg)
                .copied()
                .ok_or_else(|| refuse(format!("`{}`", shown(alg)))),
            Some(_) => Err(refuse("(not a string)".to_owned())),
        }
    }

    /// The key that must verify the token, and its `kid` for messages.
    pub(super) fn select(
        &self,
        kid: Option<&str>,
        (alg_name, alg): (&'static str, Algorithm),
    ) -> Result<(&DecodingKey, Option<String>), VerifyError> {
        let keys = match self {
            // A shared secret has no `kid` to select.
            Self::Secret(secret) => return Ok((secret, None)),
            Self::Set(keys) => keys,
        };
        let jwk = match kid {
            Some(kid) => keys
                .iter()
                .find(|k| k.kid.as_deref() == Some(kid))
                .ok_or_else(|| VerifyError::UnknownKey { kid: shown(kid) })?,
            None => match keys.as_slice() {
                [only] => only,
                _ => return Err(VerifyError::MissingKid { keys: keys.len() }),
            },
        };
        let jwk_kid = jwk.kid.as_deref().map(shown);
        if let Some(key_use) = jwk.key_use.as_deref().filter(|u| *u != "sig") {
            return Err(VerifyError::KeyUse {
                kid: jwk_kid,
                key_use: shown(key_use),
            });
        }
        if let Some(key_alg) = jwk.alg.as_deref().filter(|a| *a != alg_name) {
            return Err(VerifyError::KeyAlgorithm {
                kid: jwk_kid,
                alg: alg_name.to_owned(),
                key: format!("for `{}`", shown(key_alg)),
            });
        }
        match jwk.material.for_alg(alg) {
            Some(key) => Ok((key, jwk_kid)),
            None => Err(VerifyError::KeyAlgorithm {
                kid: jwk_kid,
                alg: alg_name.to_owned(),
                key: jwk.material.describe(),
            }),
        }
    }
}
