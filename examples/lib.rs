//! Runnable examples of groupguard: `cargo run --example tour`.
