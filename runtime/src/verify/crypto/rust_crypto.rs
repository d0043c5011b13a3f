//! The `rust-crypto` backend: `jsonwebtoken`'s pure-Rust provider, named
//! explicitly (its process-wide default panics when a dependency graph
//! enables both of its backends), and the RustCrypto crates it uses to
//! validate keys when the set is loaded.

use jsonwebtoken::{Algorithm, DecodingKey};

const PROVIDER: &jsonwebtoken::crypto::CryptoProvider =
    &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER;

/// A public key, checked, in `jsonwebtoken`'s form.
#[derive(Clone)]
pub(crate) enum PublicKey {
    /// RS256, RS384 and RS512.
    Rsa(DecodingKey),
    /// ES256.
    P256(DecodingKey),
    /// ES384.
    P384(DecodingKey),
    /// EdDSA.
    Ed25519(DecodingKey),
}

impl PublicKey {
    /// The RSA key of modulus `n` and exponent `e` (big-endian).
    pub(crate) fn rsa(n: &[u8], e: &[u8]) -> Result<Self, String> {
        rsa::RsaPublicKey::new(
            rsa::BigUint::from_bytes_be(n),
            rsa::BigUint::from_bytes_be(e),
        )
        .map_err(|error| format!("invalid RSA public key ({error})"))?;
        Ok(Self::Rsa(DecodingKey::from_rsa_raw_components(n, e)))
    }

    /// The P-256 key at the uncompressed SEC1 `point`.
    pub(crate) fn p256(point: &[u8]) -> Result<Self, String> {
        p256::PublicKey::from_sec1_bytes(point)
            .map_err(|_| "the P-256 point is not on the curve".to_owned())?;
        Ok(Self::P256(DecodingKey::from_ec_der(point)))
    }

    /// The P-384 key at the uncompressed SEC1 `point`.
    pub(crate) fn p384(point: &[u8]) -> Result<Self, String> {
        p384::PublicKey::from_sec1_bytes(point)
            .map_err(|_| "the P-384 point is not on the curve".to_owned())?;
        Ok(Self::P384(DecodingKey::from_ec_der(point)))
    }

    /// The Ed25519 key `x` (small-order points are refused by the caller).
    pub(crate) fn ed25519(x: &[u8; 32]) -> Result<Self, String> {
        ed25519_dalek::VerifyingKey::from_bytes(x)
            .map_err(|_| "`x` is not an Ed25519 point".to_owned())?;
        Ok(Self::Ed25519(DecodingKey::from_ed_der(x)))
    }

    /// Whether `signature` is `alg`'s signature of `message` by this key.
    pub(crate) fn verifies(&self, alg: Algorithm, message: &[u8], sig: &[u8]) -> bool {
        let ((Self::Rsa(key), Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512)
        | (Self::P256(key), Algorithm::ES256)
        | (Self::P384(key), Algorithm::ES384)
        | (Self::Ed25519(key), Algorithm::EdDSA)) = (self, alg)
        else {
            return false;
        };
        verifies(key, alg, message, sig)
    }
}

fn verifies(key: &DecodingKey, alg: Algorithm, message: &[u8], sig: &[u8]) -> bool {
    (PROVIDER.verifier_factory)(&alg, key)
        .is_ok_and(|verifier| verifier.verify(message, &sig.to_vec()).is_ok())
}

/// The shared secret of an `hs256` verifier.
#[derive(Clone)]
pub(crate) struct Secret(DecodingKey);

impl Secret {
    pub(crate) fn new(secret: &[u8]) -> Self {
        Self(DecodingKey::from_secret(secret))
    }

    /// Whether `signature` is the HS256 tag of `message` (jsonwebtoken
    /// compares in constant time).
    pub(crate) fn verifies_hs256(&self, message: &[u8], signature: &[u8]) -> bool {
        verifies(&self.0, Algorithm::HS256, message, signature)
    }
}
