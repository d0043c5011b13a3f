//! The token itself: its size (step 1), its shape (step 2: [`Parts`], three
//! base64url parts whose first two are JSON objects) and its signature
//! (step 6, checked by the crypto backend, [`super::crypto`]).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::Algorithm;
use serde_json::{Map, Value};

use super::crypto::KeyRef;
use super::error::VerifyError;

/// Refuses a token longer than `max` bytes, before any decoding.
pub(super) fn check_size(token: &str, max: usize) -> Result<(), VerifyError> {
    if token.len() > max {
        return Err(VerifyError::TooLarge {
            len: token.len(),
            max,
        });
    }
    Ok(())
}

/// The three parts of a token, decoded.
pub(super) struct Parts<'t> {
    pub(super) header: Map<String, Value>,
    pub(super) claims: Map<String, Value>,
    /// `header.payload`, the signed text.
    message: &'t str,
    /// The decoded signature.
    signature: Vec<u8>,
}

impl<'t> Parts<'t> {
    /// Checks the shape: three base64url parts, the first two JSON objects.
    pub(super) fn split(token: &'t str) -> Result<Self, VerifyError> {
        let malformed = |reason: &str| VerifyError::Malformed {
            reason: reason.to_owned(),
        };
        if token.is_empty() {
            return Err(malformed("the token is empty"));
        }
        if token
            .get(..7)
            .is_some_and(|start| start.eq_ignore_ascii_case("bearer "))
        {
            return Err(malformed(
                "it starts with `Bearer `: pass only the token that follows it",
            ));
        }
        let dots = token.bytes().filter(|b| *b == b'.').count();
        if dots != 2 {
            return Err(VerifyError::Malformed {
                reason: format!(
                    "{} part(s) where a JWT has 3 (`header.payload.signature`)",
                    dots + 1
                ),
            });
        }
        let (message, signature) = token
            .rsplit_once('.')
            .ok_or_else(|| malformed("no signature part"))?;
        let (header, payload) = message
            .split_once('.')
            .ok_or_else(|| malformed("no payload part"))?;
        let header = json_object(header, "header")?;
        let claims = json_object(payload, "payload")?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| malformed("the signature is not base64url"))?;
        if header.contains_key("crit") {
            return Err(malformed(
                "the header has `crit` (critical extensions), which this verifier does not support",
            ));
        }
        if header.get("kid").is_some_and(|kid| !kid.is_string()) {
            return Err(malformed("the header's `kid` is not a string"));
        }
        Ok(Self {
            header,
            claims,
            message,
            signature,
        })
    }

    /// The header's `kid`, when it has one ([`split`](Self::split) refused
    /// a `kid` that is not a string).
    pub(super) fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// Checks the signature with `key`; `kid` (the key's, for the message)
    /// and `alg` name what was tried.
    pub(super) fn check_signature(
        &self,
        key: KeyRef<'_>,
        kid: Option<String>,
        (alg_name, alg): (&'static str, Algorithm),
    ) -> Result<(), VerifyError> {
        if key.verifies(alg, self.message.as_bytes(), &self.signature) {
            return Ok(());
        }
        Err(VerifyError::Signature {
            kid,
            alg: alg_name.to_owned(),
        })
    }
}

/// Decodes one base64url part into a JSON object.
fn json_object(part: &str, name: &str) -> Result<Map<String, Value>, VerifyError> {
    let malformed = |what: &str| VerifyError::Malformed {
        reason: format!("the {name} {what}"),
    };
    if part.is_empty() {
        return Err(malformed("is empty"));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| malformed("is not base64url (unpadded, `-_` alphabet)"))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(malformed("is JSON but not an object")),
        Err(_) => Err(malformed("is not JSON")),
    }
}
