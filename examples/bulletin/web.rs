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
//! | `GET /` | the HTML page (`page.rs`) |
//!
//! A denial is 401 for a guest and 403 otherwise (groupguard's axum
//! responses, RFC 6750), an invalid object key 400, a missing post or file
//! 404.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRef, Path as UrlPath, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::TryStreamExt;
use groupguard::object_store::GuardedStore;
use groupguard::{Denied, Op, Principal, Verifier, validate_key};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{Files, Group, Post, Status, owner_of};
use crate::db::Db;

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
    /// The access matrices of the page, rendered once.
    pub matrix: Arc<str>,
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
            matrix: crate::page::matrix().into(),
        }
    }

    /// The attachments as `principal` may use them.
    pub fn files_for(&self, principal: Principal<Group>) -> GuardedStore<Files> {
        GuardedStore::new(Arc::clone(&self.bucket), principal)
    }
}

/// The routes.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/", get(crate::page::index))
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
    let post = Post {
        id: 0,
        // A guest has no owner value; the rules refuse it below (401).
        owner: owner_of(&principal).unwrap_or_default(),
        title: new.title,
        body: new.body,
        status: Status::Draft,
    };
    post.authorize_record(&principal, Op::Create)
        .into_result()?;
    let post = app.db.insert(&post)?;
    Ok((StatusCode::CREATED, Json(post)))
}

fn load(app: &App, id: i64) -> Result<Post, ApiError> {
    app.db.get(id)?.ok_or(ApiError::NotFound)
}

async fn get_post(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(id): UrlPath<i64>,
) -> Result<Json<Post>, ApiError> {
    let post = load(&app, id)?;
    post.authorize_record(&principal, Op::Get).into_result()?;
    Ok(Json(post))
}

/// The body of `PUT /posts/{id}`: the fields to change.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PostChanges {
    title: Option<String>,
    body: Option<String>,
}

/// Saves `after` in place of `before` if `principal` may update `before`
/// into `after`: `update` on the post as it is and as it would be (an
/// editor may not publish), `delete` on any field it clears, the rules of
/// any field with rules of its own that it changes (`authorize_update`).
fn save_update(
    db: &Db,
    principal: &Principal<Group>,
    before: &Post,
    after: Post,
) -> Result<Json<Post>, ApiError> {
    before.authorize_update(principal, &after).into_result()?;
    db.update(&after)?;
    Ok(Json(after))
}

async fn update_post(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(id): UrlPath<i64>,
    Json(changes): Json<PostChanges>,
) -> Result<Json<Post>, ApiError> {
    let before = load(&app, id)?;
    let mut after = before.clone();
    if let Some(title) = changes.title {
        after.title = title;
    }
    if let Some(body) = changes.body {
        after.body = body;
    }
    save_update(&app.db, &principal, &before, after)
}

async fn publish_post(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(id): UrlPath<i64>,
) -> Result<Json<Post>, ApiError> {
    let before = load(&app, id)?;
    let after = Post {
        status: Status::Published,
        ..before.clone()
    };
    save_update(&app.db, &principal, &before, after)
}

async fn delete_post(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(id): UrlPath<i64>,
) -> Result<StatusCode, ApiError> {
    let post = load(&app, id)?;
    post.authorize_record(&principal, Op::Delete)
        .into_result()?;
    app.db.delete(id)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `key` as an object path, if it is a valid key written as the store
/// writes it: no `..`, `.` or empty segment, no leading or trailing `/`.
fn object_path(key: &str) -> Result<Path, ApiError> {
    validate_key(key).map_err(|error| ApiError::BadRequest(format!("invalid key: {error}")))?;
    let path = Path::parse(key).map_err(|error| ApiError::BadRequest(error.to_string()))?;
    if path.as_ref() != key {
        return Err(ApiError::BadRequest(
            "a key neither starts nor ends with `/`".to_owned(),
        ));
    }
    Ok(path)
}

async fn get_file(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(key): UrlPath<String>,
) -> Result<Response, ApiError> {
    let path = object_path(&key)?;
    let bytes = app.files_for(principal).get(&path).await?.bytes().await?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}

async fn put_file(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(key): UrlPath<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let path = object_path(&key)?;
    app.files_for(principal).put(&path, body.into()).await?;
    Ok(StatusCode::CREATED)
}

async fn delete_file(
    State(app): State<App>,
    principal: Principal<Group>,
    UrlPath(key): UrlPath<String>,
) -> Result<StatusCode, ApiError> {
    let path = object_path(&key)?;
    app.files_for(principal).delete(&path).await?;
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
    let prefix = object_path(&listing.prefix)?;
    let objects: Vec<object_store::ObjectMeta> = app
        .files_for(principal)
        .list(Some(&prefix))
        .try_collect()
        .await?;
    let mut keys: Vec<_> = objects
        .into_iter()
        .map(|meta| json!({"key": meta.location.as_ref(), "size": meta.size}))
        .collect();
    keys.sort_by(|a, b| a["key"].as_str().cmp(&b["key"].as_str()));
    Ok(Json(keys))
}

#[cfg(test)]
mod tests {
    use super::*;
    use groupguard::{DenyReason, UpdateCheck};

    /// A fresh database in its own directory, with uma's draft.
    fn db_with_a_draft(name: &str) -> (Db, Post, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "groupguard-bulletin-update-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let db = Db::open(&dir).expect("the database");
        let draft = db
            .insert(&Post {
                id: 0,
                owner: "uma".to_owned(),
                title: "Uma's draft".to_owned(),
                body: "first words".to_owned(),
                status: Status::Draft,
            })
            .expect("inserted");
        (db, draft, dir)
    }

    fn user(name: &str, groups: &[Group]) -> Principal<Group> {
        Principal::authenticated(name)
            .with_username(name)
            .with_groups(groups.iter().copied())
    }

    /// The check and reason of a refused update; the post left as stored.
    fn refused(
        db: &Db,
        principal: &Principal<Group>,
        before: &Post,
        after: Post,
    ) -> (UpdateCheck, DenyReason) {
        let Err(ApiError::Denied(denied)) = save_update(db, principal, before, after) else {
            panic!("the update was not refused");
        };
        assert_eq!(
            db.get(before.id).expect("read").as_ref(),
            Some(before),
            "saved anyway"
        );
        (
            denied.update_check().expect("an update check"),
            denied.reason(),
        )
    }

    #[test]
    fn an_update_is_saved_only_when_allowed_as_stored_and_as_saved() {
        let (db, draft, dir) = db_with_a_draft("cases");
        let edited = Post {
            body: "better words".to_owned(),
            ..draft.clone()
        };
        let published = Post {
            status: Status::Published,
            ..draft.clone()
        };
        // Stored: otto may not update uma's draft.
        assert_eq!(
            refused(&db, &user("otto", &[]), &draft, edited.clone()),
            (UpdateCheck::Stored, DenyReason::NotRecordOwner)
        );
        // Saved: editors and owners update drafts, so may not publish one.
        let condition = DenyReason::ConditionFailed {
            condition: "Self::is_draft",
        };
        assert_eq!(
            refused(
                &db,
                &user("eddie", &[Group::EDITORS]),
                &draft,
                published.clone()
            ),
            (UpdateCheck::Saved, condition)
        );
        assert_eq!(
            refused(&db, &user("uma", &[]), &draft, published.clone()),
            (UpdateCheck::Saved, condition)
        );
        // Saved: nor may uma give her draft to otto.
        let given = Post {
            owner: "otto".to_owned(),
            ..draft.clone()
        };
        assert_eq!(
            refused(&db, &user("uma", &[]), &draft, given),
            (UpdateCheck::Saved, DenyReason::NotRecordOwner)
        );
        // Allowed: saved as proposed.
        assert!(
            save_update(
                &db,
                &user("eddie", &[Group::EDITORS]),
                &draft,
                edited.clone()
            )
            .is_ok()
        );
        assert_eq!(db.get(draft.id).expect("read"), Some(edited.clone()));
        assert!(
            save_update(
                &db,
                &user("ada", &[Group::ADMINS]),
                &edited,
                published.clone()
            )
            .is_ok()
        );
        assert_eq!(db.get(draft.id).expect("read"), Some(published.clone()));
        // Stored: once published, not even its owner updates it.
        let reworded = Post {
            body: "changed".to_owned(),
            ..published.clone()
        };
        assert_eq!(
            refused(&db, &user("uma", &[]), &published, reworded),
            (UpdateCheck::Stored, condition)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
