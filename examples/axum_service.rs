//! A small axum service guarded by groupguard, with a local **test-only**
//! issuer that serves its own JWK Set over HTTP, so the real key-fetching
//! path is used. It prints ready `curl` lines with tokens for three users.
//!
//! ```text
//! cargo run --example axum_service              # on 127.0.0.1:3000
//! cargo run --example axum_service -- --port 8080
//! RUST_LOG=groupguard::audit=debug cargo run --example axum_service
//! ```
//!
//! `PUT /posts/{id}` takes the whole post as it would be saved and decides
//! it with one call, `authorize_update`: `update` on the post as stored and
//! as proposed, `delete` on a field it clears, and the rules of a field with
//! rules of its own that it changes.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{FromRef, Path, State};
use axum::routing::get;
use axum::{Json, Router};
use groupguard::axum::{ApiError, Authenticated, AuthorizeOrHide, require_groups};
use groupguard::test_issuer::JwksServer;
use groupguard::{
    Access, Denied, Op, Principal, TokenUse, Verifier, group_set, groups, model, storage,
};
use serde::{Deserialize, Serialize};

/// The user-pool groups.
#[groups]
pub enum Group {
    /// May do anything.
    ADMINS,
    /// May update posts that are not locked.
    EDITORS,
}

/// A post: anyone reads ("anyone" is two rules: in Amplify a guest rule
/// does not admit signed-in users), editors update unlocked posts, admins
/// do anything.
///
/// So an editor may not lock a post (the post as saved would be beyond
/// them), may not clear its subtitle (that needs `delete`, as in Amplify),
/// and may not pin it (`pinned` has rules of its own).
#[model(
    allow(guest, to = [read]),
    allow(authenticated, to = [read]),
    allow(groups = [EDITORS], to = [update], when = Self::is_unlocked),
    allow(groups = [ADMINS]),
)]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Post {
    /// Its title.
    pub title: String,
    /// A subtitle, if any; `null` (or leaving it out) clears it.
    pub subtitle: Option<String>,
    /// Locked posts are the admins' alone.
    pub locked: bool,
    /// Pinned to the front page: the admins' decision.
    #[field(allow(groups = [ADMINS]), allow(guest, to = [read]), allow(authenticated, to = [read]))]
    pub pinned: bool,
}

impl Post {
    fn is_unlocked(&self) -> bool {
        !self.locked
    }
}

storage! {
    /// Files: public ones for everyone, drafts for editors, a folder per user.
    pub Files {
        "public/*" => guest: [read],
        "public/*" => authenticated: [read],
        "public/*" => groups(ADMINS): [read, write, delete],
        "drafts/*" => groups(EDITORS, ADMINS): [read, write],
        "profiles/{entity_id}/*" => entity(identity): [read, write, delete],
    }
}

/// The posts, in memory.
type Posts = Arc<Mutex<BTreeMap<u32, Post>>>;

/// What the handlers share.
#[derive(Clone)]
struct App {
    verifier: Verifier<Group>,
    posts: Posts,
}

impl FromRef<App> for Verifier<Group> {
    fn from_ref(app: &App) -> Self {
        app.verifier.clone()
    }
}

/// Post 1, as the service starts.
fn first_post() -> Post {
    Post {
        title: "Hello".to_owned(),
        subtitle: Some("the first post".to_owned()),
        locked: false,
        pinned: false,
    }
}

/// The post `id`, if `principal` may `op` it. A post `principal` may not
/// read is answered as a missing one (404), so that status codes do not
/// tell which posts exist (here every post is public: nothing is hidden).
fn guarded(posts: &Posts, principal: &Principal<Group>, id: u32, op: Op) -> Result<Post, ApiError> {
    let posts = posts.lock().unwrap_or_else(PoisonError::into_inner);
    let post = posts.get(&id).ok_or_else(ApiError::not_found)?;
    post.authorize_or_hide(principal, op)?;
    Ok(post.clone())
}

/// Replaces post `id` with `proposed` if `principal` may update the post
/// as stored into `proposed`.
fn update(
    posts: &Posts,
    principal: &Principal<Group>,
    id: u32,
    proposed: Post,
) -> Result<Post, ApiError> {
    let mut posts = posts.lock().unwrap_or_else(PoisonError::into_inner);
    let stored = posts.get_mut(&id).ok_or_else(ApiError::not_found)?;
    stored
        .authorize_update(principal, &proposed)
        .into_result()?;
    // Checked once the update is allowed: who may not update learns nothing.
    if proposed.title.trim().is_empty() {
        return Err(ApiError::unprocessable("a post needs a title"));
    }
    *stored = proposed.clone();
    Ok(proposed)
}

async fn read_post(
    State(app): State<App>,
    principal: Principal<Group>,
    Path(id): Path<u32>,
) -> Result<Json<Post>, ApiError> {
    guarded(&app.posts, &principal, id, Op::Read).map(Json)
}

async fn update_post(
    State(app): State<App>,
    principal: Principal<Group>,
    Path(id): Path<u32>,
    Json(proposed): Json<Post>,
) -> Result<Json<Post>, ApiError> {
    update(&app.posts, &principal, id, proposed).map(Json)
}

async fn delete_post(
    State(app): State<App>,
    principal: Principal<Group>,
    Path(id): Path<u32>,
) -> Result<String, ApiError> {
    guarded(&app.posts, &principal, id, Op::Delete)?;
    app.posts
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&id);
    Ok(format!("post {id} deleted\n"))
}

async fn put_file(principal: Principal<Group>, Path(key): Path<String>) -> Result<String, Denied> {
    Files::authorize(&principal, &key, Access::Write).into_result()?;
    Ok(format!("{key} stored\n"))
}

async fn me(Authenticated(me): Authenticated<Group>) -> String {
    let groups: Vec<&str> = me.groups().iter().map(Group::name).collect();
    format!(
        "{} in [{}]\n",
        me.sub().unwrap_or_default(),
        groups.join(", ")
    )
}

/// The service's routes, with post 1 in its store.
fn app(verifier: Verifier<Group>) -> Router {
    let admin = Router::new()
        .route("/admin/stats", get(|| async { "42 posts\n" }))
        .route_layer(require_groups(verifier.clone(), group_set![ADMINS]));
    let posts = Arc::new(Mutex::new(BTreeMap::from([(1, first_post())])));
    Router::new()
        .route(
            "/posts/{id}",
            get(read_post).put(update_post).delete(delete_post),
        )
        .route("/files/{*key}", axum::routing::put(put_file))
        .route("/me", get(me))
        .merge(admin)
        .with_state(App { verifier, posts })
}

/// Demo tokens for an admin, an editor and a plain user.
fn demo_tokens(issuer: &groupguard::test_issuer::TestIssuer) -> [(&'static str, String); 3] {
    let token = |sub: &str, groups: &[Group]| {
        issuer
            .access_token()
            .sub(sub)
            .username(sub)
            .groups(groups.iter().copied())
            .expires_in(std::time::Duration::from_secs(3600))
            .sign()
    };
    [
        ("ADMIN", token("ada", &[Group::ADMINS])),
        ("EDITOR", token("eddie", &[Group::EDITORS])),
        ("USER", token("uma", &[])),
    ]
}

/// The bodies of the printed `PUT` requests: post 1 edited, then locked,
/// its subtitle cleared, pinned.
const EDIT: &str =
    r#"{"title":"Hello, world","subtitle":"the first post","locked":false,"pinned":false}"#;
const LOCK: &str =
    r#"{"title":"Hello, world","subtitle":"the first post","locked":true,"pinned":false}"#;
const CLEAR: &str = r#"{"title":"Hello, world","subtitle":null,"locked":false,"pinned":false}"#;
const UNTITLED: &str = r#"{"title":" ","subtitle":"the first post","locked":false,"pinned":false}"#;
const PIN: &str =
    r#"{"title":"Hello, world","subtitle":"the first post","locked":false,"pinned":true}"#;

/// `--port N`, else 3000.
fn port() -> u16 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => 3000,
        [flag, port] if flag == "--port" => port.parse().unwrap_or_else(|_| {
            eprintln!("--port takes a number, not {port:?}");
            std::process::exit(2)
        }),
        _ => {
            eprintln!("usage: axum_service [--port N]");
            std::process::exit(2)
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    groupguard_examples::init_logging("info");
    let issuer = JwksServer::start()?;
    println!(
        "TEST-ONLY issuer (never use it in production): {}",
        issuer.issuer().issuer()
    );
    println!("  its JWK Set: {}", issuer.jwks_url());
    let verifier = issuer.verifier::<Group>(TokenUse::Access).build()?;
    verifier.hydrate().await?; // fetch the keys over HTTP now, not at the first request
    let address = SocketAddr::from(([127, 0, 0, 1], port()));
    let listener = match groupguard_examples::listen(address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("axum_service: {error}");
            std::process::exit(1)
        }
    };
    println!("listening on http://{address}\n");
    for (who, token) in demo_tokens(issuer.issuer()) {
        println!("{who}={token}");
    }
    let json = "-H 'Content-Type: application/json'";
    let [edit, lock, clear, pin, untitled] =
        [EDIT, LOCK, CLEAR, PIN, UNTITLED].map(|body| format!("-d '{body}'"));
    println!(
        "\ncurl -i http://{address}/posts/1                                  # 200: guests read\n\
         curl -i -X DELETE http://{address}/posts/1                        # 401: sign in\n\
         curl -i -X PUT -H \"Authorization: Bearer $USER\" {json} {edit} http://{address}/posts/1    # 403\n\
         curl -i -X PUT -H \"Authorization: Bearer $EDITOR\" {json} {edit} http://{address}/posts/1  # 200\n\
         curl -i -X PUT -H \"Authorization: Bearer $EDITOR\" {json} {lock} http://{address}/posts/1  # 403: locking is the admins'\n\
         curl -i -X PUT -H \"Authorization: Bearer $EDITOR\" {json} {clear} http://{address}/posts/1 # 403: clearing needs delete\n\
         curl -i -X PUT -H \"Authorization: Bearer $EDITOR\" {json} {pin} http://{address}/posts/1   # 403: pinned has its own rules\n\
         curl -i -X PUT -H \"Authorization: Bearer $EDITOR\" {json} {untitled} http://{address}/posts/1 # 422: a post needs a title\n\
         curl -i -X DELETE -H \"Authorization: Bearer $ADMIN\" http://{address}/posts/1 # 200\n\
         curl -i -H \"Authorization: Bearer $EDITOR\" http://{address}/admin/stats     # 403\n\
         curl -i -X PUT -H \"Authorization: Bearer $USER\" http://{address}/files/profiles/uma/a.png # 200\n\
         curl -i -X PUT -H \"Authorization: Bearer $USER\" http://{address}/files/drafts/a.md        # 403\n\
         curl -i -H \"Authorization: Bearer not-a-token\" http://{address}/me           # 401 invalid_token\n\
         (set the variables with the three lines above; Ctrl-C stops the service)"
    );
    axum::serve(listener, app(verifier))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use groupguard::{DenyReason, UpdateCheck};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// The status of one HTTP/1.1 request to `address`, with a JSON body.
    async fn status(
        address: SocketAddr,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &str,
    ) -> u16 {
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        response[9..12].parse().unwrap()
    }

    /// The curl lines the example prints, as requests, with the statuses
    /// they promise, and a few more: the live key set is fetched from the
    /// local issuer.
    #[tokio::test]
    async fn the_printed_requests_answer_as_promised() {
        let issuer = JwksServer::start().unwrap();
        let verifier = issuer.verifier::<Group>(TokenUse::Access).build().unwrap();
        let [(_, admin), (_, editor), (_, user)] = demo_tokens(issuer.issuer());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move { axum::serve(listener, app(verifier)).await });
        let (admin, editor, user) = (
            Some(admin.as_str()),
            Some(editor.as_str()),
            Some(user.as_str()),
        );
        let locked_by_admin = r#"{"title":"Hello","subtitle":null,"locked":true,"pinned":true}"#;
        let cases = [
            ("GET", "/posts/1", None, "", 200),
            ("DELETE", "/posts/1", None, "", 401),
            ("PUT", "/posts/1", None, EDIT, 401),
            ("PUT", "/posts/1", user, EDIT, 403),
            ("PUT", "/posts/1", editor, EDIT, 200),
            ("PUT", "/posts/1", editor, LOCK, 403),
            ("PUT", "/posts/1", editor, CLEAR, 403),
            ("PUT", "/posts/1", editor, PIN, 403),
            ("PUT", "/posts/2", editor, EDIT, 404),
            ("PUT", "/posts/1", editor, UNTITLED, 422),
            ("PUT", "/posts/1", user, UNTITLED, 403), // the guard first
            (
                "PUT",
                "/posts/1",
                editor,
                r#"{"title":"no other field"}"#,
                422,
            ),
            ("PUT", "/posts/1", admin, locked_by_admin, 200),
            ("PUT", "/posts/1", editor, EDIT, 403), // locked now
            ("DELETE", "/posts/1", admin, "", 200),
            ("GET", "/posts/1", None, "", 404),
            ("GET", "/admin/stats", editor, "", 403),
            ("GET", "/admin/stats", admin, "", 200),
            ("PUT", "/files/profiles/uma/a.png", user, "", 200),
            ("PUT", "/files/profiles/ada/a.png", user, "", 403),
            ("PUT", "/files/drafts/a.md", user, "", 403),
            ("PUT", "/files/drafts/a.md", editor, "", 200),
            ("GET", "/me", Some("not-a-token"), "", 401),
            ("GET", "/me", user, "", 200),
        ];
        for (method, path, token, body, expected) in cases {
            assert_eq!(
                status(address, method, path, token, body).await,
                expected,
                "{method} {path} {body}"
            );
        }
        // One fetch of the key set served every request.
        assert_eq!(issuer.requests(), 1);
        server.abort();
    }

    fn body(json: &str) -> Post {
        serde_json::from_str(json).unwrap()
    }

    /// The check and reason of a refused update of post 1; the post left as stored.
    fn refused(
        posts: &Posts,
        principal: &Principal<Group>,
        proposed: &str,
    ) -> (UpdateCheck, DenyReason) {
        let before = posts.lock().unwrap().get(&1).cloned();
        let Err(error) = update(posts, principal, 1, body(proposed)) else {
            panic!("the update of post 1 into {proposed} was not refused");
        };
        let denied = *error.denied().expect("refused by a guard");
        assert_eq!(
            posts.lock().unwrap().get(&1).cloned(),
            before,
            "saved anyway"
        );
        (denied.update_check().unwrap(), denied.reason())
    }

    /// Each check of `authorize_update` refuses its case, and names it.
    #[test]
    fn each_check_of_an_update_refuses_its_case() {
        let posts: Posts = Arc::new(Mutex::new(BTreeMap::from([(1, first_post())])));
        let user = Principal::<Group>::authenticated("uma");
        let editor = Principal::authenticated("eddie").with_groups([Group::EDITORS]);
        let admin = Principal::authenticated("ada").with_groups([Group::ADMINS]);
        assert_eq!(
            refused(&posts, &user, EDIT),
            (UpdateCheck::Stored, DenyReason::NotInAllowedGroup)
        );
        let condition = DenyReason::ConditionFailed {
            condition: "Self::is_unlocked",
        };
        assert_eq!(
            refused(&posts, &editor, LOCK),
            (UpdateCheck::Saved, condition)
        );
        assert_eq!(
            refused(&posts, &editor, CLEAR),
            (
                UpdateCheck::Cleared { field: "subtitle" },
                DenyReason::NotInAllowedGroup
            )
        );
        assert_eq!(
            refused(&posts, &editor, PIN),
            (
                UpdateCheck::Changed { field: "pinned" },
                DenyReason::NotInAllowedGroup
            )
        );
        assert_eq!(update(&posts, &editor, 1, body(EDIT)).unwrap(), body(EDIT));
        assert_eq!(posts.lock().unwrap()[&1], body(EDIT));
        for proposed in [PIN, CLEAR, LOCK] {
            assert_eq!(
                update(&posts, &admin, 1, body(proposed)).unwrap(),
                body(proposed)
            );
        }
        // Locked now: the post as stored is beyond editors.
        assert_eq!(
            refused(&posts, &editor, EDIT),
            (UpdateCheck::Stored, condition)
        );
        let missing = update(&posts, &admin, 7, body(EDIT)).unwrap_err();
        assert!(missing.denied().is_none());
        assert_eq!(
            axum::response::IntoResponse::into_response(missing).status(),
            axum::http::StatusCode::NOT_FOUND
        );
    }
}
