//! [`JwksCache`]: the cached key set of one JWKS URL, shared by every
//! verifier that names it. Reads are lock-free (`ArcSwap`); fetches are one
//! at a time (single flight); on-demand fetches wait out a cool-down after
//! an attempt that failed or still lacked a token's `kid`; a set older than
//! its refresh time is refreshed in the background.

use core::time::Duration;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Instant;

use arc_swap::ArcSwapOption;

use super::super::error::VerifyError;
use super::super::keys::KeySet;
use super::clock::JwksClock;
use super::http::{self, FetchError, Fetched};
use super::{MAX_REFRESH_AFTER, MIN_REFRESH_AFTER, Options};

/// `last_attempt` before the first attempt.
const NEVER: u64 = u64::MAX;

/// The cached set of one URL.
pub(crate) struct JwksCache {
    pub(super) url: String,
    options: Options,
    clock: Arc<dyn JwksClock>,
    /// The clock's reading when the cache was made: times below are
    /// nanoseconds since it, so that they fit in atomics.
    base: Instant,
    loopback: bool,
    current: ArcSwapOption<Snapshot>,
    /// When the last fetch attempt ended (`NEVER` before the first).
    last_attempt: AtomicU64,
    /// Whether on-demand fetches wait out the cool-down after the last
    /// attempt: it failed, or a `kid` was still missing after it.
    penalized: AtomicBool,
    /// Fetch attempts ended so far: a fetch that waited for another one in
    /// flight takes that one's outcome instead of fetching again.
    attempts: AtomicU64,
    /// The last attempt's error; locked only on the paths that fetch or fail.
    last_error: Mutex<Option<String>>,
    /// Held while fetching: one request at a time (single flight).
    flight: tokio::sync::Mutex<()>,
    /// Whether a background refresh is under way (see [`Refreshing`]).
    refreshing: AtomicBool,
    client: OnceLock<Result<reqwest::Client, String>>,
}

/// A fetched set and what is known about it.
struct Snapshot {
    keys: KeySet,
    /// When it was fetched, or last confirmed by a `304`.
    fetched_at: u64,
    /// When it should be refreshed, after `fetched_at`.
    refresh_after: Duration,
    etag: Option<String>,
}

/// Lowers [`JwksCache::refreshing`] when dropped: when the background
/// refresh ends, or when its task is dropped before it ends.
struct Refreshing<'a>(&'a AtomicBool);

impl Drop for Refreshing<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// Why an on-demand fetch did not happen or did not succeed.
pub(super) enum Refused {
    /// The last attempt was less than a cool-down ago and failed or lacked a `kid`.
    CoolingDown,
    /// The fetch failed; the message says why.
    Failed(String),
}

impl JwksCache {
    pub(super) fn new(
        url: String,
        options: Options,
        clock: Arc<dyn JwksClock>,
        loopback: bool,
    ) -> Self {
        Self {
            url,
            options,
            base: clock.now(),
            clock,
            loopback,
            current: ArcSwapOption::empty(),
            last_attempt: AtomicU64::new(NEVER),
            penalized: AtomicBool::new(false),
            attempts: AtomicU64::new(0),
            last_error: Mutex::new(None),
            flight: tokio::sync::Mutex::new(()),
            refreshing: AtomicBool::new(false),
            client: OnceLock::new(),
        }
    }

    /// Nanoseconds since `base`.
    fn elapsed(&self) -> u64 {
        let since = self.clock.now().saturating_duration_since(self.base);
        u64::try_from(since.as_nanos()).unwrap_or(NEVER - 1)
    }

    /// Runs `check` with the cached keys, for `verify`: never waits and
    /// never fetches, but starts a background refresh when the set is due.
    pub(super) fn with_keys<R>(
        self: &Arc<Self>,
        check: impl FnOnce(&KeySet) -> Result<R, VerifyError>,
    ) -> Result<R, VerifyError> {
        let current = self.current.load();
        let Some(snapshot) = current.as_deref() else {
            return Err(self.no_keys_yet());
        };
        let now = self.elapsed();
        let age = Duration::from_nanos(now.saturating_sub(snapshot.fetched_at));
        let too_old = age > self.options.max_age;
        if too_old || age >= snapshot.refresh_after {
            self.spawn_refresh(now);
        }
        if too_old {
            return Err(self.too_old(age));
        }
        check(&snapshot.keys)
    }

    /// Fetches because a token needs it (nothing cached, or an unknown
    /// `kid`), unless the cool-down forbids it.
    pub(super) async fn fetch_on_demand(&self) -> Result<(), Refused> {
        let seen = self.attempts.load(Ordering::Acquire);
        if self.penalized.load(Ordering::Acquire) && self.cooling_down(self.elapsed()) {
            return Err(Refused::CoolingDown);
        }
        self.fetch_after(seen).await.map_err(Refused::Failed)
    }

    /// Fetches now, whatever the cool-down (`hydrate`).
    pub(super) async fn fetch_now(&self) -> Result<(), String> {
        self.fetch_after(self.attempts.load(Ordering::Acquire))
            .await
    }

    /// After a fresh set still lacked a token's `kid`: on-demand fetches
    /// wait out the cool-down.
    pub(super) fn penalize(&self) {
        self.penalized.store(true, Ordering::Release);
    }

    /// Whether the last attempt ended less than a cool-down before `now`.
    fn cooling_down(&self, now: u64) -> bool {
        let last = self.last_attempt.load(Ordering::Acquire);
        let cooldown = u64::try_from(self.options.cooldown.as_nanos()).unwrap_or(NEVER);
        last != NEVER && now < last.saturating_add(cooldown)
    }

    /// Fetches unless an attempt ended since `seen` attempts (while this
    /// one waited for it): then that attempt's outcome is this one's.
    async fn fetch_after(&self, seen: u64) -> Result<(), String> {
        let _flight = self.flight.lock().await;
        if self.attempts.load(Ordering::Acquire) != seen {
            return match &*self.last_error() {
                None => Ok(()),
                Some(error) => Err(error.clone()),
            };
        }
        let outcome = self.fetch().await;
        let now = self.elapsed();
        self.penalized.store(outcome.is_err(), Ordering::Release);
        self.last_error().clone_from(&outcome.clone().err());
        self.last_attempt.store(now, Ordering::Release);
        self.attempts.fetch_add(1, Ordering::AcqRel);
        match &outcome {
            Ok(()) => {
                tracing::debug!(target: "groupguard::verify", url = %self.url, "JWK Set fetched");
            }
            Err(error) => {
                tracing::warn!(target: "groupguard::verify", %error, "JWK Set fetch failed");
            }
        }
        outcome
    }

    /// One fetch (with its retry); a good set replaces the cached one, a
    /// bad one never does.
    async fn fetch(&self) -> Result<(), String> {
        let client = self
            .client
            .get_or_init(|| {
                http::client(self.options.connect_timeout, self.loopback).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| self.failed(&FetchError::Client(e.clone())))?;
        let cached = self.current.load_full();
        let etag = cached.as_ref().and_then(|s| s.etag.as_deref());
        let fetched = http::fetch(client, &self.url, etag, self.options.timeout)
            .await
            .map_err(|e| self.failed(&e))?;
        let fetched_at = self.elapsed();
        let snapshot = match fetched {
            Fetched::New {
                keys,
                etag,
                max_age,
            } => Snapshot {
                keys,
                fetched_at,
                refresh_after: self.refresh_after(max_age),
                etag,
            },
            Fetched::NotModified { etag, max_age } => {
                let Some(cached) = cached else {
                    return Err(format!("`{}` answered 304 to a first fetch", self.url));
                };
                Snapshot {
                    keys: cached.keys.clone(),
                    fetched_at,
                    refresh_after: self.refresh_after(max_age),
                    etag: etag.or_else(|| cached.etag.clone()),
                }
            }
        };
        self.current.store(Some(Arc::new(snapshot)));
        Ok(())
    }

    /// The server's `max-age`, clamped, or the configured refresh time.
    fn refresh_after(&self, max_age: Option<Duration>) -> Duration {
        max_age.map_or(self.options.refresh_after, |age| {
            age.clamp(MIN_REFRESH_AFTER, MAX_REFRESH_AFTER)
        })
    }

    /// Refreshes in the background, at most one at a time and one per
    /// cool-down, when a tokio runtime runs this thread.
    fn spawn_refresh(self: &Arc<Self>, now: u64) {
        if self.cooling_down(now) || self.refreshing.load(Ordering::Acquire) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if self.refreshing.swap(true, Ordering::AcqRel) {
            return;
        }
        let cache = Arc::clone(self);
        runtime.spawn(async move {
            // Lowered however the task ends: a task dropped unfinished (its
            // runtime shut down mid-fetch) must not leave the cache marked
            // refreshing, which would stop every later background refresh.
            let _refreshing = Refreshing(&cache.refreshing);
            let _ = cache.fetch_now().await;
        });
    }

    fn failed(&self, error: &FetchError) -> String {
        format!("fetching the JWK Set at `{}` failed: {error}", self.url)
    }

    fn last_error(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn no_keys_yet(&self) -> VerifyError {
        let reason = match &*self.last_error() {
            Some(error) => error.clone(),
            None => format!(
                "the JWK Set at `{}` has not been fetched yet: verify with `verify_async`, or call `hydrate` at start-up",
                self.url
            ),
        };
        VerifyError::NoUsableKeys { reason }
    }

    fn too_old(&self, age: Duration) -> VerifyError {
        let mut reason = format!(
            "the JWK Set of `{}` was fetched {} s ago, over the maximum age of {} s (`.jwks_max_age(..)`)",
            self.url,
            age.as_secs(),
            self.options.max_age.as_secs()
        );
        if let Some(error) = &*self.last_error() {
            reason.push_str("; last attempt: ");
            reason.push_str(error);
        }
        VerifyError::NoUsableKeys { reason }
    }
}
