//! Test-suite crate of groupguard; the tests live in `tests/`.
