//! Refusals of a `lambda_http` request, and the responses that answer them.

use lambda_http::{Body, Response};

use super::{ALB_ACCESS_TOKEN, ListClaimError};
use crate::decision::Denied;
use crate::http::Challenge;
use crate::text::Quoted;
use crate::verify::VerifyError;

/// Why [`Principal::from_lambda`](crate::Principal::from_lambda) refused a request. `Display` is the full
/// message, for the log (values from the request escaped, cut to 64
/// characters); [`public_description`](Self::public_description) is what a
/// client may see, and [`into_response`](Self::into_response) the answer.
///
/// ```
/// use groupguard::lambda::{LambdaAuth, LambdaError};
/// use groupguard::{groups, Principal, TokenUse, Verifier};
/// # #[groups] pub enum Group { ADMINS }
/// let auth = LambdaAuth::authorizers_only(
///     Verifier::<Group>::cognito("us-east-1_AbC123")?.client_id("7abcd").token_use(TokenUse::Id),
/// )?;
/// let request = lambda_http::http::Request::builder()
///     .header("authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l")
///     .body(lambda_http::Body::Empty)?;
/// let err = Principal::from_lambda(&request, &auth).unwrap_err();
/// assert!(matches!(err, LambdaError::InvalidRequest { header: "authorization" }));
/// assert_eq!(err.into_response().status(), 400);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LambdaError {
    /// A token header that is malformed: `Authorization` not `Bearer
    /// <token>` (nor signed for IAM), ALB's header not one bare token,
    /// either header repeated or not text (400).
    #[error(
        "the `{header}` header is malformed: it must be present once and hold `Bearer <token>` (`Authorization`) or the bare token (`x-amzn-oidc-accesstoken`)"
    )]
    InvalidRequest {
        /// The header: `"authorization"` or `"x-amzn-oidc-accesstoken"`.
        header: &'static str,
    },

    /// The verifier refused the raw token (401; 503 for
    /// [`VerifyError::NoUsableKeys`]).
    #[error("token refused: {0}")]
    Token(#[source] VerifyError),

    /// The request has a token and no authorizer claims, and the
    /// [`LambdaAuth`](super::LambdaAuth) has no verifier to check it (401). Give it one
    /// ([`LambdaAuth::from_verifier`](super::LambdaAuth::from_verifier)), or put an authorizer in front of the
    /// route.
    #[error(
        "the request carries a token in `{header}` but no authorizer claims, and no verifier is configured to verify it: build the `LambdaAuth` with `LambdaAuth::from_verifier`, or put an authorizer in front of this route"
    )]
    NoVerifier {
        /// The header holding the token.
        header: &'static str,
    },

    /// The authorizer's claims fail a configured check: another issuer,
    /// the wrong `token_use`, another app client of the pool, a claim of
    /// the wrong type, no `sub` (401).
    #[error("authorizer claims refused: {0}")]
    Claims(#[source] VerifyError),

    /// The authorizer's `claims` member is not a JSON object (401).
    #[error("the authorizer's claims are malformed: {reason}")]
    MalformedClaims {
        /// What is wrong with them.
        reason: &'static str,
    },

    /// The group claim (or `cognito:roles`) of the authorizer's claims
    /// cannot be read exactly (401).
    #[error("claim `{claim}` {reason}")]
    ListClaim {
        /// The claim (escaped, at most 64 characters).
        claim: String,
        /// Why it cannot be read.
        reason: ListClaimError,
    },
}

impl LambdaError {
    /// A short, fixed description of the error kind, safe to send to a
    /// client: never a value from the request, nor the configuration.
    ///
    /// ```
    /// use groupguard::lambda::LambdaError;
    /// let err = LambdaError::NoVerifier { header: "authorization" };
    /// assert_eq!(err.public_description(), "the token cannot be verified here");
    /// ```
    #[must_use]
    pub const fn public_description(&self) -> &'static str {
        match self {
            LambdaError::InvalidRequest { .. } => "the token header is malformed",
            LambdaError::Token(error) | LambdaError::Claims(error) => error.public_description(),
            LambdaError::NoVerifier { .. } => "the token cannot be verified here",
            LambdaError::MalformedClaims { .. } => "the authorizer's claims are malformed",
            LambdaError::ListClaim { .. } => "the token has a malformed claim",
        }
    }

    /// The response, by the [module](super)'s table; the full message goes
    /// to the log.
    ///
    /// ```
    /// use groupguard::lambda::LambdaError;
    /// use groupguard::VerifyError;
    /// let err = LambdaError::Token(VerifyError::Malformed { reason: "not a JWT".to_owned() });
    /// let response = err.into_response();
    /// assert_eq!(response.status(), 401);
    /// assert_eq!(
    ///     response.headers()["www-authenticate"],
    ///     r#"Bearer realm="api", error="invalid_token", error_description="the token is malformed""#
    /// );
    /// ```
    #[must_use]
    pub fn into_response(self) -> Response<Body> {
        let challenge = match &self {
            LambdaError::InvalidRequest { header } => {
                tracing::debug!(target: "groupguard::lambda", error = %Quoted(&self.to_string()), "request refused");
                Challenge::invalid_request(if *header == ALB_ACCESS_TOKEN {
                    "the x-amzn-oidc-accesstoken header must hold one token"
                } else {
                    "the Authorization header must be `Bearer <token>`"
                })
            }
            LambdaError::Token(error @ VerifyError::NoUsableKeys { retry_after, .. }) => {
                tracing::warn!(target: "groupguard::lambda", error = %Quoted(&error.to_string()), "cannot verify tokens");
                Challenge::unavailable(error.public_description(), *retry_after)
            }
            LambdaError::NoVerifier { .. } => {
                tracing::warn!(target: "groupguard::lambda", error = %Quoted(&self.to_string()), "token not verifiable");
                Challenge::invalid_token(self.public_description())
            }
            _ => {
                tracing::debug!(target: "groupguard::lambda", error = %Quoted(&self.to_string()), "request refused");
                Challenge::invalid_token(self.public_description())
            }
        };
        response(challenge)
    }
}

/// A guard's denial as a response: 401 for a guest, 400 for an invalid
/// storage key, else 403 (a key that no path covers included). The
/// decision's full message goes to the log.
///
/// ```
/// use groupguard::{groups, model, lambda, Op, Principal};
/// # #[groups] pub enum Group { ADMINS }
/// #[model(allow(groups = [ADMINS]))]
/// pub struct Article;
///
/// let denied = Article::authorize(&Principal::guest(), Op::Delete).into_result().unwrap_err();
/// let response = lambda::denied_response(&denied);
/// assert_eq!(response.status(), 401);
/// assert_eq!(response.headers()["www-authenticate"], r#"Bearer realm="api""#);
/// ```
#[must_use]
pub fn denied_response(denied: &Denied) -> Response<Body> {
    tracing::info!(target: "groupguard::lambda", denied = %Quoted(&denied.to_string()), "request denied");
    response(Challenge::of_denied(denied))
}

/// A handler's refusal: the request's identity was refused, or a guard
/// denied it. Both convert with `?`; answer with
/// [`into_response`](Self::into_response).
///
/// ```
/// use groupguard::lambda::{LambdaAuth, Refusal};
/// use groupguard::{groups, model, Op, Principal, TokenUse, Verifier};
/// use lambda_http::{Body, Request, Response};
/// # #[groups] pub enum Group { ADMINS }
/// #[model(allow(groups = [ADMINS]))]
/// pub struct Report;
///
/// fn handle(request: &Request, auth: &LambdaAuth<Group>) -> Result<Response<Body>, Refusal> {
///     let principal = Principal::from_lambda(request, auth)?;
///     Report::authorize(&principal, Op::Read).into_result()?;
///     Ok(Response::new(Body::from("the report")))
/// }
///
/// let auth = LambdaAuth::authorizers_only(
///     Verifier::<Group>::cognito("us-east-1_AbC123")?.client_id("7abcd").token_use(TokenUse::Id),
/// )?;
/// let anonymous = Request::new(Body::Empty);
/// let response = handle(&anonymous, &auth).unwrap_or_else(Refusal::into_response);
/// assert_eq!(response.status(), 401);
/// # Ok::<(), groupguard::ConfigError>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The request's identity was refused.
    #[error(transparent)]
    Identity(#[from] LambdaError),
    /// A guard denied the request.
    #[error("{0}")]
    Denied(#[from] Denied),
}

impl Refusal {
    /// The response: [`LambdaError::into_response`] or
    /// [`denied_response`].
    ///
    /// ```
    /// use groupguard::lambda::{LambdaError, Refusal};
    /// let refusal = Refusal::from(LambdaError::NoVerifier { header: "authorization" });
    /// assert_eq!(refusal.into_response().status(), 401);
    /// ```
    #[must_use]
    pub fn into_response(self) -> Response<Body> {
        match self {
            Refusal::Identity(error) => error.into_response(),
            Refusal::Denied(denied) => denied_response(&denied),
        }
    }
}

/// A `lambda_http` response of a challenge.
fn response(challenge: Challenge) -> Response<Body> {
    challenge.into_response().map(Body::from)
}
