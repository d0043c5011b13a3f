//! Tokens: [`Verifier`] turns a Cognito or OIDC JWT into a [`Principal`].
//!
//! Signatures are checked by `jsonwebtoken` (pure-Rust `rust_crypto`
//! backend); everything else is checked here, on the decoded JSON, in the
//! order of awslabs/aws-jwt-verify, so that each failure has its own
//! [`VerifyError`] and no claim of the wrong type is skipped.

mod claims;
mod error;
mod jwks;

use core::marker::PhantomData;
use core::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

use self::claims::DEFAULT_GROUPS_CLAIM;
pub use self::error::{ConfigError, VerifyError};
use self::error::{shown, shown_all};
use self::jwks::Jwk;
use crate::group::Groups;
use crate::principal::Principal;

/// Default limit on a token's length: 16 KiB.
const DEFAULT_MAX_TOKEN_BYTES: usize = 16 * 1024;

/// Algorithms accepted with a key set.
const KEY_SET_ALGORITHMS: &[(&str, Algorithm)] = &[
    ("RS256", Algorithm::RS256),
    ("RS384", Algorithm::RS384),
    ("RS512", Algorithm::RS512),
    ("ES256", Algorithm::ES256),
    ("ES384", Algorithm::ES384),
    ("EdDSA", Algorithm::EdDSA),
];
const KEY_SET_ALLOWED: &str = "RS256, RS384, RS512, ES256, ES384 and EdDSA";

/// Algorithms accepted in `hs256` mode.
const SECRET_ALGORITHMS: &[(&str, Algorithm)] = &[("HS256", Algorithm::HS256)];
const SECRET_ALLOWED: &str = "HS256";

/// Which token a Cognito verifier accepts: the `token_use` claim.
///
/// Send the **access** token to APIs (Cognito's recommendation); the ID token
/// is meant for the client app.
///
/// ```
/// use groupguard::TokenUse;
/// assert_eq!(TokenUse::Access.as_str(), "access");
/// assert_eq!(TokenUse::Id.to_string(), "id");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TokenUse {
    /// `token_use = "id"`: the client id is in `aud`, the user name in `cognito:username`.
    Id,
    /// `token_use = "access"`: the client id is in `client_id`, the user name in `username`.
    Access,
}

impl TokenUse {
    /// The claim value: `"id"` or `"access"`.
    ///
    /// ```
    /// assert_eq!(groupguard::TokenUse::Id.as_str(), "id");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Access => "access",
        }
    }
}

impl core::fmt::Display for TokenUse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the verifier's keys and issuer come from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Cognito,
    Oidc,
    Hs256,
}

/// A builder choice that must be made explicitly.
#[derive(Clone, PartialEq, Eq, Debug)]
enum Choice<T> {
    Undecided,
    Any,
    Only(T),
}

/// The keys a verifier checks signatures with.
#[derive(Clone, Debug)]
enum Keys {
    Set(Vec<Jwk>),
    Secret(DecodingKey),
}

/// Verifies JWTs and turns them into a [`Principal`] of the groups enum `G`.
///
/// Build one per issuer at start-up with [`cognito`](Self::cognito),
/// [`oidc`](Self::oidc) or [`hs256`](Self::hs256) (development only), then
/// call [`verify`](Self::verify) per request. It is cheap to share (`Send +
/// Sync`; wrap it in an `Arc`).
///
/// Checks, in order, each with its own [`VerifyError`]: size (16 KiB by
/// default, before any decoding); shape (three base64url parts, JSON
/// objects); header `alg` on the allow-list (RS256, RS384, RS512, ES256,
/// ES384, EdDSA with a key set; HS256 only in `hs256` mode; never `none`);
/// key by `kid` (required when the set has several keys; the JWK's `use` must
/// be `sig` and its `alg` equal the header's when present); signature; claim
/// types; `exp` (required) and `nbf` with the leeway (0 s by default); `iss`
/// (required, exact); `token_use`; `aud` or `client_id`; the group claim;
/// `sub` (required).
///
/// Header parameters that point at keys (`jku`, `jwk`, `x5u`, `x5c`) are
/// ignored: keys come only from the configured key set. The key set is
/// given as a document ([`jwks_json`](VerifierBuilder::jwks_json)); fetching
/// and refreshing it is the application's job.
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
    mode: Mode,
    issuer: String,
    keys: Keys,
    clients: Option<Vec<String>>,
    token_use: Choice<TokenUse>,
    groups_claim: String,
    leeway: Duration,
    max_token_bytes: usize,
    _groups: PhantomData<fn() -> G>,
}

/// Configures a [`Verifier`]; made by [`Verifier::cognito`],
/// [`Verifier::oidc`] or [`Verifier::hs256`], finished by
/// [`build`](Self::build).
///
/// Mistakes in calls that return `Self` are reported by `build`.
///
/// ```
/// use groupguard::{groups, TokenUse, Verifier};
/// # #[groups] pub enum Group { ADMINS }
/// # const JWKS_JSON: &str = r#"{"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"RS256","e":"AQAB","n":"w9gyRTeotFyUd7pbAjcMoNfTD7zRWVdvHwOy4r8Ywv6Z75zVvPrbKcxhuH5H0IJrEWXUIPnj4ZO5rQYvkiuOwbwpiLJ60lbTgMsX9R1fCK-A99jbIwGB9F5uRp--MgnovBphjrcAhVSfGPwDfhs9WMaQU6ihxJm4RFlgJR_3QGPbahsTaunAWHkjh54uTrBNqU7_ixkBpVsoyfNtSwLfc42pZHJaIsOOlGXA6NnwvKH2u2zGXaBGGz3CNbCZRKpgeBaI-nlfbCcchfK8J7fSDFtZSUvapGyjTFS_Zs2cN8OAJQUg5Fy8Ffh7tFYg1KSxxeCcTMipzCbqV-1kKUbP5Q"}]}"#;
///
/// let verifier = Verifier::<Group>::cognito("us-east-1_AbC123")?
///     .client_id("7abcd")
///     .token_use(TokenUse::Access)
///     .jwks_json(JWKS_JSON)?
///     .build()?;
/// assert_eq!(verifier.issuer(), "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123");
/// # Ok::<(), groupguard::ConfigError>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `.build()`"]
pub struct VerifierBuilder<G: Groups> {
    mode: Mode,
    issuer: Option<String>,
    keys: Option<Keys>,
    clients: Choice<Vec<String>>,
    token_use: Choice<TokenUse>,
    groups_claim: String,
    leeway: Duration,
    max_token_bytes: usize,
    error: Option<ConfigError>,
    _groups: PhantomData<fn() -> G>,
}

impl<G: Groups> Verifier<G> {
    /// Starts a verifier for tokens of the Cognito user pool `pool_id`
    /// (`us-east-1_AbC123`); the issuer is
    /// `https://cognito-idp.{region}.amazonaws.com/{pool_id}`.
    ///
    /// `build` then requires a client decision (`.client_id(..)` or
    /// `.any_client()`), a token-use decision (`.token_use(..)` or
    /// `.any_token_use()`) and the pool's key set (`.jwks_json(..)`).
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
        let region = check_pool_id(pool_id).map_err(|reason| ConfigError::PoolId {
            pool_id: shown(pool_id),
            reason,
        })?;
        let mut builder = VerifierBuilder::new(Mode::Cognito);
        builder.issuer = Some(format!(
            "https://cognito-idp.{region}.amazonaws.com/{pool_id}"
        ));
        Ok(builder)
    }

    /// Starts a verifier for an OpenID Connect provider whose `iss` is
    /// exactly `issuer` (compared byte for byte: mind the trailing slash).
    ///
    /// The issuer must be an `https://` URL (`http://localhost` is allowed
    /// for development). `build` then requires a client decision
    /// (`.audience(..)` or `.any_client()`) and the provider's key set. The
    /// `token_use` claim is not checked unless `.token_use(..)` asks for it.
    ///
    /// ```
    /// use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert!(Verifier::<Group>::oidc("https://id.example.com/realms/app").is_ok());
    /// assert!(Verifier::<Group>::oidc("id.example.com").is_err());
    /// ```
    pub fn oidc(issuer: &str) -> Result<VerifierBuilder<G>, ConfigError> {
        check_issuer_url(issuer).map_err(|reason| ConfigError::Issuer {
            issuer: shown(issuer),
            reason,
        })?;
        let mut builder = VerifierBuilder::new(Mode::Oidc);
        builder.issuer = Some(issuer.to_owned());
        builder.token_use = Choice::Any;
        Ok(builder)
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
        let secret = secret.as_ref();
        let mut builder = VerifierBuilder::new(Mode::Hs256);
        if secret.is_empty() {
            builder.fail(ConfigError::InvalidValue {
                method: "hs256",
                reason: "the secret is empty",
            });
        }
        builder.keys = Some(Keys::Secret(DecodingKey::from_secret(secret)));
        builder.token_use = Choice::Any;
        builder
    }

    /// The exact `iss` value this verifier accepts.
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
        &self.issuer
    }

    /// Verifies `token` (the bare JWT, without `Bearer `) against the
    /// current time and returns its principal.
    ///
    /// Rejections are logged at debug level (`tracing`), without the token.
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
        self.verify_with_claims_at(token, now)
            .map(|(principal, _)| principal)
    }

    /// Like [`verify`](Self::verify), also returning every claim of the
    /// token (`email`, `custom:*`, `scope`, ...) for the application to read.
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

    fn verify_with_claims_at(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Result<(Principal<G>, Map<String, Value>), VerifyError> {
        let result = self.check(token, now);
        if let Err(error) = &result {
            tracing::debug!(target: "groupguard::verify", %error, "token rejected");
        }
        result
    }

    /// Every check, in the documented order.
    fn check(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Result<(Principal<G>, Map<String, Value>), VerifyError> {
        if token.len() > self.max_token_bytes {
            return Err(VerifyError::TooLarge {
                len: token.len(),
                max: self.max_token_bytes,
            });
        }
        let parts = Parts::split(token)?;
        let alg = self.algorithm(&parts.header)?;
        let kid = parts.header.get("kid").and_then(Value::as_str);
        let (key, key_kid) = self.key(kid, &alg)?;
        if !signature_verifies(&parts, key, alg.1) {
            return Err(VerifyError::Signature {
                kid: key_kid,
                alg: alg.0.to_owned(),
            });
        }
        let claims = parts.claims;
        claims::check_types(&claims)?;
        self.check_times(&claims, now)?;
        self.check_issuer(&claims)?;
        let token_use = self.check_token_use(&claims)?;
        self.check_client(&claims, token_use)?;
        let principal = claims::principal(&claims, &self.groups_claim)?;
        Ok((principal, claims))
    }

    /// The header's `alg`, when it is on this verifier's allow-list.
    fn algorithm(
        &self,
        header: &Map<String, Value>,
    ) -> Result<(&'static str, Algorithm), VerifyError> {
        let (allowed, allowed_text) = match self.keys {
            Keys::Set(_) => (KEY_SET_ALGORITHMS, KEY_SET_ALLOWED),
            Keys::Secret(_) => (SECRET_ALGORITHMS, SECRET_ALLOWED),
        };
        let refuse = |alg: String| VerifyError::Algorithm {
            alg,
            allowed: allowed_text,
        };
        match header.get("alg") {
            None => Err(refuse("(missing)".to_owned())),
            Some(Value::String(alg)) => allowed
                .iter()
                .find(|(name, _)| name == alg)
                .copied()
                .ok_or_else(|| refuse(format!("`{}`", shown(alg)))),
            Some(_) => Err(refuse("(not a string)".to_owned())),
        }
    }

    /// The key that must verify the token, and its `kid` for messages.
    fn key(
        &self,
        kid: Option<&str>,
        &(alg_name, alg): &(&'static str, Algorithm),
    ) -> Result<(&DecodingKey, Option<String>), VerifyError> {
        let keys = match &self.keys {
            // A shared secret has no `kid` to select.
            Keys::Secret(secret) => return Ok((secret, None)),
            Keys::Set(keys) => keys,
        };
        let jwk = match kid {
            Some(kid) => keys
                .iter()
                .find(|k| k.kid.as_deref() == Some(kid))
                .ok_or_else(|| VerifyError::UnknownKey { kid: shown(kid) })?,
            None => match keys.as_slice() {
                [only] => only,
                _ => return Err(VerifyError::MissingKid { keys: keys.len() }),
            },
        };
        let jwk_kid = jwk.kid.as_deref().map(shown);
        if let Some(key_use) = jwk.key_use.as_deref().filter(|u| *u != "sig") {
            return Err(VerifyError::KeyUse {
                kid: jwk_kid,
                key_use: shown(key_use),
            });
        }
        if let Some(key_alg) = jwk.alg.as_deref().filter(|a| *a != alg_name) {
            return Err(VerifyError::KeyAlgorithm {
                kid: jwk_kid,
                alg: alg_name.to_owned(),
                key: format!("for `{}`", shown(key_alg)),
            });
        }
        match jwk.material.for_alg(alg) {
            Some(key) => Ok((key, jwk_kid)),
            None => Err(VerifyError::KeyAlgorithm {
                kid: jwk_kid,
                alg: alg_name.to_owned(),
                key: jwk.material.describe(),
            }),
        }
    }

    /// `exp` (required, not passed) and `nbf` (not in the future), with the leeway.
    fn check_times(&self, claims: &Map<String, Value>, now: SystemTime) -> Result<(), VerifyError> {
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(since) => since.as_secs_f64(),
            Err(before) => -before.duration().as_secs_f64(),
        };
        let leeway = self.leeway.as_secs_f64();
        let Some(exp) = claims.get("exp").and_then(Value::as_f64) else {
            return Err(VerifyError::MissingClaim { claim: "exp" });
        };
        // RFC 7519 4.1.4: the token is valid only *before* `exp`.
        if now >= exp + leeway {
            return Err(VerifyError::Expired {
                exp: exp as i64,
                now: now as i64,
                leeway: self.leeway.as_secs(),
            });
        }
        if let Some(nbf) = claims.get("nbf").and_then(Value::as_f64)
            && now + leeway < nbf
        {
            return Err(VerifyError::NotYetValid {
                nbf: nbf as i64,
                now: now as i64,
                leeway: self.leeway.as_secs(),
            });
        }
        Ok(())
    }

    /// `iss`: required and exactly the verifier's issuer.
    fn check_issuer(&self, claims: &Map<String, Value>) -> Result<(), VerifyError> {
        match claims.get("iss").and_then(Value::as_str) {
            None => Err(VerifyError::MissingClaim { claim: "iss" }),
            Some(iss) if iss == self.issuer => Ok(()),
            Some(iss) => Err(VerifyError::Issuer {
                expected: self.issuer.clone(),
                found: shown(iss),
            }),
        }
    }

    /// `token_use`, when this verifier checks it; returns the token's use.
    fn check_token_use(
        &self,
        claims: &Map<String, Value>,
    ) -> Result<Option<TokenUse>, VerifyError> {
        let expected = match (&self.token_use, self.mode) {
            (Choice::Only(only), _) => only.as_str(),
            // A Cognito token is always an ID or an access token.
            (_, Mode::Cognito) => "\"id\" or \"access\"",
            _ => return Ok(None),
        };
        let Some(found) = claims.get("token_use").and_then(Value::as_str) else {
            return Err(VerifyError::MissingClaim { claim: "token_use" });
        };
        let token_use = match found {
            "id" => Some(TokenUse::Id),
            "access" => Some(TokenUse::Access),
            _ => None,
        };
        match (token_use, &self.token_use) {
            (Some(found), Choice::Only(only)) if found == *only => Ok(Some(found)),
            (Some(found), Choice::Any | Choice::Undecided) => Ok(Some(found)),
            _ => Err(VerifyError::TokenUse {
                expected,
                found: shown(found),
            }),
        }
    }

    /// The client: `client_id` for a Cognito access token, `aud` otherwise.
    fn check_client(
        &self,
        claims: &Map<String, Value>,
        token_use: Option<TokenUse>,
    ) -> Result<(), VerifyError> {
        let Some(accepted) = &self.clients else {
            return Ok(());
        };
        // Only Cognito access tokens name the client in `client_id` (they have
        // no `aud`); every other token, OIDC ones with a `token_use` too, in `aud`.
        let claim = match (self.mode, token_use) {
            (Mode::Cognito, Some(TokenUse::Access)) => "client_id",
            _ => "aud",
        };
        let Some(found) = claims.get(claim).and_then(claims::strings) else {
            return Err(VerifyError::MissingClaim { claim });
        };
        if found.iter().any(|f| accepted.iter().any(|a| a == f)) {
            return Ok(());
        }
        Err(VerifyError::Audience {
            claim,
            expected: accepted.clone(),
            found: shown_all(found),
        })
    }
}

impl<G: Groups> VerifierBuilder<G> {
    fn new(mode: Mode) -> Self {
        Self {
            mode,
            issuer: None,
            keys: None,
            clients: Choice::Undecided,
            token_use: Choice::Undecided,
            groups_claim: DEFAULT_GROUPS_CLAIM.to_owned(),
            leeway: Duration::ZERO,
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            error: None,
            _groups: PhantomData,
        }
    }

    /// Keeps the first mistake for `build` to report.
    fn fail(&mut self, error: ConfigError) {
        self.error.get_or_insert(error);
    }

    /// Accepts tokens of the app client `client_id`: a Cognito ID token must
    /// have it in `aud`, a Cognito access token in `client_id`; other tokens
    /// in `aud`. Call it again to accept several clients.
    ///
    /// ```
    /// # use groupguard::{groups, TokenUse, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let builder = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .client_id("7abcd")
    ///     .client_id("8efgh") // a second app client of the same pool
    ///     .token_use(TokenUse::Access);
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        let client_id = client_id.into();
        if client_id.is_empty() {
            self.fail(ConfigError::InvalidValue {
                method: "client_id",
                reason: "the client id is empty",
            });
        }
        match &mut self.clients {
            Choice::Only(list) => list.push(client_id),
            Choice::Undecided => self.clients = Choice::Only(vec![client_id]),
            Choice::Any => self.fail(ConfigError::Conflict {
                first: "any_client()",
                second: "client_id(..)",
            }),
        }
        self
    }

    /// Accepts tokens whose `aud` is `audience` (the usual name for OIDC
    /// providers); the same as [`client_id`](Self::client_id).
    ///
    /// ```
    /// # use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let builder = Verifier::<Group>::oidc("https://id.example.com/realms/app")?.audience("api");
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn audience(self, audience: impl Into<String>) -> Self {
        self.client_id(audience)
    }

    /// Accepts tokens of every client of the issuer: `aud` and `client_id`
    /// are not checked. Only for issuers that serve this one application.
    ///
    /// ```
    /// # use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::hs256(b"s").issuer("dev").any_client().build()?;
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn any_client(mut self) -> Self {
        match self.clients {
            Choice::Only(_) => self.fail(ConfigError::Conflict {
                first: "client_id(..)",
                second: "any_client()",
            }),
            _ => self.clients = Choice::Any,
        }
        self
    }

    /// Accepts only tokens whose `token_use` claim is `token_use`. Required
    /// (or `.any_token_use()`) for Cognito; optional for OIDC and `hs256`,
    /// where it makes the `token_use` claim required.
    ///
    /// ```
    /// # use groupguard::{groups, TokenUse, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let builder = Verifier::<Group>::cognito("us-east-1_AbC123")?.token_use(TokenUse::Id);
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn token_use(mut self, token_use: TokenUse) -> Self {
        match self.token_use {
            Choice::Any if self.mode == Mode::Cognito => self.fail(ConfigError::Conflict {
                first: "any_token_use()",
                second: "token_use(..)",
            }),
            Choice::Only(other) if other != token_use => self.fail(ConfigError::Conflict {
                first: "token_use(..)",
                second: "token_use(..)",
            }),
            _ => self.token_use = Choice::Only(token_use),
        }
        self
    }

    /// Accepts both ID and access tokens. For Cognito, `token_use` must still
    /// be `id` or `access`; for OIDC and `hs256` it is not checked (the default).
    ///
    /// ```
    /// # use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let builder = Verifier::<Group>::cognito("us-east-1_AbC123")?.any_token_use();
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn any_token_use(mut self) -> Self {
        match self.token_use {
            Choice::Only(_) => self.fail(ConfigError::Conflict {
                first: "token_use(..)",
                second: "any_token_use()",
            }),
            _ => self.token_use = Choice::Any,
        }
        self
    }

    /// Reads the groups from `claim` instead of `cognito:groups` (for
    /// example `groups` for Keycloak, Okta or Auth0 rules).
    ///
    /// On a Cognito verifier a `custom:*` claim is refused: custom
    /// attributes may be writable by the users themselves, who could then
    /// put themselves in any group.
    ///
    /// ```
    /// # use groupguard::{groups, ConfigError, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let builder = Verifier::<Group>::oidc("https://id.example.com")?.groups_claim("groups");
    /// let err = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .groups_claim("custom:groups")
    ///     .any_client()
    ///     .any_token_use()
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err, ConfigError::InvalidValue { method: "groups_claim", .. }));
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn groups_claim(mut self, claim: impl Into<String>) -> Self {
        let claim = claim.into();
        if claim.is_empty() {
            self.fail(ConfigError::InvalidValue {
                method: "groups_claim",
                reason: "the claim name is empty",
            });
        }
        if self.mode == Mode::Cognito && claim.starts_with("custom:") {
            self.fail(ConfigError::InvalidValue {
                method: "groups_claim",
                reason: "Cognito custom attributes may be writable by users, who could then grant themselves groups; use `cognito:groups`",
            });
        }
        self.groups_claim = claim;
        self
    }

    /// Sets the verification keys from a JWK Set document (`{"keys": [...]}`,
    /// as served at `{issuer}/.well-known/jwks.json`), replacing any set given
    /// before.
    ///
    /// Every key that could verify a token (`use` absent or `sig`; `kty`
    /// RSA, EC on P-256/P-384, or OKP Ed25519) is checked now: a malformed
    /// key, an RSA key under 2048 bits, an EC point off its curve, a
    /// symmetric (`oct`) key or a duplicate `kid` is an error. Keys with
    /// another `use` or an unknown `kty` are kept and never verify.
    ///
    /// ```
    /// use groupguard::{groups, ConfigError, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let err = Verifier::<Group>::oidc("https://id.example.com")?
    ///     .jwks_json(r#"{"keys": []}"#)
    ///     .unwrap_err();
    /// assert!(matches!(err, ConfigError::Jwks { .. }));
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn jwks_json(mut self, jwks: &str) -> Result<Self, ConfigError> {
        if self.mode == Mode::Hs256 {
            return Err(ConfigError::SecretWithKeySet);
        }
        self.keys = Some(Keys::Set(jwks::parse(jwks)?));
        Ok(self)
    }

    /// Grace period for `exp` and `nbf`, for clock skew: 0 s by default (as
    /// aws-jwt-verify). Whole seconds are what count in messages.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::hs256(b"s").issuer("dev").any_client()
    ///     .leeway(Duration::from_secs(30))
    ///     .build()?;
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Sets the exact `iss` value accepted, replacing the one derived from
    /// the pool id or given to `oidc` (for a custom Cognito endpoint or a
    /// local emulator). Required for `hs256`.
    ///
    /// ```
    /// # use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::hs256(b"s").issuer("http://localhost:9229/local_pool").any_client().build()?;
    /// assert_eq!(v.issuer(), "http://localhost:9229/local_pool");
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        let issuer = issuer.into();
        if let Err(reason) = check_issuer_text(&issuer) {
            self.fail(ConfigError::Issuer {
                issuer: shown(&issuer),
                reason,
            });
        }
        self.issuer = Some(issuer);
        self
    }

    /// Refuses tokens longer than `bytes` before decoding anything: 16 KiB
    /// (16,384 bytes) by default. Cognito tokens are a few KiB even with 100
    /// groups.
    ///
    /// ```
    /// # use groupguard::{groups, Verifier, VerifyError};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::hs256(b"s").issuer("dev").any_client().max_token_bytes(8).build()?;
    /// assert!(matches!(v.verify("aaaa.bbbb.cccc"), Err(VerifyError::TooLarge { len: 14, max: 8 })));
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn max_token_bytes(mut self, bytes: usize) -> Self {
        if bytes == 0 {
            self.fail(ConfigError::InvalidValue {
                method: "max_token_bytes",
                reason: "the limit must be at least 1 byte",
            });
        }
        self.max_token_bytes = bytes;
        self
    }

    /// Finishes the verifier, or reports the first configuration mistake:
    /// an undecided client or (Cognito) token use, no key, no issuer
    /// (`hs256`), or an invalid argument given earlier.
    ///
    /// ```
    /// # use groupguard::{groups, ConfigError, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let err = Verifier::<Group>::oidc("https://id.example.com")?.any_client().build().unwrap_err();
    /// assert_eq!(err, ConfigError::NoKeys);
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn build(self) -> Result<Verifier<G>, ConfigError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let issuer = self.issuer.ok_or(ConfigError::MissingIssuer)?;
        let clients = match self.clients {
            Choice::Undecided => return Err(ConfigError::ClientUndecided),
            Choice::Any => None,
            Choice::Only(list) => Some(list),
        };
        if self.mode == Mode::Cognito && self.token_use == Choice::Undecided {
            return Err(ConfigError::TokenUseUndecided);
        }
        let keys = self.keys.ok_or(ConfigError::NoKeys)?;
        Ok(Verifier {
            mode: self.mode,
            issuer,
            keys,
            clients,
            token_use: self.token_use,
            groups_claim: self.groups_claim,
            leeway: self.leeway,
            max_token_bytes: self.max_token_bytes,
            _groups: PhantomData,
        })
    }
}

/// The three parts of a token, decoded.
struct Parts<'t> {
    header: Map<String, Value>,
    claims: Map<String, Value>,
    /// `header.payload`, the signed text.
    message: &'t str,
    /// The decoded signature.
    signature: Vec<u8>,
}

impl<'t> Parts<'t> {
    /// Checks the shape: three base64url parts, the first two JSON objects.
    fn split(token: &'t str) -> Result<Self, VerifyError> {
        let malformed = |reason: &str| VerifyError::Malformed {
            reason: reason.to_owned(),
        };
        if token.is_empty() {
            return Err(malformed("the token is empty"));
        }
        if token
            .get(..7)
            .is_some_and(|start| start.eq_ignore_ascii_case("bearer "))
        {
            return Err(malformed(
                "it starts with `Bearer `: pass only the token that follows it",
            ));
        }
        let dots = token.bytes().filter(|b| *b == b'.').count();
        if dots != 2 {
            return Err(VerifyError::Malformed {
                reason: format!(
                    "{} part(s) where a JWT has 3 (`header.payload.signature`)",
                    dots + 1
                ),
            });
        }
        let (message, signature) = token
            .rsplit_once('.')
            .ok_or_else(|| malformed("no signature part"))?;
        let (header, payload) = message
            .split_once('.')
            .ok_or_else(|| malformed("no payload part"))?;
        let header = json_object(header, "header")?;
        let claims = json_object(payload, "payload")?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| malformed("the signature is not base64url"))?;
        if header.contains_key("crit") {
            return Err(malformed(
                "the header has `crit` (critical extensions), which this verifier does not support",
            ));
        }
        if header.get("kid").is_some_and(|kid| !kid.is_string()) {
            return Err(malformed("the header's `kid` is not a string"));
        }
        Ok(Self {
            header,
            claims,
            message,
            signature,
        })
    }
}

/// Whether the signature verifies, with `jsonwebtoken`'s `rust_crypto`
/// backend named explicitly: the process-wide default provider panics when a
/// dependency graph enables both of jsonwebtoken's backends.
fn signature_verifies(parts: &Parts<'_>, key: &DecodingKey, alg: Algorithm) -> bool {
    let backend = &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER;
    (backend.verifier_factory)(&alg, key).is_ok_and(|verifier| {
        verifier
            .verify(parts.message.as_bytes(), &parts.signature)
            .is_ok()
    })
}

/// Decodes one base64url part into a JSON object.
fn json_object(part: &str, name: &str) -> Result<Map<String, Value>, VerifyError> {
    let malformed = |what: &str| VerifyError::Malformed {
        reason: format!("the {name} {what}"),
    };
    if part.is_empty() {
        return Err(malformed("is empty"));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| malformed("is not base64url (unpadded, `-_` alphabet)"))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(malformed("is JSON but not an object")),
        Err(_) => Err(malformed("is not JSON")),
    }
}

/// Checks a Cognito pool id (`us-east-1_AbC123`) and returns its region.
fn check_pool_id(pool_id: &str) -> Result<&str, &'static str> {
    let Some((region, id)) = pool_id.split_once('_') else {
        return Err("no `_` between region and id");
    };
    // Regions: lowercase words and a final number, such as `us-gov-west-1`.
    let words: Vec<&str> = region.split('-').collect();
    let region_ok = match words.split_last() {
        Some((number, names)) => {
            names.len() >= 2
                && names
                    .iter()
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    };
    if !region_ok {
        return Err("the region part is not an AWS region such as `us-east-1`");
    }
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err("the part after `_` must be letters and digits");
    }
    if pool_id.len() > 55 {
        return Err("longer than 55 characters");
    }
    Ok(region)
}

/// Checks an issuer that is compared as a string: not empty, no whitespace
/// or control characters.
fn check_issuer_text(issuer: &str) -> Result<(), &'static str> {
    if issuer.is_empty() {
        return Err("it is empty");
    }
    if issuer.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains whitespace or control characters");
    }
    Ok(())
}

/// Checks an OIDC issuer: an `https://` URL, or `http://` on the local host.
fn check_issuer_url(issuer: &str) -> Result<(), &'static str> {
    check_issuer_text(issuer)?;
    // `user@host` would let `http://localhost:80@example.com` pass for a local URL.
    let authority = issuer
        .split("://")
        .nth(1)
        .unwrap_or_default()
        .split('/')
        .next()
        .unwrap_or_default();
    if authority.contains('@') {
        return Err("an issuer URL has no user info (`user@`)");
    }
    let host_and_path = if let Some(rest) = issuer.strip_prefix("https://") {
        rest
    } else if let Some(rest) = issuer.strip_prefix("http://") {
        let local = ["localhost", "127.0.0.1", "[::1]"].iter().any(|host| {
            rest.strip_prefix(host)
                .is_some_and(|after| after.is_empty() || after.starts_with([':', '/']))
        });
        if !local {
            return Err("`http://` is only allowed for localhost; use `https://`");
        }
        rest
    } else {
        return Err("an OIDC issuer is an `https://` URL");
    };
    if host_and_path.is_empty() || host_and_path.starts_with('/') {
        return Err("the URL has no host");
    }
    if issuer.contains(['?', '#']) {
        return Err("an issuer URL has no query or fragment");
    }
    Ok(())
}
