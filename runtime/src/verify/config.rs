//! What a verifier checks tokens against, but its keys: the configuration
//! its builder makes and its clones share (issuers, clients, [`TokenUse`],
//! group claim, leeway, size limit), and [`ClaimChecks`], the checks of that
//! configuration that need neither keys nor the clock.

use core::time::Duration;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::checks;
use super::error::VerifyError;

/// Which token a Cognito verifier accepts: the `token_use` claim.
///
/// Send the **access** token to APIs (Cognito's recommendation); the ID token
/// is meant for the client app.
///
/// ```
/// use groupguard::TokenUse;
/// assert_eq!(TokenUse::Access.as_str(), "access");
/// assert_eq!(TokenUse::Id.to_string(), "id");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TokenUse {
    /// `token_use = "id"`: the client id is in `aud`, the user name in `cognito:username`.
    Id,
    /// `token_use = "access"`: the client id is in `client_id`, the user name in `username`.
    Access,
}

impl TokenUse {
    /// The claim value: `"id"` or `"access"`.
    ///
    /// ```
    /// assert_eq!(groupguard::TokenUse::Id.as_str(), "id");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Access => "access",
        }
    }
}

impl core::fmt::Display for TokenUse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the verifier's keys and issuer come from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mode {
    Cognito,
    Oidc,
    Hs256,
}

/// A builder choice that must be made explicitly.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(super) enum Choice<T> {
    Undecided,
    Any,
    Only(T),
}

/// What a verifier keeps alive while it lives: the test issuer's server
/// that [`JwksServer::verifier`](crate::test_issuer::JwksServer::verifier)
/// fetches from, so that dropping the server's handle before the first
/// request does not leave the verifier without keys.
#[cfg(all(feature = "test-issuer", feature = "fetch"))]
#[derive(Clone)]
pub(crate) struct KeepAlive(
    #[expect(dead_code, reason = "held, never read")] Arc<dyn core::any::Any + Send + Sync>,
);

#[cfg(all(feature = "test-issuer", feature = "fetch"))]
impl KeepAlive {
    pub(crate) fn new(value: Arc<dyn core::any::Any + Send + Sync>) -> Self {
        KeepAlive(value)
    }
}

#[cfg(all(feature = "test-issuer", feature = "fetch"))]
impl core::fmt::Debug for KeepAlive {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("KeepAlive")
    }
}

/// Everything a verifier checks against, but its keys.
#[derive(Clone, Debug)]
pub(super) struct Config {
    pub(super) mode: Mode,
    /// The accepted issuers, never empty: a Cognito pool's ORIGINAL and
    /// UPDATED formats, or the one issuer given.
    pub(super) issuers: Vec<String>,
    /// The accepted clients; `None` for `.any_client()`.
    pub(super) clients: Option<Vec<String>>,
    pub(super) token_use: Choice<TokenUse>,
    pub(super) groups_claim: String,
    pub(super) leeway: Duration,
    pub(super) max_token_bytes: usize,
    #[cfg(all(feature = "test-issuer", feature = "fetch"))]
    pub(super) _keep_alive: Option<KeepAlive>,
}

/// The checks a [`Verifier`](super::Verifier) makes on claims that need
/// neither its keys nor the clock: the claim types (but the `NumericDate`s),
/// `iss`, `token_use` and the client, with the verifier's configuration;
/// and its group claim's name.
///
/// For claims another party verified the signature and times of, and hands
/// on (API Gateway's authorizers: [`lambda`](crate::lambda) uses it; an
/// ALB; a custom authorizer): they are then held to the same issuer,
/// token-use and client rules as a token. Get them from a builder
/// ([`VerifierBuilder::build_claim_checks`](super::VerifierBuilder::build_claim_checks),
/// no key set needed) or a verifier
/// ([`Verifier::claim_checks`](super::Verifier::claim_checks)).
///
/// ```
/// use groupguard::{groups, TokenUse, Verifier, VerifyError};
/// use serde_json::json;
/// # #[groups] pub enum Group { ADMINS }
/// let checks = Verifier::<Group>::cognito("us-east-1_AbC123")?
///     .client_id("7abcd")
///     .token_use(TokenUse::Access)
///     .build_claim_checks()?;
/// let claims = json!({
///     "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
///     "token_use": "access", "client_id": "7abcd", "sub": "u-1",
/// });
/// assert!(checks.check(claims.as_object().unwrap()).is_ok());
/// let other = json!({"iss": "https://example.com", "token_use": "access", "client_id": "7abcd"});
/// assert!(matches!(checks.check(other.as_object().unwrap()), Err(VerifyError::Issuer { .. })));
/// assert_eq!(checks.groups_claim(), "cognito:groups");
/// assert!(checks.is_cognito());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClaimChecks(pub(super) Arc<Config>);

impl ClaimChecks {
    /// The claim the groups are read from (`cognito:groups` by default).
    ///
    /// ```
    /// use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let checks = Verifier::<Group>::oidc("https://id.example.com")?
    ///     .any_client()
    ///     .groups_claim("groups")
    ///     .build_claim_checks()?;
    /// assert_eq!(checks.groups_claim(), "groups");
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    #[must_use]
    pub fn groups_claim(&self) -> &str {
        &self.0.groups_claim
    }

    /// Whether the issuer is a Cognito user pool (`Verifier::cognito`),
    /// whose group names cannot hold whitespace: a list flattened on
    /// whitespace (API Gateway's HTTP API `[a b]`) reads back exactly.
    ///
    /// ```
    /// use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let oidc = Verifier::<Group>::oidc("https://id.example.com")?.any_client().build_claim_checks()?;
    /// assert!(!oidc.is_cognito());
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    #[must_use]
    pub fn is_cognito(&self) -> bool {
        matches!(self.0.mode, Mode::Cognito)
    }

    /// Steps 4, 7 (but the `NumericDate`s), 10 and 11 of the verifier's
    /// checks ("What is checked, in order" in [`crate::guide::tokens`]): the types of the
    /// claims read, `iss`, `token_use`, the client.
    ///
    /// # Errors
    ///
    /// The [`VerifyError`] of the first check that fails.
    ///
    /// ```
    /// use groupguard::{groups, Verifier, VerifyError};
    /// use serde_json::json;
    /// # #[groups] pub enum Group { ADMINS }
    /// let checks = Verifier::<Group>::oidc("https://id.example.com")?.audience("app").build_claim_checks()?;
    /// let claims = json!({"iss": "https://id.example.com", "aud": "another-app", "sub": "u-1"});
    /// assert!(matches!(checks.check(claims.as_object().unwrap()), Err(VerifyError::Audience { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, claims: &Map<String, Value>) -> Result<(), VerifyError> {
        checks::check_texts(claims)?;
        self.0.check_issuer(claims)?;
        let token_use = self.0.check_token_use(claims)?;
        self.0.check_client(claims, token_use)
    }
}
