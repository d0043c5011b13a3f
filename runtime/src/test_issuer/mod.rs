//! **For tests only: never use this module in production.** A fake Cognito
//! issuer that mints real RS256 tokens for your test suite.
//!
//! Enabled by the cargo feature `test-issuer`; turn it on for your
//! `[dev-dependencies]` only:
//!
//! ```toml
//! [dev-dependencies]
//! groupguard = { version = "0.1", features = ["test-issuer"] }
//! ```
//!
//! A [`TestIssuer`] generates an RSA-2048 key at run time (nothing secret is
//! stored anywhere), publishes its JWK Set ([`jwks_json`](TestIssuer::jwks_json),
//! [`key_set`](TestIssuer::key_set)), and mints Cognito-shaped access and ID
//! tokens with a builder ([`TokenBuilder`]), including the usual bad ones:
//! expired, for another client, from another issuer, with a bad signature,
//! naming an unknown key. [`verifier`](TestIssuer::verifier) returns a
//! [`VerifierBuilder`] configured to accept its tokens.
//!
//! With the `fetch` feature, `JwksServer` also serves the JWK Set over HTTP
//! on 127.0.0.1, with hooks to rotate keys, fail, slow down and count
//! requests, and `ManualClock` lets a test step over the key cache's
//! cool-downs without sleeping.
//!
//! ```
//! use groupguard::test_issuer::TestIssuer;
//! use groupguard::{groups, TokenUse, VerifyError};
//!
//! #[groups]
//! pub enum Group { ADMINS, EDITORS }
//!
//! let issuer = TestIssuer::new();
//! let verifier = issuer.verifier::<Group>(TokenUse::Access).build()?;
//!
//! let token = issuer.access_token().groups(["ADMINS"]).sub("u-1").sign();
//! let principal = verifier.verify(&token)?;
//! assert!(principal.is_in(Group::ADMINS));
//! assert_eq!(principal.sub(), Some("u-1"));
//!
//! let expired = issuer.access_token().expired().sign();
//! assert!(matches!(verifier.verify(&expired), Err(VerifyError::Expired { .. })));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Keys are generated once per process and shared by every `TestIssuer` in
//! it (each names them with its own `kid`s): RSA key generation takes
//! seconds in a debug build. To make it take a fraction of a second, let
//! cargo optimise the big-number crate even in debug builds:
//!
//! ```toml
//! [profile.dev.package.num-bigint-dig]
//! opt-level = 3
//! ```

#[cfg(feature = "fetch")]
mod clock;
mod keys;
#[cfg(feature = "fetch")]
mod server;
mod token;

#[cfg(all(test, feature = "fetch"))]
mod issuers_tests;

use std::sync::{Arc, Mutex, PoisonError};

use serde_json::json;

#[cfg(feature = "fetch")]
pub use self::clock::ManualClock;
#[cfg(feature = "fetch")]
pub use self::server::JwksServer;
pub use self::token::TokenBuilder;
use crate::group::Groups;
use crate::verify::{KeySet, TokenUse, Verifier, VerifierBuilder};

/// The user pool of a [`TestIssuer`] unless
/// [`with_pool_id`](TestIssuer::with_pool_id) names another.
pub const DEFAULT_POOL_ID: &str = "us-east-1_TestOnly";

/// The app client of a [`TestIssuer`] unless
/// [`with_client_id`](TestIssuer::with_client_id) names another.
pub const DEFAULT_CLIENT_ID: &str = "test-only-client";

/// **For tests only: never use it in production.** A fake Cognito user
/// pool that signs tokens with a key generated at run time.
///
/// By default its issuer is the Cognito URL of the pool
/// [`DEFAULT_POOL_ID`] in Cognito's ORIGINAL issuer format
/// (`https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly`; the
/// UPDATED format with [`with_updated_issuer`](Self::with_updated_issuer))
/// and its tokens are for the client [`DEFAULT_CLIENT_ID`]; any other
/// issuer URL may be set. Cloning is cheap and the clones share their keys:
/// [`rotate`](Self::rotate) on one is seen by all (and by the `JwksServer`
/// that serves it).
///
/// ```
/// use groupguard::test_issuer::TestIssuer;
///
/// let issuer = TestIssuer::new();
/// assert_eq!(issuer.issuer(), "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly");
/// assert_eq!(issuer.kids(), ["test-key-1"]);
/// assert!(issuer.jwks_json().contains(r#""kid":"test-key-1""#));
/// ```
#[derive(Clone, Debug)]
pub struct TestIssuer {
    issuer: String,
    pool_id: String,
    /// Whether the pool's issuer is in Cognito's UPDATED format.
    updated: bool,
    client_id: String,
    ring: Arc<Mutex<KeyRing>>,
}

/// The issuer's published keys; the first one signs.
#[derive(Debug)]
struct KeyRing {
    /// `(kid, key number)`, newest first.
    keys: Vec<(String, usize)>,
}

impl Default for TestIssuer {
    fn default() -> Self {
        Self::new()
    }
}

impl TestIssuer {
    /// An issuer for the pool [`DEFAULT_POOL_ID`] and the client
    /// [`DEFAULT_CLIENT_ID`], signing with the kid `test-key-1`.
    ///
    /// ```
    /// let issuer = groupguard::test_issuer::TestIssuer::new();
    /// assert_eq!(issuer.client_id(), "test-only-client");
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self {
            issuer: cognito_issuer(DEFAULT_POOL_ID, false),
            pool_id: DEFAULT_POOL_ID.to_owned(),
            updated: false,
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            ring: Arc::new(Mutex::new(KeyRing {
                keys: vec![("test-key-1".to_owned(), 0)],
            })),
        }
    }

    /// The same issuer for the Cognito pool `pool_id` (`eu-west-1_Abc`):
    /// the issuer URL becomes that pool's (in the format chosen so far).
    ///
    /// ```
    /// let issuer = groupguard::test_issuer::TestIssuer::new().with_pool_id("eu-west-1_Abc");
    /// assert_eq!(issuer.issuer(), "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc");
    /// ```
    #[must_use]
    pub fn with_pool_id(mut self, pool_id: impl Into<String>) -> Self {
        self.pool_id = pool_id.into();
        self.issuer = cognito_issuer(&self.pool_id, self.updated);
        self
    }

    /// The same issuer in Cognito's UPDATED issuer format, which Cognito
    /// recommends for all user pools:
    /// `https://issuer-cognito-idp.{region}.amazonaws.com/{pool_id}` (the
    /// pool's tokens carry it as `iss`). [`verifier`](Self::verifier)
    /// accepts its tokens as `Verifier::cognito(pool_id)` does, with both
    /// formats.
    ///
    /// ```
    /// use groupguard::test_issuer::TestIssuer;
    /// use groupguard::{groups, TokenUse};
    /// # #[groups] pub enum Group { ADMINS }
    ///
    /// let issuer = TestIssuer::new().with_updated_issuer();
    /// assert_eq!(
    ///     issuer.issuer(),
    ///     "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly"
    /// );
    /// let verifier = issuer.verifier::<Group>(TokenUse::Access).build()?;
    /// verifier.verify(&issuer.access_token().sign())?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_updated_issuer(mut self) -> Self {
        self.updated = true;
        self.issuer = cognito_issuer(&self.pool_id, true);
        self
    }

    /// The same issuer with any issuer URL (a local emulator, an OIDC
    /// provider's): the `iss` of its tokens, and what
    /// [`verifier`](Self::verifier) accepts.
    ///
    /// ```
    /// let issuer = groupguard::test_issuer::TestIssuer::new()
    ///     .with_issuer("http://localhost:9229/us-east-1_TestOnly");
    /// assert_eq!(issuer.issuer(), "http://localhost:9229/us-east-1_TestOnly");
    /// ```
    #[must_use]
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = issuer.into();
        self
    }

    /// The same issuer minting tokens for the app client `client_id` by
    /// default.
    ///
    /// ```
    /// let issuer = groupguard::test_issuer::TestIssuer::new().with_client_id("web");
    /// assert_eq!(issuer.client_id(), "web");
    /// ```
    #[must_use]
    pub fn with_client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = client_id.into();
        self
    }

    /// The `iss` of its tokens.
    ///
    /// ```
    /// let issuer = groupguard::test_issuer::TestIssuer::new();
    /// assert!(issuer.issuer().ends_with("/us-east-1_TestOnly"));
    /// ```
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The Cognito pool id.
    ///
    /// ```
    /// assert_eq!(groupguard::test_issuer::TestIssuer::new().pool_id(), "us-east-1_TestOnly");
    /// ```
    #[must_use]
    pub fn pool_id(&self) -> &str {
        &self.pool_id
    }

    /// The app client its tokens are for, unless a token names another.
    ///
    /// ```
    /// assert_eq!(groupguard::test_issuer::TestIssuer::new().client_id(), "test-only-client");
    /// ```
    #[must_use]
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The `kid` of the key that signs now.
    ///
    /// ```
    /// let issuer = groupguard::test_issuer::TestIssuer::new();
    /// assert_eq!(issuer.kid(), "test-key-1");
    /// ```
    #[must_use]
    pub fn kid(&self) -> String {
        self.ring().keys[0].0.clone()
    }

    /// The `kid`s of the published keys, newest (the signing one) first.
    ///
    /// ```
    /// let issuer = groupguard::test_issuer::TestIssuer::new();
    /// issuer.rotate();
    /// assert_eq!(issuer.kids(), ["test-key-2", "test-key-1"]);
    /// ```
    #[must_use]
    pub fn kids(&self) -> Vec<String> {
        self.ring()
            .keys
            .iter()
            .map(|(kid, _)| kid.clone())
            .collect()
    }

    /// Rotates the keys: a new key (generated on first use in the process)
    /// signs from now on under a new `kid`, which is returned; the previous
    /// keys stay published, as an issuer keeps them while their tokens live.
    ///
    /// ```
    /// use groupguard::test_issuer::TestIssuer;
    ///
    /// let issuer = TestIssuer::new();
    /// let old = issuer.access_token().sign();
    /// assert_eq!(issuer.rotate(), "test-key-2");
    /// let new = issuer.access_token().sign();
    /// // A key set loaded before the rotation does not know the new key.
    /// let keys = issuer.key_set();
    /// assert_eq!(keys.kids().collect::<Vec<_>>(), ["test-key-2", "test-key-1"]);
    /// # let _ = (old, new);
    /// ```
    pub fn rotate(&self) -> String {
        let mut ring = self.ring();
        let number = ring.keys.iter().map(|(_, n)| n + 1).max().unwrap_or(0);
        let kid = format!("test-key-{}", number + 1);
        ring.keys.insert(0, (kid.clone(), number));
        kid
    }

    /// The JWK Set document, as served at `{issuer}/.well-known/jwks.json`.
    ///
    /// ```
    /// use groupguard::KeySet;
    /// let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let keys = KeySet::from_jwks_json(&issuer.jwks_json())?;
    /// assert_eq!(keys.len(), 1);
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    #[must_use]
    pub fn jwks_json(&self) -> String {
        let keys: Vec<_> = self
            .ring()
            .keys
            .iter()
            .map(|(kid, number)| keys::material(*number).jwk(kid))
            .collect();
        json!({ "keys": keys }).to_string()
    }

    /// The published keys as a [`KeySet`], for
    /// [`VerifierBuilder::key_set`] or [`Verifier::with_keys`].
    ///
    /// ```
    /// let issuer = groupguard::test_issuer::TestIssuer::new();
    /// assert_eq!(issuer.key_set().kids().collect::<Vec<_>>(), ["test-key-1"]);
    /// ```
    ///
    /// # Panics
    ///
    /// Never for a set this issuer made (it is checked like any other).
    #[must_use]
    pub fn key_set(&self) -> KeySet {
        KeySet::from_jwks_json(&self.jwks_json())
            .unwrap_or_else(|e| panic!("the test issuer's own key set is refused: {e}"))
    }

    /// Starts an access token (`token_use` `access`, the client in
    /// `client_id`, the user name in `username`), valid for an hour.
    ///
    /// ```
    /// let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.access_token().groups(["ADMINS"]).username("bob").sign();
    /// assert_eq!(token.split('.').count(), 3);
    /// ```
    pub fn access_token(&self) -> TokenBuilder<'_> {
        TokenBuilder::new(self, TokenUse::Access)
    }

    /// Starts an ID token (`token_use` `id`, the client in `aud`, the user
    /// name in `cognito:username`), valid for an hour.
    ///
    /// ```
    /// use groupguard::{groups, TokenUse};
    /// # #[groups] pub enum Group { ADMINS }
    /// let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let verifier = issuer.verifier::<Group>(TokenUse::Id).build()?;
    /// let token = issuer.id_token().username("bob").claim("email", "bob@example.com").sign();
    /// let (principal, claims) = verifier.verify_with_claims(&token)?;
    /// assert_eq!(principal.username(), Some("bob"));
    /// assert_eq!(claims["email"], "bob@example.com");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id_token(&self) -> TokenBuilder<'_> {
        TokenBuilder::new(self, TokenUse::Id)
    }

    /// A verifier builder that accepts this issuer's `token_use` tokens: the
    /// Cognito verifier of its pool (both issuer formats, as in production),
    /// or, when its issuer URL is not one of the pool's, of that one issuer;
    /// with its client and its current keys. Change anything before
    /// `build()`.
    ///
    /// ```
    /// use groupguard::test_issuer::TestIssuer;
    /// use groupguard::{groups, TokenUse, VerifyError};
    /// # #[groups] pub enum Group { ADMINS }
    ///
    /// let issuer = TestIssuer::new();
    /// let verifier = issuer.verifier::<Group>(TokenUse::Access).build()?;
    /// assert_eq!(verifier.issuer(), issuer.issuer());
    /// let id_token = issuer.id_token().sign();
    /// assert!(matches!(verifier.verify(&id_token), Err(VerifyError::TokenUse { .. })));
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    ///
    /// # Panics
    ///
    /// When the pool id set with [`with_pool_id`](Self::with_pool_id) is not
    /// a Cognito pool id (`us-east-1_Abc`).
    pub fn verifier<G: Groups>(&self, token_use: TokenUse) -> VerifierBuilder<G> {
        self.verifier_without_keys(token_use)
            .key_set(self.key_set())
    }

    /// [`verifier`](Self::verifier) without its key set.
    fn verifier_without_keys<G: Groups>(&self, token_use: TokenUse) -> VerifierBuilder<G> {
        let builder =
            Verifier::<G>::cognito(&self.pool_id).unwrap_or_else(|e| panic!("test issuer: {e}"));
        // The pool's own issuers are the ones `Verifier::cognito` accepts.
        let own = crate::verify::cognito_issuers(&self.pool_id)
            .is_ok_and(|issuers| issuers.contains(&self.issuer));
        let builder = if own {
            builder
        } else {
            builder.issuer(self.issuer.clone())
        };
        builder
            .client_id(self.client_id.clone())
            .token_use(token_use)
    }

    fn ring(&self) -> std::sync::MutexGuard<'_, KeyRing> {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The signing key's `kid` and material.
    fn signing_key(&self) -> (String, Arc<keys::Material>) {
        let (kid, number) = self.ring().keys[0].clone();
        (kid, keys::material(number))
    }
}

/// The pool's Cognito issuer, in the UPDATED format or the ORIGINAL one
/// (made even for a malformed pool id: `verifier` reports that).
fn cognito_issuer(pool_id: &str, updated: bool) -> String {
    let region = pool_id
        .split_once('_')
        .map_or(pool_id, |(region, _)| region);
    let host = crate::verify::COGNITO_ISSUER_HOSTS[usize::from(updated)];
    format!("https://{host}.{region}.amazonaws.com/{pool_id}")
}
