//! Runnable examples of groupguard: `cargo run --example bulletin` (the
//! README's main command), `cargo run --example tour` and
//! `cargo run --example axum_service`.
//!
//! What the examples share: [`init_logging`], and [`listen`], which says in
//! words why a port cannot be listened on.

use std::fmt;
use std::io;
use std::net::SocketAddr;

use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

/// Logs to standard error at the levels `RUST_LOG` names (`info`,
/// `info,groupguard::audit=debug`: a level, or targets with levels), else
/// at `default`'s. Targets only, without `EnvFilter`'s span and field
/// directives, which would build the `regex` crates for every example.
///
/// # Panics
///
/// When `default` is not a valid list of targets (a bug of the caller).
pub fn init_logging(default: &str) {
    let targets = std::env::var("RUST_LOG")
        .ok()
        .and_then(|spec| match spec.parse::<Targets>() {
            Ok(targets) => Some(targets),
            Err(error) => {
                eprintln!(
                    "RUST_LOG is not a list of targets and levels ({error}); using {default:?}"
                );
                None
            }
        })
        .unwrap_or_else(|| default.parse().expect("a valid default filter"));
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_filter(targets))
        .init();
}

/// Listens on `address`, or says what is wrong in words: a port in use
/// names `--port` (not a raw `Os { code: 98, kind: AddrInUse, .. }` dump).
///
/// # Errors
///
/// [`ListenError`] when the address cannot be bound; its `Display` is the
/// message to print.
pub async fn listen(address: SocketAddr) -> Result<tokio::net::TcpListener, ListenError> {
    tokio::net::TcpListener::bind(address)
        .await
        .map_err(|error| ListenError { address, error })
}

/// Why [`listen`] could not listen: the address and the I/O error, said
/// with the fix (`--port N`) when there is one.
#[derive(Debug)]
pub struct ListenError {
    address: SocketAddr,
    error: io::Error,
}

impl ListenError {
    /// The I/O error, as the system reported it.
    pub fn io_error(&self) -> &io::Error {
        &self.error
    }
}

impl fmt::Display for ListenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let address = self.address;
        match self.error.kind() {
            io::ErrorKind::AddrInUse => write!(
                f,
                "cannot listen on {address}: the port is in use (by another program, or by this one already running); choose another with `--port N`"
            ),
            io::ErrorKind::PermissionDenied => write!(
                f,
                "cannot listen on {address}: permission denied (ports below 1024 need privileges); choose another with `--port N`"
            ),
            _ => write!(f, "cannot listen on {address}: {}", self.error),
        }
    }
}

impl std::error::Error for ListenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

#[cfg(test)]
mod tests {
    use super::listen;

    /// A port in use is said in words, naming `--port`, not as an
    /// `Os { code: 98 .. }` dump.
    #[tokio::test]
    async fn a_port_in_use_names_the_fix() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = taken.local_addr().unwrap();
        let error = listen(address).await.unwrap_err();
        assert_eq!(error.io_error().kind(), std::io::ErrorKind::AddrInUse);
        assert_eq!(
            error.to_string(),
            format!(
                "cannot listen on {address}: the port is in use (by another program, or by this one already running); choose another with `--port N`"
            )
        );
        // The boxed error `main` and `start` pass on says the same.
        let boxed: Box<dyn std::error::Error + Send + Sync> = error.into();
        assert!(boxed.to_string().contains("`--port N`"), "{boxed}");
        assert!(!boxed.to_string().contains("Os {"), "{boxed}");
    }

    /// A free port is listened on.
    #[tokio::test]
    async fn a_free_port_is_listened_on() {
        let listener = listen("127.0.0.1:0".parse().unwrap()).await.unwrap();
        assert_ne!(listener.local_addr().unwrap().port(), 0);
    }
}
