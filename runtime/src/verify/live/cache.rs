//! [`JwksCache`]: the cached key set of one JWKS URL, shared by every
//! verifier that names it. Reads are lock-free (`ArcSwap`); fetches are one
//! at a time (single flight); on-demand fetches wait out a cool-down after
//! an attempt that failed or still lacked a token's `kid`; a set older than
//! its refresh time is refreshed in the background.
//!
//! Whether an on-demand fetch happens, the fetch, and the cool-down it
//! starts are one step: all three under the `flight` lock, which every
//! fetch holds. A miss that arrives during a fetch waits for it and takes
//! its outcome; one that arrives after it sees the cool-down that fetch
//! started, never a moment between the two.

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
    /// attempt: it failed, or a `kid` was still missing after it. Written
    /// only under `flight`.
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

    /// For a token that found no key to verify it (nothing usable cached,
    /// or its `kid` missing; `kid` is `None` for a token without one):
    /// fetches the set unless that would be a second fetch for a missing
    /// key within a cool-down. Afterwards the cached set, whatever it is,
    /// is the one to verify the token with again; a failure is logged.
    ///
    /// No fetch when the cached set has the `kid` (a fetch since the token
    /// was first checked brought it), nor while on-demand fetches are
    /// cooling down. A caller that waited for another's fetch takes its
    /// outcome: when that set lacks this `kid` too, the cool-down starts
    /// now, as after a fetch of its own. Each decision is made under the
    /// `flight` lock, and a fetch records its cool-down before it releases
    /// the lock, so no miss can fetch between a fetch and its cool-down.
    pub(super) async fn fetch_on_demand(&self, kid: Option<&str>) {
        let seen = self.attempts.load(Ordering::Acquire);
        // Without waiting: most misses of a flood end here.
        if self.serves(kid) || self.refusing() {
            return;
        }
        let _flight = self.flight.lock().await;
        if self.serves(kid) || self.refusing() {
            return;
        }
        if self.attempts.load(Ordering::Acquire) != seen {
            // An attempt ended while this one waited for it: its set lacks
            // this `kid` too, or it failed (and started the cool-down).
            if self.last_error().is_none() {
                self.penalized.store(true, Ordering::Release);
            }
            return;
        }
        let _ = self.attempt(|cache| !cache.serves(kid)).await;
    }

    /// Fetches now, whatever the cool-down (`hydrate`), unless an attempt
    /// ends while this one waits for the one in flight: then that
    /// attempt's outcome is this one's.
    pub(super) async fn fetch_now(&self) -> Result<(), String> {
        let seen = self.attempts.load(Ordering::Acquire);
        let _flight = self.flight.lock().await;
        if self.attempts.load(Ordering::Acquire) != seen {
            return match &*self.last_error() {
                None => Ok(()),
                Some(error) => Err(error.clone()),
            };
        }
        self.attempt(|_| false).await
    }

    /// Whether the cached set can verify a token naming `kid` (any token
    /// for `None`): one is cached, no older than the maximum age, and has
    /// a key with that `kid`.
    fn serves(&self, kid: Option<&str>) -> bool {
        let current = self.current.load();
        let Some(snapshot) = current.as_deref() else {
            return false;
        };
        let age = Duration::from_nanos(self.elapsed().saturating_sub(snapshot.fetched_at));
        age <= self.options.max_age && kid.is_none_or(|kid| snapshot.keys.kids().any(|k| k == kid))
    }

    /// Whether on-demand fetches are refused now: the last attempt failed
    /// or lacked a `kid`, less than a cool-down ago.
    fn refusing(&self) -> bool {
        self.penalized.load(Ordering::Acquire) && self.cooling_down(self.elapsed())
    }

    /// Whether the last attempt ended less than a cool-down before `now`.
    fn cooling_down(&self, now: u64) -> bool {
        self.cooldown_left(now) > 0
    }

    /// Nanoseconds from `now` to the end of the cool-down after the last
    /// attempt: 0 when it has ended, or before any attempt.
    fn cooldown_left(&self, now: u64) -> u64 {
        let last = self.last_attempt.load(Ordering::Acquire);
        let cooldown = u64::try_from(self.options.cooldown.as_nanos()).unwrap_or(NEVER);
        if last == NEVER {
            0
        } else {
            last.saturating_add(cooldown).saturating_sub(now)
        }
    }

    /// When a token refused for want of keys may be sent again: when the
    /// cool-down that refuses on-demand fetches ends, in whole seconds
    /// (rounded up), or in 1 s when none is running (an on-demand fetch
    /// may happen at once; 1 s is the least `Retry-After` says). Made of the
    /// configured cool-down and the clock only.
    pub(super) fn retry_after(&self) -> Duration {
        let left = if self.penalized.load(Ordering::Acquire) {
            self.cooldown_left(self.elapsed())
        } else {
            0
        };
        Duration::from_secs(left.div_ceil(1_000_000_000).max(1))
    }

    /// One attempt, with the `flight` lock held: fetches, then records the
    /// outcome, the cool-down (`penalize` tells whether a set that arrived
    /// still leaves on-demand fetches cooling down) and the attempt, in
    /// that order, before the lock is released.
    async fn attempt(&self, penalize: impl FnOnce(&Self) -> bool) -> Result<(), String> {
        let outcome = self.fetch().await;
        let now = self.elapsed();
        let penalized = outcome.is_err() || penalize(self);
        self.penalized.store(penalized, Ordering::Release);
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
        VerifyError::NoUsableKeys {
            reason,
            retry_after: self.retry_after(),
        }
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
        VerifyError::NoUsableKeys {
            reason,
            retry_after: self.retry_after(),
        }
    }
}
