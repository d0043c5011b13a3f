//! The builder calls of a live key set: where it is fetched from
//! ([`fetch_jwks`](VerifierBuilder::fetch_jwks),
//! [`jwks_url`](VerifierBuilder::jwks_url)) and how it is kept (cool-down,
//! refresh, maximum age, timeouts, clock).

use core::time::Duration;
use std::sync::Arc;

use super::super::VerifierBuilder;
use super::super::config::Mode;
use super::super::error::ConfigError;
use super::clock::JwksClock;
use super::{LiveKeys, LiveSets, Options, check_url};
use crate::group::Groups;

/// The live-set part of a [`VerifierBuilder`].
#[derive(Clone, Debug, Default)]
pub(in crate::verify) struct LiveConfig {
    source: Option<Source>,
    options: Options,
    clock: Option<Arc<dyn JwksClock>>,
    /// The first call that configures a live set, for the error when no
    /// URL was given.
    first_option: Option<&'static str>,
}

#[derive(Clone, Debug)]
enum Source {
    /// `{issuer}/.well-known/jwks.json`, known once the issuer is final.
    Issuer,
    Url(String),
}

impl LiveConfig {
    /// A fixed key set was given: it replaces the live one.
    pub(in crate::verify) fn clear(&mut self) {
        self.source = None;
    }

    /// The live key sets, when a URL was configured; `None` otherwise (the
    /// fixed keys given to the builder are then the verifier's).
    /// `.fetch_jwks()` gives each of `issuers` its own set, at
    /// `{issuer}/.well-known/jwks.json`; `.jwks_url(url)` one set for all.
    pub(in crate::verify) fn sets(
        self,
        issuers: &[String],
    ) -> Result<Option<LiveSets>, ConfigError> {
        let sets = match self.source {
            None => {
                return match self.first_option {
                    Some(method) => Err(ConfigError::NotLive { method }),
                    None => Ok(None),
                };
            }
            Some(Source::Issuer) => {
                let mut sets = Vec::with_capacity(issuers.len());
                for issuer in issuers {
                    let url = check_url(&format!("{issuer}/.well-known/jwks.json"))?;
                    let keys = LiveKeys::shared(url, self.options, self.clock.clone());
                    sets.push((issuer.clone(), keys));
                }
                LiveSets::PerIssuer(sets.into())
            }
            Some(Source::Url(url)) => {
                LiveSets::Shared(LiveKeys::shared(check_url(&url)?, self.options, self.clock))
            }
        };
        Ok(Some(sets))
    }
}

impl<G: Groups> VerifierBuilder<G> {
    /// Fetches the pool's key set from `{issuer}/.well-known/jwks.json` and
    /// keeps it fresh, replacing any key set given before.
    ///
    /// A Cognito pool has two issuers, one per issuer format, and so two
    /// sets: `https://cognito-idp.{region}.amazonaws.com/{pool_id}/.well-known/jwks.json`
    /// (ORIGINAL) and `https://issuer-cognito-idp.{region}.amazonaws.com/{pool_id}/.well-known/jwks.json`
    /// (UPDATED). A token's `iss` must be exactly one of the two issuers
    /// (else it is refused with `Issuer` before anything is fetched); the
    /// keys that verify it come from that issuer's set only. Both addresses
    /// are made from the pool id: no token can name another. After
    /// `.issuer(..)`, the one set of that issuer.
    ///
    /// Building does not fetch: the first [`verify_async`](crate::Verifier::verify_async)
    /// does, or [`hydrate`](crate::Verifier::hydrate) at start-up. A token
    /// naming a `kid` the cached set lacks makes `verify_async` fetch again
    /// (once per [cool-down](Self::jwks_cooldown) if the key is still
    /// missing); a set older than its [refresh time](Self::jwks_refresh_after)
    /// is refreshed in the background. `verify` uses the cached keys only.
    /// Verifiers with the same URL and options share one cache.
    ///
    /// Only on a Cognito verifier; an OIDC provider names its key set in
    /// its discovery document: give it to [`jwks_url`](Self::jwks_url).
    /// `build` refuses an issuer that is not `https://` (or `http://` to a
    /// loopback address).
    ///
    /// ```
    /// # #[cfg(feature = "test-issuer")] fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use groupguard::test_issuer::JwksServer;
    /// use groupguard::{groups, TokenUse, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    ///
    /// // In production: Verifier::cognito("us-east-1_AbC123")?.client_id("..").
    /// let server = JwksServer::start()?; // a test issuer on http://127.0.0.1
    /// let issuer = server.issuer();
    /// let verifier = Verifier::<Group>::cognito(issuer.pool_id())?
    ///     .issuer(issuer.issuer())
    ///     .client_id(issuer.client_id())
    ///     .token_use(TokenUse::Access)
    ///     .fetch_jwks()
    ///     .build()?;
    /// assert_eq!(verifier.jwks_url(), Some(server.jwks_url().as_str()));
    ///
    /// // The pool's own addresses, one per issuer format:
    /// let pool = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .any_client().any_token_use().fetch_jwks().build()?;
    /// assert_eq!(pool.jwks_urls(), [
    ///     "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/.well-known/jwks.json",
    ///     "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/.well-known/jwks.json",
    /// ]);
    ///
    /// let token = issuer.access_token().groups(["ADMINS"]).sign();
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    /// let principal = runtime.block_on(verifier.verify_async(&token))?;
    /// assert!(principal.is_in(Group::ADMINS));
    /// assert_eq!(server.requests(), 1);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "test-issuer"))] fn main() {}
    /// ```
    pub fn fetch_jwks(mut self) -> Self {
        match self.mode {
            Mode::Cognito => self.live_source(Source::Issuer),
            Mode::Hs256 => self.fail(ConfigError::SecretWithKeySet),
            Mode::Oidc => self.fail(ConfigError::InvalidValue {
                method: "fetch_jwks",
                reason: "an OIDC provider names its key set in its discovery document (`jwks_uri`): give that URL to `.jwks_url(..)`",
            }),
        }
        self
    }

    /// Fetches the key set from `url` and keeps it fresh, as
    /// [`fetch_jwks`](Self::fetch_jwks) does, replacing any key set given
    /// before: for OIDC providers (the `jwks_uri` of their discovery
    /// document) or a Cognito set served elsewhere (an emulator, a private
    /// endpoint, a mirror).
    ///
    /// The issuers stay the configured ones (on a Cognito verifier, both
    /// formats of the pool): this one set verifies the tokens of each.
    ///
    /// `url` must be `https://`; plain `http://` only to a loopback address
    /// (127.0.0.0/8, `[::1]`, `localhost`), for tests and local issuers.
    /// `build` reports a bad URL with [`ConfigError::JwksUrl`].
    ///
    /// ```
    /// use groupguard::{groups, ConfigError, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let oidc = Verifier::<Group>::oidc("https://id.example.com/realms/app")?
    ///     .audience("api")
    ///     .jwks_url("https://id.example.com/realms/app/protocol/openid-connect/certs")
    ///     .build()?; // nothing is fetched yet
    ///
    /// let err = Verifier::<Group>::oidc("https://id.example.com")?
    ///     .audience("api")
    ///     .jwks_url("http://id.example.com/certs")
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err, ConfigError::JwksUrl { .. }));
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn jwks_url(mut self, url: impl Into<String>) -> Self {
        if self.mode == Mode::Hs256 {
            self.fail(ConfigError::SecretWithKeySet);
        } else {
            self.live_source(Source::Url(url.into()));
        }
        self
    }

    /// After an on-demand fetch that failed, or whose fresh set still
    /// lacked a token's `kid`, no new on-demand fetch of the URL for
    /// `cooldown` (10 s by default, as aws-jwt-verify): tokens naming an
    /// unknown `kid` are refused at once with `UnknownKey`, and while no
    /// set is usable, tokens are refused with `NoUsableKeys`, whose
    /// `retry_after` is the time left (the axum and Lambda integrations
    /// send it as `Retry-After`). Known keys keep verifying;
    /// [`hydrate`](crate::Verifier::hydrate) ignores it.
    ///
    /// Deciding on a fetch, the fetch and the cool-down it starts are one
    /// step: a token that misses while a fetch is in flight waits for it
    /// and takes its set; one that misses after it finds the cool-down
    /// already started. A flood of unknown `kid`s fetches once per
    /// cool-down, however concurrent.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .any_client().any_token_use()
    ///     .fetch_jwks()
    ///     .jwks_cooldown(Duration::from_secs(30))
    ///     .build()?;
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn jwks_cooldown(mut self, cooldown: Duration) -> Self {
        self.live_option("jwks_cooldown").cooldown = cooldown;
        self
    }

    /// Refreshes the set in the background once it is `age` old (10 min by
    /// default), without holding back any verification. A `Cache-Control:
    /// max-age` from the server wins, clamped to 5 min..24 h.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .any_client().any_token_use()
    ///     .fetch_jwks()
    ///     .jwks_refresh_after(Duration::from_secs(3600))
    ///     .build()?;
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn jwks_refresh_after(mut self, age: Duration) -> Self {
        self.live_option("jwks_refresh_after").refresh_after = age;
        self
    }

    /// Stops using a set that could not be refreshed once it is `age` old
    /// (24 h by default): tokens are then refused with `NoUsableKeys`
    /// (fail closed) until a fetch succeeds.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .any_client().any_token_use()
    ///     .fetch_jwks()
    ///     .jwks_max_age(Duration::from_secs(300)) // prefer revocation to availability
    ///     .build()?;
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn jwks_max_age(mut self, age: Duration) -> Self {
        self.live_option("jwks_max_age").max_age = age;
        self
    }

    /// The timeouts of one fetch attempt: `connect` (2 s by default) and
    /// `total`, from sending the request to the end of the body (5 s by
    /// default). A network error or timeout is retried once at once.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .any_client().any_token_use()
    ///     .fetch_jwks()
    ///     .jwks_timeouts(Duration::from_secs(1), Duration::from_secs(3))
    ///     .build()?;
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn jwks_timeouts(mut self, connect: Duration, total: Duration) -> Self {
        let options = self.live_option("jwks_timeouts");
        options.connect_timeout = connect;
        options.timeout = total;
        if connect.is_zero() || total.is_zero() {
            self.fail(ConfigError::InvalidValue {
                method: "jwks_timeouts",
                reason: "a timeout of zero would fail every fetch",
            });
        }
        self
    }

    /// Measures ages and cool-downs with `clock` instead of the system's
    /// monotonic clock: for tests, which then never sleep through a
    /// cool-down (see `test_issuer::ManualClock`).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use std::time::Instant;
    /// # use groupguard::{groups, JwksClock, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[derive(Debug)]
    /// struct Frozen(Instant);
    /// impl JwksClock for Frozen {
    ///     fn now(&self) -> Instant { self.0 }
    /// }
    /// let v = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .any_client().any_token_use()
    ///     .fetch_jwks()
    ///     .jwks_clock(Arc::new(Frozen(Instant::now())))
    ///     .build()?;
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn jwks_clock(mut self, clock: Arc<dyn JwksClock>) -> Self {
        self.live_option("jwks_clock");
        self.live.clock = Some(clock);
        self
    }

    fn live_source(&mut self, source: Source) {
        self.keys = None;
        self.live.source = Some(source);
    }

    fn live_option(&mut self, method: &'static str) -> &mut Options {
        self.live.first_option.get_or_insert(method);
        &mut self.live.options
    }
}
