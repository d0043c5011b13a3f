//! The page's state in the browser, and its guard against other sites.
//!
//! Two cookies, both `HttpOnly; SameSite=Strict; Path=/`, neither holding
//! a token: `bulletin_as`, the name of the demo user the page acts as
//! (written only with a name the server knows), and `bulletin_outcome`,
//! what the last form did, shown once by the page after the redirect.
//!
//! A form is a request that changes data on behalf of whoever the browser
//! acts as, so [`same_origin`] refuses one that another site sent (CSRF):
//! `SameSite=Strict` keeps the cookie off such a request already, and the
//! `Origin` a browser sends with every form must be the page's own. With
//! the test issuer the `Host` must also be a loopback name, so that another
//! site's name resolved to 127.0.0.1 (DNS rebinding) is not the page's.

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::web::App;

/// The cookie naming the demo user the page acts as.
const AS_COOKIE: &str = "bulletin_as";
/// The cookie holding what the last form did, until the page shows it.
const OUTCOME_COOKIE: &str = "bulletin_outcome";
/// What every cookie of the page carries.
const ATTRIBUTES: &str = "Path=/; HttpOnly; SameSite=Strict";

/// What a form did, shown once on the page after the redirect.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Outcome {
    /// Who acted: `guest`, a demo user's name, `you`.
    pub who: String,
    /// What they tried: `publish post 2`.
    pub action: String,
    /// The status of the refusal; `None` when it was done.
    pub status: Option<u16>,
    /// What was done, or the refusal's client-safe message.
    pub message: String,
}

/// A refusal as the API answers it: its status and the `message` of its
/// `{"error", "message"}` body (groupguard's table of client-safe texts,
/// or the bulletin's own for 400, 404 and 500).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Refusal {
    /// 400, 401, 403, 404, 500 or 503.
    pub status: u16,
    /// The body's `message`.
    pub message: String,
}

impl Refusal {
    /// The status and message of `response`, the API's answer.
    pub async fn of(response: Response) -> Self {
        let status = response.status().as_u16();
        let body = to_bytes(response.into_body(), 64 * 1024)
            .await
            .unwrap_or_default();
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|body| body["message"].as_str().map(str::to_owned))
            .unwrap_or_else(|| "refused".to_owned());
        Self { status, message }
    }
}

/// The values of the cookie `name` in `headers` (every `Cookie` header).
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(key, value)| (key == name).then_some(value))
}

/// The demo user the `bulletin_as` cookie names (not yet checked).
pub fn demo_user(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, AS_COOKIE)
}

/// What the last form did, if the page has not shown it yet.
pub fn outcome(headers: &HeaderMap) -> Option<Outcome> {
    serde_urlencoded::from_str(cookie(headers, OUTCOME_COOKIE)?).ok()
}

fn set_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Acts as the demo user `name` from now on: a name the server knows (a
/// cookie value, so no `;`, `,` or space), never a token.
pub fn remember_demo_user(response: &mut Response, name: &str) {
    debug_assert!(name.chars().all(|c| c.is_ascii_alphanumeric()));
    set_cookie(response, &format!("{AS_COOKIE}={name}; {ATTRIBUTES}"));
}

/// Forgets the outcome the page has just shown.
pub fn forget_outcome(response: &mut Response) {
    set_cookie(
        response,
        &format!("{OUTCOME_COOKIE}=; Max-Age=0; {ATTRIBUTES}"),
    );
}

/// 303 to the page.
pub fn see_page() -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response()
}

/// 303 to the page, which shows `outcome` once. Form-encoded, the value
/// holds only letters, digits and `*-._%+=&`: a valid cookie value.
pub fn back_to_page(outcome: &Outcome) -> Response {
    let mut response = see_page();
    if let Ok(value) = serde_urlencoded::to_string(outcome) {
        set_cookie(
            &mut response,
            &format!("{OUTCOME_COOKIE}={value}; {ATTRIBUTES}"),
        );
    }
    response
}

/// `key` cut to 120 characters for a message (the outcome travels in a
/// cookie, which browsers keep to 4 kB).
pub fn shortened(key: &str) -> String {
    match key.char_indices().nth(120) {
        Some((end, _)) => format!("{}...", &key[..end]),
        None => key.to_owned(),
    }
}

/// The last segment of `key` as a download's file name: letters, digits,
/// `.`, `-` and `_` only (`download` when nothing is left).
pub fn file_name(key: &str) -> String {
    let name: String = key
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    if name.is_empty() || name.starts_with('.') {
        "download".to_owned()
    } else {
        name
    }
}

/// Whether `host` (a `Host` header: a name and maybe a port) is a loopback
/// name: `127.0.0.1`, `localhost` or `[::1]`.
fn is_loopback(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    matches!(name, "127.0.0.1" | "localhost" | "::1")
}

/// Why a form is not the page's own, if it is not: its `Origin` must be
/// `http://` and its `Host` (a browser sends `Origin` with every form;
/// without it, `Sec-Fetch-Site` must say `same-origin`), and with the test
/// issuer that host a loopback name.
pub fn foreign(headers: &HeaderMap, demo: bool) -> Option<&'static str> {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let Some(host) = value(header::HOST.as_str()) else {
        return Some("the request names no host");
    };
    if demo && !is_loopback(host) {
        return Some("the demo answers forms only at 127.0.0.1, localhost or [::1]");
    }
    match (value(header::ORIGIN.as_str()), value("sec-fetch-site")) {
        (Some(origin), _) if origin == format!("http://{host}") => None,
        (Some(_), _) => Some("the form was sent from another site"),
        (None, Some("same-origin")) => None,
        (None, _) => Some("the form's origin is unknown (a browser sends `Origin` with a form)"),
    }
}

/// Refuses (403) a form that is not the page's own ([`foreign`]).
pub async fn same_origin(State(app): State<App>, request: Request, next: Next) -> Response {
    match foreign(request.headers(), app.is_demo()) {
        None => next.run(request).await,
        Some(why) => {
            tracing::info!(target: "bulletin", why, "a form from another site refused");
            super::html::error_page(
                StatusCode::FORBIDDEN,
                &format!("This form was refused: {why}. Use the page itself."),
                &[],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_str(value).expect("a header value"));
        }
        headers
    }

    #[test]
    fn only_the_pages_own_forms_are_accepted() {
        let own = [
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ];
        assert_eq!(foreign(&headers(&own), true), None);
        let fetch = [
            ("host", "localhost:3000"),
            ("sec-fetch-site", "same-origin"),
        ];
        assert_eq!(foreign(&headers(&fetch), true), None);
        for refused in [
            &[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://evil.example"),
            ][..],
            &[("host", "127.0.0.1:3000"), ("origin", "null")],
            &[
                ("host", "127.0.0.1:3000"),
                ("origin", "https://127.0.0.1:3000"),
            ],
            &[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3001"),
            ],
            &[("host", "127.0.0.1:3000"), ("sec-fetch-site", "cross-site")],
            &[("host", "127.0.0.1:3000")],
            &[("origin", "http://127.0.0.1:3000")],
            // DNS rebinding: same origin to the browser, not a loopback name.
            &[
                ("host", "evil.example:3000"),
                ("origin", "http://evil.example:3000"),
            ],
        ] {
            assert!(foreign(&headers(refused), true).is_some(), "{refused:?}");
        }
        // With Cognito the page may be served under any name, by a proxy.
        let proxied = [
            ("host", "bulletin.example"),
            ("origin", "http://bulletin.example"),
        ];
        assert_eq!(foreign(&headers(&proxied), false), None);
    }

    #[test]
    fn an_outcome_survives_its_cookie() {
        let outcome = Outcome {
            who: "eddie".to_owned(),
            action: "upload drafts/a b;c,d\"é<script>".to_owned(),
            status: Some(403),
            message: "you may not do this".to_owned(),
        };
        let response = back_to_page(&outcome);
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let set = response.headers()[header::SET_COOKIE]
            .to_str()
            .expect("text");
        let (pair, attributes) = set.split_once("; ").expect("attributes");
        assert_eq!(attributes, ATTRIBUTES);
        let value = pair.strip_prefix("bulletin_outcome=").expect("the cookie");
        assert!(
            value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"*-._%+=&".contains(&b)),
            "{value}"
        );
        let request = headers(&[("cookie", &format!("bulletin_as=eddie; {pair}"))]);
        assert_eq!(self::outcome(&request), Some(outcome.clone()));
        assert_eq!(demo_user(&request), Some("eddie"));
        let done = Outcome {
            status: None,
            ..outcome
        };
        let response = back_to_page(&done);
        let set = response.headers()[header::SET_COOKIE]
            .to_str()
            .expect("text");
        let pair = set.split("; ").next().expect("a pair");
        assert_eq!(self::outcome(&headers(&[("cookie", pair)])), Some(done));
    }

    #[test]
    fn a_download_is_named_by_its_last_segment_only() {
        assert_eq!(file_name("profiles/uma/notes.txt"), "notes.txt");
        assert_eq!(file_name("public/a\"b;c.txt"), "abc.txt");
        assert_eq!(file_name("public/.htaccess"), "download");
        assert_eq!(file_name("public/\u{202e}"), "download");
    }
}
