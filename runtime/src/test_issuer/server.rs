//! [`JwksServer`]: a tiny HTTP/1.1 server on 127.0.0.1 that serves a
//! [`TestIssuer`]'s JWK Set at `{issuer}/.well-known/jwks.json`, with hooks
//! for tests of key fetching.
//!
//! Plain `std::net` and one thread per connection: it needs no async
//! runtime and serves tests, not traffic. Each response closes its
//! connection.
//!
//! This file holds the server: its state, its hooks and its lifecycle
//! (start, the accept loop, stop); `connection` reads a request and writes
//! its answer.

mod connection;

use core::time::Duration;
use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use self::connection::answer;
use super::TestIssuer;
use crate::group::Groups;
use crate::verify::{KeepAlive, TokenUse, VerifierBuilder};

/// **For tests only: never use it in production.** Serves a [`TestIssuer`]'s
/// JWK Set over HTTP on `127.0.0.1`, on a port chosen by the system, until
/// it is dropped.
///
/// The issuer's URL is `http://127.0.0.1:{port}/{pool_id}` and its key set
/// is at `{issuer}/.well-known/jwks.json`, where a Cognito verifier's
/// `.fetch_jwks()` looks for it. The set served is always the issuer's
/// current one ([`TestIssuer::rotate`] shows at the next request), with an
/// `ETag` (a request with `If-None-Match` naming it gets `304 Not
/// Modified`). Hooks change what it answers: [`fail_with`](Self::fail_with),
/// [`redirect_to`](Self::redirect_to),
/// [`delay`](Self::delay), [`serve_body`](Self::serve_body),
/// [`cache_control`](Self::cache_control), [`etags`](Self::etags),
/// [`omit_content_length`](Self::omit_content_length), [`pause`](Self::pause);
/// [`requests`](Self::requests) and
/// [`not_modified_responses`](Self::not_modified_responses) count requests.
///
/// ```
/// use std::io::{Read, Write};
/// use groupguard::test_issuer::JwksServer;
///
/// let server = JwksServer::start()?;
/// assert!(server.issuer().issuer().starts_with("http://127.0.0.1:"));
///
/// let mut tcp = std::net::TcpStream::connect(server.addr())?;
/// write!(tcp, "GET /us-east-1_TestOnly/.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n")?;
/// let mut response = String::new();
/// tcp.read_to_string(&mut response)?;
/// assert!(response.starts_with("HTTP/1.1 200 OK"));
/// assert!(response.contains(&server.issuer().kid()));
/// assert_eq!(server.requests(), 1);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// A verifier from [`verifier`](Self::verifier) keeps the server serving
/// for as long as it (or a clone) lives, so that a test helper may return
/// the verifier and drop the server.
#[derive(Debug)]
pub struct JwksServer {
    issuer: TestIssuer,
    listening: Arc<Listening>,
}

/// The listening part, shared with the verifiers of
/// [`JwksServer::verifier`]: it stops accepting when the last of them and
/// the server are gone.
#[derive(Debug)]
struct Listening {
    addr: SocketAddr,
    state: Arc<State>,
    accept: Mutex<Option<JoinHandle<()>>>,
}

impl Listening {
    fn pause(&self) {
        let mut accept = self.accept.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(handle) = accept.take() {
            stop_accepting(&self.state, self.addr, handle);
        }
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.pause();
    }
}

/// What the connection threads share with the server.
#[derive(Debug)]
struct State {
    issuer: TestIssuer,
    jwks_path: String,
    stop: AtomicBool,
    requests: AtomicUsize,
    not_modified: AtomicUsize,
    behaviour: Mutex<Behaviour>,
}

/// What the hooks set.
#[derive(Clone, Debug, Default)]
struct Behaviour {
    status: Option<u16>,
    location: Option<String>,
    delay: Duration,
    body: Option<String>,
    cache_control: Option<String>,
    no_etags: bool,
    no_content_length: bool,
}

impl JwksServer {
    /// Serves a new [`TestIssuer`] (default pool and client).
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// assert!(server.jwks_url().ends_with("/us-east-1_TestOnly/.well-known/jwks.json"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When no port of 127.0.0.1 can be bound.
    pub fn start() -> io::Result<Self> {
        Self::serve(TestIssuer::new())
    }

    /// Serves `issuer`, whose issuer URL becomes
    /// `http://127.0.0.1:{port}/{pool_id}` (its keys, pool and client are
    /// kept; its clones share the keys, not the new URL).
    ///
    /// ```
    /// use groupguard::test_issuer::{JwksServer, TestIssuer};
    /// let server = JwksServer::serve(TestIssuer::new().with_client_id("web"))?;
    /// assert_eq!(server.issuer().client_id(), "web");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When no port of 127.0.0.1 can be bound.
    pub fn serve(issuer: TestIssuer) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let issuer_url = format!("http://{addr}/{}", issuer.pool_id());
        let issuer = issuer.with_issuer(issuer_url);
        let state = Arc::new(State {
            jwks_path: format!("/{}/.well-known/jwks.json", issuer.pool_id()),
            issuer: issuer.clone(),
            stop: AtomicBool::new(false),
            requests: AtomicUsize::new(0),
            not_modified: AtomicUsize::new(0),
            behaviour: Mutex::new(Behaviour::default()),
        });
        let accept = spawn_accept(listener, Arc::clone(&state))?;
        Ok(Self {
            issuer,
            listening: Arc::new(Listening {
                addr,
                state,
                accept: Mutex::new(Some(accept)),
            }),
        })
    }

    /// The issuer served, whose URL names this server.
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// let token = server.issuer().access_token().groups(["ADMINS"]).sign();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn issuer(&self) -> &TestIssuer {
        &self.issuer
    }

    /// The address listened on (`127.0.0.1:{port}`).
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// assert!(server.addr().ip().is_loopback());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.listening.addr
    }

    /// The URL of the key set: `{issuer}/.well-known/jwks.json`.
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// assert_eq!(server.jwks_url(), format!("{}/.well-known/jwks.json", server.issuer().issuer()));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn jwks_url(&self) -> String {
        format!(
            "http://{}{}",
            self.listening.addr, self.listening.state.jwks_path
        )
    }

    /// A verifier builder that fetches the served key set
    /// (`.fetch_jwks()`) and accepts the issuer's `token_use` tokens, as
    /// [`TestIssuer::verifier`] does. Add options (`.jwks_cooldown(..)`,
    /// `.jwks_clock(..)`, ...) before `build()`.
    ///
    /// The verifier keeps the server serving while it lives, even after
    /// the `JwksServer` is dropped (its hooks are then out of reach), so a
    /// test helper may return the verifier alone:
    ///
    /// ```
    /// use groupguard::test_issuer::JwksServer;
    /// use groupguard::{groups, TokenUse, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// fn verifier_and_token() -> Result<(Verifier<Group>, String), Box<dyn std::error::Error>> {
    ///     let server = JwksServer::start()?;
    ///     let token = server.issuer().access_token().sign();
    ///     Ok((server.verifier(TokenUse::Access).build()?, token))
    /// } // the server handle is dropped here
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
    /// let (verifier, token) = verifier_and_token()?;
    /// verifier.verify_async(&token).await?; // fetched from the server the verifier kept
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// ```
    /// use groupguard::test_issuer::JwksServer;
    /// use groupguard::{groups, TokenUse};
    /// # #[groups] pub enum Group { ADMINS }
    /// let server = JwksServer::start()?;
    /// let verifier = server.verifier::<Group>(TokenUse::Access).build()?;
    /// assert_eq!(verifier.jwks_url(), Some(server.jwks_url().as_str()));
    /// assert_eq!(server.requests(), 0); // building never fetches
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verifier<G: Groups>(&self, token_use: TokenUse) -> VerifierBuilder<G> {
        self.issuer
            .verifier_without_keys(token_use)
            .fetch_jwks()
            .keep_alive(KeepAlive::new(Arc::clone(&self.listening) as _))
    }

    /// How many requests reached the server (any path, any answer).
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// assert_eq!(server.requests(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn requests(&self) -> usize {
        self.listening.state.requests.load(Ordering::SeqCst)
    }

    /// How many requests were answered `304 Not Modified` (their
    /// `If-None-Match` named the current set's `ETag`).
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// assert_eq!(server.not_modified_responses(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn not_modified_responses(&self) -> usize {
        self.listening.state.not_modified.load(Ordering::SeqCst)
    }

    /// Answers every request with `status` and a short text body from now
    /// on (`500`, `404`, or even `200` with [`serve_body`](Self::serve_body)).
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// server.fail_with(500);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn fail_with(&self, status: u16) {
        self.behaviour().status = Some(status);
    }

    /// Answers every request with `302 Found` and `Location: {location}`
    /// from now on (`None`: no more redirects), so that a client that
    /// followed redirects would fetch from `location`: another server's
    /// [`jwks_url`](Self::jwks_url), for instance. Control characters in
    /// `location` are dropped (they would end the header).
    ///
    /// ```
    /// use std::io::{Read, Write};
    /// use groupguard::test_issuer::JwksServer;
    ///
    /// let server = JwksServer::start()?;
    /// server.redirect_to(Some("http://127.0.0.1:1/moved.json"));
    /// let mut tcp = std::net::TcpStream::connect(server.addr())?;
    /// write!(tcp, "GET /us-east-1_TestOnly/.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n")?;
    /// let mut response = String::new();
    /// tcp.read_to_string(&mut response)?;
    /// assert!(response.starts_with("HTTP/1.1 302 Found"));
    /// assert!(response.contains("\r\nLocation: http://127.0.0.1:1/moved.json\r\n"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn redirect_to(&self, location: Option<&str>) {
        self.behaviour().location =
            location.map(|location| location.chars().filter(|c| !c.is_control()).collect());
    }

    /// Waits `delay` before answering each request from now on (a slow
    /// issuer); `Duration::ZERO` answers at once again.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// server.delay(Duration::from_secs(3));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn delay(&self, delay: Duration) {
        self.behaviour().delay = delay;
    }

    /// Serves `body` instead of the key set from now on (a malformed or
    /// empty set, a huge document), with status 200 unless
    /// [`fail_with`](Self::fail_with) says otherwise.
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// server.serve_body(r#"{"keys": []}"#);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn serve_body(&self, body: impl Into<String>) {
        self.behaviour().body = Some(body.into());
    }

    /// Sends `Cache-Control: {value}` with each answer (`max-age=60`), or
    /// no such header for `None` (the default).
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// server.cache_control(Some("public, max-age=3600"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn cache_control(&self, value: Option<&str>) {
        self.behaviour().cache_control = value.map(str::to_owned);
    }

    /// Sends no `Content-Length` from now on when `omit` (the body then ends
    /// when the connection closes), so that a client can only find a body
    /// too large while reading it.
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// server.omit_content_length(true);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn omit_content_length(&self, omit: bool) {
        self.behaviour().no_content_length = omit;
    }

    /// Turns `ETag`s and `304 Not Modified` answers on (the default) or off.
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// server.etags(false);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn etags(&self, on: bool) {
        self.behaviour().no_etags = !on;
    }

    /// Undoes every hook: the current key set, at once, with status 200.
    /// The request count is kept.
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// server.fail_with(503);
    /// server.reset();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn reset(&self) {
        *self.behaviour() = Behaviour::default();
    }

    /// Stops listening: connections are refused (the issuer is down) until
    /// [`resume`](Self::resume).
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// server.pause();
    /// assert!(std::net::TcpStream::connect(server.addr()).is_err());
    /// server.resume()?;
    /// assert!(std::net::TcpStream::connect(server.addr()).is_ok());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn pause(&self) {
        self.listening.pause();
    }

    /// Listens again on the same port after [`pause`](Self::pause).
    ///
    /// ```
    /// let server = groupguard::test_issuer::JwksServer::start()?;
    /// server.resume()?; // already listening: nothing to do
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the port was taken by another process in between.
    pub fn resume(&self) -> io::Result<()> {
        let listening = &self.listening;
        let mut accept = listening
            .accept
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if accept.is_none() {
            let listener = TcpListener::bind(listening.addr)?;
            listening.state.stop.store(false, Ordering::SeqCst);
            *accept = Some(spawn_accept(listener, Arc::clone(&listening.state))?);
        }
        Ok(())
    }

    fn behaviour(&self) -> std::sync::MutexGuard<'_, Behaviour> {
        self.listening
            .state
            .behaviour
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

fn spawn_accept(listener: TcpListener, state: Arc<State>) -> io::Result<JoinHandle<()>> {
    thread::Builder::new()
        .name("groupguard-test-jwks".to_owned())
        .spawn(move || {
            for stream in listener.incoming() {
                if state.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = Arc::clone(&state);
                // A thread per connection, so that a delayed answer does not
                // hold the others back. Detached: it ends with its answer.
                let _ = thread::Builder::new()
                    .name("groupguard-test-jwks-conn".to_owned())
                    .spawn(move || {
                        let _ = answer(stream, &state);
                    });
            }
        })
}

/// Stops the accept loop: raises the flag, then wakes `accept()` with a
/// connection of our own.
fn stop_accepting(state: &State, addr: SocketAddr, handle: JoinHandle<()>) {
    state.stop.store(true, Ordering::SeqCst);
    if let Ok(wake) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
        let _ = wake.shutdown(Shutdown::Both);
    }
    let _ = handle.join();
}
