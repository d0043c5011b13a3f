//! One fetch of a JWK Set over HTTP(S) with reqwest and rustls: the
//! timeouts, the one retry, status 200 only, the size limit (checked while
//! the body streams in), `If-None-Match` and `Cache-Control: max-age`.

use core::fmt;
use core::time::Duration;

use reqwest::header::{ACCEPT, CACHE_CONTROL, ETAG, HeaderMap, IF_NONE_MATCH};
use reqwest::{Client, StatusCode};

use super::super::keys::KeySet;

/// The largest JWK Set accepted: 64 KiB (a Cognito set is about 1 KiB;
/// Nimbus caps at 50 KiB).
pub(crate) const MAX_JWKS_BYTES: usize = 64 * 1024;

/// What a successful fetch brought.
pub(super) enum Fetched {
    /// A new, checked set.
    New {
        keys: KeySet,
        etag: Option<String>,
        max_age: Option<Duration>,
    },
    /// `304 Not Modified`: the cached set is current.
    NotModified {
        etag: Option<String>,
        max_age: Option<Duration>,
    },
}

/// Why a fetch failed.
#[derive(Debug)]
pub(super) enum FetchError {
    /// Connecting, sending or reading failed, or a timeout passed.
    Network(String),
    /// The status was not 200 (nor 304 to a conditional request).
    Status(StatusCode),
    /// The body is over [`MAX_JWKS_BYTES`].
    TooLarge,
    /// The body is not a usable JWK Set.
    Malformed(String),
    /// The HTTP client could not be built.
    Client(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Network(e) | Self::Malformed(e) => write!(f, "{e}"),
            Self::Status(status) => write!(f, "status {status} (only 200 is accepted)"),
            Self::TooLarge => write!(f, "the document is over {MAX_JWKS_BYTES} bytes"),
            Self::Client(e) => write!(f, "the HTTP client could not be built: {e}"),
        }
    }
}

/// The HTTP client of one key cache: `connect` is the connect timeout. No
/// redirects (a `3xx` is a failed fetch, never a move to another host), and
/// no proxy for loopback URLs.
pub(super) fn client(connect: Duration, loopback: bool) -> Result<Client, FetchError> {
    let builder = Client::builder()
        .connect_timeout(connect)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("groupguard/", env!("CARGO_PKG_VERSION")));
    let builder = if loopback {
        builder.no_proxy()
    } else {
        builder
    };
    builder.build().map_err(|e| FetchError::Client(chain(&e)))
}

/// Fetches `url` (with `If-None-Match: etag` when a set is cached), retrying
/// once at once on a network error; `total` bounds each attempt.
pub(super) async fn fetch(
    client: &Client,
    url: &str,
    etag: Option<&str>,
    total: Duration,
) -> Result<Fetched, FetchError> {
    match fetch_once(client, url, etag, total).await {
        Err(FetchError::Network(_)) => fetch_once(client, url, etag, total).await,
        done => done,
    }
}

async fn fetch_once(
    client: &Client,
    url: &str,
    etag: Option<&str>,
    total: Duration,
) -> Result<Fetched, FetchError> {
    let network = |e: reqwest::Error| FetchError::Network(chain(&e));
    let mut request = client
        .get(url)
        .timeout(total)
        .header(ACCEPT, "application/json");
    if let Some(etag) = etag {
        request = request.header(IF_NONE_MATCH, etag);
    }
    let mut response = request.send().await.map_err(network)?;
    let status = response.status();
    let etag_now = header(response.headers(), ETAG.as_str());
    let max_age = max_age(response.headers());
    if status == StatusCode::NOT_MODIFIED && etag.is_some() {
        return Ok(Fetched::NotModified {
            etag: etag_now,
            max_age,
        });
    }
    if status != StatusCode::OK {
        return Err(FetchError::Status(status));
    }
    if response
        .content_length()
        .is_some_and(|len| len > MAX_JWKS_BYTES as u64)
    {
        return Err(FetchError::TooLarge);
    }
    // The limit holds while the body streams in: a server that sends no
    // `Content-Length` (or a false one) is cut off at the limit.
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(network)? {
        if body.len() + chunk.len() > MAX_JWKS_BYTES {
            return Err(FetchError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(body)
        .map_err(|_| FetchError::Malformed("the document is not UTF-8".to_owned()))?;
    let keys = KeySet::from_jwks_json(&text).map_err(|e| FetchError::Malformed(e.to_string()))?;
    Ok(Fetched::New {
        keys,
        etag: etag_now,
        max_age,
    })
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// `Cache-Control: max-age=N`, when the response has one.
fn max_age(headers: &HeaderMap) -> Option<Duration> {
    let value = header(headers, CACHE_CONTROL.as_str())?;
    value.split(',').find_map(|directive| {
        let (name, seconds) = directive.trim().split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("max-age") {
            return None;
        }
        seconds
            .trim()
            .trim_matches('"')
            .parse()
            .ok()
            .map(Duration::from_secs)
    })
}

/// An error and its sources, on one line (reqwest's own message says only
/// "error sending request"; the cause is in the chain).
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache_control(value: &str) -> Option<Duration> {
        let mut headers = HeaderMap::new();
        headers.insert(CACHE_CONTROL, value.parse().unwrap());
        max_age(&headers)
    }

    #[test]
    fn max_age_directive() {
        assert_eq!(cache_control("max-age=60"), Some(Duration::from_secs(60)));
        assert_eq!(
            cache_control("public, Max-Age = 3600, must-revalidate"),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(cache_control("no-cache"), None);
        assert_eq!(cache_control("max-age=soon"), None);
        assert_eq!(max_age(&HeaderMap::new()), None);
    }
}
