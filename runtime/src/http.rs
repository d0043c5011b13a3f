//! The HTTP edge of the web integrations (`axum`, `lambda`), on the `http`
//! 1.x crate both share: how the `Authorization` header is read
//! ([`credentials`], the one bearer parser), and the answers to a refusal
//! ([`Challenge`]: statuses, `WWW-Authenticate` challenges per RFC 6750 and
//! bodies, written once). Pure values; each integration maps them to its
//! framework's types, so another framework (actix-web, a plain tower
//! service) is one more file of mapping.
//!
//!
#![doc = include_str!("http_responses.md")]

use core::time::Duration;
use std::borrow::Cow;

use ::http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, RETRY_AFTER, WWW_AUTHENTICATE};
use ::http::{HeaderValue, Response, StatusCode};

use crate::decision::{Denied, DenyReason};

/// What a request's `Authorization` header says.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Credentials<'h> {
    /// No `Authorization` header.
    None,
    /// `Bearer <token>`: the token, one b64token (RFC 6750, 2.1).
    Bearer(&'h str),
    /// An AWS Signature Version 4 (`AWS4-HMAC-SHA256 Credential=...`),
    /// which AWS checks before a function URL with `AWS_IAM` auth invokes
    /// the function: an IAM caller, not a user-pool user. Each integration
    /// decides what it is (a guest for Lambda, a malformed request for axum).
    SigV4,
}

/// Why the `Authorization` header cannot be read: every case is RFC 6750's
/// `invalid_request` (400).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum HeaderError {
    /// The header appears more than once: RFC 6750 allows one method and
    /// one token per request, and two readers of a repeated header may not
    /// take the same one.
    Repeated,
    /// The value is not visible ASCII text.
    NotText,
    /// Not `<scheme> <credentials>`, not Bearer, or not one token.
    Malformed,
}

/// The one value of the header `name`: `None` without it; refused when
/// repeated or not text.
pub(crate) fn single<'h>(
    headers: &'h HeaderMap,
    name: &str,
) -> Result<Option<&'h str>, HeaderError> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(HeaderError::Repeated);
    }
    value.to_str().map(Some).map_err(|_| HeaderError::NotText)
}

/// A token's text: not empty, no space (one b64token).
pub(crate) fn is_bare_token(token: &str) -> bool {
    !token.is_empty() && !token.contains(' ')
}

/// The credentials of a request: exactly one `Authorization` value, its
/// scheme case-insensitive (RFC 7235, 2.1), one token after it.
pub(crate) fn credentials(headers: &HeaderMap) -> Result<Credentials<'_>, HeaderError> {
    let Some(value) = single(headers, AUTHORIZATION.as_str())? else {
        return Ok(Credentials::None);
    };
    let (scheme, token) = value.split_once(' ').ok_or(HeaderError::Malformed)?;
    if scheme == "AWS4-HMAC-SHA256" {
        return Ok(Credentials::SigV4);
    }
    let token = token.trim_start_matches(' ');
    if !scheme.eq_ignore_ascii_case("bearer") || !is_bare_token(token) {
        return Err(HeaderError::Malformed);
    }
    Ok(Credentials::Bearer(token))
}

/// The realm named in `WWW-Authenticate` challenges.
pub(crate) const REALM: &str = "api";

/// One refusal as HTTP: status, challenge, `Retry-After` and the
/// `{"error", "message"}` body's two fixed texts.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Challenge {
    /// The status code.
    pub(crate) status: u16,
    /// The `WWW-Authenticate` value, if any.
    pub(crate) www_authenticate: Option<String>,
    /// The body's `error`.
    pub(crate) error: &'static str,
    /// The body's `message`: a fixed text, never a value from the request
    /// (a 422's is the service's own).
    pub(crate) message: Cow<'static, str>,
    /// The `Retry-After` value in seconds (RFC 9110, 10.2.3), if any.
    pub(crate) retry_after: Option<u64>,
}

impl Challenge {
    /// 401 for a guest where a signed-in principal is required.
    pub(crate) fn sign_in() -> Self {
        Self {
            status: 401,
            www_authenticate: Some(format!("Bearer realm=\"{REALM}\"")),
            error: "unauthorized",
            message: Cow::Borrowed("sign in to do this"),
            retry_after: None,
        }
    }

    /// 403 for an authenticated principal the guard denied.
    pub(crate) fn insufficient_scope() -> Self {
        Self {
            status: 403,
            www_authenticate: Some("Bearer error=\"insufficient_scope\"".to_owned()),
            error: "insufficient_scope",
            message: Cow::Borrowed("you may not do this"),
            retry_after: None,
        }
    }

    /// 400 for a malformed request (an `Authorization` header that is not
    /// `Bearer <token>`, an invalid storage key).
    pub(crate) fn invalid_request(message: &'static str) -> Self {
        Self {
            status: 400,
            www_authenticate: Some("Bearer error=\"invalid_request\"".to_owned()),
            error: "invalid_request",
            message: Cow::Borrowed(message),
            retry_after: None,
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
            message: Cow::Borrowed(description),
            retry_after: None,
        }
    }

    /// 503 when tokens cannot be verified now (no usable keys), with
    /// `Retry-After: <seconds>` from `retry_after` (whole seconds, rounded
    /// up, at least 1: RFC 9110's `delay-seconds`).
    pub(crate) fn unavailable(description: &'static str, retry_after: Duration) -> Self {
        let seconds = retry_after
            .as_secs()
            .saturating_add(u64::from(retry_after.subsec_nanos() > 0))
            .max(1);
        Self {
            status: 503,
            www_authenticate: None,
            error: "temporarily_unavailable",
            message: Cow::Borrowed(description),
            retry_after: Some(seconds),
        }
    }

    /// 404 for a record that does not exist, and for one that the
    /// principal may not read where the service hides which records exist:
    /// one answer for both, so that neither tells the other apart.
    #[cfg(feature = "axum")] // `ApiError`'s; Lambda has no record routes of its own
    pub(crate) fn not_found() -> Self {
        Self {
            status: 404,
            www_authenticate: None,
            error: "not_found",
            message: Cow::Borrowed("no such record"),
            retry_after: None,
        }
    }

    /// 422 for a request the service understood and will not process (a
    /// validation error), with the service's own message.
    #[cfg(feature = "axum")] // `ApiError`'s, as `not_found`
    pub(crate) fn unprocessable(message: Cow<'static, str>) -> Self {
        Self {
            status: 422,
            www_authenticate: None,
            error: "unprocessable_content",
            message,
            retry_after: None,
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
    pub(crate) fn into_response(self) -> Response<String> {
        let mut response = Response::new(self.body());
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
        if let Some(seconds) = self.retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                AUTHORIZATION,
                HeaderValue::from_str(value).expect("a valid header value"),
            );
        }
        headers
    }

    #[test]
    fn one_bearer_token() {
        assert_eq!(credentials(&headers(&[])), Ok(Credentials::None));
        assert_eq!(
            credentials(&headers(&["Bearer abc"])),
            Ok(Credentials::Bearer("abc"))
        );
        assert_eq!(
            credentials(&headers(&["bEaReR  abc"])),
            Ok(Credentials::Bearer("abc"))
        );
        assert_eq!(
            credentials(&headers(&["AWS4-HMAC-SHA256 Credential=x, Signature=y"])),
            Ok(Credentials::SigV4)
        );
    }

    #[test]
    fn anything_else_is_a_malformed_request() {
        use HeaderError::*;
        for (values, error) in [
            (&["Bearer a", "Basic x"][..], Repeated),
            (&["Bearer a", "Bearer b"][..], Repeated),
            (&["Bearer a", "Bearer a"][..], Repeated),
            (&["Bearer"][..], Malformed),
            (&["Bearer "][..], Malformed),
            (&["Bearer a b"][..], Malformed),
            (&["Basic YWxhZGRpbjpvcGVuc2VzYW1l"][..], Malformed),
            (&["Token a"][..], Malformed),
            (&["abc"][..], Malformed),
        ] {
            assert_eq!(credentials(&headers(values)), Err(error), "{values:?}");
        }
        let mut not_text = HeaderMap::new();
        not_text.insert(
            AUTHORIZATION,
            HeaderValue::from_bytes(b"Bearer \xff").expect("obs-text is a valid value"),
        );
        assert_eq!(credentials(&not_text), Err(NotText));
    }

    #[test]
    fn unavailable_says_when_to_retry_in_whole_seconds() {
        let retry_after = |wait: Duration| {
            Challenge::unavailable("down", wait)
                .into_response()
                .headers()
                .get(RETRY_AFTER)
                .map(|value| value.to_str().unwrap().to_owned())
        };
        assert_eq!(retry_after(Duration::from_secs(10)).as_deref(), Some("10"));
        // Rounded up, and never 0: a client told 0 would retry at once.
        assert_eq!(
            retry_after(Duration::from_millis(9_001)).as_deref(),
            Some("10")
        );
        assert_eq!(retry_after(Duration::ZERO).as_deref(), Some("1"));
        assert_eq!(
            retry_after(Duration::MAX).as_deref(),
            Some(&*u64::MAX.to_string())
        );
        // No other answer says it.
        for challenge in [
            Challenge::sign_in(),
            Challenge::insufficient_scope(),
            Challenge::invalid_request("bad"),
            Challenge::invalid_token("bad"),
        ] {
            assert_eq!(challenge.into_response().headers().get(RETRY_AFTER), None);
        }
    }
}
