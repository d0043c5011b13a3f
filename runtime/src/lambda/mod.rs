//! AWS Lambda integration (cargo feature `lambda`, `lambda_http` 1.x): the
//! [`Principal`] of a `lambda_http` request, and refusals as responses.
//!
//! Behind API Gateway with a Cognito or JWT authorizer, the authorizer has
//! checked the token's signature and times, and hands the function the
//! claims, flattened to text in two incompatible ways.
//! [`Principal::from_lambda`] reads each form exactly, and still applies
//! the checks API Gateway does not make: the issuer (a pool), `token_use`,
//! and the client (`aud` or `client_id`). A Cognito authorizer accepts the
//! tokens of every app client of its pool. Without an authorizer (function
//! URLs, ALB), the token is verified with a [`Verifier`].
//!
//! **The authorizer's claims are trusted as API Gateway verified them.**
//! Nothing in an event tells API Gateway's from one built by another
//! caller, so let only API Gateway invoke the function (its resource
//! policy, with the API as `SourceArn`); anyone else allowed
//! `lambda:InvokeFunction` could hand it any claims.
//!
//! | event | claims read from | values | groups |
//! |---|---|---|---|
//! | REST API, Cognito authorizer | `requestContext.authorizer.claims` | all strings; `exp` as `"Thu Dec 06 17:08:23 UTC 2018"` | `"EDITORS"`, `"ADMINS,EDITORS"` |
//! | REST API, JWT authorizer | `requestContext.authorizer.claims` | JSON types | `["ADMINS", "EDITORS"]` |
//! | HTTP API, JWT authorizer, payload 2.0 | `requestContext.authorizer.jwt.claims` | all strings | `"[ADMINS EDITORS]"`, `"[EDITORS]"` |
//! | HTTP API, JWT authorizer, payload 1.0 | `requestContext.authorizer.claims` | all strings | `"[ADMINS EDITORS]"` |
//! | function URL, no authorizer | `Authorization: Bearer <token>`, verified | JSON types | array |
//! | ALB | `x-amzn-oidc-accesstoken` (the Cognito access token), else `Authorization: Bearer`, verified | JSON types | array |
//!
//! Where claims come from an authorizer, the times and the signature are
//! not checked again (API Gateway did; the REST API sends `exp` as date
//! text). The claims read must have their types (`iss`, `sub`,
//! `token_use`, `client_id`, `username`, `cognito:username` strings; `aud`
//! a string or an array of strings); `iss`, `token_use` and the client are
//! checked as the [`Verifier`] checks them; `sub` is required. A request
//! with no identity (no authorizer claims, no token) is a guest. Other
//! events (WebSocket, VPC Lattice) are read as a function URL's: only a
//! verified bearer token identifies their caller. An `Authorization`
//! header signed for IAM (`AWS4-HMAC-SHA256 ...`, function URLs with
//! `AWS_IAM`) names no user-pool user: it is not a token, and the caller
//! is a guest to the guards.
//!
//! # Groups
//!
//! The group claim (`cognito:groups`, or the verifier's
//! `.groups_claim(..)`) is read exactly, and fails closed:
//!
//! - a JSON array: its strings, as they are;
//! - a string in one pair of brackets: the HTTP API's form, split on
//!   whitespace (`"[]"` is no group, `"[[x]]"` the one group `[x]`). Only
//!   for a Cognito user pool, whose group names cannot hold whitespace:
//!   behind another issuer (Okta, Keycloak, Entra ID) `[Tenant ADMINS]` may
//!   be one group, so the form is refused ([`ListClaimError::SpacedNames`]);
//!   use an authorizer that keeps the claim a JSON array, or verify the raw
//!   token;
//! - any other string, in a payload 1.0 event (a REST API, or an HTTP API's
//!   payload 1.0) of a Cognito pool: the REST API Cognito authorizer's
//!   form, split on commas (`"EDITORS"` is one group);
//! - any other string elsewhere (an HTTP API's payload 2.0, another
//!   issuer): one group, as the verifier reads a string claim
//!   (`"viewers,ADMINS"` is the one group `viewers,ADMINS`). One claim has
//!   one reading, whichever way it arrives.
//!
//! An empty name (`"ADMINS,,EDITORS"`, `"[a  b]"`, `""`) or a comma-joined
//! name with whitespace (`"[ADMINS] EDITORS"`) is refused, not skipped.
//! Names match the enum exactly; others are
//! [`unknown_groups`](Principal::unknown_groups) and grant nothing, as with
//! [`Principal::from_claims`]. `cognito:roles` is read likewise.
//!
//! **Ambiguity.** Cognito group names may hold commas and brackets. When a
//! *declared* group name holds a comma, a comma-joined claim holding a
//! comma is refused ([`ListClaimError::AmbiguousComma`]): `a,b` may be one
//! group or two. When a declared name holds a bracket, a bracketed claim of
//! one entry is refused ([`ListClaimError::AmbiguousBrackets`]): `[a]` may
//! be the HTTP API's group `a` or the REST API's group `[a]`. The safe
//! forms are a JSON array (the REST API's JWT authorizer) and a token
//! verified here; with a comma in a name, the HTTP API's `[a b]` form is
//! safe too. The rule is about declared names: a pool should hold no
//! undeclared group whose name holds a comma or brackets (the Amplify drift
//! report lists the pool's groups).
//!
//! # Responses
//!
//! The table of the axum integration, written once for both:
//!
#![doc = include_str!("../http_responses.md")]
//!
//! Bodies are `{"error": "...", "message": "..."}` with a fixed message per
//! kind ([`LambdaError::public_description`]); the details go to the log
//! (`tracing`, target `groupguard::lambda`).
//!
//! ```
//! use groupguard::lambda::{LambdaAuth, Refusal};
//! use groupguard::{groups, model, Op, Principal, TokenUse, Verifier};
//! use lambda_http::{Body, Request, Response};
//!
//! #[groups]
//! pub enum Group { ADMINS, EDITORS }
//!
//! #[model(allow(authenticated, to = [read]), allow(groups = [ADMINS]))]
//! pub struct Article;
//!
//! fn delete_article(request: &Request, auth: &LambdaAuth<Group>) -> Result<Response<Body>, Refusal> {
//!     let principal = Principal::from_lambda(request, auth)?;
//!     Article::authorize(&principal, Op::Delete).into_result()?;
//!     Ok(Response::builder().status(204).body(Body::Empty).unwrap())
//! }
//!
//! // A REST API with a Cognito authorizer, which checks the ID token.
//! let auth = LambdaAuth::authorizers_only(
//!     Verifier::<Group>::cognito("us-east-1_AbC123")?
//!         .client_id("49f1foekljhlqn185fme63hi0s")
//!         .token_use(TokenUse::Id),
//! )?;
//! let event = r#"{
//!     "resource": "/articles/{id}", "path": "/articles/1", "httpMethod": "DELETE",
//!     "requestContext": {
//!         "resourcePath": "/articles/{id}", "httpMethod": "DELETE", "stage": "prod",
//!         "authorizer": { "claims": {
//!             "sub": "7d8ca528-4931-4254-9273-ea5ee853f271",
//!             "cognito:groups": "ADMINS,EDITORS",
//!             "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
//!             "aud": "49f1foekljhlqn185fme63hi0s", "token_use": "id",
//!             "cognito:username": "ann",
//!             "exp": "Thu Dec 06 17:08:23 UTC 2018", "iat": "Thu Dec 06 16:08:23 UTC 2018"
//!         } }
//!     }
//! }"#;
//! let request = lambda_http::request::from_str(event)?;
//! let principal = Principal::from_lambda(&request, &auth)?;
//! assert!(principal.is_in(Group::ADMINS) && principal.is_in(Group::EDITORS));
//! assert_eq!(delete_article(&request, &auth).unwrap_or_else(Refusal::into_response).status(), 204);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod event;
mod refusal;

use lambda_http::http::Request;
use serde_json::{Map, Value};

pub use crate::claims::list::ListClaimError;
use crate::claims::list::{self as list_claim, Declared, Flattening, Form};
use crate::group::Groups;
use crate::principal::Principal;
use crate::verify::{ClaimChecks, ConfigError, Verifier, VerifierBuilder, VerifyError};
use event::{Identity, Payload};
pub use refusal::{LambdaError, Refusal, denied_response};

/// ALB's header with the Cognito access token of the signed-in user
/// (`authenticate-cognito`); its `x-amzn-oidc-data` holds no groups.
const ALB_ACCESS_TOKEN: &str = "x-amzn-oidc-accesstoken";

/// How [`Principal::from_lambda`] identifies callers: the checks applied to
/// an authorizer's claims (issuer, token use, client, group claim), and the
/// [`Verifier`] of raw tokens, if any.
///
/// Build it once, at start-up, outside the handler. Cheap to clone.
///
/// ```
/// use groupguard::lambda::LambdaAuth;
/// use groupguard::{groups, TokenUse, Verifier};
/// # #[groups] pub enum Group { ADMINS }
/// # const JWKS_JSON: &str = r#"{"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"RS256","e":"AQAB","n":"w9gyRTeotFyUd7pbAjcMoNfTD7zRWVdvHwOy4r8Ywv6Z75zVvPrbKcxhuH5H0IJrEWXUIPnj4ZO5rQYvkiuOwbwpiLJ60lbTgMsX9R1fCK-A99jbIwGB9F5uRp--MgnovBphjrcAhVSfGPwDfhs9WMaQU6ihxJm4RFlgJR_3QGPbahsTaunAWHkjh54uTrBNqU7_ixkBpVsoyfNtSwLfc42pZHJaIsOOlGXA6NnwvKH2u2zGXaBGGz3CNbCZRKpgeBaI-nlfbCcchfK8J7fSDFtZSUvapGyjTFS_Zs2cN8OAJQUg5Fy8Ffh7tFYg1KSxxeCcTMipzCbqV-1kKUbP5Q"}]}"#;
///
/// // Behind an authorizer only (REST or HTTP API): no keys needed.
/// let gateway = LambdaAuth::authorizers_only(
///     Verifier::<Group>::cognito("us-east-1_AbC123")?
///         .client_id("7abcd")
///         .token_use(TokenUse::Access),
/// )?;
///
/// // Function URLs and ALB too: the verifier checks raw tokens, and its
/// // configuration is the one applied to authorizer claims.
/// let verifier = Verifier::<Group>::cognito("us-east-1_AbC123")?
///     .client_id("7abcd")
///     .token_use(TokenUse::Access)
///     .jwks_json(JWKS_JSON)?
///     .build()?;
/// let everywhere = LambdaAuth::from_verifier(verifier);
/// # Ok::<(), groupguard::ConfigError>(())
/// ```
#[derive(Clone, Debug)]
pub struct LambdaAuth<G: Groups> {
    checks: ClaimChecks,
    verifier: Option<Verifier<G>>,
    /// The declared names that make a flattened list ambiguous, found once
    /// (a scan of every group name) rather than at each request.
    declared: Declared,
}

impl<G: Groups> LambdaAuth<G> {
    /// Identifies callers by the claims of API Gateway's authorizers,
    /// checked with the configuration of `builder` (issuer, client,
    /// `token_use`, group claim), as a verifier would check them; no key
    /// set is needed, and one given is not used. A request with a token but
    /// no authorizer claims is refused ([`LambdaError::NoVerifier`]): no one
    /// verified its token.
    ///
    /// # Errors
    ///
    /// The configuration mistakes of [`VerifierBuilder::build`] but the
    /// missing key set: an undecided client
    /// ([`ConfigError::ClientUndecided`]) or token use, an invalid
    /// argument...
    ///
    /// ```
    /// use groupguard::lambda::LambdaAuth;
    /// use groupguard::{groups, ConfigError, TokenUse, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let undecided = LambdaAuth::authorizers_only(
    ///     Verifier::<Group>::cognito("us-east-1_AbC123")?.token_use(TokenUse::Id),
    /// );
    /// assert!(matches!(undecided, Err(ConfigError::ClientUndecided)));
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn authorizers_only(builder: VerifierBuilder<G>) -> Result<Self, ConfigError> {
        Ok(Self {
            checks: builder.build_claim_checks()?,
            verifier: None,
            declared: Declared::of::<G>(),
        })
    }

    /// Verifies raw tokens (function URLs, ALB, routes without an
    /// authorizer) with `verifier`, and checks authorizer claims with its
    /// configuration (issuer, client, `token_use`, group claim).
    ///
    /// ```
    /// use groupguard::lambda::LambdaAuth;
    /// use groupguard::{groups, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let verifier = Verifier::<Group>::hs256(b"dev-only-secret").issuer("dev").audience("app").build()?;
    /// let auth = LambdaAuth::from_verifier(verifier);
    /// assert!(auth.verifier().is_some());
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    pub fn from_verifier(verifier: Verifier<G>) -> Self {
        Self {
            checks: verifier.claim_checks(),
            verifier: Some(verifier),
            declared: Declared::of::<G>(),
        }
    }

    /// The verifier of raw tokens, if any.
    ///
    /// ```
    /// use groupguard::lambda::LambdaAuth;
    /// use groupguard::{groups, TokenUse, Verifier};
    /// # #[groups] pub enum Group { ADMINS }
    /// let auth = LambdaAuth::authorizers_only(
    ///     Verifier::<Group>::cognito("us-east-1_AbC123")?.any_client().token_use(TokenUse::Id),
    /// )?;
    /// assert!(auth.verifier().is_none());
    /// # Ok::<(), groupguard::ConfigError>(())
    /// ```
    #[must_use]
    pub fn verifier(&self) -> Option<&Verifier<G>> {
        self.verifier.as_ref()
    }

    /// The principal of checked authorizer claims, from an event of `payload`.
    fn principal_of_claims(
        &self,
        mut claims: Map<String, Value>,
        payload: Payload,
    ) -> Result<Principal<G>, LambdaError> {
        self.checks.check(&claims).map_err(LambdaError::Claims)?;
        // Only a REST API's Cognito authorizer joins lists with commas, and
        // the HTTP API's `[a b]` is exact only for names without whitespace.
        let cognito = self.checks.is_cognito();
        let flattening = Flattening {
            comma_joined: cognito && payload == Payload::V1,
            brackets: cognito,
        };
        let groups_claim = self.checks.groups_claim();
        let groups: Vec<String> = match claims.get(groups_claim) {
            None => Vec::new(),
            Some(value) => list_claim::names(value, Form::Flattened(flattening, self.declared))
                .map_err(|reason| LambdaError::ListClaim {
                    claim: crate::text::shown(groups_claim),
                    reason,
                })?
                .into_iter()
                .map(str::to_owned)
                .collect(),
        };
        // The roles as the principal reads them: an array. Role ARNs hold no
        // whitespace; the declared group names do not make them ambiguous.
        if groups_claim != crate::claims::names::COGNITO_ROLES
            && let Some(value) = claims.get(crate::claims::names::COGNITO_ROLES)
        {
            // Role ARNs hold no whitespace: `[a b]` reads them exactly.
            let roles_flattening = Flattening {
                comma_joined: payload == Payload::V1,
                brackets: true,
            };
            let roles: Vec<Value> = list_claim::names(
                value,
                Form::Flattened(roles_flattening, Declared::default()),
            )
            .map_err(|reason| LambdaError::ListClaim {
                claim: crate::claims::names::COGNITO_ROLES.to_owned(),
                reason,
            })?
            .into_iter()
            .map(|role| Value::String(role.to_owned()))
            .collect();
            claims.insert(
                crate::claims::names::COGNITO_ROLES.to_owned(),
                Value::Array(roles),
            );
        }
        let sub = crate::claims::subject(&claims).ok_or(LambdaError::Claims(
            VerifyError::MissingClaim {
                claim: crate::claims::names::SUB,
            },
        ))?;
        Ok(crate::claims::principal_of(
            &claims,
            sub,
            groups.iter().map(String::as_str).collect(),
        ))
    }

    /// The verifier a token needs.
    fn token_verifier(&self, header: &'static str) -> Result<&Verifier<G>, LambdaError> {
        self.verifier
            .as_ref()
            .ok_or(LambdaError::NoVerifier { header })
    }
}

impl<G: Groups> Principal<G> {
    /// The principal of a `lambda_http` request: from the claims of API
    /// Gateway's authorizer, checked with `auth`'s configuration, else from
    /// the raw token (`Authorization: Bearer`, ALB's
    /// `x-amzn-oidc-accesstoken`) verified by `auth`'s verifier, else a
    /// guest. See the [module docs](crate::lambda) for the events, the
    /// claim forms and the checks.
    ///
    /// A raw token is verified with [`Verifier::verify`]: with a fetched
    /// key set (feature `fetch`) use
    /// [`from_lambda_async`](Self::from_lambda_async).
    ///
    /// # Errors
    ///
    /// A [`LambdaError`]: a malformed token header, a refused token or
    /// authorizer claims, a group claim that cannot be read exactly, a
    /// token with no verifier.
    ///
    /// ```
    /// use groupguard::lambda::{LambdaAuth, LambdaError, ListClaimError};
    /// use groupguard::{groups, Principal, TokenUse, Verifier, VerifyError};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    ///
    /// let auth = LambdaAuth::authorizers_only(
    ///     Verifier::<Group>::cognito("us-east-1_AbC123")?
    ///         .client_id("7abcd")
    ///         .token_use(TokenUse::Access),
    /// )?;
    /// // An HTTP API with a JWT authorizer (payload 2.0): every value a string.
    /// let event = |groups: &str, client: &str| format!(r#"{{
    ///     "version": "2.0", "routeKey": "DELETE /posts/{{id}}", "rawPath": "/posts/1",
    ///     "requestContext": {{
    ///         "http": {{ "method": "DELETE", "path": "/posts/1" }},
    ///         "authorizer": {{ "jwt": {{ "claims": {{
    ///             "sub": "u-1", "cognito:groups": "{groups}", "token_use": "access",
    ///             "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
    ///             "client_id": "{client}", "exp": "1675021635"
    ///         }}, "scopes": null }} }}
    ///     }}
    /// }}"#);
    ///
    /// let request = lambda_http::request::from_str(&event("[ADMINS EDITORS]", "7abcd"))?;
    /// let principal = Principal::from_lambda(&request, &auth)?;
    /// assert!(principal.is_in(Group::ADMINS) && principal.is_in(Group::EDITORS));
    ///
    /// // Another app client of the same pool: its token passed the authorizer.
    /// let request = lambda_http::request::from_str(&event("[ADMINS]", "other-client"))?;
    /// assert!(matches!(
    ///     Principal::from_lambda(&request, &auth),
    ///     Err(LambdaError::Claims(VerifyError::Audience { .. }))
    /// ));
    ///
    /// // A flattened list with an empty name is refused, not read without it.
    /// let request = lambda_http::request::from_str(&event("[ADMINS  EDITORS]", "7abcd"))?;
    /// assert!(matches!(
    ///     Principal::from_lambda(&request, &auth),
    ///     Err(LambdaError::ListClaim { reason: ListClaimError::EmptyName { position: 1 }, .. })
    /// ));
    ///
    /// // An HTTP API never joins with commas: a plain string is one name, as
    /// // the verifier reads a string claim (here one unknown group).
    /// let request = lambda_http::request::from_str(&event("viewers,ADMINS", "7abcd"))?;
    /// let principal = Principal::from_lambda(&request, &auth)?;
    /// assert!(!principal.is_in(Group::ADMINS));
    /// assert_eq!(principal.unknown_groups(), ["viewers,ADMINS"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_lambda<B>(request: &Request<B>, auth: &LambdaAuth<G>) -> Result<Self, LambdaError> {
        match Identity::of(request)? {
            Identity::Claims(claims, payload) => auth.principal_of_claims(claims, payload),
            Identity::Token(token, header) => auth
                .token_verifier(header)?
                .verify(token)
                .map_err(LambdaError::Token),
            Identity::Guest => Ok(Principal::guest()),
        }
    }

    /// [`from_lambda`](Self::from_lambda) for a verifier whose key set is
    /// fetched (feature `fetch`): a raw token is verified with
    /// [`Verifier::verify_async`], which fetches the key set when needed.
    ///
    /// # Errors
    ///
    /// Those of [`from_lambda`](Self::from_lambda).
    ///
    /// ```
    /// use groupguard::lambda::LambdaAuth;
    /// use groupguard::{groups, Principal, Verifier};
    /// use jsonwebtoken::{encode, EncodingKey, Header};
    /// # #[groups] pub enum Group { ADMINS }
    ///
    /// let verifier = Verifier::<Group>::hs256(b"dev-only-secret").issuer("dev").audience("app").build()?;
    /// let auth = LambdaAuth::from_verifier(verifier);
    /// let claims = serde_json::json!({"iss": "dev", "aud": "app", "sub": "u-1",
    ///                                 "exp": 4_000_000_000u64, "cognito:groups": ["ADMINS"]});
    /// let token = encode(&Header::default(), &claims, &EncodingKey::from_secret(b"dev-only-secret"))?;
    /// // A function URL: no authorizer, the bearer token is verified here.
    /// let request = lambda_http::http::Request::builder()
    ///     .header("authorization", format!("Bearer {token}"))
    ///     .body(lambda_http::Body::Empty)?;
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    /// let principal = runtime.block_on(Principal::from_lambda_async(&request, &auth))?;
    /// assert!(principal.is_in(Group::ADMINS));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn from_lambda_async<B>(
        request: &Request<B>,
        auth: &LambdaAuth<G>,
    ) -> Result<Self, LambdaError> {
        match Identity::of(request)? {
            Identity::Claims(claims, payload) => auth.principal_of_claims(claims, payload),
            Identity::Token(token, header) => auth
                .token_verifier(header)?
                .verify_async(token)
                .await
                .map_err(LambdaError::Token),
            Identity::Guest => Ok(Principal::guest()),
        }
    }
}
