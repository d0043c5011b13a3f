//! The signature checks, on the one crypto backend the build selects:
//! `aws-lc-rs` (the default: AWS-LC, the library rustls and the AWS SDK
//! already bring) or `rust-crypto` (pure Rust, for targets where C does not
//! build). The same backend validates a JWK Set's keys when the set is
//! loaded, so the tree holds one crypto library.

#[cfg(all(feature = "aws-lc-rs", feature = "rust-crypto"))]
compile_error!(
    "groupguard: enable exactly one crypto backend, not both: `aws-lc-rs` (the default) \
     or `rust-crypto` (pure Rust: `default-features = false, features = [\"jwt\", \"rust-crypto\"]`)"
);

#[cfg(not(any(feature = "aws-lc-rs", feature = "rust-crypto")))]
compile_error!(
    "groupguard: the `jwt` feature needs a crypto backend: add the feature `aws-lc-rs` \
     (AWS-LC, as rustls) or `rust-crypto` (pure Rust)"
);

#[cfg(feature = "aws-lc-rs")]
mod aws_lc;
#[cfg(feature = "aws-lc-rs")]
pub(crate) use aws_lc::{PublicKey, Secret};

#[cfg(all(feature = "rust-crypto", not(feature = "aws-lc-rs")))]
mod rust_crypto;
#[cfg(all(feature = "rust-crypto", not(feature = "aws-lc-rs")))]
pub(crate) use rust_crypto::{PublicKey, Secret};

use jsonwebtoken::Algorithm;

/// The key a token's signature is checked with.
#[derive(Clone, Copy)]
pub(crate) enum KeyRef<'k> {
    /// A public key of a JWK Set.
    Public(&'k PublicKey),
    /// The shared secret of an `hs256` verifier.
    Secret(&'k Secret),
}

impl KeyRef<'_> {
    /// Whether `signature` is `alg`'s signature of `message` by this key.
    pub(crate) fn verifies(self, alg: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        match self {
            KeyRef::Public(key) => key.verifies(alg, message, signature),
            KeyRef::Secret(secret) => {
                alg == Algorithm::HS256 && secret.verifies_hs256(message, signature)
            }
        }
    }
}

/// The encodings of the Ed25519 points of small order (a "weak" key: a
/// signature by it can be forged for any message), with the sign bit (the
/// top bit of the last byte) cleared: libsodium's blocklist
/// (`crypto_core_ed25519_is_valid_point`, `has_small_order`).
const SMALL_ORDER: [[u8; 32]; 7] = [
    // 0 (order 4)
    [0; 32],
    // 1 (order 1)
    [
        0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0,
    ],
    // 2707385501144840649318225287225658788936804267575313519463743609750303402022 (order 8)
    [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
        0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
        0xfc, 0x05,
    ],
    // 55188659117513257062467267217118295137698188065244968500265048394206261417927 (order 8)
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
        0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
        0x03, 0x7a,
    ],
    // p - 1 (order 2)
    [
        0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x7f,
    ],
    // p (= 0, order 4, non-canonical)
    [
        0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x7f,
    ],
    // p + 1 (= 1, order 1, non-canonical)
    [
        0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x7f,
    ],
];

/// Whether `x` encodes an Ed25519 point of small order, whatever its sign bit.
pub(crate) fn is_small_order_ed25519(x: &[u8; 32]) -> bool {
    let mut cleared = *x;
    cleared[31] &= 0x7f;
    SMALL_ORDER.contains(&cleared)
}

#[cfg(test)]
mod tests {
    use super::{SMALL_ORDER, is_small_order_ed25519};

    #[test]
    fn small_order_points_are_caught_whatever_their_sign_bit() {
        for point in SMALL_ORDER {
            let mut negated = point;
            negated[31] |= 0x80;
            assert!(is_small_order_ed25519(&point) && is_small_order_ed25519(&negated));
        }
        // The base point (y = 4/5) has the large prime order.
        let mut base = [0x66; 32];
        base[0] = 0x58;
        assert!(!is_small_order_ed25519(&base));
    }

    /// The list, checked against ed25519-dalek's own test (the `rust-crypto`
    /// backend's dependency).
    #[cfg(feature = "rust-crypto")]
    #[test]
    fn the_list_agrees_with_ed25519_dalek() {
        for point in SMALL_ORDER {
            for sign in [0, 0x80] {
                let mut bytes = point;
                bytes[31] |= sign;
                let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes).expect("a point");
                assert!(key.is_weak(), "{bytes:02x?}");
            }
        }
    }
}
