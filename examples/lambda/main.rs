//! The bulletin's delete-post handler as an AWS Lambda function: "only
//! ADMINS users are permitted to delete posts", behind API Gateway (a REST
//! API with a Cognito authorizer, or an HTTP API with a JWT authorizer), a
//! function URL or an ALB.
//!
//! ```text
//! cargo lambda build --release --example lambda
//! cargo lambda deploy --binary-name lambda --env-var COGNITO_POOL_ID=us-east-1_AbC123 \
//!     --env-var COGNITO_CLIENT_ID=49f1foekljhlqn185fme63hi0s --env-var TOKEN_USE=id
//! ```
//!
//! - `COGNITO_POOL_ID`, `COGNITO_CLIENT_ID`: the user pool and the app client
//!   whose tokens are accepted. The authorizer accepts the tokens of every
//!   client of the pool; this function accepts only this one's.
//! - `TOKEN_USE`: `id` (a REST API's Cognito authorizer without OAuth
//!   scopes takes the ID token) or `access` (the default: HTTP APIs, scoped
//!   routes, ALB).
//!
//! The rules are the bulletin's (`bulletin/auth.rs`). The posts are kept in
//! memory, per function instance, to keep the example about authorization;
//! a real function keeps them in a database. Its tests invoke the
//! handler on the fixture events of `tests/tests/fixtures/lambda/`: no AWS
//! needed.

#[path = "../bulletin/auth.rs"]
#[expect(
    dead_code,
    reason = "the bulletin's rules file, shared whole: this function deletes posts only"
)]
mod auth;

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use groupguard::lambda::{LambdaAuth, LambdaError, Refusal};
use groupguard::{Denied, Op, Principal, TokenUse, Verifier};
use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, RequestExt as _, Response, service_fn};

use crate::auth::{Group, Post};

/// What the function keeps between invocations of one instance.
struct App {
    auth: LambdaAuth<Group>,
    posts: Mutex<BTreeMap<i64, Post>>,
}

/// Why a request was not served.
enum ApiError {
    /// The identity was refused or the guard denied (401, 403, 400, 503).
    Refused(Refusal),
    /// No post with that id (404).
    NotFound,
    /// The path's `id` is not a number (400).
    BadId,
}

impl From<LambdaError> for ApiError {
    fn from(error: LambdaError) -> Self {
        ApiError::Refused(error.into())
    }
}

impl From<Denied> for ApiError {
    fn from(denied: Denied) -> Self {
        ApiError::Refused(denied.into())
    }
}

impl ApiError {
    fn into_response(self) -> Response<Body> {
        let (status, message) = match self {
            ApiError::Refused(refusal) => return refusal.into_response(),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "no such post"),
            ApiError::BadId => (StatusCode::BAD_REQUEST, "the post id is not a number"),
        };
        let body = serde_json::json!({ "error": "request", "message": message }).to_string();
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = status;
        response
    }
}

/// `DELETE /posts/{id}`: the bulletin's `delete_post`.
fn delete_post(app: &App, request: &Request) -> Result<Response<Body>, ApiError> {
    let principal = Principal::from_lambda(request, &app.auth)?;
    let id: i64 = request
        .path_parameters_ref()
        .and_then(|parameters| parameters.first("id"))
        .and_then(|id| id.parse().ok())
        .ok_or(ApiError::BadId)?;
    let mut posts = app.posts.lock().unwrap_or_else(PoisonError::into_inner);
    let post = posts.get(&id).ok_or(ApiError::NotFound)?;
    post.authorize_record(&principal, Op::Delete)
        .into_result()?;
    posts.remove(&id);
    let mut response = Response::new(Body::Empty);
    *response.status_mut() = StatusCode::NO_CONTENT;
    Ok(response)
}

/// The function: every refusal is an HTTP answer, never a failed invocation.
fn handle(app: &App, request: &Request) -> Response<Body> {
    delete_post(app, request).unwrap_or_else(ApiError::into_response)
}

/// The configuration, from the function's environment.
fn auth_from_env() -> Result<LambdaAuth<Group>, lambda_http::Error> {
    let variable = |name: &str| {
        std::env::var(name).map_err(|_| format!("set the environment variable {name}"))
    };
    let token_use = match std::env::var("TOKEN_USE").as_deref() {
        Ok("id") => TokenUse::Id,
        Ok("access") | Err(_) => TokenUse::Access,
        Ok(_) => return Err("TOKEN_USE is `id` or `access`".into()),
    };
    Ok(LambdaAuth::authorizers_only(
        Verifier::cognito(&variable("COGNITO_POOL_ID")?)?
            .client_id(variable("COGNITO_CLIENT_ID")?)
            .token_use(token_use),
    )?)
}

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let app = App {
        auth: auth_from_env()?,
        posts: Mutex::new(BTreeMap::new()),
    };
    let app = &app;
    lambda_http::run(service_fn(move |request: Request| async move {
        Ok::<_, lambda_http::Error>(handle(app, &request))
    }))
    .await
}

#[cfg(test)]
mod tests {
    use groupguard::test_issuer::{DEFAULT_CLIENT_ID, DEFAULT_POOL_ID};
    use serde_json::{Value, json};

    use super::*;
    use crate::auth::Status;

    const REST: &str =
        include_str!("../../tests/tests/fixtures/lambda/rest-cognito-authorizer.json");
    const HTTP: &str = include_str!("../../tests/tests/fixtures/lambda/http-api-jwt-v2.json");
    const URL: &str = include_str!("../../tests/tests/fixtures/lambda/function-url.json");

    /// The function as deployed for the test pool, with post 1.
    fn app(token_use: TokenUse) -> App {
        let post = Post {
            id: 1,
            owner: "someone-else".to_owned(),
            title: "Launch".to_owned(),
            body: "Soon.".to_owned(),
            status: Status::Published,
        };
        App {
            auth: LambdaAuth::authorizers_only(
                Verifier::cognito(DEFAULT_POOL_ID)
                    .unwrap()
                    .client_id(DEFAULT_CLIENT_ID)
                    .token_use(token_use),
            )
            .unwrap(),
            posts: Mutex::new(BTreeMap::from([(1, post)])),
        }
    }

    /// The fixture event with its claims edited.
    fn event(fixture: &str, edit: impl FnOnce(&mut Value)) -> Request {
        let mut event: Value = serde_json::from_str(fixture).unwrap();
        edit(&mut event);
        lambda_http::request::from_str(&event.to_string()).unwrap()
    }

    fn has_post(app: &App) -> bool {
        app.posts.lock().unwrap().contains_key(&1)
    }

    #[test]
    fn an_admin_deletes_behind_a_rest_cognito_authorizer() {
        let app = app(TokenUse::Id);
        // The fixture's claims: `cognito:groups` is `"ADMINS,EDITORS"`.
        let response = handle(&app, &event(REST, |_| {}));
        assert_eq!(response.status(), 204);
        assert!(!has_post(&app));
        // Deleted already.
        assert_eq!(handle(&app, &event(REST, |_| {})).status(), 404);
    }

    #[test]
    fn an_editor_may_not_delete() {
        let app = app(TokenUse::Id);
        let editor = event(REST, |e| {
            e["requestContext"]["authorizer"]["claims"]["cognito:groups"] = json!("EDITORS");
        });
        let response = handle(&app, &editor);
        assert_eq!(response.status(), 403);
        assert!(has_post(&app));
    }

    #[test]
    fn http_api_brackets_and_other_clients() {
        let app = app(TokenUse::Access);
        let other_client = event(HTTP, |e| {
            e["requestContext"]["authorizer"]["jwt"]["claims"]["client_id"] = json!("other-client");
        });
        assert_eq!(handle(&app, &other_client).status(), 401);
        let hostile = event(HTTP, |e| {
            e["requestContext"]["authorizer"]["jwt"]["claims"]["cognito:groups"] =
                json!("[ADMINS] EDITORS");
        });
        assert_eq!(handle(&app, &hostile).status(), 401);
        assert!(has_post(&app));
        // The fixture as captured: `"[ADMINS EDITORS]"`.
        assert_eq!(handle(&app, &event(HTTP, |_| {})).status(), 204);
        assert!(!has_post(&app));
    }

    #[test]
    fn guests_and_id_tokens_where_access_is_required_are_refused() {
        let app = app(TokenUse::Access);
        let guest = event(URL, |e| {
            e["headers"]
                .as_object_mut()
                .unwrap()
                .remove("authorization");
            e["pathParameters"] = json!({ "id": "1" });
        });
        let response = handle(&app, &guest);
        assert_eq!(response.status(), 401);
        assert_eq!(
            response.headers()["www-authenticate"],
            r#"Bearer realm="api""#
        );
        // The REST fixture carries an ID token's claims.
        assert_eq!(handle(&app, &event(REST, |_| {})).status(), 401);
        assert!(has_post(&app));
    }
}
