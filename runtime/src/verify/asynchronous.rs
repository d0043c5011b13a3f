//! The verifier's async face: [`verify_async`](Verifier::verify_async),
//! which web frameworks call whatever the key set, and
//! [`hydrate`](Verifier::hydrate). Only a live key set (feature `fetch`)
//! ever waits in them.

#[cfg(feature = "fetch")]
use super::Keys;
#[cfg(feature = "fetch")]
use super::live::{LiveKeys, LiveSets};
#[cfg(feature = "fetch")]
use super::token::{self, Parts};
use super::{Verifier, VerifyError};
use crate::group::Groups;
use crate::principal::Principal;

impl<G: Groups> Verifier<G> {
    /// [`verify`](Self::verify) for async code: what web frameworks call.
    ///
    /// With a fixed key set (`.jwks_json(..)`, `.key_set(..)`, `hs256`) it
    /// is `verify` and never waits, on any executor. With a fetched one
    /// (feature `fetch`: `.fetch_jwks()`, `.jwks_url(..)`), it fetches the
    /// set on first use and when the token names a `kid` the cached set
    /// lacks (once per cool-down while the key stays missing), sharing the
    /// request with every concurrent caller; it then needs a tokio runtime.
    ///
    /// # Errors
    ///
    /// Those of [`verify`](Self::verify), with
    /// [`VerifyError::NoUsableKeys`] when a fetched set is needed and none
    /// could be fetched.
    ///
    /// ```
    /// use groupguard::{groups, Verifier, VerifyError};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::hs256(b"s").issuer("dev").any_client().build()?;
    /// // A fixed key set never waits: polled once, it is ready.
    /// let future = std::pin::pin!(v.verify_async(""));
    /// let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    /// let std::task::Poll::Ready(result) = future.poll(&mut context) else { panic!("pending") };
    /// assert!(matches!(result, Err(VerifyError::Malformed { .. })));
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    ///
    /// A fetched key set, served by a test issuer:
    ///
    /// ```
    /// # #[cfg(all(feature = "fetch", feature = "test-issuer"))] fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use groupguard::test_issuer::JwksServer;
    /// use groupguard::{groups, TokenUse, VerifyError};
    /// # #[groups] pub enum Group { ADMINS }
    ///
    /// let server = JwksServer::start()?;
    /// let verifier = server.verifier::<Group>(TokenUse::Access).build()?; // `.fetch_jwks()`
    /// let token = server.issuer().access_token().sign();
    ///
    /// // Nothing fetched yet: `verify` uses the cache only.
    /// assert!(matches!(verifier.verify(&token), Err(VerifyError::NoUsableKeys { .. })));
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    /// runtime.block_on(verifier.verify_async(&token))?; // fetches
    /// verifier.verify(&token)?; // cached now
    ///
    /// // The issuer rotates its key: the first token signed with it fetches the set again.
    /// server.issuer().rotate();
    /// let token = server.issuer().access_token().sign();
    /// runtime.block_on(verifier.verify_async(&token))?;
    /// assert_eq!(server.requests(), 2);
    /// # Ok(()) }
    /// # #[cfg(not(all(feature = "fetch", feature = "test-issuer")))] fn main() {}
    /// ```
    #[cfg_attr(
        not(feature = "fetch"),
        expect(
            clippy::unused_async,
            reason = "it awaits only a live key set (feature `fetch`); async in every build, so that callers need no cfg"
        )
    )]
    pub async fn verify_async(&self, token: &str) -> Result<Principal<G>, VerifyError> {
        #[cfg(feature = "fetch")]
        if let Keys::Live(live) = &self.keys {
            let first = self.verify(token);
            if !matches!(
                first,
                Err(VerifyError::UnknownKey { .. } | VerifyError::NoUsableKeys { .. })
            ) {
                return first;
            }
            // The set to fetch is the one of the token's issuer: the checks
            // up to the issuer's again, on this path only (it fetches).
            return match self.set_of(live, token) {
                Some((set, kid)) => set.refetch(kid.as_deref(), || self.verify(token)).await,
                None => first,
            };
        }
        self.verify(token)
    }

    /// The live set of the issuer `token` names, when it is one of this
    /// verifier's (steps 1, 2 and 4 of [`check`](Self::check)), and the
    /// `kid` the token's header names, if any.
    #[cfg(feature = "fetch")]
    fn set_of<'l>(
        &self,
        live: &'l LiveSets,
        token: &str,
    ) -> Option<(&'l LiveKeys, Option<String>)> {
        token::check_size(token, self.config.max_token_bytes).ok()?;
        let parts = Parts::split(token).ok()?;
        let issuer = self.config.check_issuer(&parts.claims).ok()?;
        let set = live.of_issuer(issuer).ok()?;
        Some((set, parts.kid().map(str::to_owned)))
    }

    /// Fetches the key set now, for start-up or a readiness probe: a
    /// verifier that fetches its keys (feature `fetch`) then verifies the
    /// first tokens without waiting, even with [`verify`](Self::verify).
    /// It fetches whatever the cool-down, sharing a fetch already in flight.
    /// With a fixed key set it does nothing.
    ///
    /// A Cognito verifier with `.fetch_jwks()` has a set per issuer format:
    /// both are fetched at once, and `hydrate` succeeds when at least one
    /// arrived (a pool issues its tokens in one format; the other set is
    /// fetched when a token first names its issuer). Failures are logged
    /// (`tracing`, target `groupguard::verify`).
    ///
    /// # Errors
    ///
    /// [`VerifyError::NoUsableKeys`] when the fetch failed (the issuer is
    /// down, the set is malformed or too large, ...), or every fetch did; a
    /// set cached before is kept and still used.
    ///
    /// ```
    /// # #[cfg(all(feature = "fetch", feature = "test-issuer"))] fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use groupguard::test_issuer::JwksServer;
    /// use groupguard::{groups, TokenUse, VerifyError};
    /// # #[groups] pub enum Group { ADMINS }
    ///
    /// let server = JwksServer::start()?;
    /// let verifier = server.verifier::<Group>(TokenUse::Access).build()?;
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    ///
    /// server.fail_with(500);
    /// let err = runtime.block_on(verifier.hydrate()).unwrap_err();
    /// assert!(matches!(err, VerifyError::NoUsableKeys { .. }));
    ///
    /// server.reset();
    /// runtime.block_on(verifier.hydrate())?;
    /// verifier.verify(&server.issuer().access_token().sign())?;
    /// # Ok(()) }
    /// # #[cfg(not(all(feature = "fetch", feature = "test-issuer")))] fn main() {}
    /// ```
    #[cfg_attr(
        not(feature = "fetch"),
        expect(
            clippy::unused_async,
            reason = "it awaits only a live key set (feature `fetch`); async in every build, so that callers need no cfg"
        )
    )]
    pub async fn hydrate(&self) -> Result<(), VerifyError> {
        #[cfg(feature = "fetch")]
        if let Keys::Live(live) = &self.keys {
            return live.hydrate().await;
        }
        Ok(())
    }

    /// The URL this verifier fetches its key set from (feature `fetch`), or
    /// `None` for a fixed key set.
    ///
    /// ```
    /// use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .any_client()
    ///     .any_token_use()
    ///     .fetch_jwks()
    ///     .build()?;
    /// assert_eq!(
    ///     v.jwks_url(),
    ///     Some("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/.well-known/jwks.json")
    /// );
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    #[cfg(feature = "fetch")]
    #[must_use]
    pub fn jwks_url(&self) -> Option<&str> {
        self.jwks_urls().first().copied()
    }

    /// Every URL this verifier fetches key sets from (feature `fetch`): a
    /// Cognito pool's two (`.fetch_jwks()`: one per issuer format, ORIGINAL
    /// first), the one given to `.jwks_url(..)`, or none for a fixed key set.
    ///
    /// ```
    /// use groupguard::{groups, TokenUse, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let emulator = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .any_client()
    ///     .token_use(TokenUse::Access)
    ///     .jwks_url("http://127.0.0.1:9229/us-east-1_AbC123/.well-known/jwks.json")
    ///     .build()?;
    /// assert_eq!(emulator.jwks_urls(), ["http://127.0.0.1:9229/us-east-1_AbC123/.well-known/jwks.json"]);
    /// // The issuers are still the pool's: the emulator's keys verify its tokens.
    /// assert_eq!(emulator.issuer(), "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123");
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    #[cfg(feature = "fetch")]
    #[must_use]
    pub fn jwks_urls(&self) -> Vec<&str> {
        match &self.keys {
            Keys::Live(live) => live.urls(),
            _ => Vec::new(),
        }
    }
}
