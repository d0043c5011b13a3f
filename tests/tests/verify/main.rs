//! Behaviour of the JWT `Verifier`: one test binary, one module per area.
//!
//! Keys are the `fixtures/TEST_ONLY_*.pem` files: throwaway keys generated for
//! these tests, protecting nothing.

mod accepted;
mod attacks;
mod cache;
mod claims;
mod configuration;
mod issuer_formats;
mod key_sets;
mod properties;
mod public;
mod support;
mod test_issuer;
mod token_size;
