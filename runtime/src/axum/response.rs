//! The errors of a handler that guards with groupguard and has errors of
//! its own: [`ApiError`], which a denial, a refused principal, a 404, a 422
//! or any response of the service's become with `?`; and existence hiding,
//! [`AuthorizeOrHide`], which answers a record the caller may not read with
//! the 404 of a missing one.

use std::borrow::Cow;

use axum::response::{IntoResponse, Response};

use super::{AuthError, challenge};
use crate::decision::Denied;
use crate::http::Challenge;
use crate::model::{Model, Op};
use crate::principal::Principal;
use crate::text::Quoted;

/// An error of an axum handler: a guard's denial, a refused principal, a
/// record not found, a request that cannot be processed, or any response of
/// the service's own. `?` turns a [`Denied`] (from `into_result()`) and an
/// [`AuthError`] into one; [`not_found`](Self::not_found),
/// [`unprocessable`](Self::unprocessable) and [`response`](Self::response)
/// make the others. Its response is the denial's or the refusal's (the
/// table of the [module docs](super)), or a 404 or 422 with the same
/// `{"error", "message"}` body.
///
/// ```
/// use groupguard::axum::ApiError;
/// use groupguard::{groups, model, Op, Principal};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
///
/// #[model(allow(authenticated, to = [read]), allow(groups = [EDITORS], to = [update]))]
/// pub struct Article { pub title: String }
///
/// // PUT /articles/{id}: 404 for a missing article, 401 or 403 for a denial,
/// // 422 for an empty title, all with `?`.
/// async fn rename(principal: Principal<Group>, articles: &mut [Article], id: usize, title: String) -> Result<String, ApiError> {
///     let article = articles.get_mut(id).ok_or_else(ApiError::not_found)?;
///     Article::authorize(&principal, Op::Update).into_result()?;
///     if title.trim().is_empty() {
///         return Err(ApiError::unprocessable("a title cannot be empty"));
///     }
///     article.title = title.clone();
///     Ok(title)
/// }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use axum::http::StatusCode;
/// use axum::response::IntoResponse;
/// let mut articles = vec![Article { title: "Hello".into() }];
/// let editor = Principal::authenticated("ed").with_groups([Group::EDITORS]);
/// let status = |result: Result<String, ApiError>| result.into_response().status();
/// assert_eq!(status(rename(editor.clone(), &mut articles, 0, "Hi".into()).await), StatusCode::OK);
/// assert_eq!(status(rename(editor.clone(), &mut articles, 7, "Hi".into()).await), StatusCode::NOT_FOUND);
/// assert_eq!(status(rename(editor, &mut articles, 0, " ".into()).await), StatusCode::UNPROCESSABLE_ENTITY);
/// assert_eq!(status(rename(Principal::authenticated("bo"), &mut articles, 0, "Hi".into()).await), StatusCode::FORBIDDEN);
/// assert_eq!(status(rename(Principal::guest(), &mut articles, 0, "Hi".into()).await), StatusCode::UNAUTHORIZED);
/// # });
/// ```
#[derive(Debug)]
pub struct ApiError(
    // Boxed: a `Denied` and a `Response` are large, and an error is the
    // rare path, so `Result<T, ApiError>` stays small.
    Box<Kind>,
);

#[derive(Debug)]
enum Kind {
    Denied(Denied),
    Auth(AuthError),
    NotFound,
    /// A denial answered as [`Kind::NotFound`] (existence hiding).
    Hidden(Denied),
    Unprocessable(Cow<'static, str>),
    Response(Response),
}

impl ApiError {
    /// 404, `{"error": "not_found", "message": "no such record"}`: for a
    /// record that does not exist, and (with [`AuthorizeOrHide`]) for one
    /// the caller may not read: the two responses are the same.
    ///
    /// ```
    /// use axum::{http::StatusCode, response::IntoResponse};
    /// let response = groupguard::axum::ApiError::not_found().into_response();
    /// assert_eq!(response.status(), StatusCode::NOT_FOUND);
    /// ```
    #[must_use]
    pub fn not_found() -> Self {
        ApiError(Box::new(Kind::NotFound))
    }

    /// 422, `{"error": "unprocessable_content", "message": message}`: a
    /// request the service understood and will not process (a validation
    /// error). The message is sent as given, JSON-escaped in the body
    /// (`application/json`) and quoted in the error's `Display` (escaped
    /// as a log field), so request text in it cannot break either: write
    /// it for the client, without secrets.
    ///
    /// ```
    /// use axum::{http::StatusCode, response::IntoResponse};
    /// let response = groupguard::axum::ApiError::unprocessable("a title cannot be empty").into_response();
    /// assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    /// ```
    #[must_use]
    pub fn unprocessable(message: impl Into<Cow<'static, str>>) -> Self {
        ApiError(Box::new(Kind::Unprocessable(message.into())))
    }

    /// Any response of the service's own (a 409, a 500 after logging the
    /// cause), answered as it is.
    ///
    /// ```
    /// use axum::{http::StatusCode, response::IntoResponse};
    /// let error = groupguard::axum::ApiError::response((StatusCode::CONFLICT, "taken"));
    /// assert_eq!(error.into_response().status(), StatusCode::CONFLICT);
    /// ```
    #[must_use]
    pub fn response(response: impl IntoResponse) -> Self {
        ApiError(Box::new(Kind::Response(response.into_response())))
    }

    /// The denial, when the error is a guard's (also one that
    /// [`AuthorizeOrHide`] answers with 404), for logs and tests.
    ///
    /// ```
    /// use groupguard::axum::ApiError;
    /// assert!(ApiError::not_found().denied().is_none());
    /// ```
    #[must_use]
    pub fn denied(&self) -> Option<&Denied> {
        match &*self.0 {
            Kind::Denied(denied) | Kind::Hidden(denied) => Some(denied),
            Kind::Auth(_) | Kind::NotFound | Kind::Unprocessable(_) | Kind::Response(_) => None,
        }
    }
}

/// `?` on `decision.into_result()`.
impl From<Denied> for ApiError {
    fn from(denied: Denied) -> Self {
        ApiError(Box::new(Kind::Denied(denied)))
    }
}

/// `?` on a principal that could not be had (an extractor's rejection
/// taken as a `Result`).
impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        ApiError(Box::new(Kind::Auth(error)))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match *self.0 {
            Kind::Denied(denied) => denied.into_response(),
            Kind::Auth(error) => error.into_response(),
            // The same bytes for a missing and a hidden record.
            Kind::NotFound | Kind::Hidden(_) => challenge(Challenge::not_found()),
            Kind::Unprocessable(message) => challenge(Challenge::unprocessable(message)),
            Kind::Response(response) => response,
        }
    }
}

impl core::fmt::Display for ApiError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match &*self.0 {
            Kind::Denied(denied) => denied.fmt(f),
            Kind::Auth(error) => error.fmt(f),
            Kind::NotFound => f.write_str("not found"),
            Kind::Hidden(denied) => write!(f, "{denied} (answered as not found)"),
            // Quoted: a message may hold request text, and this line may be logged.
            Kind::Unprocessable(message) => write!(f, "unprocessable: {}", Quoted(message)),
            Kind::Response(response) => write!(f, "a response with status {}", response.status()),
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            Kind::Denied(denied) | Kind::Hidden(denied) => Some(denied),
            Kind::Auth(error) => Some(error),
            Kind::NotFound | Kind::Unprocessable(_) | Kind::Response(_) => None,
        }
    }
}

/// Existence hiding: a record the caller may not read is answered with the
/// same 404 as a record that does not exist ([`ApiError::not_found`]).
///
/// A handler that looks a record up before authorizing it tells, by its
/// status codes, what exists: with plain denials a guest gets 404 for a
/// missing document and 401 for an existing one, and a signed-in user 404
/// and 403, so anyone can probe which ids exist. With
/// `authorize_or_hide`, both are 404 unless the caller may `get` the record:
///
/// | caller | missing record | record it may not `get` | record it may `get`, not `op` |
/// |---|---|---|---|
/// | `authorize_record` + `?` | 404 | 401 (guest) or 403 | 401 or 403 |
/// | `authorize_or_hide` | 404 | 404 | 401 or 403 |
///
/// The price: a guest is not told to sign in (no 401 and no
/// `WWW-Authenticate` challenge) for a record only signed-in users may
/// read, so a client that signs in on a 401 should sign in first. The
/// denial still goes to the log (`tracing`, INFO on `groupguard::axum`)
/// and to the audit events. List endpoints need no hiding: a
/// [`filter_for`](Model::filter_for) query returns only what the caller
/// may see.
///
/// ```
/// use groupguard::axum::{ApiError, AuthorizeOrHide};
/// use groupguard::{groups, model, Op, Principal};
/// # #[groups] pub enum Group { ADMINS }
///
/// #[model(allow(owner), allow(authenticated, to = [read], when = Self::is_shared), allow(groups = [ADMINS]))]
/// pub struct Doc { pub owner: String, pub shared: bool }
/// impl Doc { fn is_shared(&self) -> bool { self.shared } }
///
/// // DELETE /docs/{id}
/// async fn delete(principal: Principal<Group>, docs: &[Doc], id: usize) -> Result<&'static str, ApiError> {
///     let doc = docs.get(id).ok_or_else(ApiError::not_found)?;
///     doc.authorize_or_hide(&principal, Op::Delete)?;
///     Ok("deleted")
/// }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use axum::http::StatusCode;
/// use axum::response::IntoResponse;
/// let docs = [Doc { owner: "ann".into(), shared: false }, Doc { owner: "ann".into(), shared: true }];
/// let bo = Principal::authenticated("bo");
/// let status = |result: Result<&'static str, ApiError>| result.into_response().status();
/// assert_eq!(status(delete(bo.clone(), &docs, 9).await), StatusCode::NOT_FOUND); // missing
/// assert_eq!(status(delete(bo.clone(), &docs, 0).await), StatusCode::NOT_FOUND); // hidden: bo may not read it
/// assert_eq!(status(delete(bo, &docs, 1).await), StatusCode::FORBIDDEN); // shared: bo sees it, may not delete it
/// assert_eq!(status(delete(Principal::authenticated("ann"), &docs, 0).await), StatusCode::OK);
/// # });
/// ```
pub trait AuthorizeOrHide: Model {
    /// [`authorize_record`](Model::authorize_record) for `op`, with a
    /// denial answered as a missing record (404) when the principal may
    /// not `get` this record either, and as the denial (401 or 403)
    /// otherwise.
    ///
    /// # Errors
    ///
    /// The [`ApiError`] of a denial: [`ApiError::not_found`]'s response or
    /// the denial's, as above.
    ///
    /// ```
    /// use groupguard::axum::AuthorizeOrHide;
    /// use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(owner))]
    /// pub struct Note { pub owner: String }
    /// let note = Note { owner: "ann".into() };
    /// assert!(note.authorize_or_hide(&Principal::<Group>::authenticated("ann"), Op::Get).is_ok());
    /// let hidden = note.authorize_or_hide(&Principal::<Group>::guest(), Op::Get).unwrap_err();
    /// assert!(hidden.denied().is_some());
    /// ```
    fn authorize_or_hide(
        &self,
        principal: &Principal<Self::Group>,
        op: Op,
    ) -> Result<(), ApiError> {
        let Err(denied) = self.authorize_record(principal, op).into_result() else {
            return Ok(());
        };
        let hidden = op == Op::Get || self.authorize_record(principal, Op::Get).is_denied();
        if !hidden {
            return Err(denied.into());
        }
        tracing::info!(
            target: "groupguard::axum",
            denied = %Quoted(&denied.to_string()),
            "request denied, answered 404 to hide the record"
        );
        Err(ApiError(Box::new(Kind::Hidden(denied))))
    }
}

impl<M: Model + ?Sized> AuthorizeOrHide for M {}
