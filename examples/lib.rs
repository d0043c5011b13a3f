//! Runnable examples of groupguard: `cargo run --example bulletin` (the
//! README's main command), `cargo run --example tour` and
//! `cargo run --example axum_service`.

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
