//! axum 0.8 integration (cargo feature `axum`): principals as extractors,
//! RFC 6750 responses, and router layers that require a group or a model
//! operation.
//!
//! The responses, shared with the `lambda` integration (one table, one
//! bearer parser):
//!
#![doc = include_str!("http_responses.md")]
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
//!
//! # Handlers with errors of their own
//!
//! A handler that looks a record up, guards it and validates the request
//! has more answers than a denial: a 404, a 422, a 409. [`ApiError`] holds
//! any of them, so no handler needs an enum of its own with `From<Denied>`
//! and `IntoResponse`:
//!
//! - `?` on `decision.into_result()` (a [`Denied`]) and on an [`AuthError`]
//!   gives the table's answers above;
//! - [`ApiError::not_found`] is a 404 and [`ApiError::unprocessable`] a
//!   422, with the same `{"error", "message"}` body (the message is
//!   JSON-escaped, and quoted in the error's `Display`, so a message that
//!   holds request text cannot break the body or a log line);
//! - [`ApiError::response`] is any response of the service's own, as it
//!   is.
//!
//! # Which records exist: hide them by default
//!
//! Looking a record up before authorizing it tells, by the status code,
//! what exists: with plain denials a guest gets 404 for a missing document
//! and 401 for an existing one (a signed-in user 404 and 403), so anyone
//! can probe which ids exist. The safe default is
//! [`authorize_or_hide`](AuthorizeOrHide::authorize_or_hide): a record
//! the caller may not `get` is answered with the very 404 of a missing
//! one (status, headers and body); a record it may `get` but not, say,
//! `delete` keeps the denial's 401 or 403, since the caller knows it exists
//! already. Use plain `authorize_record(..).into_result()?` where ids are
//! not secret (public posts, sequential ids a listing shows anyway) and a
//! guest should be told to sign in: a hidden record gives no 401 and no
//! `WWW-Authenticate` challenge. Either way the denial is logged and
//! audited. A list needs no hiding: [`filter_for`](crate::Model::filter_for) queries
//! return only what the caller may see.
//!
//! # Updates: the stored record and the record as it would be saved
//!
//! An update is decided on both records with
//! [`authorize_update`](crate::Model::authorize_update): `update` on the
//! stored record and on the proposed one (an editor may not lock a post
//! into the admins' own state), `delete` on a field it clears, and the
//! rules of a field with rules of its own that it changes. Authorizing
//! `Op::Update` on the stored record alone misses the last three.
//!
//! A whole `PUT` handler, in the order that tells a caller nothing it may
//! not know: 404 for a record missing or hidden, then the update's denial
//! (401 or 403), then the service's own validation (422), so that a caller
//! who may not update learns nothing from the validation either.
//!
//! ```
//! use axum::extract::{FromRef, Path, State};
//! use axum::routing::get;
//! use axum::{Json, Router};
//! use groupguard::axum::{ApiError, AuthorizeOrHide};
//! use groupguard::{groups, model, Op, Principal, Verifier};
//! use std::collections::HashMap;
//! use std::sync::{Arc, Mutex};
//!
//! #[groups]
//! pub enum Group { ADMINS, EDITORS }
//!
//! /// Its owner reads and edits a document, admins do anything; editors
//! /// update documents that are not locked, but may not lock one.
//! #[model(
//!     allow(owner, to = [read, update]),
//!     allow(groups = [EDITORS], to = [read]),
//!     allow(groups = [EDITORS], to = [update], when = Self::is_unlocked),
//!     allow(groups = [ADMINS]),
//! )]
//! #[derive(Clone, serde::Serialize, serde::Deserialize)]
//! pub struct Doc { pub owner: String, pub title: String, pub locked: bool }
//!
//! impl Doc {
//!     fn is_unlocked(&self) -> bool { !self.locked }
//! }
//!
//! type Docs = Arc<Mutex<HashMap<u32, Doc>>>;
//!
//! #[derive(Clone)]
//! struct App { verifier: Verifier<Group>, docs: Docs }
//!
//! impl FromRef<App> for Verifier<Group> {
//!     fn from_ref(app: &App) -> Self { app.verifier.clone() }
//! }
//!
//! impl FromRef<App> for Docs {
//!     fn from_ref(app: &App) -> Self { app.docs.clone() }
//! }
//!
//! // GET /docs/{id}: 404 for a missing document and for one the caller may not read.
//! async fn get_doc(
//!     principal: Principal<Group>,
//!     State(docs): State<Docs>,
//!     Path(id): Path<u32>,
//! ) -> Result<Json<Doc>, ApiError> {
//!     let docs = docs.lock().unwrap();
//!     let doc = docs.get(&id).ok_or_else(ApiError::not_found)?;
//!     doc.authorize_or_hide(&principal, Op::Get)?;
//!     Ok(Json(doc.clone()))
//! }
//!
//! // PUT /docs/{id}: the document as it would be saved.
//! async fn put_doc(
//!     principal: Principal<Group>,
//!     State(docs): State<Docs>,
//!     Path(id): Path<u32>,
//!     Json(proposed): Json<Doc>,
//! ) -> Result<Json<Doc>, ApiError> {
//!     let mut docs = docs.lock().unwrap();
//!     let stored = docs.get_mut(&id).ok_or_else(ApiError::not_found)?; // 404
//!     stored.authorize_or_hide(&principal, Op::Get)?; // 404: hidden
//!     stored.authorize_update(&principal, &proposed).into_result()?; // 401, 403
//!     if proposed.title.trim().is_empty() {
//!         return Err(ApiError::unprocessable("a document needs a title")); // 422
//!     }
//!     *stored = proposed.clone();
//!     Ok(Json(proposed))
//! }
//!
//! fn app(verifier: Verifier<Group>, docs: Docs) -> Router {
//!     Router::new()
//!         .route("/docs/{id}", get(get_doc).put(put_doc))
//!         .with_state(App { verifier, docs })
//! }
//!
//! // The handlers called directly, as a unit test would.
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use axum::http::StatusCode;
//! use axum::response::IntoResponse;
//! let docs = Docs::default();
//! let plan = Doc { owner: "ann".into(), title: "Plan".into(), locked: false };
//! docs.lock().unwrap().insert(1, plan.clone());
//! let put = |who: Principal<Group>, id: u32, proposed: Doc| {
//!     put_doc(who, State(docs.clone()), Path(id), Json(proposed))
//! };
//! let status = |result: Result<Json<Doc>, ApiError>| result.into_response().status();
//! let bo = Principal::authenticated("bo");
//! let editor = Principal::authenticated("ed").with_groups([Group::EDITORS]);
//! let locked = Doc { locked: true, ..plan.clone() };
//! let untitled = Doc { title: " ".into(), ..plan.clone() };
//! let renamed = Doc { title: "Plan B".into(), ..plan.clone() };
//! assert_eq!(status(put(bo.clone(), 7, renamed.clone()).await), StatusCode::NOT_FOUND); // missing
//! assert_eq!(status(put(bo, 1, renamed.clone()).await), StatusCode::NOT_FOUND); // hidden
//! assert_eq!(status(put(Principal::guest(), 1, renamed.clone()).await), StatusCode::NOT_FOUND);
//! assert_eq!(status(put(editor.clone(), 1, locked).await), StatusCode::FORBIDDEN); // may not lock
//! assert_eq!(status(put(editor.clone(), 1, untitled).await), StatusCode::UNPROCESSABLE_ENTITY);
//! assert_eq!(status(put(editor, 1, renamed).await), StatusCode::OK);
//! # });
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
