//! [`TokenBuilder`]: the claims and header of one test token, then
//! [`sign`](TokenBuilder::sign).

use core::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use super::TestIssuer;
use crate::verify::TokenUse;

/// The default lifetime of a token: Cognito's default for access and ID tokens.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// How long ago an [`expired`](TokenBuilder::expired) token expired.
const EXPIRED_SINCE: Duration = Duration::from_secs(60);

/// **For tests only.** One token of a [`TestIssuer`], made by
/// [`access_token`](TestIssuer::access_token) or
/// [`id_token`](TestIssuer::id_token); every setter returns the builder and
/// [`sign`](Self::sign) finishes it.
///
/// By default the token is issued now, expires in an hour, has the subject
/// and user name `test-user`, no groups, the issuer's client, issuer URL and
/// signing `kid`, and a valid RS256 signature.
///
/// ```
/// use std::time::Duration;
/// use groupguard::test_issuer::TestIssuer;
/// use groupguard::{groups, TokenUse};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
///
/// let issuer = TestIssuer::new();
/// let token = issuer
///     .access_token()
///     .groups([Group::EDITORS]) // enum variants or claim strings
///     .sub("3f1c-sub")
///     .username("bob")
///     .expires_in(Duration::from_secs(300))
///     .sign();
/// let principal = issuer.verifier::<Group>(TokenUse::Access).build()?.verify(&token)?;
/// assert!(principal.is_in(Group::EDITORS));
/// assert_eq!(principal.username(), Some("bob"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a token builder does nothing until `.sign()`"]
pub struct TokenBuilder<'i> {
    issuer: &'i TestIssuer,
    token_use: TokenUse,
    claims: Map<String, Value>,
    issued_at: SystemTime,
    lifetime: Duration,
    /// `None`: the signing key's kid; `Some(None)`: no `kid` member.
    #[expect(
        clippy::option_option,
        reason = "three cases: the default kid, no kid, a given kid; an enum would only rename them"
    )]
    kid: Option<Option<String>>,
    /// Claims left out, the defaults included.
    removed: Vec<String>,
    expired: bool,
    bad_signature: bool,
}

impl<'i> TokenBuilder<'i> {
    pub(super) fn new(issuer: &'i TestIssuer, token_use: TokenUse) -> Self {
        let mut claims = Map::new();
        claims.insert("sub".to_owned(), json!("test-user"));
        claims.insert("iss".to_owned(), json!(issuer.issuer()));
        claims.insert("token_use".to_owned(), json!(token_use.as_str()));
        match token_use {
            TokenUse::Access => {
                claims.insert("client_id".to_owned(), json!(issuer.client_id()));
                claims.insert("username".to_owned(), json!("test-user"));
                claims.insert("scope".to_owned(), json!("aws.cognito.signin.user.admin"));
            }
            TokenUse::Id => {
                claims.insert("aud".to_owned(), json!(issuer.client_id()));
                claims.insert("cognito:username".to_owned(), json!("test-user"));
            }
        }
        Self {
            issuer,
            token_use,
            claims,
            issued_at: SystemTime::now(),
            lifetime: DEFAULT_LIFETIME,
            kid: None,
            removed: Vec::new(),
            expired: false,
            bad_signature: false,
        }
    }

    /// Sets `cognito:groups` to these groups: claim strings (`"ADMINS"`)
    /// or variants of a groups enum, whose `Display` is their claim value.
    /// No call, or an empty list, leaves the claim out, as Cognito does.
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.access_token().groups(["ADMINS", "EDITORS"]).sign();
    /// ```
    pub fn groups<I>(mut self, groups: I) -> Self
    where
        I: IntoIterator,
        I::Item: ToString,
    {
        let names: Vec<Value> = groups.into_iter().map(|g| json!(g.to_string())).collect();
        if names.is_empty() {
            self.claims.remove("cognito:groups");
        } else {
            self.claims
                .insert("cognito:groups".to_owned(), Value::Array(names));
        }
        self
    }

    /// Sets the subject, `sub`.
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.access_token().sub("3f1c9a2e").sign();
    /// ```
    #[expect(
        clippy::should_implement_trait,
        reason = "`sub` is the claim's name, as in `Principal::sub`"
    )]
    pub fn sub(self, sub: impl Into<String>) -> Self {
        self.claim("sub", sub.into())
    }

    /// Sets the user name: `username` in an access token,
    /// `cognito:username` in an ID token.
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.id_token().username("bob").sign();
    /// ```
    pub fn username(self, username: impl Into<String>) -> Self {
        let claim = match self.token_use {
            TokenUse::Access => "username",
            TokenUse::Id => "cognito:username",
        };
        self.claim(claim, username.into())
    }

    /// Sets the app client: `client_id` in an access token, `aud` in an ID
    /// token.
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.access_token().client_id("mobile").sign();
    /// ```
    pub fn client_id(self, client_id: impl Into<String>) -> Self {
        let claim = match self.token_use {
            TokenUse::Access => "client_id",
            TokenUse::Id => "aud",
        };
        self.claim(claim, client_id.into())
    }

    /// Makes the token expire `lifetime` after it was issued (an hour by
    /// default).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.access_token().expires_in(Duration::from_secs(60)).sign();
    /// ```
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// Issues the token at `at` instead of now (`iat` and `auth_time`;
    /// `exp` follows), for verifiers checked with
    /// [`verify_at`](crate::Verifier::verify_at).
    ///
    /// ```
    /// # use std::time::{Duration, UNIX_EPOCH};
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.access_token().issued_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000)).sign();
    /// ```
    pub fn issued_at(mut self, at: SystemTime) -> Self {
        self.issued_at = at;
        self
    }

    /// Sets the header's `kid` (an unknown one is refused with
    /// [`UnknownKey`](crate::VerifyError::UnknownKey)); the token is still
    /// signed with the issuer's signing key.
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.access_token().kid("no-such-key").sign();
    /// ```
    pub fn kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(Some(kid.into()));
        self
    }

    /// Leaves `kid` out of the header.
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.access_token().without_kid().sign();
    /// ```
    pub fn without_kid(mut self) -> Self {
        self.kid = Some(None);
        self
    }

    /// Sets any claim (`email`, `custom:tenant`, or a registered claim of
    /// the wrong type), replacing the builder's value.
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.id_token().claim("custom:tenant", "acme").claim("email_verified", true).sign();
    /// ```
    pub fn claim(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        let name = name.into();
        self.removed.retain(|removed| *removed != name);
        self.claims.insert(name, value.into());
        self
    }

    /// Leaves a claim out (`sub`, `token_use`, ...). `exp` and `iat` are
    /// always written unless removed here.
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.access_token().without_claim("sub").sign();
    /// ```
    pub fn without_claim(mut self, name: &str) -> Self {
        self.claims.remove(name);
        self.removed.push(name.to_owned());
        self
    }

    // ------------------------------------------------------------ bad ones

    /// A token that expired a minute ago
    /// ([`Expired`](crate::VerifyError::Expired)), whatever its lifetime;
    /// it replaces [`issued_at`](Self::issued_at).
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.access_token().expired().sign();
    /// ```
    pub fn expired(mut self) -> Self {
        self.expired = true;
        self
    }

    /// A token for the client `other-client`
    /// ([`Audience`](crate::VerifyError::Audience)).
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.id_token().other_client().sign();
    /// ```
    pub fn other_client(self) -> Self {
        self.client_id("other-client")
    }

    /// A token whose `iss` is another pool's
    /// ([`Issuer`](crate::VerifyError::Issuer)), signed with this issuer's key.
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.access_token().other_issuer().sign();
    /// ```
    pub fn other_issuer(self) -> Self {
        self.claim(
            "iss",
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool",
        )
    }

    /// A token whose signature does not verify
    /// ([`Signature`](crate::VerifyError::Signature)): a valid signature
    /// with its first byte changed.
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token = issuer.access_token().bad_signature().sign();
    /// ```
    pub fn bad_signature(mut self) -> Self {
        self.bad_signature = true;
        self
    }

    /// Signs the token with the issuer's signing key (RS256) and returns it
    /// (`header.payload.signature`, without `Bearer `).
    ///
    /// ```
    /// # let issuer = groupguard::test_issuer::TestIssuer::new();
    /// let token: String = issuer.access_token().sign();
    /// assert!(token.starts_with("eyJ"));
    /// ```
    pub fn sign(self) -> String {
        let (signing_kid, key) = self.issuer.signing_key();
        let mut header = Map::new();
        header.insert("alg".to_owned(), json!("RS256"));
        header.insert("typ".to_owned(), json!("JWT"));
        if let Some(kid) = self.kid.unwrap_or(Some(signing_kid)) {
            header.insert("kid".to_owned(), json!(kid));
        }
        let issued_at = if self.expired {
            SystemTime::now() - EXPIRED_SINCE - self.lifetime
        } else {
            self.issued_at
        };
        let issued = unix_seconds(issued_at);
        let mut claims = Map::new();
        claims.insert("auth_time".to_owned(), json!(issued));
        claims.insert("iat".to_owned(), json!(issued));
        claims.insert(
            "exp".to_owned(),
            json!(issued.saturating_add_unsigned(self.lifetime.as_secs())),
        );
        claims.insert("jti".to_owned(), json!(format!("test-jti-{issued}")));
        claims.extend(self.claims);
        for name in &self.removed {
            claims.remove(name);
        }
        let message = format!("{}.{}", encode(&header), encode(&claims));
        let mut signature = key.sign(&message);
        if self.bad_signature {
            // The first character carries the signature's top 6 bits: a
            // different one is a different (wrong) signature.
            let first = if signature.starts_with('A') { "B" } else { "A" };
            signature.replace_range(..1, first);
        }
        format!("{message}.{signature}")
    }
}

fn encode(part: &Map<String, Value>) -> String {
    URL_SAFE_NO_PAD.encode(Value::Object(part.clone()).to_string())
}

/// `at` in whole seconds since the Unix epoch, negative before it.
fn unix_seconds(at: SystemTime) -> i64 {
    match at.duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}
