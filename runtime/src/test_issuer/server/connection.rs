//! One connection to a [`JwksServer`](super::JwksServer): its request read
//! (the head only) and its answer written, as the hooks say, then closed.

use core::time::Duration;
use std::io::{self, Read as _, Write as _};
use std::net::{Shutdown, TcpStream};
use std::sync::PoisonError;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::Instant;

use super::State;

/// The longest request head read: a JWKS request is a few hundred bytes.
const MAX_REQUEST_HEAD: usize = 8 * 1024;

/// How long a connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Reads one request and answers it.
pub(super) fn answer(mut stream: TcpStream, state: &State) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let head = read_head(&mut stream)?;
    if state.stop.load(Ordering::SeqCst) {
        return Ok(());
    }
    state.requests.fetch_add(1, Ordering::SeqCst);
    let behaviour = state
        .behaviour
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let deadline = Instant::now() + behaviour.delay;
    while Instant::now() < deadline && !state.stop.load(Ordering::SeqCst) {
        thread::sleep(Duration::from_millis(5).min(deadline - Instant::now()));
    }
    let path = head
        .lines()
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .unwrap_or_default();
    let (status, body) = match (behaviour.status, &behaviour.body) {
        _ if behaviour.location.is_some() => (302, "moved\n".to_owned()),
        (Some(status), Some(body)) => (status, body.clone()),
        (Some(status), None) => (status, format!("test server answers {status}\n")),
        (None, _) if path != state.jwks_path => (404, "not found\n".to_owned()),
        (None, Some(body)) => (200, body.clone()),
        (None, None) => (200, state.issuer.jwks_json()),
    };
    let etag = format!("\"{:016x}\"", fnv1a(body.as_bytes()));
    let if_none_match = header(&head, "if-none-match");
    let not_modified = status == 200 && !behaviour.no_etags && if_none_match == Some(&etag);
    let (status, body) = if not_modified {
        state.not_modified.fetch_add(1, Ordering::SeqCst);
        (304, String::new())
    } else {
        (status, body)
    };
    let mut response = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nConnection: close\r\n",
        reason(status),
    );
    if !behaviour.no_content_length {
        response.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    if !behaviour.no_etags && matches!(status, 200 | 304) {
        response.push_str(&format!("ETag: {etag}\r\n"));
    }
    if let Some(location) = behaviour.location.as_deref().filter(|_| status == 302) {
        response.push_str(&format!("Location: {location}\r\n"));
    }
    if let Some(cache_control) = &behaviour.cache_control {
        response.push_str(&format!("Cache-Control: {cache_control}\r\n"));
    }
    response.push_str("\r\n");
    stream.write_all(response.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    stream.flush()?;
    let _ = stream.shutdown(Shutdown::Write);
    Ok(())
}

/// The request line and headers, up to the blank line.
fn read_head(stream: &mut TcpStream) -> io::Result<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 || head.len() > MAX_REQUEST_HEAD {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// The value of the request header `name` (lowercase), trimmed.
fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then_some(value.trim())
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// A small stable hash for `ETag`s (FNV-1a, 64 bits).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::super::JwksServer;
    use super::*;

    /// The response to one GET of the key set's path.
    fn get(server: &JwksServer) -> String {
        let mut tcp = TcpStream::connect(server.addr()).unwrap();
        write!(
            tcp,
            "GET {} HTTP/1.1\r\nHost: x\r\n\r\n",
            server.listening.state.jwks_path
        )
        .unwrap();
        let mut response = String::new();
        tcp.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn a_location_with_a_line_break_adds_no_header() {
        let server = JwksServer::start().unwrap();
        server.redirect_to(Some("http://127.0.0.1:1/a\r\nX-Injected: 1"));
        let response = get(&server);
        assert!(response.starts_with("HTTP/1.1 302 Found\r\n"), "{response}");
        assert!(
            response.contains("\r\nLocation: http://127.0.0.1:1/aX-Injected: 1\r\n"),
            "{response}"
        );
        assert!(!response.contains("\r\nX-Injected"), "{response}");
        server.redirect_to(None);
        assert!(get(&server).starts_with("HTTP/1.1 200 OK\r\n"));
    }
}
