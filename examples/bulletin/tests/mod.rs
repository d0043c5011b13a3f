//! The bulletin's tests: the `--demo` script, a restart, and a Cognito pool
//! (the test issuer's) whose keys are served at `--jwks-url`, up or down;
//! the page's forms over HTTP (`page.rs`). The page in a real browser is
//! tested from outside the workspace: `browser-test/`, run by
//! `scripts/browser-test`.

mod page;

use groupguard::test_issuer::TestIssuer;
use reqwest::{Method, StatusCode};

use super::*;

/// `cargo run --example bulletin -- --demo`, as a test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_script_passes() {
    let dir = demo_dir();
    let outcome = run_demo(&dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        outcome.expect("the demo ran"),
        "an answer differed (table above)"
    );
}

/// Posts and files written before a restart are there after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_loses_nothing() {
    let dir = demo_dir();
    let config = Config {
        port: 0,
        data_dir: dir.clone(),
        s3_bucket: None,
        cognito: None,
        keys_retry: KEYS_RETRY,
    };
    let running = start(&config).await.expect("started");
    let admin = running.app.demo_users[2].principal.clone();
    let post = running
        .app
        .db
        .insert(&Post {
            id: 0,
            owner: "ada".to_owned(),
            title: "kept".to_owned(),
            body: String::new(),
            status: Status::Draft,
        })
        .expect("inserted");
    let key = object_store::path::Path::from("drafts/kept.md");
    running
        .app
        .files_for(admin)
        .put(&key, PutPayload::from_static(b"kept"))
        .await
        .expect("stored");
    running.stop().await.expect("stopped");

    let running = start(&config).await.expect("restarted");
    assert_eq!(running.app.db.get(post.id).expect("read"), Some(post));
    assert_eq!(
        running.app.db.count().expect("count"),
        3,
        "seeded once only"
    );
    let admin = running.app.demo_users[2].principal.clone();
    let bytes = running
        .app
        .files_for(admin)
        .get(&key)
        .await
        .expect("found")
        .bytes()
        .await
        .expect("read");
    assert_eq!(bytes, "kept");
    running.stop().await.expect("stopped");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A Cognito pool of the test issuer, with its keys served on
/// 127.0.0.1: its tokens carry the pool's own issuer
/// (`https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly`),
/// and the service fetches the keys from `--jwks-url`.
fn local_pool() -> (TestIssuer, JwksServer) {
    let pool = TestIssuer::new();
    // A clone: the same keys, served under a local URL.
    let server = JwksServer::serve(pool.clone()).expect("a port on 127.0.0.1");
    (pool, server)
}

/// `--cognito-pool P --client-id C --jwks-url URL`, retrying every 20 ms
/// (doubling) when the keys do not come.
fn cognito_config(dir: &Path, pool: &TestIssuer, jwks_url: String) -> Config {
    Config {
        port: 0,
        data_dir: dir.to_owned(),
        s3_bucket: None,
        cognito: Some(Cognito {
            pool: pool.pool_id().to_owned(),
            client: pool.client_id().to_owned(),
            jwks_url: Some(jwks_url),
        }),
        keys_retry: Duration::from_millis(20),
    }
}

/// An access token of the pool for `name` in `groups`.
fn token(pool: &TestIssuer, name: &str, groups: &[Group]) -> String {
    pool.access_token()
        .sub(name)
        .username(name)
        .groups(groups.iter().copied())
        .sign()
}

/// The status of one request, within 20 s.
async fn status(running: &Running, method: Method, path: &str, token: Option<&str>) -> StatusCode {
    let mut request = reqwest::Client::new()
        .request(method, format!("http://{}{path}", running.address))
        .timeout(Duration::from_secs(20));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("an answer").status()
}

/// Fails a step that takes over 20 s instead of hanging.
async fn bounded<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("took over 20 s")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cognito_pool_with_its_keys_at_a_local_url() {
    let dir = demo_dir();
    let (pool, server) = local_pool();
    let config = cognito_config(&dir, &pool, server.jwks_url());
    let running = bounded(start(&config)).await.expect("started");
    assert!(running.issuer.is_none() && running.keys_missing.is_none());
    assert_eq!(running.app.verifier.jwks_urls(), [server.jwks_url()]);
    assert_eq!(
        running.app.verifier.issuer(),
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly"
    );
    let eddie = token(&pool, "eddie", &[Group::EDITORS]);
    let ada = token(&pool, "ada", &[Group::ADMINS]);
    let publish = "/posts/2/publish";
    assert_eq!(
        status(&running, Method::POST, publish, Some(&eddie)).await,
        403
    );
    assert_eq!(
        status(&running, Method::POST, publish, Some(&ada)).await,
        200
    );
    assert_eq!(
        status(&running, Method::DELETE, "/posts/1", Some(&eddie)).await,
        403
    );
    // The pool's UPDATED issuer format is the pool's too.
    let updated = pool.clone().with_updated_issuer();
    let ada_updated = token(&updated, "ada", &[Group::ADMINS]);
    assert_eq!(
        status(&running, Method::DELETE, "/posts/1", Some(&ada_updated)).await,
        204
    );
    // The local URL is where the keys are, not an issuer of the pool.
    let local = server
        .issuer()
        .access_token()
        .groups([Group::ADMINS])
        .sign();
    assert_eq!(
        status(&running, Method::GET, "/me", Some(&local)).await,
        401
    );
    assert_eq!(server.requests(), 1, "fetched once, at start");
    running.stop().await.expect("stopped");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_starts_while_the_issuer_is_down_and_verifies_once_it_is_up() {
    let dir = demo_dir();
    let (pool, server) = local_pool();
    server.pause(); // connections refused: the issuer is down
    let config = cognito_config(&dir, &pool, server.jwks_url());
    let running = bounded(start(&config)).await.expect("started anyway");
    let missing = running.keys_missing.clone().expect("the keys are missing");
    assert!(missing.contains(&server.jwks_url()), "{missing}");
    assert!(
        missing.chars().all(|c| c == ' ' || c.is_ascii_graphic()),
        "{missing}"
    );
    let ada = token(&pool, "ada", &[Group::ADMINS]);
    // Guests are served; a token cannot be checked yet: 503, not 401.
    assert_eq!(status(&running, Method::GET, "/posts", None).await, 200);
    assert_eq!(status(&running, Method::GET, "/me", Some(&ada)).await, 503);
    assert_eq!(
        status(&running, Method::DELETE, "/posts/1", Some(&ada)).await,
        503
    );

    server.resume().expect("the same port again");
    // Within 5 s: sooner than the verifier's own on-demand fetch, which
    // waits out a 10 s cool-down after the failed one; the background
    // retries bring the keys.
    let up = tokio::time::timeout(Duration::from_secs(5), async {
        while status(&running, Method::GET, "/me", Some(&ada)).await != 200 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    up.await
        .expect("the keys arrived within 5 s of the issuer's return");
    assert_eq!(
        status(&running, Method::DELETE, "/posts/1", Some(&ada)).await,
        204
    );
    assert!(
        running
            .keys_retry
            .as_ref()
            .is_some_and(JoinHandle::is_finished),
        "the retries stop once the keys arrive"
    );
    running.stop().await.expect("stopped");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_starts_with_nothing_listening_at_the_jwks_url() {
    let dir = demo_dir();
    // A port that was free a moment ago.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let pool = TestIssuer::new();
    let url = format!("http://127.0.0.1:{port}/us-east-1_TestOnly/.well-known/jwks.json");
    let running = bounded(start(&cognito_config(&dir, &pool, url)))
        .await
        .expect("started anyway");
    assert!(running.keys_missing.is_some());
    let ada = token(&pool, "ada", &[Group::ADMINS]);
    assert_eq!(status(&running, Method::GET, "/me", Some(&ada)).await, 503);
    running.stop().await.expect("stopped");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jwks_url_that_is_not_one_is_refused_at_start() {
    let dir = demo_dir();
    let pool = TestIssuer::new();
    for (url, says) in [
        ("http://keys.example.com/jwks.json", "loopback"),
        ("keys.example.com/jwks.json", "not a URL"),
        ("https://user:pw@keys.example.com/jwks.json", "user info"),
    ] {
        let Err(error) = start(&cognito_config(&dir, &pool, url.to_owned())).await else {
            panic!("{url} accepted");
        };
        let message = error.to_string();
        assert!(message.starts_with("invalid JWKS URL"), "{url}: {message}");
        assert!(message.contains(says), "{url}: {message}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn jwks_url_goes_with_a_cognito_pool_only() {
    let parse = |args: &[&str]| Args::try_parse_from([&["bulletin"], args].concat());
    let url = "http://127.0.0.1:9229/p/.well-known/jwks.json";
    let args = parse(&[
        "--cognito-pool",
        "us-east-1_P",
        "--client-id",
        "c",
        "--jwks-url",
        url,
    ])
    .expect("parsed");
    assert_eq!(args.jwks_url.as_deref(), Some(url));
    for refused in [
        &["--jwks-url", url][..],
        &["--client-id", "c", "--jwks-url", url],
        &["--demo", "--jwks-url", url],
    ] {
        let error = parse(refused).expect_err("refused");
        assert!(
            matches!(
                error.kind(),
                clap::error::ErrorKind::MissingRequiredArgument
                    | clap::error::ErrorKind::ArgumentConflict
            ),
            "{refused:?}: {error}"
        );
    }
}

#[test]
fn what_reaches_the_terminal_is_escaped() {
    assert_eq!(
        escaped("status 500 at `http://x/`"),
        "status 500 at `http://x/`"
    );
    let forged = escaped("down\n2026-01-01 INFO keys loaded\u{1b}[2J\u{202e}");
    assert!(
        forged.chars().all(|c| c == ' ' || c.is_ascii_graphic()),
        "{forged}"
    );
    assert!(
        forged.contains("\\n") && forged.contains("\\u{1b}"),
        "{forged}"
    );
}
