//! Requests per second of a protected axum route (the shape of
//! `examples/axum_service.rs`'s `DELETE /posts/{id}`, admins only), three ways:
//!
//! - `no auth`: the handler alone;
//! - `verify`: the bearer token verified at every request (RS256, the
//!   `Principal` extractor), then `Post::authorize`;
//! - `verify + cache`: the same verifier with `.cache_verified(1_000)`.
//!
//! Server and load generator run in this process, on 127.0.0.1: `CONNECTIONS`
//! keep-alive HTTP/1.1 connections, each sending one request at a time, for
//! `SECONDS` per variant; every response must be a 200. Both share the
//! machine's cores, so the figures are for comparing the variants.
//!
//! ```text
//! cd benches-compare && cargo run --release --bin http_load
//! ```

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::delete;
use groupguard::test_issuer::TestIssuer;
use groupguard::{Denied, Op, Principal, TokenUse, Verifier, groups, model};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CONNECTIONS: usize = 32;
const SECONDS: u64 = 5;

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(allow(guest, to = [read]), allow(authenticated, to = [read]), allow(groups = [ADMINS]))]
pub struct Post;

async fn delete_guarded(principal: Principal<Group>) -> Result<&'static str, Denied> {
    Post::authorize(&principal, Op::Delete).into_result()?;
    Ok("deleted\n")
}

async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

/// Reads one HTTP/1.1 response with a `content-length`; its status.
async fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> u16 {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            let total = end + 4 + length;
            while buffer.len() < total {
                let mut chunk = [0; 4096];
                let n = stream.read(&mut chunk).await.expect("a response");
                assert!(n > 0, "connection closed");
                buffer.extend_from_slice(&chunk[..n]);
            }
            buffer.drain(..total);
            return status;
        }
        let mut chunk = [0; 4096];
        let n = stream.read(&mut chunk).await.expect("a response");
        assert!(n > 0, "connection closed");
        buffer.extend_from_slice(&chunk[..n]);
    }
}

/// Requests per second against `address` with `token`.
async fn load(address: SocketAddr, token: &str) -> f64 {
    let request = Arc::new(format!(
        "DELETE /posts/1 HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n\r\n"
    ));
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (request, stop, done) = (Arc::clone(&request), Arc::clone(&stop), Arc::clone(&done));
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(address).await.expect("connects");
            stream.set_nodelay(true).expect("nodelay");
            let mut buffer = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                stream.write_all(request.as_bytes()).await.expect("sends");
                let status = read_response(&mut stream, &mut buffer).await;
                assert_eq!(status, 200, "every request is allowed");
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let start = Instant::now();
    tokio::time::sleep(Duration::from_secs(SECONDS)).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("a connection task");
    }
    #[expect(clippy::cast_precision_loss, reason = "a count of requests")]
    let count = done.load(Ordering::Relaxed) as f64;
    count / start.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let issuer = TestIssuer::new();
    let token = issuer
        .access_token()
        .sub("ada")
        .groups([Group::ADMINS])
        .expires_in(Duration::from_secs(3600))
        .sign();
    let plain = Router::new().route("/posts/{id}", delete(|| async { "deleted\n" }));
    let verifier: Verifier<Group> = issuer.verifier(TokenUse::Access).build().expect("a verifier");
    let cached: Verifier<Group> = issuer
        .verifier(TokenUse::Access)
        .cache_verified(1_000)
        .build()
        .expect("a verifier");
    let guarded = |verifier: Verifier<Group>| {
        Router::new()
            .route("/posts/{id}", delete(delete_guarded))
            .with_state(verifier)
    };
    let variants = [
        ("no auth", serve(plain).await),
        ("verify (RS256) + authorize", serve(guarded(verifier)).await),
        ("verify + cache + authorize", serve(guarded(cached)).await),
    ];
    println!("{CONNECTIONS} keep-alive connections, {SECONDS} s per variant, 127.0.0.1\n");
    println!("{:<28} {:>12} {:>8}", "route", "requests/s", "ratio");
    let mut base = None;
    for (name, address) in variants {
        let rps = load(address, &token).await;
        let base = *base.get_or_insert(rps);
        println!("{name:<28} {rps:>12.0} {:>7.2}x", rps / base);
    }
}
