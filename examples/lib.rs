//! Runnable examples of groupguard: `cargo run --example bulletin` (the
//! README's main command), `cargo run --example tour` and
//! `cargo run --example axum_service`.
