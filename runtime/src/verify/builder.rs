//! [`VerifierBuilder`]: the configuration of a [`Verifier`], checked when it
//! is given (a pool id, an issuer) or at [`build`](VerifierBuilder::build)
//! (every decision made, no contradiction).

use core::marker::PhantomData;
use core::time::Duration;
use std::sync::Arc;

use super::Verifier;
use super::config::{Choice, Config, Mode, TokenUse};
use super::error::ConfigError;
use super::issuer::{check_issuer_text, check_issuer_url, cognito_issuers};
use super::keys::KeySet;
use super::size::DEFAULT_MAX_TOKEN_BYTES;
use super::source::Keys;
use crate::claims::DEFAULT_GROUPS_CLAIM;
use crate::group::Groups;
use crate::text::shown;

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
/// // Both of Cognito's issuer formats for the pool, ORIGINAL first.
/// assert_eq!(verifier.issuers(), [
///     "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
///     "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
/// ]);
/// # Ok::<(), groupguard::ConfigError>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `.build()`"]
pub struct VerifierBuilder<G: Groups> {
    pub(super) mode: Mode,
    /// The accepted issuers: a Cognito pool's two formats, or the one given.
    issuers: Vec<String>,
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
    #[cfg(all(feature = "test-issuer", feature = "fetch"))]
    keep_alive: Option<super::KeepAlive>,
    _groups: PhantomData<fn() -> G>,
}

impl<G: Groups> VerifierBuilder<G> {
    fn new(mode: Mode) -> Self {
        Self {
            mode,
            issuers: Vec::new(),
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
            #[cfg(all(feature = "test-issuer", feature = "fetch"))]
            keep_alive: None,
            _groups: PhantomData,
        }
    }

    /// Makes the verifier keep `value` alive (a test issuer's server).
    #[cfg(all(feature = "test-issuer", feature = "fetch"))]
    pub(crate) fn keep_alive(mut self, value: super::KeepAlive) -> Self {
        self.keep_alive = Some(value);
        self
    }

    /// Keeps the first mistake for `build` to report.
    pub(super) fn fail(&mut self, error: ConfigError) {
        self.error.get_or_insert(error);
    }

    /// The builder of [`Verifier::cognito`].
    pub(super) fn cognito(pool_id: &str) -> Result<Self, ConfigError> {
        let issuers = cognito_issuers(pool_id).map_err(|reason| ConfigError::PoolId {
            pool_id: shown(pool_id),
            reason,
        })?;
        let mut builder = Self::new(Mode::Cognito);
        builder.issuers = issuers.into();
        Ok(builder)
    }

    /// The builder of [`Verifier::oidc`].
    pub(super) fn oidc(issuer: &str) -> Result<Self, ConfigError> {
        check_issuer_url(issuer).map_err(|reason| ConfigError::Issuer {
            issuer: shown(issuer),
            reason,
        })?;
        let mut builder = Self::new(Mode::Oidc);
        builder.issuers = vec![issuer.to_owned()];
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

    /// Sets the exact `iss` value accepted, replacing the ones derived from
    /// the pool id (both of Cognito's issuer formats) or the one given to
    /// `oidc`: for a custom Cognito endpoint or a local emulator. Only this
    /// one issuer is then accepted. Required for `hs256`.
    ///
    /// ```
    /// # use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::hs256(b"s").issuer("http://localhost:9229/local_pool").any_client().build()?;
    /// assert_eq!(v.issuer(), "http://localhost:9229/local_pool");
    ///
    /// # const JWKS_JSON: &str = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed-1","x":"IImwooYDlo6FbkfC9pQLk7WZarhUFMrupRfdU-xdQfs"}]}"#;
    /// let emulator = Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///     .issuer("http://localhost:9229/us-east-1_AbC123")
    ///     .any_client()
    ///     .any_token_use()
    ///     .jwks_json(JWKS_JSON)?
    ///     .build()?;
    /// assert_eq!(emulator.issuers(), ["http://localhost:9229/us-east-1_AbC123"]);
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
        self.issuers = vec![issuer];
        self
    }

    /// Refuses tokens longer than `bytes` before decoding anything: 1 MiB
    /// (1,048,576 bytes) by default, above the largest token Cognito can
    /// issue. A guard against work and memory spent on huge inputs; lower it
    /// when your tokens are known to be small, raise it for claims a pre
    /// token generation Lambda adds (no limit is documented for those).
    ///
    /// How the default is derived, from Cognito's documented limits (the
    /// Cognito developer guide's quotas and the API reference's
    /// `CreateGroup`, `AttributeType`): the largest token is an ID token of
    /// a user in 100 groups (names of 128 characters), each group with a
    /// role (ARNs of 2,048 characters, listed in `cognito:roles`, one more
    /// in `cognito:preferred_role`), with 50 custom and 19 standard
    /// attributes (names of 32 characters, values of 2,048), a user name of
    /// 128 characters and the fixed claims. With 3 bytes of UTF-8 per
    /// character of a name or value (ARNs are ASCII) and JSON's quotes and
    /// commas, its payload is at most 673,441 bytes: groups 38,719, roles
    /// 207,194, attributes 426,558, the rest 970. In base64url (4 characters
    /// per 3 bytes) with a header and an RS256 signature of up to 4,096 bits,
    /// the token is at most 898,735 bytes; 1 MiB leaves 16 % for claims the
    /// sum does not list. An access token is smaller (its groups, `scope`
    /// and fixed claims): 100 groups of 128 ASCII characters make about
    /// 18 KB.
    ///
    /// ```
    /// # use groupguard::{groups, Verifier, VerifyError};
    /// # #[groups] pub enum Group { ADMINS }
    /// let v = Verifier::<Group>::hs256(b"s").issuer("dev").any_client().max_token_bytes(8).build()?;
    /// assert!(matches!(v.verify("aaaa.bbbb.cccc"), Err(VerifyError::TooLarge { len: 14, max: 8 })));
    ///
    /// let default = Verifier::<Group>::hs256(b"s").issuer("dev").any_client().build()?;
    /// let huge = "a".repeat(1024 * 1024 + 1);
    /// assert!(matches!(default.verify(&huge), Err(VerifyError::TooLarge { max: 1_048_576, .. })));
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
    /// Only tokens that passed every check are kept, so only tokens the
    /// issuer signed take room: their real size, a few KB for most users,
    /// not the 1 MiB limit.
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
        // Live key sets, when a URL was configured, replace the fixed keys.
        #[cfg(feature = "fetch")]
        let keys = match self.live.sets(&config.issuers)? {
            Some(sets) => Some(Keys::Live(sets)),
            None => self.keys,
        };
        #[cfg(not(feature = "fetch"))]
        let keys = self.keys;
        let keys = keys.ok_or(ConfigError::NoKeys)?;
        Ok(Verifier {
            config: Arc::new(config),
            keys,
            cache: self.cache_capacity.map(super::cache::TokenCache::new),
            id: super::VerifierId::fresh(),
            _groups: PhantomData,
        })
    }

    /// Accepts exactly `issuers`, in place of the pool's two: for the unit
    /// tests that stand two local servers in for a Cognito pool's two
    /// issuer formats (the tests cannot reach Cognito).
    #[cfg(all(test, feature = "fetch", feature = "test-issuer"))]
    pub(crate) fn with_issuers_for_test(mut self, issuers: Vec<String>) -> Self {
        self.issuers = issuers;
        self
    }

    /// The claim checks of this configuration without its keys
    /// ([`ClaimChecks`](super::ClaimChecks)), for claims whose signature and
    /// times another party checked (API Gateway's authorizers): no key set
    /// is needed, and one given is not used.
    ///
    /// # Errors
    ///
    /// `build`'s configuration mistakes but the missing key set.
    ///
    /// ```
    /// use groupguard::{groups, ConfigError, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let undecided = Verifier::<Group>::cognito("us-east-1_AbC123")?.build_claim_checks();
    /// assert!(matches!(undecided, Err(ConfigError::ClientUndecided)));
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn build_claim_checks(self) -> Result<super::ClaimChecks, ConfigError> {
        Ok(super::ClaimChecks(Arc::new(self.config()?)))
    }

    /// The configuration `build` makes, after its checks up to the keys, in
    /// its order: a mistake recorded earlier, the issuer, the client and
    /// token-use decisions.
    fn config(&self) -> Result<Config, ConfigError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        if self.issuers.is_empty() {
            return Err(ConfigError::MissingIssuer);
        }
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
            issuers: self.issuers.clone(),
            clients,
            token_use: self.token_use.clone(),
            groups_claim: self.groups_claim.clone(),
            leeway: self.leeway,
            max_token_bytes: self.max_token_bytes,
            #[cfg(all(feature = "test-issuer", feature = "fetch"))]
            _keep_alive: self.keep_alive.clone(),
        })
    }
}
