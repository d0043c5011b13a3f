//! Tokens: [`Verifier`] turns a Cognito or OIDC JWT into a [`Principal`].
//!
//! Signatures are checked by the one crypto backend the build selects
//! (`crypto`: AWS-LC by default, or the pure-Rust RustCrypto crates through
//! `jsonwebtoken`); everything else is checked here, on the decoded JSON, in the
//! order of awslabs/aws-jwt-verify, so that each failure has its own
//! [`VerifyError`] and no claim of the wrong type is skipped.
//!
//! This file holds the [`Verifier`] and its [`check`](Verifier::check), the
//! table of contents of the checks; each step lives with its subject:
//! `token` (size, shape, signature), `crypto` (the backend), `keys` (algorithm and key selection),
//! `jwks` (the JWK Set document), `issuer` (the accepted issuers: a Cognito
//! pool's two formats), `claims` (the claim checks and the principal),
//! `builder` (the configuration), `config` (the configuration a verifier
//! holds, and [`ClaimChecks`]) and `error`.

mod asynchronous;
mod builder;
mod cache;
mod checks;
mod config;
mod crypto;
mod error;
mod issuer;
mod jwks;
mod keys;
#[cfg(feature = "fetch")]
mod live;
mod size;
mod source;
mod token;

use core::marker::PhantomData;
use std::sync::Arc;
use std::time::SystemTime;

use serde_json::{Map, Value};

pub use self::builder::VerifierBuilder;
use self::cache::{TokenCache, Window};
use self::config::Config;
#[cfg(all(feature = "test-issuer", feature = "fetch"))]
pub(crate) use self::config::KeepAlive;
pub use self::config::{ClaimChecks, TokenUse};
pub use self::error::{ConfigError, VerifyError};
#[cfg(feature = "test-issuer")]
pub(crate) use self::issuer::{COGNITO_ISSUER_HOSTS, cognito_issuers};
pub use self::keys::KeySet;
#[cfg(feature = "fetch")]
pub use self::live::JwksClock;
use self::source::Keys;
use self::token::Parts;
use crate::group::Groups;
use crate::principal::Principal;

/// Verifies JWTs and turns them into a [`Principal`] of the groups enum `G`.
///
/// Build one per issuer at start-up with [`cognito`](Self::cognito),
/// [`oidc`](Self::oidc) or [`hs256`](Self::hs256) (development only), then
/// call [`verify`](Self::verify) per request. It is cheap to share (`Send +
/// Sync`; wrap it in an `Arc`).
///
/// Checks, in order, each with its own [`VerifyError`]: size (1 MiB by
/// default, before any decoding: above the largest token Cognito can issue,
/// see [`max_token_bytes`](VerifierBuilder::max_token_bytes)); shape (three
/// base64url parts, JSON objects); header `alg` on the allow-list (RS256,
/// RS384, RS512, ES256, ES384, EdDSA with a key set; HS256 only in `hs256`
/// mode; never `none`); `iss` (required, exactly one of the verifier's
/// [`issuers`](Self::issuers): it chooses the key set, so a token naming
/// any other issuer is refused before a key is looked up or fetched); key
/// by `kid` (required when the set has several keys; the JWK's `use` must
/// be `sig`, its `key_ops` include `verify` and its `alg` equal the
/// header's, each when present); signature; claim types; `exp` (required)
/// and `nbf` with the leeway (0 s by default); `token_use`; `aud` or
/// `client_id`; the group claim; `sub` (required).
///
/// A Cognito verifier accepts both of the pool's issuer formats, ORIGINAL
/// (`https://cognito-idp.{region}.amazonaws.com/{pool_id}`) and UPDATED
/// (`https://issuer-cognito-idp.{region}.amazonaws.com/{pool_id}`), both
/// made from the pool id; `.issuer(..)` replaces them with one.
///
/// Header parameters that point at keys (`jku`, `jwk`, `x5u`, `x5c`) are
/// ignored: keys come only from the configured key set. The key set is
/// given as a document ([`jwks_json`](VerifierBuilder::jwks_json)) or a
/// loaded [`KeySet`] ([`key_set`](VerifierBuilder::key_set)), and replaced
/// with [`with_keys`](Self::with_keys) when the issuer rotates its keys; or,
/// with the feature `fetch`, fetched from the issuer and kept fresh
/// (`.fetch_jwks()`, `.jwks_url(..)`; then verify with
/// [`verify_async`](Self::verify_async)).
///
/// ```
/// use groupguard::{groups, Principal, Verifier, VerifyError};
/// use jsonwebtoken::{encode, EncodingKey, Header};
/// use serde_json::json;
///
/// #[groups]
/// pub enum Group { ADMINS, EDITORS }
///
/// let verifier = Verifier::<Group>::hs256(b"dev-only-secret")
///     .issuer("dev")
///     .audience("dev")
///     .build()?;
///
/// // A development token, as a local sign-in stub would mint it.
/// let claims = json!({
///     "iss": "dev", "aud": "dev", "sub": "u-1", "exp": 4_000_000_000u64,
///     "cognito:groups": ["EDITORS"],
/// });
/// let token = encode(&Header::default(), &claims, &EncodingKey::from_secret(b"dev-only-secret"))
///     .unwrap();
///
/// let principal: Principal<Group> = verifier.verify(&token)?;
/// assert!(principal.is_in(Group::EDITORS));
///
/// let tampered = token.replace('.', ".x");
/// assert!(verifier.verify(&tampered).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Verifier<G: Groups> {
    /// Shared with the verifiers [`with_keys`](Self::with_keys) makes.
    config: Arc<Config>,
    keys: Keys,
    /// The verified-token cache (`.cache_verified(..)`), shared likewise.
    cache: Option<Arc<TokenCache<G>>>,
    /// Which verifier this is: its clones share the id, a verifier built
    /// anew or with other keys gets its own.
    #[cfg_attr(
        not(feature = "axum"),
        expect(dead_code, reason = "only the axum layers compare verifiers")
    )]
    id: VerifierId,
    _groups: PhantomData<fn() -> G>,
}

/// The identity of a [`Verifier`]: equal for its clones only, so that a
/// principal one verifier verified is not taken as another's (an axum
/// route layer's, by a handler whose verifier is stricter).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct VerifierId(u64);

impl VerifierId {
    /// A new identity, never given before in this process.
    pub(crate) fn fresh() -> Self {
        use core::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

impl<G: Groups> Verifier<G> {
    /// This verifier's identity (shared by its clones only).
    #[cfg(feature = "axum")]
    pub(crate) fn id(&self) -> VerifierId {
        self.id
    }

    /// Starts a verifier for tokens of the Cognito user pool `pool_id`
    /// (`us-east-1_AbC123`); the issuer is
    /// `https://cognito-idp.{region}.amazonaws.com/{pool_id}`.
    ///
    /// `build` then requires a client decision (`.client_id(..)` or
    /// `.any_client()`), a token-use decision (`.token_use(..)` or
    /// `.any_token_use()`) and the pool's key set (`.jwks_json(..)` or
    /// `.key_set(..)`).
    ///
    /// # Errors
    ///
    /// [`ConfigError::PoolId`] when `pool_id` is not an AWS region, `_` and
    /// letters and digits, in at most 55 characters.
    ///
    /// ```
    /// use groupguard::{groups, ConfigError, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert!(Verifier::<Group>::cognito("us-east-1_AbC123").is_ok());
    /// assert!(matches!(
    ///     Verifier::<Group>::cognito("AbC123"),
    ///     Err(ConfigError::PoolId { .. })
    /// ));
    /// ```
    pub fn cognito(pool_id: &str) -> Result<VerifierBuilder<G>, ConfigError> {
        VerifierBuilder::cognito(pool_id)
    }

    /// Starts a verifier for an OpenID Connect provider whose `iss` is
    /// exactly `issuer` (compared byte for byte: mind the trailing slash).
    ///
    /// The issuer must be an `https://` URL (`http://localhost` is allowed
    /// for development). `build` then requires a client decision
    /// (`.audience(..)` or `.any_client()`) and the provider's key set. The
    /// `token_use` claim is not checked unless `.token_use(..)` asks for it.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Issuer`] when `issuer` is not such a URL: another
    /// scheme, no host, user info, a query or fragment, whitespace or
    /// control characters.
    ///
    /// ```
    /// use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert!(Verifier::<Group>::oidc("https://id.example.com/realms/app").is_ok());
    /// assert!(Verifier::<Group>::oidc("id.example.com").is_err());
    /// ```
    pub fn oidc(issuer: &str) -> Result<VerifierBuilder<G>, ConfigError> {
        VerifierBuilder::oidc(issuer)
    }

    /// Starts a **development** verifier for HS256 tokens signed with a
    /// shared `secret`; only `HS256` is accepted.
    ///
    /// Never use it in production: anyone holding the secret can mint tokens
    /// for any group. `build` requires `.issuer(..)` and a client decision,
    /// and refuses an empty secret or a key set.
    ///
    /// ```
    /// use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let dev = Verifier::<Group>::hs256(b"dev-only-secret").issuer("dev").audience("dev").build()?;
    /// assert_eq!(dev.issuer(), "dev");
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn hs256(secret: impl AsRef<[u8]>) -> VerifierBuilder<G> {
        VerifierBuilder::hs256(secret.as_ref())
    }

    /// The first `iss` value this verifier accepts: for a Cognito pool, its
    /// ORIGINAL-format issuer (see [`issuers`](Self::issuers) for both).
    ///
    /// ```
    /// # use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::hs256(b"s").issuer("dev").any_client().build()?;
    /// assert_eq!(v.issuer(), "dev");
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    #[must_use]
    pub fn issuer(&self) -> &str {
        self.config.issuers.first().map_or("", String::as_str)
    }

    /// Every `iss` value this verifier accepts, compared byte for byte: a
    /// Cognito pool's two issuer formats (ORIGINAL, then UPDATED), or the
    /// one issuer given to `oidc`, `.issuer(..)` or an `hs256` verifier.
    ///
    /// ```
    /// # use groupguard::{groups, TokenUse, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// # const JWKS_JSON: &str = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed-1","x":"IImwooYDlo6FbkfC9pQLk7WZarhUFMrupRfdU-xdQfs"}]}"#;
    /// let v = Verifier::<Group>::cognito("eu-west-1_AbC123")?
    ///     .any_client()
    ///     .token_use(TokenUse::Access)
    ///     .jwks_json(JWKS_JSON)?
    ///     .build()?;
    /// assert_eq!(v.issuers(), [
    ///     "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
    ///     "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
    /// ]);
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    #[must_use]
    pub fn issuers(&self) -> &[String] {
        &self.config.issuers
    }

    /// Verifies `token` (the bare JWT, without `Bearer `) against the
    /// current time and returns its principal.
    ///
    /// Rejections are logged at debug level (`tracing`), without the token.
    ///
    /// # Errors
    ///
    /// The first check the token fails, each with its own [`VerifyError`],
    /// in the order of the [`Verifier`]'s documentation.
    ///
    /// ```
    /// use groupguard::{groups, Verifier, VerifyError};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::hs256(b"s").issuer("dev").any_client().build()?;
    /// assert!(matches!(v.verify(""), Err(VerifyError::Malformed { .. })));
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn verify(&self, token: &str) -> Result<Principal<G>, VerifyError> {
        self.verify_at(token, SystemTime::now())
    }

    /// Like [`verify`](Self::verify), with the clock reading `now` (for
    /// tests, or to verify a token as of the moment a request was received).
    ///
    /// # Errors
    ///
    /// Those of [`verify`](Self::verify).
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use groupguard::{groups, Verifier, VerifyError};
    /// use jsonwebtoken::{encode, EncodingKey, Header};
    /// use serde_json::json;
    /// # #[groups] pub enum Group { ADMINS }
    ///
    /// let v = Verifier::<Group>::hs256(b"s").issuer("dev").any_client().build()?;
    /// let claims = json!({"iss": "dev", "sub": "u", "exp": 1_000});
    /// let token = encode(&Header::default(), &claims, &EncodingKey::from_secret(b"s")).unwrap();
    ///
    /// assert!(v.verify_at(&token, UNIX_EPOCH + Duration::from_secs(999)).is_ok());
    /// assert!(matches!(
    ///     v.verify_at(&token, UNIX_EPOCH + Duration::from_secs(1_000)),
    ///     Err(VerifyError::Expired { exp: 1_000, .. })
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_at(&self, token: &str, now: SystemTime) -> Result<Principal<G>, VerifyError> {
        let Some(cache) = &self.cache else {
            return self
                .verify_with_claims_at(token, now)
                .map(|(principal, _)| principal);
        };
        // The generation is read before verifying: if the key set changes
        // meanwhile, the entry carries the older one and misses (never the
        // reverse).
        let Some(generation) = self.keys.generation() else {
            return self
                .verify_with_claims_at(token, now)
                .map(|(principal, _)| principal);
        };
        let (seconds, leeway) = (checks::unix_seconds(now), self.config.leeway.as_secs_f64());
        if let Some(principal) = cache.get(token, generation, seconds, leeway) {
            return Ok(principal);
        }
        let (principal, claims) = self.verify_with_claims_at(token, now)?;
        if let Some(window) = Window::of(&claims) {
            cache.insert(token, &principal, window, generation);
        }
        Ok(principal)
    }

    /// Like [`verify`](Self::verify), also returning every claim of the
    /// token (`email`, `custom:*`, `scope`, ...) for the application to read.
    ///
    /// # Errors
    ///
    /// Those of [`verify`](Self::verify).
    ///
    /// ```
    /// use groupguard::{groups, Verifier};
    /// use jsonwebtoken::{encode, EncodingKey, Header};
    /// use serde_json::json;
    /// # #[groups] pub enum Group { ADMINS }
    ///
    /// let v = Verifier::<Group>::hs256(b"s").issuer("dev").any_client().build()?;
    /// let claims = json!({"iss": "dev", "sub": "u", "exp": 4_000_000_000u64, "custom:tenant": "acme"});
    /// let token = encode(&Header::default(), &claims, &EncodingKey::from_secret(b"s")).unwrap();
    ///
    /// let (principal, claims) = v.verify_with_claims(&token)?;
    /// assert_eq!(principal.sub(), Some("u"));
    /// assert_eq!(claims["custom:tenant"], "acme");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_with_claims(
        &self,
        token: &str,
    ) -> Result<(Principal<G>, Map<String, Value>), VerifyError> {
        self.verify_with_claims_at(token, SystemTime::now())
    }

    /// A verifier with this one's configuration (issuer, clients, token use,
    /// group claim, leeway, size limit) that checks signatures with `keys`:
    /// for an issuer that rotated its keys. The configuration is shared, not
    /// rebuilt or copied, and `self` is unchanged, so requests in flight keep
    /// their verifier.
    ///
    /// # Errors
    ///
    /// [`ConfigError::NoKeySetToReplace`] on an `hs256` verifier: its key is
    /// the shared secret it was built with, and it accepts HS256 only. A key
    /// set would not replace that secret but turn a development verifier
    /// into a public-key one, whose issuer was never checked as a URL; build
    /// the verifier you need instead. It is an error rather than a panic so
    /// that a rotation task handles it as it handles a bad key set (both are
    /// [`ConfigError`]s).
    ///
    /// ```
    /// # use base64::Engine as _;
    /// use groupguard::{groups, ConfigError, KeySet, Verifier, VerifyError};
    /// use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
    /// use serde_json::json;
    /// # #[groups] pub enum Group { ADMINS }
    /// # const OLD_JWKS: &str = r#"{"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"RS256","e":"AQAB","n":"w9gyRTeotFyUd7pbAjcMoNfTD7zRWVdvHwOy4r8Ywv6Z75zVvPrbKcxhuH5H0IJrEWXUIPnj4ZO5rQYvkiuOwbwpiLJ60lbTgMsX9R1fCK-A99jbIwGB9F5uRp--MgnovBphjrcAhVSfGPwDfhs9WMaQU6ihxJm4RFlgJR_3QGPbahsTaunAWHkjh54uTrBNqU7_ixkBpVsoyfNtSwLfc42pZHJaIsOOlGXA6NnwvKH2u2zGXaBGGz3CNbCZRKpgeBaI-nlfbCcchfK8J7fSDFtZSUvapGyjTFS_Zs2cN8OAJQUg5Fy8Ffh7tFYg1KSxxeCcTMipzCbqV-1kKUbP5Q"}]}"#;
    ///
    /// let verifier = Verifier::<Group>::oidc("https://id.example.com")?
    ///     .audience("api")
    ///     .jwks_json(OLD_JWKS)?
    ///     .build()?;
    ///
    /// // The issuer now signs with a new key, `ed-2`, published in its new set.
    /// const NEW_JWKS: &str = r#"{"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "ed-2",
    ///     "use": "sig", "alg": "EdDSA", "x": "IImwooYDlo6FbkfC9pQLk7WZarhUFMrupRfdU-xdQfs"}]}"#;
    /// # // The private half of `ed-2`: tests/tests/fixtures/TEST_ONLY_ed25519.pem.
    /// # let der = base64::engine::general_purpose::STANDARD
    /// #     .decode("MC4CAQAwBQYDK2VwBCIEIMuB4jUNatl5n0s3/m7tCQ4zprzNGwSjRQ9cWOl2u0IF")?;
    /// # let issuer_key = EncodingKey::from_ed_der(&der);
    /// let mut header = Header::new(Algorithm::EdDSA);
    /// header.kid = Some("ed-2".to_owned());
    /// let claims = json!({"iss": "https://id.example.com", "aud": "api", "sub": "u-1",
    ///                     "exp": 4_000_000_000u64});
    /// let token = encode(&header, &claims, &issuer_key)?;
    /// assert!(matches!(verifier.verify(&token), Err(VerifyError::UnknownKey { .. })));
    ///
    /// let rotated = verifier.with_keys(KeySet::from_jwks_json(NEW_JWKS)?)?;
    /// assert!(rotated.verify(&token).is_ok());
    /// // The configuration is kept: a token for another audience is still refused.
    /// let mut billing = claims.clone();
    /// billing["aud"] = json!("billing");
    /// let token = encode(&header, &billing, &issuer_key)?;
    /// assert!(matches!(rotated.verify(&token), Err(VerifyError::Audience { .. })));
    ///
    /// // A development verifier has a secret, not a key set.
    /// let dev = Verifier::<Group>::hs256(b"dev-only-secret").issuer("dev").any_client().build()?;
    /// assert_eq!(
    ///     dev.with_keys(KeySet::from_jwks_json(NEW_JWKS)?).unwrap_err(),
    ///     ConfigError::NoKeySetToReplace
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_keys(&self, keys: KeySet) -> Result<Self, ConfigError> {
        match self.keys {
            #[cfg(feature = "fetch")]
            Keys::Live(_) => Ok(Self {
                config: Arc::clone(&self.config),
                keys: Keys::Set(keys),
                cache: self.cache.clone(),
                id: VerifierId::fresh(),
                _groups: PhantomData,
            }),
            Keys::Set(_) => Ok(Self {
                config: Arc::clone(&self.config),
                keys: Keys::Set(keys),
                cache: self.cache.clone(),
                id: VerifierId::fresh(),
                _groups: PhantomData,
            }),
            Keys::Secret(_) => Err(ConfigError::NoKeySetToReplace),
        }
    }

    /// This verifier's checks that need no keys or clock, sharing its
    /// configuration: for claims another party verified
    /// ([`ClaimChecks`]).
    ///
    /// ```
    /// use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let verifier = Verifier::<Group>::hs256(b"dev-only-secret").issuer("dev").audience("app").build()?;
    /// assert_eq!(verifier.claim_checks().groups_claim(), "cognito:groups");
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    #[must_use]
    pub fn claim_checks(&self) -> ClaimChecks {
        ClaimChecks(Arc::clone(&self.config))
    }

    fn verify_with_claims_at(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Result<(Principal<G>, Map<String, Value>), VerifyError> {
        let result = self.check(token, now);
        if let Err(error) = &result {
            // The message quotes (escaped) values from the token: one field.
            let error = crate::text::Quoted(&error.to_string());
            tracing::debug!(target: "groupguard::verify", %error, "token rejected");
        }
        result
    }

    /// Every check, in the documented order (the table of [`crate::guide::tokens`]
    /// and [`VerifyError`]); the first failure is returned.
    fn check(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Result<(Principal<G>, Map<String, Value>), VerifyError> {
        let config = &*self.config;
        // 1. Size, before any decoding.
        token::check_size(token, config.max_token_bytes)?;
        // 2. Shape: three base64url parts, header and payload JSON objects.
        let parts = Parts::split(token)?;
        // 3. The header's `alg`, on the allow-list of the keys.
        let alg = self.keys.algorithm(&parts.header)?;
        // 4. `iss`: one of the configured issuers, which chooses the key set
        // (read before the signature is checked, as aws-jwt-verify does: it
        // only picks among keys the configuration names, by exact match).
        let issuer = config.check_issuer(&parts.claims)?;
        // 5. The key: by `kid`, then the JWK's `use`, `key_ops` and `alg`;
        // 6. the signature, checked with it.
        self.keys.with_key(issuer, parts.kid(), alg, |key, kid| {
            parts.check_signature(key, kid, alg)
        })?;
        let claims = parts.claims;
        // 7. Claim types.
        checks::check_types(&claims)?;
        // 8. `exp`.
        config.check_exp(&claims, now)?;
        // 9. `nbf`.
        config.check_nbf(&claims, now)?;
        // 10. `token_use`.
        let token_use = config.check_token_use(&claims)?;
        // 11. The client: `aud` or `client_id`.
        config.check_client(&claims, token_use)?;
        // 12. The group claim.
        let groups = checks::group_names(&claims, &config.groups_claim)?;
        // 13. `sub`.
        let sub = checks::subject(&claims)?;
        let principal = crate::claims::principal_of(&claims, sub, groups);
        Ok((principal, claims))
    }
}
