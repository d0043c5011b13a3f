//! [`JwksClock`]: the monotonic clock of the key cache, injectable so that
//! tests move through cool-downs and ages without sleeping.

use core::fmt;
use std::time::Instant;

/// The clock a live key set measures its ages and cool-downs with: the
/// system's monotonic clock unless
/// [`VerifierBuilder::jwks_clock`](crate::VerifierBuilder::jwks_clock) gives
/// another. Token times (`exp`, `nbf`) are not read from it.
///
/// Tests use `test_issuer::ManualClock` (features `test-issuer` and
/// `fetch`), which moves only when told to; any type can implement it.
///
/// ```
/// use std::sync::Mutex;
/// use std::time::{Duration, Instant};
/// use groupguard::JwksClock;
///
/// /// A clock an hour ahead of the system's.
/// #[derive(Debug)]
/// struct Ahead;
///
/// impl JwksClock for Ahead {
///     fn now(&self) -> Instant {
///         Instant::now() + Duration::from_secs(3600)
///     }
/// }
/// assert!(Ahead.now() > Instant::now());
/// ```
pub trait JwksClock: Send + Sync + fmt::Debug + 'static {
    /// The current instant; it must never go backwards.
    fn now(&self) -> Instant;
}

/// The system's monotonic clock.
#[derive(Debug)]
pub(crate) struct SystemClock;

impl JwksClock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}
