//! The two errors of the verifier: [`ConfigError`] (building it) and
//! [`VerifyError`] (a token it refuses).

use crate::text::shown;

/// Why a [`Verifier`](crate::Verifier) could not be built.
///
/// Each message names the builder call that fixes it.
///
/// ```
/// use groupguard::{groups, ConfigError, Verifier};
/// # #[groups] pub enum Group { ADMINS }
///
/// let err = Verifier::<Group>::cognito("us-east-1_AbC123")
///     .unwrap()
///     .any_token_use()
///     .build()
///     .unwrap_err();
/// assert_eq!(err, ConfigError::ClientUndecided);
/// assert!(err.to_string().contains(".client_id("));
/// ```
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The Cognito user-pool id is not of the form `us-east-1_AbC123`.
    #[error(
        "invalid user pool id `{pool_id}`: {reason}; expected `<region>_<id>` such as `us-east-1_AbC123` (Cognito console, User pool overview)"
    )]
    PoolId {
        /// The pool id given (escaped, at most 64 characters).
        pool_id: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// The issuer is not usable as the exact `iss` value to compare against.
    #[error("invalid issuer `{issuer}`: {reason}")]
    Issuer {
        /// The issuer given (escaped, at most 64 characters).
        issuer: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// No accepted client was configured and `.any_client()` was not called.
    #[error(
        "no client decided: call `.client_id(\"<app client id>\")` (or `.audience(..)`) to accept only your app's tokens, or `.any_client()` to accept tokens of every client of the issuer"
    )]
    ClientUndecided,

    /// A Cognito verifier was built without `.token_use(..)` or `.any_token_use()`.
    #[error(
        "no token use decided: call `.token_use(TokenUse::Access)` (API calls) or `.token_use(TokenUse::Id)`, or `.any_token_use()` to accept both"
    )]
    TokenUseUndecided,

    /// Two builder calls contradict each other.
    #[error("`.{first}` and `.{second}` contradict each other: keep one of them")]
    Conflict {
        /// The call made first.
        first: &'static str,
        /// The call that contradicts it.
        second: &'static str,
    },

    /// A builder argument is out of range or empty.
    #[error("invalid argument to `.{method}(..)`: {reason}")]
    InvalidValue {
        /// The builder method.
        method: &'static str,
        /// What the argument must be.
        reason: &'static str,
    },

    /// A verifier backed by a key set was built without any key.
    #[error(
        "no verification key: call `.jwks_json(..)` with the issuer's JWK Set (for Cognito, the document at `<issuer>/.well-known/jwks.json`), `.key_set(..)` with one already loaded, or (feature `fetch`) `.fetch_jwks()` or `.jwks_url(..)` to fetch it"
    )]
    NoKeys,

    /// An `hs256` verifier was built without `.issuer(..)`.
    #[error(
        "no issuer: call `.issuer(\"...\")` with the `iss` value your development tokens carry"
    )]
    MissingIssuer,

    /// `.jwks_json(..)` or `.key_set(..)` was called on an `hs256` verifier.
    #[error(
        "`.jwks_json(..)` or `.key_set(..)` on an `hs256` verifier: a verifier uses a shared secret or public keys, never both (mixing them enables algorithm confusion)"
    )]
    SecretWithKeySet,

    /// [`Verifier::with_keys`](crate::Verifier::with_keys) was called on an
    /// `hs256` verifier, whose key is its shared secret.
    #[error(
        "`.with_keys(..)` on an `hs256` verifier: its only key is the shared secret it was built with, not a key set to replace; build another `Verifier::hs256(..)` to change the secret"
    )]
    NoKeySetToReplace,

    /// The URL of a live key set (`.jwks_url(..)`, or the issuer's for
    /// `.fetch_jwks()`) is not one to fetch keys from.
    #[error("invalid JWKS URL `{url}`: {reason}")]
    JwksUrl {
        /// The URL (escaped, at most 64 characters).
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A call that configures a live key set (`.jwks_cooldown(..)`, ...)
    /// was made on a verifier that fetches no key set.
    #[error(
        "`.{method}(..)` configures a fetched key set, but this verifier fetches none: add `.fetch_jwks()` or `.jwks_url(..)`, or drop the call"
    )]
    NotLive {
        /// The call.
        method: &'static str,
    },

    /// The JWK Set document is not usable as a whole.
    #[error("invalid JWK Set: {reason}")]
    Jwks {
        /// What is wrong with the document.
        reason: String,
    },

    /// One key of the JWK Set is malformed, weak or of a forbidden type.
    #[error("invalid JWK Set: key #{index}{}: {reason}", kid_suffix(kid.as_deref()))]
    Jwk {
        /// Position of the key in the `keys` array, from 0.
        index: usize,
        /// The key's `kid`, when it has one.
        kid: Option<String>,
        /// What is wrong with the key.
        reason: String,
    },
}

fn kid_suffix(kid: Option<&str>) -> String {
    kid.map(|kid| format!(" (kid `{kid}`)")).unwrap_or_default()
}

/// Why a token was refused, one variant per check.
///
/// The checks run in a fixed order and the first failure is returned:
/// [`TooLarge`](Self::TooLarge), [`Malformed`](Self::Malformed),
/// [`Algorithm`](Self::Algorithm), [`Issuer`](Self::Issuer) (the issuer
/// chooses the key set), the key checks
/// ([`MissingKid`](Self::MissingKid), [`UnknownKey`](Self::UnknownKey),
/// [`KeyUse`](Self::KeyUse), [`KeyAlgorithm`](Self::KeyAlgorithm)),
/// [`Signature`](Self::Signature), [`ClaimType`](Self::ClaimType),
/// [`Expired`](Self::Expired), [`NotYetValid`](Self::NotYetValid),
/// [`TokenUse`](Self::TokenUse), [`Audience`](Self::Audience),
/// [`GroupsClaim`](Self::GroupsClaim).
/// [`MissingClaim`](Self::MissingClaim) is returned by the step that needs the
/// claim (`iss`, `exp`, `token_use`, `aud`/`client_id`, and `sub` last), and
/// a [`ClaimType`](Self::ClaimType) for `iss` by the issuer's step.
///
/// Messages say what to fix and never contain the token or its signature;
/// values taken from a token are escaped and cut to 64 characters.
///
/// ```
/// use groupguard::{groups, Verifier, VerifyError};
/// # #[groups] pub enum Group { ADMINS }
///
/// let verifier = Verifier::<Group>::hs256(b"dev-only-secret")
///     .issuer("dev")
///     .any_client()
///     .build()?;
/// let err = verifier.verify("not-a-jwt").unwrap_err();
/// assert!(matches!(err, VerifyError::Malformed { .. }));
/// assert!(!err.to_string().contains("not-a-jwt"));
/// # Ok::<(), groupguard::ConfigError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The token is longer than the verifier's limit (checked before any decoding).
    #[error(
        "token is {len} bytes, over the limit of {max}: raise it with `.max_token_bytes(..)` if your tokens legitimately carry that many claims"
    )]
    TooLarge {
        /// Length of the token in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },

    /// The token is not three base64url parts whose first two are JSON objects.
    #[error("malformed token: {reason}")]
    Malformed {
        /// What is wrong with the token's shape.
        reason: String,
    },

    /// The header's `alg` is missing or not on the verifier's allow-list.
    #[error("token `alg` {alg} is not accepted: this verifier accepts only {allowed}")]
    Algorithm {
        /// The header's `alg`, quoted and escaped, or a note that it is missing.
        alg: String,
        /// The accepted algorithms.
        allowed: &'static str,
    },

    /// The header has no `kid` and the key set holds several keys.
    #[error(
        "token header has no `kid` but the key set holds {keys} keys: the issuer must name the signing key"
    )]
    MissingKid {
        /// Number of keys in the set.
        keys: usize,
    },

    /// No key of the set has the token's `kid`.
    #[error(
        "no key with kid `{kid}` in the key set: reload the issuer's JWK Set (keys rotate) or check which issuer signed the token"
    )]
    UnknownKey {
        /// The header's `kid` (escaped, at most 64 characters).
        kid: String,
    },

    /// The key is not for verifying signatures: its `use` is not `sig`, or
    /// it has `key_ops` without `verify` (RFC 7517 4.2 and 4.3).
    #[error(
        "key{} has `{member}` `{key_use}`: {}",
        kid_suffix(kid.as_deref()),
        key_use_rule(member)
    )]
    KeyUse {
        /// The key's `kid`.
        kid: Option<String>,
        /// The JWK member that refuses the key: `"use"` or `"key_ops"`.
        member: &'static str,
        /// That member's value: the key's `use` (`enc`), or its `key_ops` as
        /// JSON (`["encrypt"]`); escaped, at most 64 characters.
        key_use: String,
    },

    /// The key cannot verify the header's `alg`: the JWK's `alg` differs, or
    /// its type or curve does not fit.
    #[error(
        "key{} is {key}, which cannot verify a `{alg}` token: the token was signed for another key, or the JWK Set is wrong",
        kid_suffix(kid.as_deref())
    )]
    KeyAlgorithm {
        /// The key's `kid`.
        kid: Option<String>,
        /// The header's `alg`.
        alg: String,
        /// What the key is (`alg` or type and curve).
        key: String,
    },

    /// The signature does not verify with the selected key.
    #[error(
        "signature does not verify with key{} (`{alg}`): the token was altered or not signed by this issuer",
        kid_suffix(kid.as_deref())
    )]
    Signature {
        /// The key's `kid`.
        kid: Option<String>,
        /// The header's `alg`.
        alg: String,
    },

    /// A registered claim has the wrong JSON type (`exp` as a string, ...).
    #[error("claim `{claim}` must be {expected}")]
    ClaimType {
        /// The claim.
        claim: &'static str,
        /// The JSON type it must have.
        expected: &'static str,
    },

    /// `exp` has passed (beyond the leeway).
    #[error(
        "token expired at {exp} (unix seconds; now {now}, leeway {leeway} s): the client must refresh it"
    )]
    Expired {
        /// The token's `exp`, in Unix seconds.
        exp: i64,
        /// The verifier's clock, in Unix seconds.
        now: i64,
        /// The leeway, in seconds.
        leeway: u64,
    },

    /// `nbf` is still in the future (beyond the leeway).
    #[error(
        "token not valid before {nbf} (unix seconds; now {now}, leeway {leeway} s): check the clocks, or raise `.leeway(..)`"
    )]
    NotYetValid {
        /// The token's `nbf`, in Unix seconds.
        nbf: i64,
        /// The verifier's clock, in Unix seconds.
        now: i64,
        /// The leeway, in seconds.
        leeway: u64,
    },

    /// `iss` is not the verifier's issuer.
    #[error("token issuer `{found}` is not {}: {reason}", one_of(expected))]
    Issuer {
        /// The issuers the verifier accepts (for a Cognito pool, its
        /// ORIGINAL and UPDATED formats).
        expected: Vec<String>,
        /// The token's `iss` (escaped, at most 64 characters).
        found: String,
        /// What differs, as far as the strings tell: another pool or
        /// provider, the same pool id under another host or region, only
        /// Cognito's issuer format (when `.issuer(..)` named one), or a
        /// trailing `/`.
        reason: &'static str,
    },

    /// `token_use` is not the one the verifier accepts.
    #[error(
        "token_use `{found}` is not accepted (expected {expected}): send the {expected} token, or configure `.token_use(..)`"
    )]
    TokenUse {
        /// What the verifier accepts (`"id"`, `"access"` or `"id" or "access"`).
        expected: &'static str,
        /// The token's `token_use` (escaped, at most 64 characters).
        found: String,
    },

    /// The token's `aud` (or, for Cognito access tokens, `client_id`) names
    /// none of the accepted clients.
    #[error(
        "token `{claim}` {} names none of the accepted clients {}: the token was issued to another app client",
        list(found),
        list(expected)
    )]
    Audience {
        /// `"aud"` or `"client_id"`.
        claim: &'static str,
        /// The accepted clients.
        expected: Vec<String>,
        /// The token's values (escaped, at most 5 of at most 64 characters).
        found: Vec<String>,
    },

    /// The group claim is not a string or an array of strings, or holds
    /// more than 10,000 entries.
    #[error("group claim `{claim}` {reason}: it must be a string or an array of strings")]
    GroupsClaim {
        /// The group claim's name (`cognito:groups` by default).
        claim: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A claim the verifier requires is absent.
    #[error("token has no `{claim}` claim, which this verifier requires")]
    MissingClaim {
        /// The claim.
        claim: &'static str,
    },

    /// The verifier has no keys it may use: its JWK Set could not be fetched
    /// and none is cached, or the cached set is older than its maximum age.
    /// The token may be fine; the service cannot check it now (a 503, not a
    /// 401, with `Retry-After` from `retry_after`).
    #[error("no usable keys: {reason} (retry in {} s)", retry_after.as_secs())]
    NoUsableKeys {
        /// Why (the fetch error, or the age of the cached set).
        reason: String,
        /// When the token may be sent again: when the cool-down after the
        /// failed fetch ends (`.jwks_cooldown(..)`, 10 s by default) and a
        /// new fetch may happen, in whole seconds, at least 1 s. It comes
        /// from the configuration and the clock, never from a request.
        retry_after: core::time::Duration,
    },
}

impl VerifyError {
    /// A short, fixed description of the error kind, safe to send to a
    /// client: it never holds a value from the token (a `kid`, a claim) nor
    /// the verifier's configuration (issuer, client ids), which the full
    /// message (`Display`) does and which belongs in the log.
    ///
    /// ```
    /// use groupguard::{groups, Verifier, VerifyError};
    /// # #[groups] pub enum Group { ADMINS }
    /// let verifier = Verifier::<Group>::hs256(b"dev-only-secret")
    ///     .issuer("dev")
    ///     .audience("my-client")
    ///     .build()?;
    /// let err = verifier.verify("a.b.c").unwrap_err();
    /// assert_eq!(err.public_description(), "the token is malformed");
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    #[must_use]
    pub const fn public_description(&self) -> &'static str {
        match self {
            VerifyError::TooLarge { .. } => "the token is too large",
            VerifyError::Malformed { .. } => "the token is malformed",
            VerifyError::Algorithm { .. } => "the token's signing algorithm is not accepted",
            VerifyError::MissingKid { .. } | VerifyError::UnknownKey { .. } => {
                "the token was not signed by a known key"
            }
            VerifyError::KeyUse { .. } | VerifyError::KeyAlgorithm { .. } => {
                "the token's key cannot verify it"
            }
            VerifyError::Signature { .. } => "the signature does not verify",
            VerifyError::ClaimType { .. } | VerifyError::GroupsClaim { .. } => {
                "the token has a malformed claim"
            }
            VerifyError::Expired { .. } => "the token has expired",
            VerifyError::NotYetValid { .. } => "the token is not valid yet",
            VerifyError::Issuer { .. } => "the token was issued by another issuer",
            VerifyError::TokenUse { .. } => "the token is of the wrong kind",
            VerifyError::Audience { .. } => "the token was issued for another client",
            VerifyError::MissingClaim { .. } => "the token lacks a required claim",
            VerifyError::NoUsableKeys { .. } => "the service cannot verify tokens right now",
        }
    }
}

/// The rule a [`VerifyError::KeyUse`] broke, by the JWK member that broke it.
fn key_use_rule(member: &str) -> &'static str {
    if member == "key_ops" {
        "only keys whose `key_ops` include `verify` (or that have no `key_ops`) verify tokens"
    } else {
        "only keys with `use` `sig` (or none) verify tokens"
    }
}

/// "`a`", "`a` or `b`": the issuers a verifier accepts.
fn one_of(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.as_slice() {
        [] => "(none)".to_owned(),
        [only] => only.clone(),
        [first @ .., last] => format!("{} or {last}", first.join(", ")),
    }
}

fn list(values: &[String]) -> String {
    if values.is_empty() {
        return "(none)".to_owned();
    }
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    quoted.join(", ")
}

/// Shows several values with [`shown`], at most five.
pub(crate) fn shown_all<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    values.into_iter().take(5).map(shown).collect()
}
