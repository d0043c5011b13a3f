//! The page at `/`, server-rendered, that works without JavaScript: who is
//! acting, the posts they may see with a button for every action (those the
//! rules refuse too), the files, and the access matrices.
//!
//! | request | what it does |
//! |---|---|
//! | `GET /` | the page; `?as=NAME` first chooses a demo user |
//! | `POST /page/as` `user` | chooses the demo user the page acts as |
//! | `POST /page/posts` `title`, `body` | creates a draft |
//! | `POST /page/posts/{id}/edit` `title`, `body` | edits a post |
//! | `POST /page/posts/{id}/publish` | publishes it |
//! | `POST /page/posts/{id}/delete` | deletes it |
//! | `POST /page/files` `key`, `file` (multipart) | uploads a file |
//! | `POST /page/files/delete` `key` | deletes a file |
//! | `GET /page/download?key=KEY` | downloads a file |
//!
//! Every form calls the operation of `actions.rs` that the JSON API calls,
//! so the same rules decide, then answers 303 to `/`, which shows what
//! happened once: done, or refused with the API's status (401 or 403) and
//! its client-safe message. A refused download comes back the same way.
//!
//! Who acts (`Viewer`): with the test issuer, the demo user chosen on the
//! page, whose name (never a token) a cookie keeps; the server holds the
//! tokens. With `--cognito-pool` there is no choice: the page is the
//! caller's own bearer token (a guest when the browser sends none).
//!
//! Forms from another site are refused (`session::same_origin`): the
//! cookies are `SameSite=Strict`, and a form's `Origin` must be the page's.

mod html;
mod matrix;
mod session;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Multipart, Path as UrlPath, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, middleware};
use groupguard::axum::AuthError;
use groupguard::{Op, Principal};
use serde::Deserialize;

pub use self::matrix::Matrix;
use self::session::{Outcome, Refusal};
use crate::actions;
use crate::auth::Group;
use crate::web::{ApiError, App};

/// The page's routes: the forms behind the same-origin check.
pub fn routes(app: &App) -> Router<App> {
    Router::new()
        .route("/page/as", post(choose_user))
        .route("/page/posts", post(create_post))
        .route("/page/posts/{id}/edit", post(edit_post))
        .route("/page/posts/{id}/publish", post(publish_post))
        .route("/page/posts/{id}/delete", post(delete_post))
        .route("/page/files", post(upload))
        .route("/page/files/delete", post(delete_file))
        .route_layer(middleware::from_fn_with_state(
            app.clone(),
            session::same_origin,
        ))
        .route("/", get(index))
        .route("/page/download", get(download))
}

/// Who the page acts as.
pub struct Viewer {
    /// `guest`, a demo user's name, or `you` (Cognito).
    name: String,
    /// Its principal, or why its token was refused (Cognito: a token the
    /// verifier refused, or keys not loaded yet).
    principal: Result<Principal<Group>, AuthError>,
}

impl Viewer {
    /// A guest, or the demo user `name`: `None` when there is none.
    fn demo(app: &App, name: &str) -> Option<Self> {
        let principal = if name == "guest" {
            Principal::guest()
        } else {
            app.demo_user(name)?.principal.clone()
        };
        Some(Self {
            name: name.to_owned(),
            principal: Ok(principal),
        })
    }

    /// Runs `action` (`what`, for the message) as this viewer and goes back
    /// to the page, which shows what happened.
    async fn act(
        self,
        what: String,
        action: impl AsyncFnOnce(&Principal<Group>) -> Result<String, ApiError>,
    ) -> Response {
        let result = match self.principal {
            Ok(principal) => action(&principal).await,
            Err(error) => Err(ApiError::Token(error)),
        };
        report(self.name, what, result).await
    }
}

/// 303 to the page, which shows once what `who` did (`what`): done, or
/// refused with the status and the client-safe message the API answers.
async fn report(who: String, what: String, result: Result<String, ApiError>) -> Response {
    let (status, message) = match result {
        Ok(done) => (None, done),
        Err(error) => {
            let refusal = Refusal::of(error.into_response()).await;
            (Some(refusal.status), refusal.message)
        }
    };
    session::back_to_page(&Outcome {
        who,
        action: what,
        status,
        message,
    })
}

impl FromRequestParts<App> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        if app.is_demo() {
            // An unknown name (a user of an earlier run) is a guest.
            let name = session::demo_user(&parts.headers).unwrap_or("guest");
            return Ok(Self::demo(app, name).unwrap_or(Self {
                name: "guest".to_owned(),
                principal: Ok(Principal::guest()),
            }));
        }
        Ok(Self {
            name: "you".to_owned(),
            principal: Principal::<Group>::from_request_parts(parts, app).await,
        })
    }
}

/// The query of `GET /`.
#[derive(Deserialize)]
pub struct View {
    /// A demo user's name, or `guest`: act as them from now on.
    #[serde(rename = "as")]
    who: Option<String>,
}

/// The page, for the viewer (or for the demo user `?as=` names, who acts
/// from now on).
async fn index(
    State(app): State<App>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(view): Query<View>,
) -> Response {
    let (viewer, chosen) = match view.who {
        None => (viewer, None),
        Some(who) if !app.is_demo() => {
            return html::error_page(
                StatusCode::BAD_REQUEST,
                &format!(
                    "There are no demo users to act as ({who:?}): with a Cognito pool the page \
                     shows what the caller's own token allows."
                ),
                &[],
            );
        }
        Some(who) => match Viewer::demo(&app, &who) {
            Some(viewer) => (viewer, Some(who)),
            None => {
                let names = demo_names(&app);
                return html::error_page(
                    StatusCode::BAD_REQUEST,
                    &format!("There is no demo user {who:?}. Act as one of these:"),
                    &names,
                );
            }
        },
    };
    let outcome = session::outcome(&headers);
    let page = match render(&app, viewer, outcome.as_ref()).await {
        Ok(page) => page,
        Err(error) => return error.into_response(),
    };
    let mut response = Html(page).into_response();
    if let Some(name) = chosen {
        session::remember_demo_user(&mut response, &name);
    }
    if outcome.is_some() {
        session::forget_outcome(&mut response);
    }
    response
}

/// `guest` and the demo users' names.
fn demo_names(app: &App) -> Vec<&'static str> {
    std::iter::once("guest")
        .chain(app.demo_users.iter().map(|user| user.name))
        .collect()
}

/// The choices of the switch: `guest` and the demo users, with what each
/// is.
fn switch(app: &App) -> Vec<(&'static str, &'static str)> {
    let users = app.demo_users.iter().map(|user| (user.name, user.role));
    std::iter::once(("guest", "not signed in"))
        .chain(users)
        .collect()
}

/// The page's HTML.
async fn render(app: &App, viewer: Viewer, outcome: Option<&Outcome>) -> Result<String, ApiError> {
    // A refused token (Cognito) is shown, and the page is a guest's.
    let (principal, token_refused) = match viewer.principal {
        Ok(principal) => (principal, None),
        Err(error) => (
            Principal::guest(),
            Some(Refusal::of(error.into_response()).await),
        ),
    };
    let posts = app.db.list_for(&principal, Op::List)?;
    let files = if app.is_demo() {
        app.every_file().await?
    } else {
        // What the caller may list, folder by folder; a refused folder
        // is left out.
        let mut files = Vec::new();
        let own = principal.entity_id().map(|id| format!("profiles/{id}"));
        for folder in ["public", "drafts"].into_iter().chain(own.as_deref()) {
            files.extend(
                actions::list_files(app, &principal, folder)
                    .await
                    .unwrap_or_default(),
            );
        }
        files
    };
    Ok(html::page(&html::Page {
        demo_users: if app.is_demo() {
            switch(app)
        } else {
            Vec::new()
        },
        name: &viewer.name,
        principal: &principal,
        token_refused: token_refused.as_ref(),
        outcome,
        posts: &posts,
        files: &files,
        matrix: &app.matrix,
    }))
}

/// The form of `POST /page/as`.
#[derive(Deserialize)]
struct Choice {
    user: String,
}

async fn choose_user(State(app): State<App>, Form(choice): Form<Choice>) -> Response {
    if Viewer::demo(&app, &choice.user).is_none() {
        return html::error_page(
            StatusCode::BAD_REQUEST,
            &format!("There is no demo user {:?} to act as.", choice.user),
            &demo_names(&app),
        );
    }
    let mut response = session::see_page();
    session::remember_demo_user(&mut response, &choice.user);
    response
}

/// The form of a post: its title and body.
#[derive(Deserialize)]
struct PostForm {
    title: String,
    body: String,
}

async fn create_post(
    State(app): State<App>,
    viewer: Viewer,
    Form(form): Form<PostForm>,
) -> Response {
    viewer
        .act("create a draft".to_owned(), async |principal| {
            let post = actions::create_post(&app, principal, form.title, form.body)?;
            Ok(format!("draft {} is created", post.id))
        })
        .await
}

async fn edit_post(
    State(app): State<App>,
    viewer: Viewer,
    UrlPath(id): UrlPath<i64>,
    Form(form): Form<PostForm>,
) -> Response {
    viewer
        .act(format!("edit post {id}"), async |principal| {
            actions::edit_post(&app, principal, id, Some(form.title), Some(form.body))?;
            Ok(format!("post {id} is saved"))
        })
        .await
}

async fn publish_post(
    State(app): State<App>,
    viewer: Viewer,
    UrlPath(id): UrlPath<i64>,
) -> Response {
    viewer
        .act(format!("publish post {id}"), async |principal| {
            actions::publish_post(&app, principal, id)?;
            Ok(format!("post {id} is published"))
        })
        .await
}

async fn delete_post(
    State(app): State<App>,
    viewer: Viewer,
    UrlPath(id): UrlPath<i64>,
) -> Response {
    viewer
        .act(format!("delete post {id}"), async |principal| {
            actions::delete_post(&app, principal, id)?;
            Ok(format!("post {id} is deleted"))
        })
        .await
}

/// The fields `key` and `file` of the upload form.
async fn upload_form(mut form: Multipart) -> Result<(String, Bytes), ApiError> {
    let bad = |error: axum::extract::multipart::MultipartError| {
        ApiError::BadRequest(format!("the upload form: {error}"))
    };
    let (mut key, mut file) = (None, None);
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name() {
            Some("key") => key = Some(field.text().await.map_err(bad)?),
            Some("file") => file = Some(field.bytes().await.map_err(bad)?),
            _ => {}
        }
    }
    match (key, file) {
        (Some(key), Some(file)) => Ok((key, file)),
        _ => Err(ApiError::BadRequest(
            "the upload form needs a key and a file".to_owned(),
        )),
    }
}

async fn upload(State(app): State<App>, viewer: Viewer, form: Multipart) -> Response {
    let form = upload_form(form).await;
    let what = match &form {
        Ok((key, _)) => format!("upload {}", session::shortened(key)),
        Err(_) => "upload a file".to_owned(),
    };
    viewer
        .act(what, async |principal| {
            let (key, bytes) = form?;
            let size = bytes.len();
            actions::put_file(&app, principal, &key, bytes).await?;
            Ok(format!(
                "{} is stored ({size} bytes)",
                session::shortened(&key)
            ))
        })
        .await
}

/// The form of a file's buttons: its key.
#[derive(Deserialize)]
struct FileForm {
    key: String,
}

async fn delete_file(
    State(app): State<App>,
    viewer: Viewer,
    Form(form): Form<FileForm>,
) -> Response {
    let key = form.key;
    viewer
        .act(
            format!("delete {}", session::shortened(&key)),
            async |principal| {
                actions::delete_file(&app, principal, &key).await?;
                Ok(format!("{} is deleted", session::shortened(&key)))
            },
        )
        .await
}

/// The file, as an attachment (never shown inline: it is anyone's upload);
/// a refusal goes back to the page, which shows it.
async fn download(
    State(app): State<App>,
    viewer: Viewer,
    Query(form): Query<FileForm>,
) -> Response {
    let key = form.key;
    let result = match viewer.principal {
        Ok(principal) => actions::get_file(&app, &principal, &key).await,
        Err(error) => Err(ApiError::Token(error)),
    };
    match result {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", session::file_name(&key)),
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => {
            let what = format!("download {}", session::shortened(&key));
            report(viewer.name, what, Err(error)).await
        }
    }
}
