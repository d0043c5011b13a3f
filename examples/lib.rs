//! Runnable examples of groupguard: `cargo run --example tour` and
//! `cargo run --example axum_service`.
