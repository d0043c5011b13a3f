//! The issuer's RSA keys: generated at run time, once per process and key
//! number, and the signing of a token's `header.payload`.
//!
//! RSA-2048 key generation takes up to a second (AWS-LC) or one to several
//! seconds in a debug build (RustCrypto's big-number code, not optimised),
//! so the keys are made on first use and kept for the process: every [`TestIssuer`](super::TestIssuer)
//! signs with key #0 until it rotates to #1, #2, ...

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// Bits of every generated key: Cognito's size, and the verifier's minimum.
const BITS: usize = 2048;

/// One generated key pair, on the crypto backend of the build.
pub(super) struct Material {
    private: backend::PrivateKey,
    /// The public modulus and exponent, base64url.
    n: String,
    e: String,
}

impl Material {
    fn generate() -> Self {
        let (private, n, e) = backend::generate();
        Self {
            private,
            n: URL_SAFE_NO_PAD.encode(n),
            e: URL_SAFE_NO_PAD.encode(e),
        }
    }

    /// The public JWK of this key under `kid`, as Cognito publishes it.
    pub(super) fn jwk(&self, kid: &str) -> Value {
        json!({"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": self.n, "e": self.e})
    }

    /// The RS256 signature of `message`, base64url.
    pub(super) fn sign(&self, message: &str) -> String {
        URL_SAFE_NO_PAD.encode(backend::sign(&self.private, message.as_bytes()))
    }
}

#[cfg(feature = "aws-lc-rs")]
mod backend {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::rsa::KeySize;
    use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256, RsaKeyPair};

    pub(super) type PrivateKey = RsaKeyPair;

    /// A key pair, its modulus and its exponent (big-endian).
    pub(super) fn generate() -> (PrivateKey, Vec<u8>, Vec<u8>) {
        const _: () = assert!(super::BITS == 2048);
        let key = RsaKeyPair::generate(KeySize::Rsa2048)
            .unwrap_or_else(|e| panic!("generating a test RSA key failed: {e}"));
        let public = key.public_key();
        let n = public.modulus().big_endian_without_leading_zero().to_vec();
        let e = public.exponent().big_endian_without_leading_zero().to_vec();
        (key, n, e)
    }

    pub(super) fn sign(key: &PrivateKey, message: &[u8]) -> Vec<u8> {
        let mut signature = vec![0; key.public_modulus_len()];
        key.sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            message,
            &mut signature,
        )
        .unwrap_or_else(|e| panic!("a test RSA key cannot sign: {e}"));
        signature
    }
}

#[cfg(all(feature = "rust-crypto", not(feature = "aws-lc-rs")))]
mod backend {
    use jsonwebtoken::{Algorithm, EncodingKey};
    use rsa::pkcs1::EncodeRsaPrivateKey as _;
    use rsa::rand_core::OsRng;
    use rsa::traits::PublicKeyParts as _;

    pub(super) type PrivateKey = EncodingKey;

    /// A key pair, its modulus and its exponent (big-endian).
    pub(super) fn generate() -> (PrivateKey, Vec<u8>, Vec<u8>) {
        let key = rsa::RsaPrivateKey::new(&mut OsRng, super::BITS)
            .unwrap_or_else(|e| panic!("generating a test RSA key failed: {e}"));
        let der = key
            .to_pkcs1_der()
            .unwrap_or_else(|e| panic!("encoding a test RSA key failed: {e}"));
        let (n, e) = (key.n().to_bytes_be(), key.e().to_bytes_be());
        (EncodingKey::from_rsa_der(der.as_bytes()), n, e)
    }

    /// Signs with `jsonwebtoken`'s `rust_crypto` backend named explicitly,
    /// as the verifier does.
    pub(super) fn sign(key: &PrivateKey, message: &[u8]) -> Vec<u8> {
        let backend = &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER;
        let signer = (backend.signer_factory)(&Algorithm::RS256, key)
            .unwrap_or_else(|e| panic!("a test RSA key cannot sign: {e}"));
        signer.sign(message)
    }
}

/// Key number `index` of the process, generated on first use. Threads that
/// want the same key wait for one generation; different keys are generated
/// in parallel.
pub(super) fn material(index: usize) -> Arc<Material> {
    type Slot = Arc<OnceLock<Arc<Material>>>;
    static SLOTS: Mutex<Vec<Slot>> = Mutex::new(Vec::new());
    let slot = {
        let mut slots = SLOTS.lock().unwrap_or_else(PoisonError::into_inner);
        while slots.len() <= index {
            slots.push(Arc::default());
        }
        Arc::clone(&slots[index])
    };
    Arc::clone(slot.get_or_init(|| Arc::new(Material::generate())))
}
