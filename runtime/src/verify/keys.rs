//! A parsed JWK Set: [`KeySet`], the one owner of its keys, and the key of
//! a set that must verify a token (by `kid`, then the JWK's `use`,
//! `key_ops` and `alg`). Where a verifier's keys come from is `source.rs`.

use core::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jsonwebtoken::Algorithm;

use super::crypto::PublicKey;
use super::error::{ConfigError, VerifyError};
use super::jwks::{self, Jwk};
use crate::text::shown;

/// A JWK Set, parsed and checked: the public keys a
/// [`Verifier`](crate::Verifier) verifies signatures with.
///
/// Load the issuer's document (`{issuer}/.well-known/jwks.json`) with
/// [`from_jwks_json`](Self::from_jwks_json), then give the set to a builder
/// ([`VerifierBuilder::key_set`](crate::VerifierBuilder::key_set)) or, when
/// the issuer rotates its keys, to a running verifier
/// ([`Verifier::with_keys`](crate::Verifier::with_keys)). Cloning is cheap:
/// the keys are shared, not copied. `Debug` shows each key's `kid`, type,
/// `use` and `alg`, never its key material.
///
/// ```
/// use groupguard::KeySet;
///
/// let keys = KeySet::from_jwks_json(r#"{"keys": [
///     {"kty": "OKP", "crv": "Ed25519", "kid": "ed-1", "use": "sig", "alg": "EdDSA",
///      "x": "IImwooYDlo6FbkfC9pQLk7WZarhUFMrupRfdU-xdQfs"}
/// ]}"#)?;
/// assert_eq!(keys.len(), 1);
/// assert_eq!(keys.kids().collect::<Vec<_>>(), ["ed-1"]);
/// assert!(!format!("{keys:?}").contains("IImwoo"));
/// # Ok::<(), groupguard::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct KeySet {
    keys: Arc<[Jwk]>,
    /// Unique to this parse of a set (its clones share it): the token cache
    /// trusts an entry only under the generation that verified it.
    pub(super) generation: u64,
}

impl KeySet {
    /// Parses a JWK Set document (`{"keys": [...]}`, as served at
    /// `{issuer}/.well-known/jwks.json`) and checks every key in it.
    ///
    /// Every key that could verify a token (`use` absent or `sig`;
    /// `key_ops` absent or naming `verify`; `kty` RSA, EC on P-256/P-384, or
    /// OKP Ed25519) is checked now. Keys with another `use`, `key_ops` without
    /// `verify` (`[]` included) or an unknown `kty` are kept and never
    /// verify: a token naming one is refused with its own [`VerifyError`]
    /// ([`KeyUse`](VerifyError::KeyUse) for the first two).
    ///
    /// # Errors
    ///
    /// [`ConfigError::Jwks`] for a document that is not JSON, has no
    /// `keys` array or an empty one; [`ConfigError::Jwk`], naming the key,
    /// for a malformed key, an RSA key under 2048 or over 4096 bits, an EC
    /// point off its curve, a weak Ed25519 key, a symmetric (`oct`) key, a
    /// duplicate `kid`, a `use`, `kid` or `alg` that is not a string or a
    /// `key_ops` that is not an array of strings.
    ///
    /// ```
    /// use groupguard::{ConfigError, KeySet};
    ///
    /// assert!(matches!(KeySet::from_jwks_json(r#"{"keys": []}"#), Err(ConfigError::Jwks { .. })));
    /// let symmetric = r#"{"keys": [{"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"}]}"#;
    /// assert!(matches!(
    ///     KeySet::from_jwks_json(symmetric),
    ///     Err(ConfigError::Jwk { index: 0, .. })
    /// ));
    /// ```
    pub fn from_jwks_json(jwks: &str) -> Result<Self, ConfigError> {
        static GENERATIONS: AtomicU64 = AtomicU64::new(1);
        Ok(Self {
            keys: jwks::parse(jwks)?.into(),
            generation: GENERATIONS.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// The number of keys in the set, those that never verify included.
    ///
    /// ```
    /// # use groupguard::KeySet;
    /// let keys = KeySet::from_jwks_json(r#"{"keys": [
    ///     {"kty": "OKP", "crv": "Ed25519", "kid": "ed-1",
    ///      "x": "IImwooYDlo6FbkfC9pQLk7WZarhUFMrupRfdU-xdQfs"},
    ///     {"kty": "RSA", "kid": "enc-1", "use": "enc", "n": "…", "e": "AQAB"}
    /// ]}"#)?;
    /// assert_eq!(keys.len(), 2);
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    #[must_use]
    #[expect(
        clippy::len_without_is_empty,
        reason = "a key set is never empty: `from_jwks_json` refuses `{\"keys\": []}`"
    )]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The keys' `kid`s, in the document's order (a key without one is
    /// skipped): what a token's header must name.
    ///
    /// ```
    /// # use groupguard::KeySet;
    /// let keys = KeySet::from_jwks_json(r#"{"keys": [
    ///     {"kty": "OKP", "crv": "Ed25519", "kid": "ed-1",
    ///      "x": "IImwooYDlo6FbkfC9pQLk7WZarhUFMrupRfdU-xdQfs"}
    /// ]}"#)?;
    /// assert!(keys.kids().any(|kid| kid == "ed-1"));
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().filter_map(|key| key.kid.as_deref())
    }

    /// The key of the set that must verify a token whose header names `kid`
    /// and `alg`, and its `kid` for messages.
    pub(super) fn select(
        &self,
        kid: Option<&str>,
        (alg_name, alg): (&'static str, Algorithm),
    ) -> Result<(&PublicKey, Option<String>), VerifyError> {
        let keys = &*self.keys;
        let jwk = match kid {
            Some(kid) => keys
                .iter()
                .find(|k| k.kid.as_deref() == Some(kid))
                .ok_or_else(|| VerifyError::UnknownKey { kid: shown(kid) })?,
            None => match keys {
                [only] => only,
                _ => return Err(VerifyError::MissingKid { keys: keys.len() }),
            },
        };
        let jwk_kid = jwk.kid.as_deref().map(shown);
        if let Some((member, value)) =
            jwks::refused_use(jwk.key_use.as_deref(), jwk.key_ops.as_deref())
        {
            return Err(VerifyError::KeyUse {
                kid: jwk_kid,
                member,
                key_use: shown(&value),
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

impl fmt::Debug for KeySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Jwk`'s `Debug` describes a key without its material.
        f.debug_struct("KeySet")
            .field("keys", &self.keys)
            .field("generation", &self.generation)
            .finish()
    }
}

/// The stamp of the key sets a token is verified with, for the token cache:
/// the [`KeySet`] generations (unique per parse, never 0) of up to two
/// sets, one per issuer of a Cognito pool, 0 for a set not fetched yet. Any
/// set replaced changes it, so an entry is trusted only under the very sets
/// that verified it.
pub(super) type Generation = u128;
