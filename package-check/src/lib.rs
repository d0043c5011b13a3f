// src/lib.rs
use axum::{extract::Path, routing::get, Router};
use groupguard::{groups, model, storage};
use groupguard::{Access, ConfigError, Denied, Op, Principal, TokenUse, Verifier};

#[groups]
pub enum Group { ADMINS, EDITORS }

// "Anyone" is two rules: in Amplify a guest rule does not admit signed-in users.
#[model(
    allow(guest, to = [read]),
    allow(authenticated, to = [read]),
    allow(groups = [EDITORS], to = [update]),
    allow(groups = [ADMINS]),
)]
pub struct Post;

storage! {
    pub Files {
        "drafts/*" => groups(EDITORS): [read, write],
        "drafts/*" => groups(ADMINS): [read, write, delete],
    }
}

// Without an `Authorization` header the principal is a guest; a bad token is a 401.
async fn read_post(principal: Principal<Group>) -> Result<&'static str, Denied> {
    Post::authorize(&principal, Op::Read).into_result()?; // 401 for a guest, 403 otherwise
    Ok("a post")
}

async fn update_post(principal: Principal<Group>) -> Result<&'static str, Denied> {
    Post::authorize(&principal, Op::Update).into_result()?;
    Ok("updated")
}

async fn read_file(principal: Principal<Group>, Path(key): Path<String>) -> Result<String, Denied> {
    Files::authorize(&principal, &key, Access::Get).into_result()?;
    Ok(format!("the contents of {key}"))
}

/// Cognito access tokens of one app client; the pool's keys are fetched on
/// first use and kept fresh.
pub fn verifier() -> Result<Verifier<Group>, ConfigError> {
    Verifier::cognito("us-east-1_AbC123")?
        .client_id("7abcd1234client")
        .token_use(TokenUse::Access)
        .fetch_jwks()
        .build()
}

pub fn app(verifier: Verifier<Group>) -> Router {
    Router::new()
        .route("/posts/1", get(read_post).put(update_post))
        .route("/files/{*key}", get(read_file))
        .with_state(verifier)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use groupguard::test_issuer::TestIssuer;
    use tower::ServiceExt; // `oneshot`

    async fn status(app: &Router, method: &str, uri: &str, token: Option<&str>) -> StatusCode {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        response.status()
    }

    #[tokio::test]
    async fn editors_update_posts_and_read_drafts() {
        let issuer = TestIssuer::new(); // its verifier accepts its tokens
        let app = app(issuer.verifier(TokenUse::Access).build().unwrap());
        let editor = issuer.access_token().groups([Group::EDITORS]).sign();
        let user = issuer.access_token().sign();
        let expired = issuer.access_token().groups([Group::EDITORS]).expired().sign();

        assert_eq!(status(&app, "GET", "/posts/1", None).await, StatusCode::OK);
        assert_eq!(status(&app, "PUT", "/posts/1", None).await, StatusCode::UNAUTHORIZED);
        assert_eq!(status(&app, "PUT", "/posts/1", Some(&user)).await, StatusCode::FORBIDDEN);
        assert_eq!(status(&app, "PUT", "/posts/1", Some(&editor)).await, StatusCode::OK);
        assert_eq!(status(&app, "PUT", "/posts/1", Some(&expired)).await, StatusCode::UNAUTHORIZED);
        assert_eq!(status(&app, "GET", "/files/drafts/a.md", Some(&editor)).await, StatusCode::OK);
        assert_eq!(status(&app, "GET", "/files/drafts/a.md", Some(&user)).await, StatusCode::FORBIDDEN);
    }
}
