//! The HTTP API: posts in SQLite, attachments in the guarded object store.
//!
//! | request | decided by |
//! |---|---|
//! | `GET /posts` | the list filter in the SQL query (`Post::filter_for`) |
//! | `POST /posts` `{"title", "body"}` | `create` on the new draft, owned by the caller |
//! | `GET /posts/{id}` | `get` on the post |
//! | `PUT /posts/{id}` `{"title"?, "body"?}` | `authorize_update` from the post as stored to the post as it would be saved |
//! | `POST /posts/{id}/publish` | the same, for the post made `published` |
//! | `DELETE /posts/{id}` | `delete` on the post |
//! | `GET /files?prefix=p` | `list` on `p/` (and on each key listed), by the guarded store |
//! | `GET`, `PUT`, `DELETE /files/{key}` | `get`, `write`, `delete` on the key, by the guarded store |
//! | `GET /me` | (who the token says the caller is) |
//! | `GET /`, `/page/...` | the HTML page and its forms (`page/`), through the same `actions.rs` |
//!
//! Each handler reads the request and calls the operation of `actions.rs`,
//! where the rules decide. A denial is 401 for a guest and 403 otherwise
//! (groupguard's axum responses, RFC 6750), an invalid object key 400, a
//! missing post or file 404.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRef, Path as UrlPath, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::{StreamExt, TryStreamExt};
use groupguard::axum::AuthError;
use groupguard::object_store::GuardedStore;
use groupguard::{Denied, Op, Principal, Verifier};
use object_store::{ObjectMeta, ObjectStore};
use serde::Deserialize;
use serde_json::json;

use crate::actions;
use crate::auth::{Files, Group, Post};
use crate::db::Db;
use crate::page::Matrix;

/// A demo user of the test issuer: a name, its token, and its principal.
pub struct DemoUser {
    /// `uma`, `eddie`, `ada`.
    pub name: &'static str,
    /// What the user does (for the page).
    pub role: &'static str,
    /// A bearer token for it.
    pub token: String,
    /// The principal its token verifies to.
    pub principal: Principal<Group>,
}

/// How many files the demo page lists at most.
pub const EVERY_FILE_LIMIT: usize = 200;

/// What every handler shares.
#[derive(Clone)]
pub struct App {
    /// Verifies bearer tokens (the `Principal` extractor reads it).
    pub verifier: Verifier<Group>,
    /// The posts.
    pub db: Arc<Db>,
    /// The attachments' store, unguarded: handlers reach it only through
    /// [`App::files_for`].
    bucket: Arc<dyn ObjectStore>,
    /// The test issuer's demo users (none with Cognito).
    pub demo_users: Arc<Vec<DemoUser>>,
    /// The access matrices of the page, decided once.
    pub matrix: Arc<Matrix>,
}

impl FromRef<App> for Verifier<Group> {
    fn from_ref(app: &App) -> Self {
        app.verifier.clone()
    }
}

impl App {
    /// The shared state of the routes.
    pub fn new(
        verifier: Verifier<Group>,
        db: Arc<Db>,
        bucket: Arc<dyn ObjectStore>,
        demo_users: Vec<DemoUser>,
    ) -> Self {
        Self {
            verifier,
            db,
            bucket,
            demo_users: Arc::new(demo_users),
            matrix: Arc::new(Matrix::new()),
        }
    }

    /// Whether the tokens are the test issuer's, whose demo users the page
    /// lets a person act as (not with Cognito).
    pub fn is_demo(&self) -> bool {
        !self.demo_users.is_empty()
    }

    /// The demo user `name`.
    pub fn demo_user(&self, name: &str) -> Option<&DemoUser> {
        self.demo_users.iter().find(|user| user.name == name)
    }

    /// The attachments as `principal` may use them.
    pub fn files_for(&self, principal: Principal<Group>) -> GuardedStore<Files> {
        GuardedStore::new(Arc::clone(&self.bucket), principal)
    }

    /// The files in the store (the first [`EVERY_FILE_LIMIT`]),
    /// unguarded, sorted by key: the demo page lists them all so that a
    /// person can try the downloads the rules refuse. Only with the test
    /// issuer ([`App::is_demo`]); the API lists through [`App::files_for`].
    pub async fn every_file(&self) -> Result<Vec<ObjectMeta>, ApiError> {
        if !self.is_demo() {
            return Ok(Vec::new());
        }
        let mut objects: Vec<ObjectMeta> = self
            .bucket
            .list(None)
            .take(EVERY_FILE_LIMIT)
            .try_collect()
            .await?;
        objects.sort_by(|a, b| a.location.cmp(&b.location));
        Ok(objects)
    }
}

/// The routes.
pub fn router(app: App) -> Router {
    Router::new()
        .merge(crate::page::routes(&app))
        .route("/me", get(me))
        .route("/posts", get(list_posts).post(create_post))
        .route(
            "/posts/{id}",
            get(get_post).put(update_post).delete(delete_post),
        )
        .route("/posts/{id}/publish", axum::routing::post(publish_post))
        .route("/files", get(list_files))
        .route(
            "/files/{*key}",
            get(get_file).put(put_file).delete(delete_file),
        )
        .with_state(app)
}

/// Why a request failed.
#[derive(Debug)]
pub enum ApiError {
    /// A guard said no: 401 or 403 (400 for an invalid key).
    Denied(Denied),
    /// No such post or file: 404.
    NotFound,
    /// A malformed request: 400.
    BadRequest(String),
    /// Anything else: 500, details in the log only.
    Internal(String),
    /// The caller's token was refused (401, or 503 without keys): the
    /// page's, which acts for the caller; the API's extractors answer it
    /// themselves.
    Token(AuthError),
}

impl From<Denied> for ApiError {
    fn from(denied: Denied) -> Self {
        ApiError::Denied(denied)
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(error: rusqlite::Error) -> Self {
        ApiError::Internal(format!("database: {error}"))
    }
}

impl From<object_store::Error> for ApiError {
    fn from(error: object_store::Error) -> Self {
        match &error {
            object_store::Error::PermissionDenied { source, .. }
            | object_store::Error::Unauthenticated { source, .. } => {
                match source.downcast_ref::<Denied>() {
                    Some(denied) => ApiError::Denied(*denied),
                    None => ApiError::Internal(format!("object store: {error}")),
                }
            }
            object_store::Error::NotFound { .. } => ApiError::NotFound,
            _ => ApiError::Internal(format!("object store: {error}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Denied(denied) => denied.into_response(),
            ApiError::Token(error) => error.into_response(),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                Json(json!({"error": "not_found", "message": "no such post or file"})),
            )
                .into_response(),
            ApiError::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": "invalid_request", "message": message})),
            )
                .into_response(),
            ApiError::Internal(message) => {
                tracing::error!(%message, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(json!({"error": "internal", "message": "something went wrong"})),
                )
                    .into_response()
            }
        }
    }
}

async fn me(principal: Principal<Group>) -> Json<serde_json::Value> {
    let groups: Vec<&str> = principal.groups().iter().map(Group::name).collect();
    Json(json!({
        "authenticated": principal.is_authenticated(),
        "sub": principal.sub(),
        "username": principal.username(),
        "groups": groups,
        "unknown_groups": principal.unknown_groups(),
    }))
}

async fn list_posts(
    State(app): State<App>,
    principal: Principal<Group>,
) -> Result<Json<Vec<Post>>, ApiError> {
    Ok(Json(app.db.list_for(&principal, Op::List)?))
}

/// The body of `POST /posts`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewPost {
    title: String,
    body: String,
}

async fn create_post(
    State(app): State<App>,
    principal: Principal<Group>,
    Json(new): Json<NewPost>,
) -> Result<(StatusCode, Json<Post>), ApiError> {
    let post = actions::create_post(&app, &principal, new.title, new.body)?;
    Ok((StatusCode::CREATED, Json(post)))
}

async fn get_post(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(id): UrlPath<i64>,
) -> Result<Json<Post>, ApiError> {
    Ok(Json(actions::get_post(&app, &principal, id)?))
}

/// The body of `PUT /posts/{id}`: the fields to change.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PostChanges {
    title: Option<String>,
    body: Option<String>,
}

async fn update_post(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(id): UrlPath<i64>,
    Json(changes): Json<PostChanges>,
) -> Result<Json<Post>, ApiError> {
    let post = actions::edit_post(&app, &principal, id, changes.title, changes.body)?;
    Ok(Json(post))
}

async fn publish_post(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(id): UrlPath<i64>,
) -> Result<Json<Post>, ApiError> {
    Ok(Json(actions::publish_post(&app, &principal, id)?))
}

async fn delete_post(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(id): UrlPath<i64>,
) -> Result<StatusCode, ApiError> {
    actions::delete_post(&app, &principal, id)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn get_file(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(key): UrlPath<String>,
) -> Result<Response, ApiError> {
    let bytes = actions::get_file(&app, &principal, &key).await?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}

async fn put_file(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(key): UrlPath<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    actions::put_file(&app, &principal, &key, body).await?;
    Ok(StatusCode::CREATED)
}

async fn delete_file(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(key): UrlPath<String>,
) -> Result<StatusCode, ApiError> {
    actions::delete_file(&app, &principal, &key).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The query of `GET /files`.
#[derive(Deserialize)]
struct Listing {
    prefix: String,
}

async fn list_files(
    State(app): State<App>,
    principal: Principal<Group>,
    Query(listing): Query<Listing>,
) -> Result<Json<Vec<serde_json::Value>>, ApiError> {
    let objects = actions::list_files(&app, &principal, &listing.prefix).await?;
    Ok(Json(
        objects
            .into_iter()
            .map(|meta| json!({"key": meta.location.as_ref(), "size": meta.size}))
            .collect(),
    ))
}
