//! Live key sets (feature `fetch`): a verifier's JWK Set fetched from a URL
//! and kept fresh, instead of given once.
//!
//! The design follows aws-jwt-verify's `SimpleJwksCache` (a cache per JWKS
//! URL, one in-flight fetch shared by concurrent misses, a penalty box for
//! unknown `kid`s; awslabs/aws-jwt-verify, `src/jwk.ts`) and avoids what the
//! Rust crates that fetch key sets got wrong (a lock held across a fetch, no
//! timeout, a refetch for every unknown `kid`, no body limit): reads never wait on a lock,
//! nor on a fetch; every request has a timeout; an unknown `kid` causes one
//! refetch, then none for a cool-down (decided, fetched and started in one
//! step: no concurrent miss slips in between); a rotated key is picked up
//! by the first token that names it; a set older than its refresh time is
//! refreshed in the background; a failed fetch keeps the last good set for
//! a maximum age, then fails closed.
//!
//! A verifier has one live set per issuer it accepts (`.fetch_jwks()`: a
//! Cognito pool's two issuer formats each have their set, at
//! `{issuer}/.well-known/jwks.json`), or one set for all of them at the URL
//! the configuration names (`.jwks_url(..)`). A token's `iss`, once checked
//! to be exactly one of the verifier's issuers, chooses among them: no
//! token ever names the URL keys are fetched from.
//!
//! `mod.rs` holds the options, the process-wide registry of caches,
//! [`LiveKeys`], a verifier's handle on one cache, and [`LiveSets`], its
//! handles on all of them; `cache` the cache, `http` one fetch, `builder`
//! the builder calls, `clock` the clock.

mod builder;
mod cache;
mod clock;
mod http;

use core::future::Future;
use core::pin::Pin;
use core::task::Poll;
use core::time::Duration;
use std::sync::{Arc, Mutex, PoisonError, Weak};

pub(super) use self::builder::LiveConfig;
use self::cache::JwksCache;
pub use self::clock::JwksClock;
use self::clock::SystemClock;
use super::error::{ConfigError, VerifyError};
use super::keys::{Generation, KeySet};
use crate::text::shown;

/// Default cool-down after an on-demand fetch that failed or still lacked
/// a token's `kid` (aws-jwt-verify's penalty box).
pub(crate) const DEFAULT_COOLDOWN: Duration = Duration::from_secs(10);
/// Default age at which a set is refreshed in the background, when the
/// server sends no `Cache-Control: max-age`.
pub(crate) const DEFAULT_REFRESH_AFTER: Duration = Duration::from_secs(10 * 60);
/// A server's `max-age` is clamped to `MIN_REFRESH_AFTER..=MAX_REFRESH_AFTER`.
pub(crate) const MIN_REFRESH_AFTER: Duration = Duration::from_secs(5 * 60);
/// See [`MIN_REFRESH_AFTER`].
pub(crate) const MAX_REFRESH_AFTER: Duration = Duration::from_secs(24 * 60 * 60);
/// Default age after which a set that could not be refreshed is no longer used.
pub(crate) const DEFAULT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);
/// Default connect timeout of a fetch.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Default total timeout of one fetch attempt (connecting included).
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// How a live key set is kept: with the URL and the clock, what makes two
/// verifiers share a cache.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Options {
    pub(crate) cooldown: Duration,
    pub(crate) refresh_after: Duration,
    pub(crate) max_age: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            cooldown: DEFAULT_COOLDOWN,
            refresh_after: DEFAULT_REFRESH_AFTER,
            max_age: DEFAULT_MAX_AGE,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// A verifier's live key set: its handle on the shared cache of its URL.
#[derive(Clone)]
pub(crate) struct LiveKeys {
    cache: Arc<JwksCache>,
}

impl core::fmt::Debug for LiveKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LiveKeys")
            .field("url", &self.cache.url)
            .finish_non_exhaustive()
    }
}

/// One cache per URL, options and clock, while a verifier uses it.
type Registry = Vec<((String, Options, usize), Weak<JwksCache>)>;
static REGISTRY: Mutex<Registry> = Mutex::new(Vec::new());

impl LiveKeys {
    /// The live set of `url` (checked already): the cache every verifier
    /// with the same URL, options and clock shares, made if none has it.
    fn shared(url: String, options: Options, clock: Option<Arc<dyn JwksClock>>) -> Self {
        // The system clock is one clock; an injected one is told apart by address.
        let clock_id = clock
            .as_ref()
            .map_or(0, |clock| Arc::as_ptr(clock).cast::<()>().addr());
        let key = (url, options, clock_id);
        let mut registry = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
        registry.retain(|(_, cache)| cache.strong_count() > 0);
        if let Some(cache) = registry
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, cache)| cache.upgrade())
        {
            return Self { cache };
        }
        let loopback = is_loopback_url(&key.0);
        let clock = clock.unwrap_or_else(|| Arc::new(SystemClock));
        let cache = Arc::new(JwksCache::new(key.0.clone(), options, clock, loopback));
        registry.push((key, Arc::downgrade(&cache)));
        Self { cache }
    }

    /// The URL the set is fetched from.
    pub(crate) fn url(&self) -> &str {
        &self.cache.url
    }

    /// Runs `check` with the cached keys (`verify`): never waits.
    pub(crate) fn with_keys<R>(
        &self,
        check: impl FnOnce(&KeySet) -> Result<R, VerifyError>,
    ) -> Result<R, VerifyError> {
        self.cache.with_keys(check)
    }

    /// After a verification that failed for want of keys (no usable set
    /// cached, or none with the token's `kid`; `kid` is `None` for a token
    /// without one): an on-demand fetch if the cool-down allows one, then
    /// `verify` again with whatever set is cached then (the one this fetch
    /// or another caller's brought), for the token's own answer: its
    /// principal, `UnknownKey`, or `NoUsableKeys` with the last fetch error
    /// and when to retry.
    pub(crate) async fn refetch<T>(
        &self,
        kid: Option<&str>,
        verify: impl FnOnce() -> Result<T, VerifyError>,
    ) -> Result<T, VerifyError> {
        self.cache.fetch_on_demand(kid).await;
        verify()
    }

    /// Fetches the set now, whatever the cool-down.
    pub(crate) async fn hydrate(&self) -> Result<(), VerifyError> {
        self.cache
            .fetch_now()
            .await
            .map_err(|reason| VerifyError::NoUsableKeys {
                reason,
                retry_after: self.cache.retry_after(),
            })
    }
}

/// A verifier's live key sets.
#[derive(Clone, Debug)]
pub(crate) enum LiveSets {
    /// `.jwks_url(url)`: the one set the configuration names, for every
    /// issuer the verifier accepts.
    Shared(LiveKeys),
    /// `.fetch_jwks()`: each accepted issuer's own set, at
    /// `{issuer}/.well-known/jwks.json`, in the order of the issuers.
    PerIssuer(Arc<[(String, LiveKeys)]>),
}

impl LiveSets {
    /// The set of `issuer`, one the verifier accepts (step 4 checked it).
    pub(crate) fn of_issuer(&self, issuer: &str) -> Result<&LiveKeys, VerifyError> {
        match self {
            Self::Shared(keys) => Ok(keys),
            Self::PerIssuer(sets) => sets
                .iter()
                .find(|(of, _)| of == issuer)
                .map(|(_, keys)| keys)
                // Not reached: the sets are made from the accepted issuers.
                // Fail closed rather than use another issuer's keys.
                .ok_or_else(|| VerifyError::NoUsableKeys {
                    reason: format!("no key set for the issuer `{}`", shown(issuer)),
                    retry_after: Duration::from_secs(1),
                }),
        }
    }

    /// The URLs the sets are fetched from, in the order of the issuers.
    pub(crate) fn urls(&self) -> Vec<&str> {
        match self {
            Self::Shared(keys) => vec![keys.url()],
            Self::PerIssuer(sets) => sets.iter().map(|(_, keys)| keys.url()).collect(),
        }
    }

    /// The stamp of the sets cached now (see [`Generation`]): `None` before
    /// any is fetched, or for more sets than a stamp holds (no verifier has
    /// more than two: a Cognito pool's issuer formats).
    pub(crate) fn generation(&self) -> Option<Generation> {
        let of = |keys: &LiveKeys| {
            keys.with_keys(|keys| Ok(keys.generation))
                .ok()
                .map(Generation::from)
        };
        match self {
            Self::Shared(keys) => of(keys),
            Self::PerIssuer(sets) => match &**sets {
                [(_, only)] => of(only),
                [(_, first), (_, second)] => match (of(first), of(second)) {
                    (None, None) => None,
                    (first, second) => Some((first.unwrap_or(0) << 64) | second.unwrap_or(0)),
                },
                _ => None,
            },
        }
    }

    /// Fetches every set now, at once, whatever the cool-downs: `Ok` when
    /// at least one arrived (a pool issues its tokens in one format; the
    /// other set is fetched when a token first names it), the first error
    /// when none did. Each failure is logged by the fetch itself.
    pub(crate) async fn hydrate(&self) -> Result<(), VerifyError> {
        match self {
            Self::Shared(keys) => keys.hydrate().await,
            Self::PerIssuer(sets) => {
                let outcomes = join_all(sets.iter().map(|(_, keys)| keys.hydrate())).await;
                let mut first_error = None;
                for outcome in outcomes {
                    match outcome {
                        Ok(()) => return Ok(()),
                        Err(error) => {
                            first_error.get_or_insert(error);
                        }
                    }
                }
                first_error.map_or(Ok(()), Err)
            }
        }
    }
}

/// Runs `futures` at once and returns their outputs, in order.
async fn join_all<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut futures: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    core::future::poll_fn(|context| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(context) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

/// Checks a JWKS URL: `https://`, or `http://` to a loopback host
/// (127.0.0.0/8, `::1`, `localhost`); a host, no user info. Returns it as
/// the URL parser writes it (percent-encoded ASCII, scheme and host in
/// lowercase), the form it is fetched, shared, shown and logged in: a
/// newline or a tab in the text given never reaches a message.
pub(crate) fn check_url(url: &str) -> Result<String, ConfigError> {
    let refuse = |reason| ConfigError::JwksUrl {
        url: shown(url),
        reason,
    };
    let parsed = reqwest::Url::parse(url).map_err(|_| refuse("not a URL"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(refuse("a JWKS URL has no user info (`user@`)"));
    }
    if parsed.host().is_none() {
        return Err(refuse("the URL has no host"));
    }
    match parsed.scheme() {
        "https" => Ok(parsed.into()),
        "http" if is_loopback_url(url) => Ok(parsed.into()),
        "http" => Err(refuse(
            "`http://` is only allowed to a loopback address (127.0.0.1, [::1], localhost); use `https://`",
        )),
        _ => Err(refuse("a JWKS URL is an `https://` URL")),
    }
}

/// Whether `url`'s host is a loopback address or `localhost`.
fn is_loopback_url(url: &str) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return false;
    };
    // The URL parser has normalised the host (`127.1` is `127.0.0.1`).
    let Some(host) = parsed.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_numbers() {
        let options = Options::default();
        assert_eq!(options.cooldown, Duration::from_secs(10));
        assert_eq!(options.refresh_after, Duration::from_secs(600));
        assert_eq!(options.max_age, Duration::from_secs(86_400));
        assert_eq!(options.connect_timeout, Duration::from_secs(2));
        assert_eq!(options.timeout, Duration::from_secs(5));
        assert_eq!(
            (MIN_REFRESH_AFTER.as_secs(), MAX_REFRESH_AFTER.as_secs()),
            (300, 86_400)
        );
        assert_eq!(http::MAX_JWKS_BYTES, 65_536);
    }

    #[test]
    fn loopback_hosts() {
        for url in [
            "http://127.0.0.1/",
            "http://127.1/",
            "http://[::1]/",
            "http://localhost:1/",
        ] {
            assert!(is_loopback_url(url), "{url}");
        }
        for url in [
            "http://128.0.0.1/",
            "http://[::2]/",
            "http://localhost.example/",
            "nonsense",
        ] {
            assert!(!is_loopback_url(url), "{url}");
        }
    }
}
