//! The issuer's RSA keys: generated at run time, once per process and key
//! number, and the signing of a token's `header.payload`.
//!
//! RSA-2048 key generation takes one to several seconds in a debug build
//! (the big-number code is not optimised), so the keys are made on first
//! use and kept for the process: every [`TestIssuer`](super::TestIssuer)
//! signs with key #0 until it rotates to #1, #2, ...

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use rsa::pkcs1::EncodeRsaPrivateKey as _;
use rsa::rand_core::OsRng;
use rsa::traits::PublicKeyParts as _;
use serde_json::{Value, json};

/// Bits of every generated key: Cognito's size, and the verifier's minimum.
const BITS: usize = 2048;

/// One generated key pair.
pub(super) struct Material {
    private: EncodingKey,
    /// The public modulus and exponent, base64url.
    n: String,
    e: String,
}

impl Material {
    fn generate() -> Self {
        let key = rsa::RsaPrivateKey::new(&mut OsRng, BITS)
            .unwrap_or_else(|e| panic!("generating a test RSA key failed: {e}"));
        let der = key
            .to_pkcs1_der()
            .unwrap_or_else(|e| panic!("encoding a test RSA key failed: {e}"));
        Self {
            private: EncodingKey::from_rsa_der(der.as_bytes()),
            n: URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
            e: URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
        }
    }

    /// The public JWK of this key under `kid`, as Cognito publishes it.
    pub(super) fn jwk(&self, kid: &str) -> Value {
        json!({"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": self.n, "e": self.e})
    }

    /// The RS256 signature of `message`, base64url. Signs with
    /// `jsonwebtoken`'s `rust_crypto` backend named explicitly, as the
    /// verifier does: the process default panics when a dependency graph
    /// enables both of its backends.
    pub(super) fn sign(&self, message: &str) -> String {
        let backend = &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER;
        let signer = (backend.signer_factory)(&Algorithm::RS256, &self.private)
            .unwrap_or_else(|e| panic!("a test RSA key cannot sign: {e}"));
        URL_SAFE_NO_PAD.encode(signer.sign(message.as_bytes()))
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
