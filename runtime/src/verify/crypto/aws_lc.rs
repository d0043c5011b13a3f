//! The `aws-lc-rs` backend: keys parsed once, when the set is loaded
//! (`ParsedPublicKey`), so a verification is the signature operation alone.

use aws_lc_rs::hmac;
use aws_lc_rs::signature::{self, ParsedPublicKey, RsaPublicKeyComponents};
use jsonwebtoken::Algorithm;

/// A public key, parsed for each algorithm it may verify.
#[derive(Clone)]
pub(crate) enum PublicKey {
    /// RS256, RS384 and RS512.
    Rsa {
        rs256: ParsedPublicKey,
        rs384: ParsedPublicKey,
        rs512: ParsedPublicKey,
    },
    /// ES256.
    P256(ParsedPublicKey),
    /// ES384.
    P384(ParsedPublicKey),
    /// EdDSA.
    Ed25519(ParsedPublicKey),
}

impl PublicKey {
    /// The RSA key of modulus `n` and exponent `e` (big-endian, no leading
    /// zeros).
    pub(crate) fn rsa(n: &[u8], e: &[u8]) -> Result<Self, String> {
        let components = RsaPublicKeyComponents { n, e };
        let parse = |params| {
            components
                .to_parsed_public_key(params)
                .map_err(|error| format!("invalid RSA public key ({error})"))
        };
        Ok(Self::Rsa {
            rs256: parse(&signature::RSA_PKCS1_2048_8192_SHA256)?,
            rs384: parse(&signature::RSA_PKCS1_2048_8192_SHA384)?,
            rs512: parse(&signature::RSA_PKCS1_2048_8192_SHA512)?,
        })
    }

    /// The P-256 key at the uncompressed SEC1 `point`.
    pub(crate) fn p256(point: &[u8]) -> Result<Self, String> {
        ParsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
            .map(Self::P256)
            .map_err(|_| "the P-256 point is not on the curve".to_owned())
    }

    /// The P-384 key at the uncompressed SEC1 `point`.
    pub(crate) fn p384(point: &[u8]) -> Result<Self, String> {
        ParsedPublicKey::new(&signature::ECDSA_P384_SHA384_FIXED, point)
            .map(Self::P384)
            .map_err(|_| "the P-384 point is not on the curve".to_owned())
    }

    /// The Ed25519 key `x` (small-order points are refused by the caller).
    pub(crate) fn ed25519(x: &[u8; 32]) -> Result<Self, String> {
        ParsedPublicKey::new(&signature::ED25519, x)
            .map(Self::Ed25519)
            .map_err(|_| "`x` is not an Ed25519 point".to_owned())
    }

    /// Whether `signature` is `alg`'s signature of `message` by this key.
    pub(crate) fn verifies(&self, alg: Algorithm, message: &[u8], sig: &[u8]) -> bool {
        let key = match (self, alg) {
            (Self::Rsa { rs256, .. }, Algorithm::RS256) => rs256,
            (Self::Rsa { rs384, .. }, Algorithm::RS384) => rs384,
            (Self::Rsa { rs512, .. }, Algorithm::RS512) => rs512,
            (Self::P256(key), Algorithm::ES256)
            | (Self::P384(key), Algorithm::ES384)
            | (Self::Ed25519(key), Algorithm::EdDSA) => key,
            _ => return false,
        };
        key.verify_sig(message, sig).is_ok()
    }
}

/// The shared secret of an `hs256` verifier (boxed: AWS-LC's HMAC key holds
/// its precomputed state, over a kilobyte).
#[derive(Clone)]
pub(crate) struct Secret(Box<hmac::Key>);

impl Secret {
    pub(crate) fn new(secret: &[u8]) -> Self {
        Self(Box::new(hmac::Key::new(hmac::HMAC_SHA256, secret)))
    }

    /// Whether `signature` is the HS256 tag of `message` (compared in
    /// constant time).
    pub(crate) fn verifies_hs256(&self, message: &[u8], signature: &[u8]) -> bool {
        hmac::verify(&self.0, message, signature).is_ok()
    }
}
