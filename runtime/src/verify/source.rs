//! Where a verifier's keys come from ([`Keys`]): a key set given by the
//! application, the shared secret of an `hs256` verifier, or (feature
//! `fetch`) key sets fetched from URLs; the algorithms each accepts (step
//! 3) and the key that must verify a token (step 5: in the set of the
//! token's issuer, by `kid`).

use core::fmt;

use jsonwebtoken::Algorithm;
use serde_json::{Map, Value};

use super::crypto::{KeyRef, Secret};
use super::error::VerifyError;
use super::keys::{Generation, KeySet};
use crate::text::shown;

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

/// The keys a verifier checks signatures with: a key set, the shared
/// secret of an `hs256` verifier, or (feature `fetch`) key sets fetched
/// from URLs (one per issuer, or one the configuration names).
#[derive(Clone)]
pub(super) enum Keys {
    Set(KeySet),
    Secret(Secret),
    #[cfg(feature = "fetch")]
    Live(super::live::LiveSets),
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Set(keys) => keys.fmt(f),
            Self::Secret(_) => f.write_str("Secret([redacted])"),
            #[cfg(feature = "fetch")]
            Self::Live(live) => live.fmt(f),
        }
    }
}

impl Keys {
    /// The generation of the key sets tokens are verified with now, for the
    /// token cache: `None` when there is none to stamp (no live set fetched
    /// yet); 0 for a shared secret, which never changes.
    #[cfg_attr(
        not(feature = "fetch"),
        expect(
            clippy::unnecessary_wraps,
            reason = "only a live key set (feature `fetch`) can have no generation yet"
        )
    )]
    pub(super) fn generation(&self) -> Option<Generation> {
        match self {
            Self::Set(keys) => Some(Generation::from(keys.generation)),
            Self::Secret(_) => Some(0),
            #[cfg(feature = "fetch")]
            Self::Live(live) => live.generation(),
        }
    }

    /// The header's `alg`, when it is on the allow-list of these keys.
    pub(super) fn algorithm(
        &self,
        header: &Map<String, Value>,
    ) -> Result<(&'static str, Algorithm), VerifyError> {
        let (allowed, allowed_text) = match self {
            Self::Secret(_) => (SECRET_ALGORITHMS, SECRET_ALLOWED),
            Self::Set(_) => (KEY_SET_ALGORITHMS, KEY_SET_ALLOWED),
            #[cfg(feature = "fetch")]
            Self::Live(_) => (KEY_SET_ALGORITHMS, KEY_SET_ALLOWED),
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

    /// Runs `check` with the key that must verify the token and its `kid`
    /// (for messages), taken from the set of `issuer` (the token's, checked
    /// already as one the verifier accepts). A closure rather than a
    /// returned key: a live set's keys are borrowed from the cache for the
    /// time of the check only.
    pub(super) fn with_key<R>(
        &self,
        #[cfg_attr(
            not(feature = "fetch"),
            expect(
                unused_variables,
                reason = "only live sets (feature `fetch`) are chosen by issuer"
            )
        )]
        issuer: &str,
        kid: Option<&str>,
        alg: (&'static str, Algorithm),
        check: impl FnOnce(KeyRef<'_>, Option<String>) -> Result<R, VerifyError>,
    ) -> Result<R, VerifyError> {
        match self {
            // A shared secret has no `kid` to select.
            Self::Secret(secret) => check(KeyRef::Secret(secret), None),
            // A set given by the application serves every issuer it accepts.
            Self::Set(keys) => {
                let (key, kid) = keys.select(kid, alg)?;
                check(KeyRef::Public(key), kid)
            }
            #[cfg(feature = "fetch")]
            Self::Live(live) => live.of_issuer(issuer)?.with_keys(|keys| {
                let (key, kid) = keys.select(kid, alg)?;
                check(KeyRef::Public(key), kid)
            }),
        }
    }
}
