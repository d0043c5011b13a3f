//! The axum integration, driven through a real `axum::Router`: every row of
//! the RFC 6750 table (in memory with tower's `oneshot`, and once over a
//! real TCP socket on 127.0.0.1), the extractors and the layers.

#[path = "support/log_lines.rs"]
mod log_lines;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use groupguard::axum::{
    ApiError, AuthError, Authenticated, AuthorizeOrHide, require_groups, require_model,
};
use groupguard::{
    Access, Denied, Op, Principal, Verifier, VerifyError, group_set, groups, model, storage,
};
use jsonwebtoken::{EncodingKey, Header};
use serde_json::{Value, json};
use tower::ServiceExt;

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(
    allow(guest, to = [read]),
    allow(authenticated, to = [read]),
    allow(groups = [EDITORS], to = [update]),
    allow(groups = [ADMINS]),
)]
pub struct Article;

storage! {
    pub Files {
        "public/*" => guest: [read],
        "public/*" => authenticated: [read, write],
        "drafts/*" => groups(EDITORS): [read, write],
    }
}

const SECRET: &[u8] = b"TEST_ONLY-axum-secret";
const ISSUER: &str = "https://issuer.test";
const CLIENT: &str = "app-client";

fn verifier() -> Verifier<Group> {
    Verifier::hs256(SECRET)
        .issuer(ISSUER)
        .audience(CLIENT)
        .build()
        .expect("complete configuration")
}

fn token(claims: Value) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut full = json!({"iss": ISSUER, "aud": CLIENT, "sub": "user-1", "exp": now + 600});
    for (key, value) in claims.as_object().unwrap() {
        full[key] = value.clone();
    }
    jsonwebtoken::encode(&Header::default(), &full, &EncodingKey::from_secret(SECRET)).unwrap()
}

async fn delete_article(principal: Principal<Group>) -> Result<&'static str, Denied> {
    Article::authorize(&principal, Op::Delete).into_result()?;
    Ok("deleted")
}

async fn read_article(principal: Principal<Group>) -> Result<&'static str, Denied> {
    Article::authorize(&principal, Op::Read).into_result()?;
    Ok("an article")
}

async fn put_file(
    principal: Principal<Group>,
    axum::extract::Path(key): axum::extract::Path<String>,
) -> Result<&'static str, Denied> {
    Files::authorize(&principal, &key, Access::Write).into_result()?;
    Ok("stored")
}

async fn me(Authenticated(me): Authenticated<Group>) -> String {
    me.sub().unwrap_or_default().to_owned()
}

async fn whoami(principal: Principal<Group>) -> String {
    principal.sub().unwrap_or("guest").to_owned()
}

/// A document only its owner and admins may see, unless shared with
/// every signed-in user.
#[model(
    allow(owner),
    allow(authenticated, to = [read], when = Self::is_shared),
    allow(groups = [ADMINS]),
)]
pub struct Doc {
    pub owner: String,
    pub shared: bool,
    pub title: String,
}

impl Doc {
    fn is_shared(&self) -> bool {
        self.shared
    }
}

/// Document 0 is `user-1`'s, private; 1 is `user-1`'s, shared.
fn doc(id: usize) -> Option<Doc> {
    let owner = "user-1".to_owned();
    match id {
        0 => Some(Doc {
            owner,
            shared: false,
            title: "private".into(),
        }),
        1 => Some(Doc {
            owner,
            shared: true,
            title: "shared".into(),
        }),
        _ => None,
    }
}

/// GET /docs/{id}, hiding what the caller may not read.
async fn get_doc(
    principal: Principal<Group>,
    axum::extract::Path(id): axum::extract::Path<usize>,
) -> Result<String, ApiError> {
    let doc = doc(id).ok_or_else(ApiError::not_found)?;
    doc.authorize_or_hide(&principal, Op::Get)?;
    Ok(doc.title)
}

/// GET /plain/docs/{id}: the same with plain denials, which tell what exists.
async fn get_doc_plain(
    principal: Principal<Group>,
    axum::extract::Path(id): axum::extract::Path<usize>,
) -> Result<String, ApiError> {
    let doc = doc(id).ok_or_else(ApiError::not_found)?;
    doc.authorize_record(&principal, Op::Get).into_result()?;
    Ok(doc.title)
}

/// DELETE /docs/{id}, hiding what the caller may not read.
async fn delete_doc(
    principal: Principal<Group>,
    axum::extract::Path(id): axum::extract::Path<usize>,
) -> Result<&'static str, ApiError> {
    let doc = doc(id).ok_or_else(ApiError::not_found)?;
    doc.authorize_or_hide(&principal, Op::Delete)?;
    Ok("deleted")
}

/// PUT /docs/{id}/title/{title}: `?` on a guard beside a 404 and a 422.
async fn rename_doc(
    principal: Principal<Group>,
    axum::extract::Path((id, title)): axum::extract::Path<(usize, String)>,
) -> Result<String, ApiError> {
    let doc = doc(id).ok_or_else(ApiError::not_found)?;
    doc.authorize_record(&principal, Op::Update).into_result()?;
    if title.len() > 8 {
        return Err(ApiError::unprocessable("a title has at most 8 characters"));
    }
    if title == "taken" {
        return Err(ApiError::response((StatusCode::CONFLICT, "taken")));
    }
    Ok(title)
}

fn app() -> Router {
    // One verifier: the layers and the router's state hold clones of it.
    let verifier = verifier();
    let admin = Router::new()
        .route("/admin", get(whoami))
        .route_layer(require_groups(verifier.clone(), group_set![ADMINS]));
    let editors = Router::new()
        .route("/edit", get(whoami))
        .route_layer(require_model::<Article>(verifier.clone(), Op::Update));
    Router::new()
        .route("/article", get(read_article).delete(delete_article))
        .route("/files/{*key}", axum::routing::put(put_file))
        .route("/me", get(me))
        .route("/docs/{id}", get(get_doc).delete(delete_doc))
        .route("/plain/docs/{id}", get(get_doc_plain))
        .route("/docs/{id}/title/{title}", axum::routing::put(rename_doc))
        .merge(admin)
        .merge(editors)
        .with_state(verifier)
}

/// The status, the `WWW-Authenticate` header and the body of a request.
async fn call(
    method: &str,
    uri: &str,
    authorization: Option<&str>,
) -> (StatusCode, String, String) {
    call_with(method, uri, authorization.as_slice()).await
}

/// As [`call`], with one `Authorization` header per value.
async fn call_with(
    method: &str,
    uri: &str,
    authorization: &[&str],
) -> (StatusCode, String, String) {
    let mut request = Request::builder().method(method).uri(uri);
    for value in authorization {
        request = request.header(header::AUTHORIZATION, *value);
    }
    let response = app()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let challenge = response
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap();
    (status, challenge, String::from_utf8(body.to_vec()).unwrap())
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn error_of(body: &str) -> String {
    let value: Value = serde_json::from_str(body).expect("a JSON body");
    value["error"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn no_authorization_is_a_guest() {
    let (status, _, body) = call("GET", "/article", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "an article"));
    // A guard that denies a guest answers 401 with a bare challenge.
    let (status, challenge, body) = call("DELETE", "/article", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(challenge, "Bearer realm=\"api\"");
    assert_eq!(error_of(&body), "unauthorized");
}

#[tokio::test]
async fn an_authorization_that_is_not_bearer_is_400() {
    for value in [
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        "Bearer a b",
        "token abc",
        // No AWS service checked a signature before an axum route.
        "AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/lambda/aws4_request, Signature=x",
    ] {
        let (status, challenge, body) = call("GET", "/article", Some(value)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{value:?}");
        assert_eq!(challenge, "Bearer error=\"invalid_request\"");
        assert_eq!(error_of(&body), "invalid_request");
    }
    // The scheme is case-insensitive.
    let (status, _, _) = call(
        "GET",
        "/article",
        Some(&format!("bearer {}", token(json!({})))),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_refused_token_is_401_invalid_token_without_details() {
    let expired = token(json!({"exp": 1_000_000}));
    let other_client = token(json!({"aud": "someone-else"}));
    let cases = [
        ("garbage.token.here".to_owned(), "the token is malformed"),
        (expired, "the token has expired"),
        (
            other_client.clone(),
            "the token was issued for another client",
        ),
    ];
    for (token, description) in cases {
        let (status, challenge, body) = call("GET", "/article", Some(&bearer(&token))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            challenge,
            format!(
                "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"{description}\""
            )
        );
        let value: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            value,
            json!({"error": "invalid_token", "message": description})
        );
        // Neither the configuration nor the token reaches the client.
        for secret in [ISSUER, CLIENT, "someone-else", token.as_str()] {
            assert!(
                !body.contains(secret) && !challenge.contains(secret),
                "{secret}"
            );
        }
    }
}

/// RFC 6750 allows one method and one token per request: a repeated
/// `Authorization` header is refused whatever its values, rather than one
/// of them being read (the first used to be: an admin bearer followed by
/// anything was admitted as admin).
#[tokio::test]
async fn a_repeated_authorization_header_is_400() {
    let admin = bearer(&token(json!({"cognito:groups": ["ADMINS"]})));
    let user = bearer(&token(json!({})));
    for values in [
        [admin.as_str(), "Basic x"],
        [admin.as_str(), user.as_str()],
        [user.as_str(), admin.as_str()],
        [admin.as_str(), admin.as_str()],
    ] {
        let (status, challenge, body) = call_with("DELETE", "/article", &values).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{values:?}");
        assert_eq!(challenge, "Bearer error=\"invalid_request\"");
        assert_eq!(error_of(&body), "invalid_request");
    }
    // Through a route layer too.
    let (status, _, _) = call_with("GET", "/admin", &[admin.as_str(), "Basic x"]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // One header is read as before.
    let (status, _, _) = call_with("DELETE", "/article", &[admin.as_str()]).await;
    assert_eq!(status, StatusCode::OK);
}

/// The log lines of refused requests keep what came from the token inside
/// their field: an `iss` written to forge fields and a line parses into
/// the fields the integration writes, and nothing more.
#[test]
fn a_forged_claim_stays_inside_its_log_field() {
    let forged = "https://evil\" status=200 error=\"none\nINFO groupguard::axum: allowed";
    let token = bearer(&token(json!({"iss": forged})));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let lines = log_lines::lines("groupguard::axum", || {
        let (status, _, _) = runtime.block_on(call("GET", "/article", Some(&token)));
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let guest = runtime.block_on(call("DELETE", "/article", None));
        assert_eq!(guest.0, StatusCode::UNAUTHORIZED);
    });
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert_eq!(log_lines::names(&lines[0]), ["error"], "{}", lines[0]);
    let error = log_lines::field(&lines[0], "error").unwrap_or_default();
    assert!(error.contains(r#"https://evil\" status=200"#), "{error}");
    assert_eq!(log_lines::names(&lines[1]), ["denied"], "{}", lines[1]);
    // The verifier's own line, likewise.
    let verify = log_lines::lines("groupguard::verify", || {
        let _ = runtime.block_on(call("GET", "/article", Some(&token)));
    });
    assert_eq!(verify.len(), 1, "{verify:#?}");
    assert_eq!(log_lines::names(&verify[0]), ["error"], "{}", verify[0]);
}

#[tokio::test]
async fn a_guard_denial_of_a_signed_in_principal_is_403() {
    let editor = bearer(&token(json!({"cognito:groups": ["EDITORS"]})));
    let (status, challenge, body) = call("DELETE", "/article", Some(&editor)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(challenge, "Bearer error=\"insufficient_scope\"");
    assert_eq!(error_of(&body), "insufficient_scope");
    // Which rule or reason denied is not told.
    assert!(
        !body.contains("Article") && !body.contains("rule"),
        "{body}"
    );
    let admin = bearer(&token(json!({"cognito:groups": ["ADMINS"]})));
    let (status, _, body) = call("DELETE", "/article", Some(&admin)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "deleted"));
}

#[tokio::test]
async fn storage_denials() {
    let user = bearer(&token(json!({})));
    let (status, _, _) = call("PUT", "/files/public/a.txt", Some(&user)).await;
    assert_eq!(status, StatusCode::OK);
    // An invalid key is the client's mistake: 400 (the router decodes
    // `%2F`, so this key is `public/../drafts/x`).
    for uri in ["/files/public//x", "/files/public/..%2Fdrafts/x"] {
        let (status, challenge, body) = call("PUT", uri, Some(&user)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(challenge, "Bearer error=\"invalid_request\"");
        assert_eq!(error_of(&body), "invalid_request");
    }
    // A key no path covers is 403 like any other denial: no 404 that
    // would tell which paths exist.
    let (status, _, body) = call("PUT", "/files/secret/x", Some(&user)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!body.contains("path"), "{body}");
    let (status, _, _) = call("PUT", "/files/drafts/x", Some(&user)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A guest is asked to sign in.
    let (status, _, _) = call("PUT", "/files/drafts/x", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn no_usable_keys_is_503_without_a_challenge() {
    let response = axum::response::IntoResponse::into_response(AuthError::InvalidToken(
        VerifyError::NoUsableKeys {
            reason: "https://issuer.test/.well-known/jwks.json: connection refused".to_owned(),
            retry_after: std::time::Duration::from_secs(7),
        },
    ));
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().get(header::WWW_AUTHENTICATE).is_none());
    assert_eq!(response.headers()[header::RETRY_AFTER], "7");
    let body = axum::body::to_bytes(response.into_body(), 1024)
        .await
        .unwrap();
    let body = String::from_utf8(body.to_vec()).unwrap();
    assert_eq!(error_of(&body), "temporarily_unavailable");
    assert!(!body.contains("issuer.test"), "{body}");
}

#[tokio::test]
async fn the_authenticated_extractor_refuses_guests() {
    let (status, challenge, _) = call("GET", "/me", None).await;
    assert_eq!(
        (status, challenge.as_str()),
        (StatusCode::UNAUTHORIZED, "Bearer realm=\"api\"")
    );
    let (status, _, body) = call("GET", "/me", Some(&bearer(&token(json!({}))))).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "user-1"));
}

#[tokio::test]
async fn a_group_layer_admits_only_its_groups() {
    let (status, _, _) = call("GET", "/admin", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let editor = bearer(&token(json!({"cognito:groups": ["EDITORS"]})));
    let (status, challenge, _) = call("GET", "/admin", Some(&editor)).await;
    assert_eq!(
        (status, challenge.as_str()),
        (StatusCode::FORBIDDEN, "Bearer error=\"insufficient_scope\"")
    );
    let admin = bearer(&token(json!({"sub": "root", "cognito:groups": ["ADMINS"]})));
    // The route's extractor reads the principal the layer verified.
    let (status, _, body) = call("GET", "/admin", Some(&admin)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "root"));
    let (status, _, _) = call("GET", "/admin", Some("Bearer not-a-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// A route layer hands its principal on only to extractors whose verifier
/// is the layer's (or a clone): a handler with a stricter verifier (here,
/// another app client) verifies the token itself, and refuses it.
#[tokio::test]
async fn a_layers_principal_is_not_reused_by_a_stricter_verifier() {
    let strict = Verifier::hs256(SECRET)
        .issuer(ISSUER)
        .audience("another-client")
        .build()
        .expect("complete configuration");
    let lenient = verifier();
    let routes = |layer: Verifier<Group>| {
        Router::new()
            .route("/admin", get(whoami))
            .route_layer(require_groups(layer, group_set![ADMINS]))
            .with_state(strict.clone())
    };
    let status = |app: Router, claims: Value| {
        let request = Request::builder()
            .uri("/admin")
            .header(header::AUTHORIZATION, bearer(&token(claims)))
            .body(Body::empty())
            .unwrap();
        async move { app.oneshot(request).await.unwrap().status() }
    };
    let admin = json!({"sub": "root", "cognito:groups": ["ADMINS"]});
    // Without the layer, the handler's verifier refuses the token...
    let bare = Router::new()
        .route("/admin", get(whoami))
        .with_state(strict.clone());
    assert_eq!(status(bare, admin.clone()).await, StatusCode::UNAUTHORIZED);
    // ...and with a lenient layer in front, it still does.
    assert_eq!(
        status(routes(lenient), admin).await,
        StatusCode::UNAUTHORIZED
    );
    // A layer with the handler's own verifier (a clone) admits a token for
    // that client, and the handler takes its principal.
    let admin_of_the_other_client =
        json!({"aud": "another-client", "sub": "root", "cognito:groups": ["ADMINS"]});
    assert_eq!(
        status(routes(strict.clone()), admin_of_the_other_client).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_model_layer_admits_whom_the_model_allows() {
    let (status, _, _) = call("GET", "/edit", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let user = bearer(&token(json!({})));
    let (status, _, _) = call("GET", "/edit", Some(&user)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let editor = bearer(&token(json!({"sub": "ed", "cognito:groups": ["EDITORS"]})));
    let (status, _, body) = call("GET", "/edit", Some(&editor)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ed"));
}

/// The same table over a real socket: a server on 127.0.0.1, raw HTTP/1.1.
#[tokio::test]
async fn over_a_real_socket() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app()).await });
    let admin = token(json!({"cognito:groups": ["ADMINS"]}));
    let cases = [
        (
            "DELETE /article HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
            "401",
            Some("WWW-Authenticate: Bearer realm=\"api\""),
        ),
        (
            "GET /article HTTP/1.1\r\nHost: x\r\nAuthorization: Basic eA==\r\nConnection: close\r\n\r\n"
                .to_owned(),
            "400",
            Some("error=\"invalid_request\""),
        ),
        (
            format!(
                "DELETE /article HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {admin}\r\nConnection: close\r\n\r\n"
            ),
            "200",
            None,
        ),
    ];
    for (request, status, header) in cases {
        let mut stream = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            tokio::net::TcpStream::connect(address),
        )
        .await
        .unwrap()
        .unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(5),
            stream.read_to_string(&mut response),
        )
        .await
        .unwrap()
        .unwrap();
        assert!(
            response.starts_with(&format!("HTTP/1.1 {status}")),
            "{response}"
        );
        if let Some(header) = header {
            assert!(
                response
                    .to_ascii_lowercase()
                    .contains(&header.to_ascii_lowercase()),
                "{response}"
            );
        }
    }
    server.abort();
}

/// The 503 row through a router: the verifier's key set lives at an issuer
/// that answers 500, and no key was ever fetched; once it recovers, the
/// same request is served.
#[tokio::test]
async fn a_key_set_that_cannot_be_fetched_is_503_through_the_router() {
    use groupguard::TokenUse;
    use groupguard::test_issuer::JwksServer;

    let server = JwksServer::start().unwrap();
    server.fail_with(500);
    let verifier = server
        .verifier::<Group>(TokenUse::Access)
        .build()
        .expect("building never fetches");
    let app = Router::new()
        .route("/article", get(read_article))
        .with_state(verifier);
    let token = server.issuer().access_token().groups(["ADMINS"]).sign();
    let request = || {
        Request::builder()
            .uri("/article")
            .header(header::AUTHORIZATION, bearer(&token))
            .body(Body::empty())
            .unwrap()
    };
    let response = app.clone().oneshot(request()).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().get(header::WWW_AUTHENTICATE).is_none());
    // When the default cool-down of 10 s (on the system clock) ends.
    let retry_after: u64 = response.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .expect("delay-seconds");
    assert!(
        (1..=10).contains(&retry_after),
        "Retry-After: {retry_after}"
    );
    let body = axum::body::to_bytes(response.into_body(), 1024)
        .await
        .unwrap();
    let body = String::from_utf8(body.to_vec()).unwrap();
    assert_eq!(error_of(&body), "temporarily_unavailable");
    assert!(!body.contains("127.0.0.1"), "{body}");
    // The issuer recovers; `hydrate` fetches at once (it ignores the
    // cool-down that the failed fetch started).
    server.reset();
    let verifier = server.verifier::<Group>(TokenUse::Access).build().unwrap();
    verifier.hydrate().await.unwrap();
    let app = Router::new()
        .route("/article", get(read_article))
        .with_state(verifier);
    let response = app.oneshot(request()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

/// The 503's `Retry-After` counts down the configured cool-down (on a
/// manual clock, exactly), whatever the request says.
#[tokio::test]
async fn the_503_says_when_to_retry_from_the_configured_cooldown() {
    use std::sync::Arc;
    use std::time::Duration;

    use groupguard::TokenUse;
    use groupguard::test_issuer::{JwksServer, ManualClock};

    let server = JwksServer::start().unwrap();
    server.fail_with(500);
    let clock = Arc::new(ManualClock::new());
    let verifier = server
        .verifier::<Group>(TokenUse::Access)
        .jwks_cooldown(Duration::from_secs(42))
        .jwks_clock(clock.clone())
        .build()
        .unwrap();
    let app = Router::new()
        .route("/article", get(read_article))
        .with_state(verifier);
    let token = server.issuer().access_token().groups(["ADMINS"]).sign();
    let retry_after = async || {
        let request = Request::builder()
            .uri("/article")
            .header(header::AUTHORIZATION, bearer(&token))
            // A client's own say is not heard.
            .header(header::RETRY_AFTER, "0")
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        response.headers()[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(retry_after().await, "42");
    clock.advance(Duration::from_millis(40_500));
    assert_eq!(retry_after().await, "2");
    assert_eq!(server.requests(), 1, "refused at once, in the cool-down");
}

/// The whole response: status, headers and body.
async fn respond(
    method: &str,
    uri: &str,
    authorization: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    let response = app()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, 64 * 1024).await.unwrap();
    (parts.status, parts.headers, body.to_vec())
}

#[tokio::test]
async fn api_errors_mix_a_guards_denial_with_404_422_and_the_services_own() {
    let owner = bearer(&token(json!({"sub": "user-1"})));
    let other = bearer(&token(json!({"sub": "user-2"})));
    let (status, _, body) = call("PUT", "/docs/0/title/new", Some(&owner)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "new"));
    // 404: no such document.
    let (status, challenge, body) = call("PUT", "/docs/9/title/new", Some(&owner)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(challenge, "");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"error": "not_found", "message": "no such record"})
    );
    // 422 with the service's message, in the same body format.
    let (status, _, body) = call("PUT", "/docs/0/title/much-too-long", Some(&owner)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"error": "unprocessable_content", "message": "a title has at most 8 characters"})
    );
    // The service's own response, as it is.
    let (status, _, body) = call("PUT", "/docs/0/title/taken", Some(&owner)).await;
    assert_eq!((status, body.as_str()), (StatusCode::CONFLICT, "taken"));
    // `?` on a guard: the denial's own answers (403, 401 with a challenge).
    let (status, challenge, _) = call("PUT", "/docs/1/title/new", Some(&other)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(challenge, "Bearer error=\"insufficient_scope\"");
    let (status, challenge, _) = call("PUT", "/docs/1/title/new", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(challenge, "Bearer realm=\"api\"");
    // And a refused token, through `From<AuthError>`.
    let error = ApiError::from(AuthError::SignInRequired);
    assert_eq!(error.to_string(), "sign-in required");
    let response = axum::response::IntoResponse::into_response(error);
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_record_the_caller_may_not_read_is_the_same_404_as_a_missing_one() {
    let owner = bearer(&token(json!({"sub": "user-1"})));
    let other = bearer(&token(json!({"sub": "user-2"})));
    for caller in [None, Some(other.as_str())] {
        for method in ["GET", "DELETE"] {
            let missing = respond(method, "/docs/9", caller).await;
            let hidden = respond(method, "/docs/0", caller).await;
            assert_eq!(missing.0, StatusCode::NOT_FOUND);
            // Status, headers and body: nothing tells the two apart.
            assert_eq!(hidden, missing, "{method} by {caller:?}");
        }
    }
    // Plain denials tell: 401 and 403 for the existing document, 404 for
    // the missing one (the trap the hiding avoids).
    assert_eq!(
        call("GET", "/plain/docs/0", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call("GET", "/plain/docs/0", Some(&other)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call("GET", "/plain/docs/9", None).await.0,
        StatusCode::NOT_FOUND
    );
    // A record the caller may read but not delete: the denial, not hidden.
    let (status, challenge, _) = call("DELETE", "/docs/1", Some(&other)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(challenge, "Bearer error=\"insufficient_scope\"");
    assert_eq!(call("GET", "/docs/1", Some(&other)).await.0, StatusCode::OK);
    // The owner sees and deletes.
    assert_eq!(call("GET", "/docs/0", Some(&owner)).await.0, StatusCode::OK);
    assert_eq!(
        call("DELETE", "/docs/0", Some(&owner)).await.0,
        StatusCode::OK
    );
    // A hidden denial still names the denial for logs and tests.
    let hidden = doc(0)
        .unwrap()
        .authorize_or_hide(&Principal::authenticated("user-2"), Op::Get)
        .unwrap_err();
    assert_eq!(
        hidden.denied().map(ToString::to_string).as_deref(),
        Some("`get` on `Doc` denied: the record does not satisfy `Self::is_shared`")
    );
}

#[tokio::test]
async fn a_422_message_that_holds_request_text_is_escaped() {
    // A service that echoes what it refused, quotes, newline, markup and all.
    let text = "\"}, \"error\": \"ok\"\n<script>alert(1)</script>\u{202e}";
    let error = ApiError::unprocessable(format!("not a title: {text}"));
    // The log's view: one quoted field, no raw newline or quote.
    let shown = error.to_string();
    assert_eq!(
        shown,
        r#"unprocessable: "not a title: \"}, \"error\": \"ok\"\n<script>alert(1)</script>\u{202e}""#
    );
    // The client's: a JSON body whose message is the text, and nothing else.
    let response = axum::response::IntoResponse::into_response(error);
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        response.headers().get(header::CONTENT_TYPE).unwrap(),
        "application/json"
    );
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap(),
        json!({"error": "unprocessable_content", "message": format!("not a title: {text}")})
    );
}
