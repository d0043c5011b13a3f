//! axum 0.8 integration (cargo feature `axum`): principals as extractors,
//! RFC 6750 responses, and router layers that require a group or a model
//! operation.
//!
//! The responses, shared with the `lambda` integration (one table, one
//! bearer parser):
//!
#![doc = include_str!("http_responses.md")]
//!
//! A handler with errors of its own (a 404, a 422) returns
//! [`ApiError`], which a denial and a refusal become with `?`; one that
//! looks a record up before authorizing it hides which records exist with
//! [`AuthorizeOrHide`] (a record the caller may not read is a 404, as a
//! missing one).
//!
//! Bodies are small JSON objects, `{"error": "...", "message": "..."}`,
//! whose message is a fixed text per kind ([`VerifyError::public_description`]
//! for refused tokens): never the token, a value from it, the configured
//! issuer or clients, or which storage paths exist. The details go to the
//! log (`tracing`, target `groupguard::axum`).
//!
//! ```
//! use axum::{routing::get, Router};
//! use groupguard::{groups, model, Denied, Op, Principal, Verifier};
//!
//! #[groups]
//! pub enum Group { ADMINS, EDITORS }
//!
//! #[model(allow(guest, to = [read]), allow(authenticated, to = [read]), allow(groups = [ADMINS]))]
//! pub struct Article;
//!
//! async fn delete_article(principal: Principal<Group>) -> Result<&'static str, Denied> {
//!     Article::authorize(&principal, Op::Delete).into_result()?;
//!     Ok("deleted")
//! }
//!
//! fn app(verifier: Verifier<Group>) -> Router {
//!     Router::new()
//!         .route("/articles/1", get(|| async { "an article" }).delete(delete_article))
//!         .with_state(verifier)
//! }
//! ```

use axum::extract::{FromRef, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::Route;
use core::convert::Infallible;
use tower_layer::Layer;
use tower_service::Service;

mod response;

pub use response::{ApiError, AuthorizeOrHide};

use crate::decision::Denied;
use crate::group::{GroupSet, Groups};
use crate::http::{Challenge, Credentials, credentials};
use crate::model::{Model, Op};
use crate::principal::Principal;
use crate::text::Quoted;
use crate::verify::{Verifier, VerifierId, VerifyError};

/// The realm named in `WWW-Authenticate` challenges.
pub const REALM: &str = crate::http::REALM;

/// Why a request was refused before (or instead of) a guard's decision.
///
/// It is the rejection of the [`Principal`] and [`Authenticated`]
/// extractors and of the layers; its response follows the table of the
/// [module docs](self).
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthError {
    /// An `Authorization` header that is not one `Bearer <token>`: repeated,
    /// not text, another scheme, or not one token (400).
    InvalidRequest,
    /// The verifier refused the token (401, or 503 for
    /// [`VerifyError::NoUsableKeys`]).
    InvalidToken(VerifyError),
    /// A guest where a signed-in principal is required (401).
    SignInRequired,
    /// An authenticated principal outside the required groups (403).
    InsufficientScope,
}

impl core::fmt::Display for AuthError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            AuthError::InvalidRequest => {
                f.write_str("the Authorization header is not one `Bearer <token>`")
            }
            AuthError::InvalidToken(error) => write!(f, "token refused: {error}"),
            AuthError::SignInRequired => f.write_str("sign-in required"),
            AuthError::InsufficientScope => f.write_str("not in a required group"),
        }
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AuthError::InvalidToken(error) => Some(error),
            _ => None,
        }
    }
}

/// A response with a challenge and a `{"error", "message"}` body (the
/// table shared with the `lambda` integration).
fn challenge(challenge: Challenge) -> Response {
    challenge.into_response().map(axum::body::Body::from)
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        match self {
            AuthError::InvalidRequest => challenge(Challenge::invalid_request(
                "the Authorization header must be one `Bearer <token>`",
            )),
            AuthError::InvalidToken(error @ VerifyError::NoUsableKeys { retry_after, .. }) => {
                tracing::warn!(target: "groupguard::axum", error = %Quoted(&error.to_string()), "cannot verify tokens");
                challenge(Challenge::unavailable(
                    error.public_description(),
                    retry_after,
                ))
            }
            AuthError::InvalidToken(error) => {
                tracing::debug!(target: "groupguard::axum", error = %Quoted(&error.to_string()), "token refused");
                challenge(Challenge::invalid_token(error.public_description()))
            }
            AuthError::SignInRequired => challenge(Challenge::sign_in()),
            AuthError::InsufficientScope => challenge(Challenge::insufficient_scope()),
        }
    }
}

/// A guard's denial, as a response: 401 for a guest, 400 for an invalid
/// storage key, else 403 (a key that no path covers included: a 404 would
/// tell which paths exist). The decision's full message goes to the log.
impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        tracing::info!(target: "groupguard::axum", denied = %Quoted(&self.to_string()), "request denied");
        challenge(Challenge::of_denied(&self))
    }
}

/// The bearer token of a request (the shared parser,
/// [`credentials`](crate::http::credentials)): `None` without an
/// `Authorization` header. A repeated header, or anything but one
/// `Bearer <token>`, is a malformed request.
fn bearer(parts: &Parts) -> Result<Option<&str>, AuthError> {
    match credentials(&parts.headers) {
        Ok(Credentials::None) => Ok(None),
        Ok(Credentials::Bearer(token)) => Ok(Some(token)),
        // No AWS service checks a signature before an axum route.
        Ok(Credentials::SigV4) | Err(_) => Err(AuthError::InvalidRequest),
    }
}

/// A principal a route layer verified, handed on to the route's
/// extractors, with the verifier that verified it.
#[derive(Clone)]
struct Verified<G: Groups> {
    by: VerifierId,
    principal: Principal<G>,
}

/// The principal of a request: one a layer already verified with this very
/// verifier (or a clone of it), a guest without `Authorization`, else the
/// verified bearer token's. A principal another verifier verified is not
/// reused: a handler whose verifier is stricter than its layer's (another
/// client, another issuer) verifies the token itself.
async fn principal_of<G: Groups>(
    verifier: &Verifier<G>,
    parts: &Parts,
) -> Result<Principal<G>, AuthError> {
    if let Some(verified) = parts.extensions.get::<Verified<G>>()
        && verified.by == verifier.id()
    {
        return Ok(verified.principal.clone());
    }
    match bearer(parts)? {
        None => Ok(Principal::guest()),
        Some(token) => verifier
            .verify_async(token)
            .await
            .map_err(AuthError::InvalidToken),
    }
}

/// The caller: a guest without an `Authorization` header (the guards decide
/// what guests may do), else the principal of its verified bearer token.
/// The verifier comes from the router's state (`Verifier<G>: FromRef<S>`).
impl<S, G> FromRequestParts<S> for Principal<G>
where
    G: Groups,
    Verifier<G>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AuthError> {
        principal_of(&Verifier::from_ref(state), parts).await
    }
}

/// A signed-in caller: as the [`Principal`] extractor, but a guest is
/// refused with 401.
///
/// ```
/// use groupguard::{groups, axum::Authenticated};
/// # #[groups] pub enum Group { ADMINS }
/// async fn me(Authenticated(me): Authenticated<Group>) -> String {
///     me.sub().unwrap_or_default().to_owned()
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Authenticated<G: Groups>(pub Principal<G>);

impl<G: Groups> core::ops::Deref for Authenticated<G> {
    type Target = Principal<G>;
    fn deref(&self) -> &Principal<G> {
        &self.0
    }
}

impl<S, G> FromRequestParts<S> for Authenticated<G>
where
    G: Groups,
    Verifier<G>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AuthError> {
        let principal = principal_of(&Verifier::from_ref(state), parts).await?;
        if !principal.is_authenticated() {
            return Err(AuthError::SignInRequired);
        }
        Ok(Authenticated(principal))
    }
}

/// A layer for `Router::route_layer` that admits only members of `groups`
/// (any of them): a guest gets 401, another principal 403. Write the set
/// with [`group_set!`](crate::group_set), whose names are checked at
/// compile time. The verified principal is handed on to the routes'
/// extractors whose verifier is this one (a clone of it, as the router's
/// state usually holds), which do not verify the token again; an extractor
/// with another verifier (a stricter one) verifies the token itself.
///
/// ```
/// use axum::{routing::get, Router};
/// use groupguard::{group_set, groups, Verifier};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
///
/// fn admin_routes(verifier: Verifier<Group>) -> Router {
///     Router::new()
///         .route("/admin", get(|| async { "admin" }))
///         .route_layer(groupguard::axum::require_groups(verifier, group_set![ADMINS]))
/// }
/// ```
pub fn require_groups<G: Groups>(
    verifier: Verifier<G>,
    groups: GroupSet<G>,
) -> impl Layer<Route, Service = impl RouteService> + Clone + Send + Sync + 'static {
    axum::middleware::from_fn::<_, (Request,)>(move |request: Request, next: Next| {
        let verifier = verifier.clone();
        async move {
            admit(&verifier, request, next, |principal| {
                if !principal.is_authenticated() {
                    Some(AuthError::SignInRequired.into_response())
                } else if principal.groups().intersects(&groups) {
                    None
                } else {
                    Some(AuthError::InsufficientScope.into_response())
                }
            })
            .await
        }
    })
}

/// A layer for `Router::route_layer` that admits only principals whom the
/// model `M` allows `op`; a denial answers as [`Denied`] does.
///
/// ```
/// use axum::{routing::post, Router};
/// use groupguard::{groups, model, Op, Verifier};
/// # #[groups] pub enum Group { ADMINS }
/// #[model(allow(groups = [ADMINS], to = [create]))]
/// pub struct Article;
///
/// fn routes(verifier: Verifier<Group>) -> Router {
///     Router::new()
///         .route("/articles", post(|| async { "created" }))
///         .route_layer(groupguard::axum::require_model::<Article>(verifier, Op::Create))
/// }
/// ```
pub fn require_model<M: Model + 'static>(
    verifier: Verifier<M::Group>,
    op: Op,
) -> impl Layer<Route, Service = impl RouteService> + Clone + Send + Sync + 'static {
    axum::middleware::from_fn::<_, (Request,)>(move |request: Request, next: Next| {
        let verifier = verifier.clone();
        async move {
            admit(&verifier, request, next, |principal| {
                M::authorize(principal, op)
                    .into_result()
                    .err()
                    .map(IntoResponse::into_response)
            })
            .await
        }
    })
}

/// What `Router::route_layer` asks of a layer's service.
pub trait RouteService:
    Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl<T> RouteService for T where
    T: Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
        + Clone
        + Send
        + Sync
        + 'static
{
}

/// Verifies the request's principal, lets `check` refuse it (with a
/// response) or not, and hands the admitted principal on to the route.
async fn admit<G: Groups>(
    verifier: &Verifier<G>,
    request: Request,
    next: Next,
    check: impl FnOnce(&Principal<G>) -> Option<Response>,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let principal = match principal_of(verifier, &parts).await {
        Ok(principal) => principal,
        Err(error) => return error.into_response(),
    };
    if let Some(refusal) = check(&principal) {
        return refusal;
    }
    parts.extensions.insert(Verified {
        by: verifier.id(),
        principal,
    });
    next.run(Request::from_parts(parts, body)).await
}
