//! The verified-token cache of
//! [`VerifierBuilder::cache_verified`](crate::VerifierBuilder::cache_verified): principals of tokens that
//! passed every check, so that the same token presented again skips the
//! signature and the JSON.
//!
//! What keeps a hit equal to a full verification:
//!
//! - **Keyed by the whole token.** The bucket is chosen by the token's last
//!   32 bytes (its signature's, effectively random for a signed token, and
//!   cheap to hash), but an entry is found only by comparing the entire
//!   token text: two tokens differing in any byte are two entries.
//! - **Only successes** are stored, with the principal they produced.
//! - **Time.** Every check but `exp` and `nbf` depends only on the token
//!   and the (immutable) configuration. A hit re-runs those two with the
//!   same arithmetic as the claim checks (`now >= exp + leeway` is expired,
//!   `now + leeway < nbf` not yet valid) and at the time the caller gives
//!   (`verify_at`), and an expired entry is dropped.
//! - **Keys.** An entry records the generation of the key set that verified
//!   it (every `KeySet` gets a new one when it is parsed); a hit requires the
//!   verifier's current set to be that same generation. A refreshed or
//!   replaced set (`with_keys`, a live refetch) therefore misses, even when
//!   it still holds the key: a key rotated out can never be reached through
//!   the cache. A verifier with a live set per issuer (a Cognito pool's two
//!   formats) stamps an entry with the generations of both sets: a change to
//!   either misses, so the set the token's issuer chose is the one that
//!   verified it at every hit.
//! - **Bounded.** At most `capacity` entries; when full, the oldest entry
//!   goes (first in, first out).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Map, Value};

use super::keys::Generation;
use crate::group::Groups;
use crate::principal::Principal;

/// How many trailing bytes of a token choose its bucket.
const TAIL: usize = 32;

/// The bucket of a token: its last [`TAIL`] bytes (all of it when shorter),
/// zero-padded.
type Tail = [u8; TAIL];

fn tail(token: &str) -> Tail {
    let bytes = token.as_bytes();
    let end = bytes
        .get(bytes.len().saturating_sub(TAIL)..)
        .unwrap_or_default();
    let mut tail = [0; TAIL];
    tail.get_mut(..end.len())
        .unwrap_or_default()
        .copy_from_slice(end);
    tail
}

/// The time window of a token, from its claims, as the claim checks read it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Window {
    exp: f64,
    nbf: Option<f64>,
}

impl Window {
    /// The window of verified `claims` (which have a numeric `exp`).
    pub(super) fn of(claims: &Map<String, Value>) -> Option<Self> {
        Some(Self {
            exp: claims.get("exp").and_then(Value::as_f64)?,
            nbf: claims.get("nbf").and_then(Value::as_f64),
        })
    }

    /// Whether a token of this window passes `check_exp` and `check_nbf` at
    /// `now` (Unix seconds) with `leeway` (seconds): the same expressions.
    fn admits(self, now: f64, leeway: f64) -> bool {
        let early = self.nbf.is_some_and(|nbf| now + leeway < nbf);
        !self.expired(now, leeway) && !early
    }

    /// Whether the token has expired at `now`, so that its entry is dropped
    /// (a `verify_at` with an earlier time then misses and verifies in full:
    /// a lost hit, never a different answer).
    fn expired(self, now: f64, leeway: f64) -> bool {
        now >= self.exp + leeway
    }
}

struct Entry<G: Groups> {
    token: Arc<str>,
    principal: Principal<G>,
    window: Window,
    generation: Generation,
}

struct Inner<G: Groups> {
    buckets: HashMap<Tail, Vec<Entry<G>>>,
    /// Insertion order, for eviction.
    order: VecDeque<(Tail, Arc<str>)>,
    len: usize,
}

/// The cache; shared by the clones of a verifier and by the verifiers
/// [`with_keys`](crate::Verifier::with_keys) makes (their key sets differ,
/// so their entries never match each other's).
pub(super) struct TokenCache<G: Groups> {
    capacity: usize,
    inner: Mutex<Inner<G>>,
}

impl<G: Groups> core::fmt::Debug for TokenCache<G> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never the tokens.
        f.debug_struct("TokenCache")
            .field("capacity", &self.capacity)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl<G: Groups> TokenCache<G> {
    pub(super) fn new(capacity: usize) -> Arc<Self> {
        Arc::new(Self {
            capacity,
            inner: Mutex::new(Inner {
                buckets: HashMap::new(),
                order: VecDeque::new(),
                len: 0,
            }),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<G>> {
        // Every update leaves the maps consistent before it can panic.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The principal of `token`, if it was verified with the key set of
    /// `generation` and its window admits `now`.
    pub(super) fn get(
        &self,
        token: &str,
        generation: Generation,
        now: f64,
        leeway: f64,
    ) -> Option<Principal<G>> {
        let key = tail(token);
        let mut inner = self.lock();
        let bucket = inner.buckets.get_mut(&key)?;
        let index = bucket.iter().position(|e| *e.token == *token)?;
        let entry = bucket.get(index)?;
        if entry.generation == generation && entry.window.admits(now, leeway) {
            return Some(entry.principal.clone());
        }
        if entry.window.expired(now, leeway) {
            bucket.swap_remove(index);
            if bucket.is_empty() {
                inner.buckets.remove(&key);
            }
            inner.len -= 1;
        }
        None
    }

    /// Remembers that `token` verified to `principal` with the key set of
    /// `generation`.
    pub(super) fn insert(
        &self,
        token: &str,
        principal: &Principal<G>,
        window: Window,
        generation: Generation,
    ) {
        let key = tail(token);
        let mut inner = self.lock();
        if let Some(bucket) = inner.buckets.get_mut(&key)
            && let Some(entry) = bucket.iter_mut().find(|e| *e.token == *token)
        {
            // Verified again (after a key-set change): the newer stamp wins.
            entry.principal = principal.clone();
            entry.window = window;
            entry.generation = generation;
            return;
        }
        while inner.len >= self.capacity {
            if !inner.evict_oldest() {
                break;
            }
        }
        let token: Arc<str> = token.into();
        inner.order.push_back((key, Arc::clone(&token)));
        inner.buckets.entry(key).or_default().push(Entry {
            token,
            principal: principal.clone(),
            window,
            generation,
        });
        inner.len += 1;
    }

    /// How many tokens are cached.
    fn len(&self) -> usize {
        self.lock().len
    }
}

impl<G: Groups> Inner<G> {
    /// Drops the oldest entry still cached; `false` when none is left.
    fn evict_oldest(&mut self) -> bool {
        while let Some((key, token)) = self.order.pop_front() {
            let Some(bucket) = self.buckets.get_mut(&key) else {
                continue; // already dropped (expired)
            };
            let Some(index) = bucket.iter().position(|e| Arc::ptr_eq(&e.token, &token)) else {
                continue;
            };
            bucket.swap_remove(index);
            if bucket.is_empty() {
                self.buckets.remove(&key);
            }
            self.len -= 1;
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::groups]
    enum Group {
        ADMINS,
    }

    fn window(exp: f64) -> Window {
        Window { exp, nbf: None }
    }

    #[test]
    fn tokens_differing_in_one_byte_are_different_entries() {
        let cache = TokenCache::<Group>::new(8);
        let admin = Principal::authenticated("a").with_groups([Group::ADMINS]);
        cache.insert("aaaa.bbbb.sig", &admin, window(100.0), 1);
        assert!(cache.get("aaaa.bbbb.sig", 1, 50.0, 0.0).is_some());
        // Same tail, same length: compared whole.
        assert!(cache.get("aaaa.bbbc.sig", 1, 50.0, 0.0).is_none());
        assert!(
            cache.get("aaaa.bbbb.sig", 2, 50.0, 0.0).is_none(),
            "another key set"
        );
    }

    #[test]
    fn the_window_is_the_claim_checks() {
        let cache = TokenCache::<Group>::new(8);
        let p = Principal::authenticated("a");
        cache.insert(
            "t",
            &p,
            Window {
                exp: 100.0,
                nbf: Some(40.0),
            },
            1,
        );
        assert!(cache.get("t", 1, 39.0, 0.0).is_none(), "before nbf");
        assert!(cache.get("t", 1, 39.0, 1.0).is_some(), "nbf with leeway");
        assert!(cache.get("t", 1, 99.5, 0.0).is_some());
        assert!(cache.get("t", 1, 100.0, 1.0).is_some(), "exp with leeway");
        assert!(cache.get("t", 1, 100.0, 0.0).is_none(), "at exp");
        assert_eq!(cache.len(), 0, "an expired entry is dropped");
    }

    #[test]
    fn the_oldest_entry_goes_first() {
        let cache = TokenCache::<Group>::new(2);
        let p = Principal::authenticated("a");
        for token in ["one", "two", "three"] {
            cache.insert(token, &p, window(100.0), 1);
        }
        assert_eq!(cache.len(), 2);
        assert!(cache.get("one", 1, 0.0, 0.0).is_none());
        assert!(cache.get("two", 1, 0.0, 0.0).is_some());
        assert!(cache.get("three", 1, 0.0, 0.0).is_some());
        // Re-inserting refreshes in place, without growing.
        cache.insert("two", &p, window(100.0), 2);
        assert_eq!(cache.len(), 2);
        assert!(cache.get("two", 2, 0.0, 0.0).is_some());
    }
}
