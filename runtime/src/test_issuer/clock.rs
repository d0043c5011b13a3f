//! [`ManualClock`]: a key-cache clock that moves only when a test says so.

use core::time::Duration;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use crate::verify::JwksClock;

/// **For tests only.** A [`JwksClock`] that stands still until
/// [`advance`](Self::advance) moves it: give it to
/// [`VerifierBuilder::jwks_clock`](crate::VerifierBuilder::jwks_clock) and
/// step over cool-downs and refresh ages without sleeping.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use groupguard::JwksClock;
/// use groupguard::test_issuer::ManualClock;
///
/// let clock = Arc::new(ManualClock::new());
/// let start = clock.now();
/// clock.advance(Duration::from_secs(11));
/// assert_eq!(clock.now() - start, Duration::from_secs(11));
/// ```
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Instant>,
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl ManualClock {
    /// A clock reading the system's monotonic time now, standing still.
    ///
    /// ```
    /// use groupguard::JwksClock;
    /// let clock = groupguard::test_issuer::ManualClock::new();
    /// assert_eq!(clock.now(), clock.now());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self {
            now: Mutex::new(Instant::now()),
        }
    }

    /// Moves the clock `by` forward.
    ///
    /// ```
    /// # use std::time::Duration;
    /// use groupguard::JwksClock;
    /// let clock = groupguard::test_issuer::ManualClock::new();
    /// let before = clock.now();
    /// clock.advance(Duration::from_secs(600));
    /// assert!(clock.now() > before);
    /// ```
    pub fn advance(&self, by: Duration) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) += by;
    }
}

impl JwksClock for ManualClock {
    fn now(&self) -> Instant {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
