//! What the live-key tests share: the groups enum, a served issuer with a
//! manual clock, and a bound on every test's time.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use groupguard::test_issuer::{JwksServer, ManualClock};
use groupguard::{TokenUse, Verifier, VerifierBuilder, VerifyError, groups};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

/// A served test issuer, and a verifier builder over it that fetches its
/// set and measures time with `clock`.
pub(crate) struct Served {
    pub(crate) server: JwksServer,
    pub(crate) clock: Arc<ManualClock>,
}

impl Served {
    pub(crate) fn start() -> Self {
        Self {
            server: JwksServer::start().expect("a port on 127.0.0.1"),
            clock: Arc::new(ManualClock::new()),
        }
    }

    /// An access-token verifier that fetches the served set, on the manual clock.
    pub(crate) fn builder(&self) -> VerifierBuilder<Group> {
        self.server
            .verifier(TokenUse::Access)
            .jwks_clock(self.clock.clone())
    }

    pub(crate) fn verifier(&self) -> Verifier<Group> {
        self.builder().build().expect("configured")
    }

    /// A good access token of the current key.
    pub(crate) fn token(&self) -> String {
        self.server
            .issuer()
            .access_token()
            .groups(["ADMINS"])
            .sign()
    }

    pub(crate) fn requests(&self) -> usize {
        self.server.requests()
    }
}

/// `token` with its header's `kid` replaced: refused at the key step, before
/// the signature is looked at (signing a thousand tokens would be slow in a
/// debug build).
pub(crate) fn with_kid(token: &str, kid: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"RS256","typ":"JWT","kid":"{kid}"}}"#));
    let (_, rest) = token.split_once('.').expect("a JWT");
    format!("{header}.{rest}")
}

/// Fails a test that takes longer than 20 s instead of hanging.
pub(crate) async fn bounded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("the test took over 20 s")
}

/// Waits (20 s at most) until `done`, polling every 5 ms: for a background
/// refresh, which has no handle to wait on.
pub(crate) async fn eventually(mut done: impl FnMut() -> bool) {
    bounded(async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
}

/// Waits (20 s at most) until the fetch in flight, if any, has ended and
/// been recorded (its cool-down starts at the clock's current reading).
///
/// `requests()` counts a request as it reaches the server: the background
/// refresh that sent it still has to read the answer and record it, and
/// until then a due set starts no other refresh, and a clock moved past a
/// cool-down is moved under a fetch that then ends at the later time.
/// `hydrate` shares a fetch in flight, or makes one more when none is
/// (`requests()` is then one higher): either way, when it returns, the last
/// attempt has ended now, and its outcome is returned.
pub(crate) async fn settled(verifier: &Verifier<Group>) -> Result<(), VerifyError> {
    bounded(verifier.hydrate()).await
}

/// Fails with the expected pattern and the value actually returned.
macro_rules! assert_rejects {
    ($result:expr, $pattern:pat $(if $guard:expr)?) => {{
        let result = $result;
        let debug = format!("{result:?}");
        assert!(
            matches!(result, Err($pattern) $(if $guard)?),
            "expected Err({}), got {debug}",
            stringify!($pattern),
        );
    }};
}
pub(crate) use assert_rejects;
