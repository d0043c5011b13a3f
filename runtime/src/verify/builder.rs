//! [`VerifierBuilder`]: the configuration of a [`Verifier`], checked when it
//! is given (a pool id, an issuer) or at [`build`](VerifierBuilder::build)
//! (every decision made, no contradiction).

use core::marker::PhantomData;
use core::time::Duration;
use std::sync::Arc;

use super::claims::DEFAULT_GROUPS_CLAIM;
use super::error::ConfigError;
use super::keys::{KeySet, Keys};
use super::{Choice, Config, Mode, TokenUse, Verifier};
use crate::group::Groups;
use crate::text::shown;

/// Default limit on a token's length: 16 KiB.
const DEFAULT_MAX_TOKEN_BYTES: usize = 16 * 1024;

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
    pub(super) mode: Mode,
    issuer: Option<String>,
    pub(super) keys: Option<Keys>,
    #[cfg(feature = "fetch")]
    pub(super) live: super::live::LiveConfig,
    clients: Choice<Vec<String>>,
    token_use: Choice<TokenUse>,
    groups_claim: String,
    leeway: Duration,
    max_token_bytes: usize,
    cache_capacity: Option<usize>,
    error: Option<ConfigError>,
    _groups: PhantomData<fn() -> G>,
}

impl<G: Groups> VerifierBuilder<G> {
    fn new(mode: Mode) -> Self {
        Self {
            mode,
            issuer: None,
            keys: None,
            #[cfg(feature = "fetch")]
            live: super::live::LiveConfig::default(),
            clients: Choice::Undecided,
            token_use: Choice::Undecided,
            groups_claim: DEFAULT_GROUPS_CLAIM.to_owned(),
            leeway: Duration::ZERO,
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            cache_capacity: None,
            error: None,
            _groups: PhantomData,
        }
    }

    /// Keeps the first mistake for `build` to report.
    pub(super) fn fail(&mut self, error: ConfigError) {
        self.error.get_or_insert(error);
    }

    /// The builder of [`Verifier::cognito`].
    pub(super) fn cognito(pool_id: &str) -> Result<Self, ConfigError> {
        let region = check_pool_id(pool_id).map_err(|reason| ConfigError::PoolId {
            pool_id: shown(pool_id),
            reason,
        })?;
        let mut builder = Self::new(Mode::Cognito);
        builder.issuer = Some(format!(
            "https://cognito-idp.{region}.amazonaws.com/{pool_id}"
        ));
        Ok(builder)
    }

    /// The builder of [`Verifier::oidc`].
    pub(super) fn oidc(issuer: &str) -> Result<Self, ConfigError> {
        check_issuer_url(issuer).map_err(|reason| ConfigError::Issuer {
            issuer: shown(issuer),
            reason,
        })?;
        let mut builder = Self::new(Mode::Oidc);
        builder.issuer = Some(issuer.to_owned());
        builder.token_use = Choice::Any;
        Ok(builder)
    }

    /// The builder of [`Verifier::hs256`].
    pub(super) fn hs256(secret: &[u8]) -> Self {
        let mut builder = Self::new(Mode::Hs256);
        if secret.is_empty() {
            builder.fail(ConfigError::InvalidValue {
                method: "hs256",
                reason: "the secret is empty",
            });
        }
        builder.keys = Some(Keys::Secret(super::crypto::Secret::new(secret)));
        builder.token_use = Choice::Any;
        builder
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
    /// before: the same as `.key_set(KeySet::from_jwks_json(jwks)?)`, with
    /// the same checks (see [`KeySet::from_jwks_json`]).
    ///
    /// # Errors
    ///
    /// [`KeySet::from_jwks_json`]'s errors for a bad document, and
    /// [`ConfigError::SecretWithKeySet`] on an `hs256` verifier, at once,
    /// before `jwks` is read.
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
    pub fn jwks_json(self, jwks: &str) -> Result<Self, ConfigError> {
        if self.mode == Mode::Hs256 {
            return Err(ConfigError::SecretWithKeySet);
        }
        Ok(self.key_set(KeySet::from_jwks_json(jwks)?))
    }

    /// Sets the verification keys to `keys`, a [`KeySet`] already loaded
    /// (and checked) with [`KeySet::from_jwks_json`], replacing any set
    /// given before. One set may serve several verifiers of its issuer (a
    /// Cognito pool's ID-token and access-token verifiers).
    ///
    /// An `hs256` verifier has its secret instead: `build` then fails with
    /// [`ConfigError::SecretWithKeySet`].
    ///
    /// ```
    /// use groupguard::{groups, KeySet, TokenUse, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// # const JWKS_JSON: &str = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed-1","x":"IImwooYDlo6FbkfC9pQLk7WZarhUFMrupRfdU-xdQfs"}]}"#;
    /// let pool_keys = KeySet::from_jwks_json(JWKS_JSON)?;
    /// let id = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .client_id("7abcd")
    ///     .token_use(TokenUse::Id)
    ///     .key_set(pool_keys.clone())
    ///     .build()?;
    /// let access = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .client_id("7abcd")
    ///     .token_use(TokenUse::Access)
    ///     .key_set(pool_keys)
    ///     .build()?;
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn key_set(mut self, keys: KeySet) -> Self {
        if self.mode == Mode::Hs256 {
            self.fail(ConfigError::SecretWithKeySet);
        } else {
            #[cfg(feature = "fetch")]
            self.live.clear();
            self.keys = Some(Keys::Set(keys));
        }
        self
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

    /// Remembers up to `capacity` verified tokens, so that a token presented
    /// again (a client sends the same one with every request) skips the
    /// signature check and the JSON: a hit costs well under a microsecond
    /// where a full RS256 verification costs tens.
    ///
    /// A hit never answers differently from a full verification:
    ///
    /// - entries are found by the **whole token** (any byte changed is
    ///   another token), and only tokens that passed every check are kept;
    /// - `exp` and `nbf` are checked again at each hit, with the same
    ///   leeway, at the time of the call: an entry never outlives its token;
    /// - an entry belongs to the key set that verified it: after the set is
    ///   refreshed or replaced (`with_keys`, a live refetch), its tokens are
    ///   verified in full again, so a key rotated out is never trusted
    ///   through the cache;
    /// - when full, the oldest entry is dropped first.
    ///
    /// Only [`Verifier::verify`], [`verify_at`](Verifier::verify_at) and
    /// [`verify_async`](Verifier::verify_async) use it
    /// ([`verify_with_claims`](Verifier::verify_with_claims) always verifies
    /// in full). Memory: at most `capacity` tokens (each up to
    /// [`max_token_bytes`](Self::max_token_bytes)) and their principals.
    ///
    /// # Errors
    ///
    /// `build` fails with [`ConfigError::InvalidValue`] for a capacity of 0.
    ///
    /// ```
    /// # use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// use jsonwebtoken::{encode, EncodingKey, Header};
    /// let verifier = Verifier::<Group>::hs256(b"dev-only-secret")
    ///     .issuer("dev")
    ///     .any_client()
    ///     .cache_verified(10_000)
    ///     .build()?;
    /// let claims = serde_json::json!({"iss": "dev", "sub": "u-1", "exp": 4_000_000_000u64});
    /// let token = encode(&Header::default(), &claims, &EncodingKey::from_secret(b"dev-only-secret"))?;
    /// assert_eq!(verifier.verify(&token)?.sub(), Some("u-1")); // verified, then cached
    /// assert_eq!(verifier.verify(&token)?.sub(), Some("u-1")); // from the cache
    /// assert!(verifier.verify(&token.replace('.', ".x")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cache_verified(mut self, capacity: usize) -> Self {
        if capacity == 0 {
            self.fail(ConfigError::InvalidValue {
                method: "cache_verified",
                reason: "the capacity must be at least 1 token",
            });
        }
        self.cache_capacity = Some(capacity);
        self
    }

    /// Finishes the verifier.
    ///
    /// # Errors
    ///
    /// The first configuration mistake: the first one an earlier call
    /// recorded (an invalid argument, two calls that contradict each other,
    /// a key set on an `hs256` verifier), then no issuer (`hs256`:
    /// [`ConfigError::MissingIssuer`]), an undecided client
    /// ([`ConfigError::ClientUndecided`]) or Cognito token use
    /// ([`ConfigError::TokenUseUndecided`]), and no key set
    /// ([`ConfigError::NoKeys`]).
    ///
    /// ```
    /// # use groupguard::{groups, ConfigError, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let err = Verifier::<Group>::oidc("https://id.example.com")?.any_client().build().unwrap_err();
    /// assert_eq!(err, ConfigError::NoKeys);
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn build(self) -> Result<Verifier<G>, ConfigError> {
        let config = self.config()?;
        #[cfg(feature = "fetch")]
        let keys = self.live.keys(&config.issuer, self.keys)?;
        #[cfg(not(feature = "fetch"))]
        let keys = self.keys;
        let keys = keys.ok_or(ConfigError::NoKeys)?;
        Ok(Verifier {
            config: Arc::new(config),
            keys,
            cache: self.cache_capacity.map(super::cache::TokenCache::new),
            _groups: PhantomData,
        })
    }

    /// The claim checks of this configuration without its keys, for claims
    /// whose signature and times another party checked (API Gateway's
    /// authorizers): `build`'s checks but the key set's.
    #[cfg(feature = "lambda")]
    pub(crate) fn build_claim_checks(self) -> Result<super::ClaimChecks, ConfigError> {
        Ok(super::ClaimChecks(Arc::new(self.config()?)))
    }

    /// The configuration `build` makes, after its checks up to the keys, in
    /// its order: a mistake recorded earlier, the issuer, the client and
    /// token-use decisions.
    fn config(&self) -> Result<Config, ConfigError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let issuer = self.issuer.clone().ok_or(ConfigError::MissingIssuer)?;
        let clients = match &self.clients {
            Choice::Undecided => return Err(ConfigError::ClientUndecided),
            Choice::Any => None,
            Choice::Only(list) => Some(list.clone()),
        };
        if self.mode == Mode::Cognito && self.token_use == Choice::Undecided {
            return Err(ConfigError::TokenUseUndecided);
        }
        Ok(Config {
            mode: self.mode,
            issuer,
            clients,
            token_use: self.token_use.clone(),
            groups_claim: self.groups_claim.clone(),
            leeway: self.leeway,
            max_token_bytes: self.max_token_bytes,
        })
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
