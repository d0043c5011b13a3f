//! A small axum service guarded by groupguard, with a local **test-only**
//! issuer that serves its own JWK Set over HTTP, so the real key-fetching
//! path is used. It prints ready `curl` lines with tokens for three users.
//!
//! ```text
//! cargo run --example axum_service              # on 127.0.0.1:3000
//! cargo run --example axum_service -- --port 8080
//! RUST_LOG=groupguard::audit=debug cargo run --example axum_service
//! ```

use std::net::SocketAddr;

use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use groupguard::axum::{Authenticated, require_groups};
use groupguard::test_issuer::JwksServer;
use groupguard::{
    Access, Denied, Op, Principal, TokenUse, Verifier, group_set, groups, model, storage,
};

/// The user-pool groups.
#[groups]
pub enum Group {
    /// May do anything.
    ADMINS,
    /// May update posts.
    EDITORS,
}

/// A post: anyone reads ("anyone" is two rules: in Amplify a guest rule
/// does not admit signed-in users), editors update, admins do anything.
#[model(
    allow(guest, to = [read]),
    allow(authenticated, to = [read]),
    allow(groups = [EDITORS], to = [update]),
    allow(groups = [ADMINS]),
)]
pub struct Post;

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

async fn read_post(principal: Principal<Group>, Path(id): Path<u32>) -> Result<String, Denied> {
    Post::authorize(&principal, Op::Read).into_result()?;
    Ok(format!("post {id}\n"))
}

async fn update_post(principal: Principal<Group>, Path(id): Path<u32>) -> Result<String, Denied> {
    Post::authorize(&principal, Op::Update).into_result()?;
    Ok(format!("post {id} updated\n"))
}

async fn delete_post(principal: Principal<Group>, Path(id): Path<u32>) -> Result<String, Denied> {
    Post::authorize(&principal, Op::Delete).into_result()?;
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

/// The service's routes.
fn app(verifier: Verifier<Group>) -> Router {
    let admin = Router::new()
        .route("/admin/stats", get(|| async { "42 posts\n" }))
        .route_layer(require_groups(verifier.clone(), group_set![ADMINS]));
    Router::new()
        .route(
            "/posts/{id}",
            get(read_post).put(update_post).delete(delete_post),
        )
        .route("/files/{*key}", axum::routing::put(put_file))
        .route("/me", get(me))
        .merge(admin)
        .with_state(verifier)
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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let issuer = JwksServer::start()?;
    println!(
        "TEST-ONLY issuer (never use it in production): {}",
        issuer.issuer().issuer()
    );
    println!("  its JWK Set: {}", issuer.jwks_url());
    let verifier = issuer.verifier::<Group>(TokenUse::Access).build()?;
    verifier.hydrate().await?; // fetch the keys over HTTP now, not at the first request
    let address = SocketAddr::from(([127, 0, 0, 1], port()));
    let listener = tokio::net::TcpListener::bind(address).await?;
    println!("listening on http://{address}\n");
    for (who, token) in demo_tokens(issuer.issuer()) {
        println!("{who}={token}");
    }
    println!(
        "\ncurl -i http://{address}/posts/1                                  # 200: guests read\n\
         curl -i -X DELETE http://{address}/posts/1                        # 401: sign in\n\
         curl -i -X PUT -H \"Authorization: Bearer $USER\" http://{address}/posts/1    # 403\n\
         curl -i -X PUT -H \"Authorization: Bearer $EDITOR\" http://{address}/posts/1  # 200\n\
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
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// The status of one HTTP/1.1 request to `address`.
    async fn status(address: SocketAddr, method: &str, path: &str, token: Option<&str>) -> u16 {
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\nContent-Length: 0\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        response[9..12].parse().unwrap()
    }

    /// The curl lines the example prints, as requests, with the statuses
    /// they promise: the live key set is fetched from the local issuer.
    #[tokio::test]
    async fn the_printed_requests_answer_as_promised() {
        let issuer = JwksServer::start().unwrap();
        let verifier = issuer.verifier::<Group>(TokenUse::Access).build().unwrap();
        let [(_, admin), (_, editor), (_, user)] = demo_tokens(issuer.issuer());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move { axum::serve(listener, app(verifier)).await });
        let cases = [
            ("GET", "/posts/1", None, 200),
            ("DELETE", "/posts/1", None, 401),
            ("PUT", "/posts/1", Some(user.as_str()), 403),
            ("PUT", "/posts/1", Some(editor.as_str()), 200),
            ("DELETE", "/posts/1", Some(admin.as_str()), 200),
            ("GET", "/admin/stats", Some(editor.as_str()), 403),
            ("GET", "/admin/stats", Some(admin.as_str()), 200),
            ("PUT", "/files/profiles/uma/a.png", Some(user.as_str()), 200),
            ("PUT", "/files/profiles/ada/a.png", Some(user.as_str()), 403),
            ("PUT", "/files/drafts/a.md", Some(user.as_str()), 403),
            ("PUT", "/files/drafts/a.md", Some(editor.as_str()), 200),
            ("GET", "/me", Some("not-a-token"), 401),
            ("GET", "/me", Some(user.as_str()), 200),
        ];
        for (method, path, token, expected) in cases {
            assert_eq!(
                status(address, method, path, token).await,
                expected,
                "{method} {path}"
            );
        }
        // One fetch of the key set served every request.
        assert_eq!(issuer.requests(), 1);
        server.abort();
    }
}
