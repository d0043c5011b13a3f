//! The HTTP answers of the web integrations (`axum`, `lambda`): one table of
//! statuses, `WWW-Authenticate` challenges (RFC 6750) and bodies, so that
//! both integrations answer a refusal alike. Pure values; each integration
//! turns them into its framework's response.

#[cfg(feature = "axum")]
use axum::http;
#[cfg(all(feature = "lambda", not(feature = "axum")))]
use lambda_http::http;

use http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use http::{HeaderValue, StatusCode};

use crate::decision::{Denied, DenyReason};

/// The realm named in `WWW-Authenticate` challenges.
pub(crate) const REALM: &str = "api";

/// One refusal as HTTP: status, challenge and the `{"error", "message"}`
/// body's two fixed texts.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Challenge {
    /// The status code.
    pub(crate) status: u16,
    /// The `WWW-Authenticate` value, if any.
    pub(crate) www_authenticate: Option<String>,
    /// The body's `error`.
    pub(crate) error: &'static str,
    /// The body's `message`: a fixed text, never a value from the request.
    pub(crate) message: &'static str,
}

impl Challenge {
    /// 401 for a guest where a signed-in principal is required.
    pub(crate) fn sign_in() -> Self {
        Self {
            status: 401,
            www_authenticate: Some(format!("Bearer realm=\"{REALM}\"")),
            error: "unauthorized",
            message: "sign in to do this",
        }
    }

    /// 403 for an authenticated principal the guard denied.
    pub(crate) fn insufficient_scope() -> Self {
        Self {
            status: 403,
            www_authenticate: Some("Bearer error=\"insufficient_scope\"".to_owned()),
            error: "insufficient_scope",
            message: "you may not do this",
        }
    }

    /// 400 for a malformed request (an `Authorization` header that is not
    /// `Bearer <token>`, an invalid storage key).
    pub(crate) fn invalid_request(message: &'static str) -> Self {
        Self {
            status: 400,
            www_authenticate: Some("Bearer error=\"invalid_request\"".to_owned()),
            error: "invalid_request",
            message,
        }
    }

    /// 401 for a refused token; `description` is a fixed, client-safe text.
    pub(crate) fn invalid_token(description: &'static str) -> Self {
        Self {
            status: 401,
            www_authenticate: Some(format!(
                "Bearer realm=\"{REALM}\", error=\"invalid_token\", error_description=\"{description}\""
            )),
            error: "invalid_token",
            message: description,
        }
    }

    /// 503 when tokens cannot be verified now (no usable keys).
    pub(crate) fn unavailable(description: &'static str) -> Self {
        Self {
            status: 503,
            www_authenticate: None,
            error: "temporarily_unavailable",
            message: description,
        }
    }

    /// A guard's denial: 400 for an invalid storage key, 401 for a guest,
    /// else 403 (a key that no path covers included: a 404 would tell which
    /// paths exist).
    pub(crate) fn of_denied(denied: &Denied) -> Self {
        match denied.reason() {
            DenyReason::InvalidKey(_) => Self::invalid_request("the object key is not valid"),
            _ if denied.is_guest() => Self::sign_in(),
            _ => Self::insufficient_scope(),
        }
    }

    /// The JSON body.
    pub(crate) fn body(&self) -> String {
        serde_json::json!({ "error": self.error, "message": self.message }).to_string()
    }

    /// The response, with a JSON body and the challenge header; each
    /// integration maps the body to its own type (`http` 1.x is the same
    /// crate under axum and `lambda_http`).
    pub(crate) fn into_response(self) -> http::Response<String> {
        let mut response = http::Response::new(self.body());
        *response.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(value) = self
            .www_authenticate
            .and_then(|v| HeaderValue::from_str(&v).ok())
        {
            headers.insert(WWW_AUTHENTICATE, value);
        }
        response
    }
}
