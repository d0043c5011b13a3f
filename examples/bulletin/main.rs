//! The seed's bulletin board as a service: "only ADMINS users are permitted
//! to delete posts, only EDITORS are permitted to modify posts in a draft
//! state", with everything groupguard offers.
//!
//! ```text
//! cargo run --example bulletin                      # http://127.0.0.1:3000
//! cargo run --example bulletin -- --demo            # scripted requests, a table, exit code
//! cargo run --example bulletin -- --port 8080 --data-dir ./bulletin-data
//! cargo run --example bulletin -- --port 0    # a free port, printed
//! cargo run --example bulletin -- --s3-bucket NAME  # attachments on S3 or MinIO (AWS_* variables)
//! cargo run --example bulletin -- --cognito-pool us-east-1_AbC --client-id ID
//! cargo run --example bulletin -- --cognito-pool us-east-1_AbC --client-id ID \
//!     --jwks-url http://127.0.0.1:9229/us-east-1_AbC/.well-known/jwks.json  # an emulator's keys
//! RUST_LOG=groupguard::audit=debug cargo run --example bulletin
//! ```
//!
//! - `auth.rs`: the groups, the `Post` model and the `Files` storage.
//! - `db.rs`: posts in SQLite; the list query is the rules' list filter.
//! - `actions.rs`: what a caller can do, each decided by the rules; the API
//!   and the page both call it.
//! - `web.rs`: the HTTP API (axum); attachments through the guarded
//!   `ObjectStore`.
//! - `page/`: the HTML page at `/` and its forms: act as a demo user, try
//!   every action, see the refusals and the access matrices.
//! - `demo.rs`: the `--demo` script; `tests/`: the tests (`cargo test -p
//!   groupguard-examples --example bulletin`). The page in headless
//!   Chromium: `browser-test/` at the repository's root (outside the
//!   workspace), run by `scripts/browser-test`.
//!
//! Tokens: by default a local **test-only** issuer, started here with keys
//! generated at start, serves its JWK Set over HTTP on 127.0.0.1 (the
//! verifier fetches it, as it would Cognito's) and mints tokens for three
//! demo users. With `--cognito-pool` and `--client-id`, real Cognito access
//! tokens are verified instead (the pool's issuer in either of Cognito's
//! formats), with the keys at `--jwks-url` when it is given (an emulator, a
//! private endpoint) or else the pool's own. When the keys cannot be fetched
//! at start, the service starts anyway: requests with a token answer 503
//! until a fetch, retried in the background, succeeds.

mod actions;
mod auth;
mod db;
mod demo;
mod page;
mod web;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use groupguard::test_issuer::JwksServer;
use groupguard::{Principal, TokenUse, Verifier};
use object_store::local::LocalFileSystem;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::{Group, Post, Status};
use crate::db::Db;
use crate::web::{App, DemoUser};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The bulletin board of Amplify's "User groups" page, guarded by groupguard.
#[derive(Parser, Debug)]
#[command(name = "bulletin")]
struct Args {
    /// The port on 127.0.0.1; 0 takes a free one (the first line printed
    /// names the address: `bulletin on http://127.0.0.1:PORT/`).
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// The data directory, created when missing: the posts in
    /// `bulletin.sqlite3` (SQLite) and the attachments under `files/`
    /// (unless `--s3-bucket`); default: `groupguard-bulletin` in the
    /// system's temporary directory.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Keep attachments in this S3 bucket instead of on disk: credentials,
    /// region and endpoint come from the usual AWS variables
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`; for
    /// MinIO also `AWS_ENDPOINT=http://127.0.0.1:9000` and
    /// `AWS_ALLOW_HTTP=true`).
    #[arg(long)]
    s3_bucket: Option<String>,
    /// Verify access tokens of this Cognito user pool (`us-east-1_AbC...`)
    /// instead of the local test issuer's.
    #[arg(long, requires = "client_id")]
    cognito_pool: Option<String>,
    /// The app client id the Cognito tokens must carry.
    #[arg(long, requires = "cognito_pool")]
    client_id: Option<String>,
    /// Fetch the pool's JWK Set from this URL instead of the pool's own
    /// address (a Cognito emulator, a private endpoint): `https://`, or
    /// `http://` to 127.0.0.1, `[::1]` or `localhost`. The tokens' issuer
    /// stays the pool's.
    #[arg(long, requires = "cognito_pool")]
    jwks_url: Option<String>,
    /// Start on a free port with a fresh data directory, run the scripted
    /// requests, print the table, and exit (non-zero if any answer differs).
    #[arg(long, conflicts_with_all = ["port", "data_dir", "s3_bucket", "cognito_pool", "jwks_url"])]
    demo: bool,
}

/// How to run the service.
struct Config {
    port: u16,
    data_dir: PathBuf,
    s3_bucket: Option<String>,
    cognito: Option<Cognito>,
    /// The first wait before fetching the keys again after a failed fetch
    /// at start; it doubles up to [`MAX_KEYS_RETRY`].
    keys_retry: Duration,
}

/// `--cognito-pool`, `--client-id` and `--jwks-url`.
struct Cognito {
    pool: String,
    client: String,
    jwks_url: Option<String>,
}

/// The first wait before fetching the keys again (`Config::keys_retry`).
const KEYS_RETRY: Duration = Duration::from_secs(1);
/// The longest wait between two fetches of keys that do not arrive.
const MAX_KEYS_RETRY: Duration = Duration::from_secs(60);

/// A running service.
struct Running {
    address: SocketAddr,
    /// The test issuer, while tokens are its (not with Cognito).
    issuer: Option<JwksServer>,
    app: App,
    /// Why the keys could not be fetched at start (escaped), while the
    /// background task retries; `None` when they were.
    keys_missing: Option<String>,
    /// The background task that fetches the keys until they arrive.
    keys_retry: Option<JoinHandle<()>>,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, and waits.
    async fn stop(self) -> Result<(), Error> {
        if let Some(retry) = &self.keys_retry {
            retry.abort();
        }
        let _ = self.stop.send(());
        self.server.await??;
        Ok(())
    }
}

/// Demo users: `(name, role, groups)`.
const DEMO_USERS: [(&str, &str, &[Group]); 3] = [
    ("uma", "user: in no group", &[]),
    ("eddie", "EDITORS", &[Group::EDITORS]),
    ("ada", "ADMINS", &[Group::ADMINS]),
];

/// The store of the attachments: S3 when a bucket is named, else
/// `files/` under the data directory.
fn bucket(config: &Config) -> Result<Arc<dyn ObjectStore>, Error> {
    Ok(match &config.s3_bucket {
        Some(name) => Arc::new(
            object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(name)
                .build()?,
        ),
        None => {
            let dir = config.data_dir.join("files");
            std::fs::create_dir_all(&dir)?;
            Arc::new(LocalFileSystem::new_with_prefix(dir)?.with_automatic_cleanup(true))
        }
    })
}

/// On first start: a published welcome post, a draft of uma's, a public
/// file, and a file in ada's profile folder (for the others to be refused).
async fn seed(db: &Db, bucket: &dyn ObjectStore) -> Result<(), Error> {
    if db.count()? == 0 {
        db.insert(&Post {
            id: 0,
            owner: "ada".to_owned(),
            title: "Welcome to the bulletin".to_owned(),
            body: "Everyone reads published posts; editors polish drafts; admins publish."
                .to_owned(),
            status: Status::Published,
        })?;
        db.insert(&Post {
            id: 0,
            owner: "uma".to_owned(),
            title: "Uma's first draft".to_owned(),
            body: "Not ready yet.".to_owned(),
            status: Status::Draft,
        })?;
    }
    let welcome = object_store::path::Path::from("public/welcome.txt");
    if bucket.head(&welcome).await.is_err() {
        let text = PutPayload::from_static(b"Files under public/ are for everyone.\n");
        bucket.put(&welcome, text).await?;
    }
    let about = object_store::path::Path::from("profiles/ada/about.txt");
    if bucket.head(&about).await.is_err() {
        let text = PutPayload::from_static(b"Ada's profile: only she reads it.\n");
        bucket.put(&about, text).await?;
    }
    Ok(())
}

/// Starts the service on 127.0.0.1:`port`.
async fn start(config: &Config) -> Result<Running, Error> {
    std::fs::create_dir_all(&config.data_dir)?;
    let db = Arc::new(Db::open(&config.data_dir)?);
    let bucket = bucket(config)?;
    seed(&db, bucket.as_ref()).await?;

    let (verifier, issuer, demo_users) = match &config.cognito {
        Some(cognito) => {
            let builder = Verifier::<Group>::cognito(&cognito.pool)?
                .client_id(&cognito.client)
                .token_use(TokenUse::Access);
            // The issuers stay the pool's (both formats); only the keys'
            // address changes.
            let builder = match &cognito.jwks_url {
                Some(url) => builder.jwks_url(url),
                None => builder.fetch_jwks(),
            };
            (builder.build()?, None, Vec::new())
        }
        None => {
            let issuer = JwksServer::start()?;
            let verifier = issuer.verifier::<Group>(TokenUse::Access).build()?;
            let mut users = Vec::new();
            for (name, role, groups) in DEMO_USERS {
                let token = issuer
                    .issuer()
                    .access_token()
                    .sub(name)
                    .username(name)
                    .groups(groups.iter().copied())
                    .expires_in(Duration::from_secs(12 * 60 * 60))
                    .sign();
                let principal: Principal<Group> = verifier.verify_async(&token).await?;
                users.push(DemoUser {
                    name,
                    role,
                    token,
                    principal,
                });
            }
            (verifier, Some(issuer), users)
        }
    };
    // Fetch the key set now, not at the first request. If the issuer is
    // down, start anyway: guests are served, requests with a token answer
    // 503 (the verifier has no usable keys), and a background task fetches
    // until the keys arrive.
    let (keys_missing, keys_retry) = match verifier.hydrate().await {
        Ok(()) => (None, None),
        Err(error) => {
            let error = escaped(&error.to_string());
            tracing::warn!(
                target: "bulletin",
                %error,
                "keys not loaded: requests with a token answer 503 until a background fetch succeeds"
            );
            let retry = tokio::spawn(fetch_keys_until_they_arrive(
                verifier.clone(),
                config.keys_retry,
            ));
            (Some(error), Some(retry))
        }
    };

    let app = App::new(verifier, db, bucket, demo_users);
    let listener =
        groupguard_examples::listen(SocketAddr::from(([127, 0, 0, 1], config.port))).await?;
    let address = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let router = web::router(app.clone());
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    Ok(Running {
        address,
        issuer,
        app,
        keys_missing,
        keys_retry,
        stop,
        server,
    })
}

/// Fetches `verifier`'s keys until they arrive: after `wait`, then twice as
/// long each time, up to [`MAX_KEYS_RETRY`].
async fn fetch_keys_until_they_arrive(verifier: Verifier<Group>, mut wait: Duration) {
    loop {
        tokio::time::sleep(wait).await;
        match verifier.hydrate().await {
            Ok(()) => {
                tracing::info!(target: "bulletin", "keys loaded: tokens are verified again");
                return;
            }
            Err(_) => {
                // The fetch's error is logged by the verifier (`groupguard::verify`).
                wait = (wait * 2).min(MAX_KEYS_RETRY);
                tracing::warn!(target: "bulletin", retry_in = ?wait, "keys still not loaded");
            }
        }
    }
}

/// `text` made safe for a terminal and a log line: printable ASCII is kept,
/// anything else escaped (a line break, an escape sequence, a bidi
/// control), whatever an issuer or a network error put in it.
fn escaped(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == ' ' || c.is_ascii_graphic() {
                c.to_string()
            } else {
                c.escape_default().to_string()
            }
        })
        .collect()
}

fn print_welcome(running: &Running, config: &Config) {
    let address = running.address;
    println!("bulletin on http://{address}/  (Ctrl-C stops it)");
    println!(
        "  posts:       {}",
        config.data_dir.join("bulletin.sqlite3").display()
    );
    match &config.s3_bucket {
        Some(name) => println!("  attachments: s3://{name}"),
        None => println!("  attachments: {}", config.data_dir.join("files").display()),
    }
    let Some(issuer) = &running.issuer else {
        let verifier = &running.app.verifier;
        let client = config.cognito.as_ref().map(|c| escaped(&c.client));
        println!(
            "  tokens:      Cognito access tokens of client {}, issuer {}",
            client.unwrap_or_default(),
            verifier.issuers().join(" or ")
        );
        println!("  keys:        {}", verifier.jwks_urls().join(", "));
        if let Some(error) = &running.keys_missing {
            println!(
                "  NOT LOADED:  {error}\n               \
                 started anyway: requests with a token answer 503 until the keys arrive;\n               \
                 fetching them again in the background"
            );
        }
        return;
    };
    println!(
        "  tokens:      TEST-ONLY issuer {} (keys made at start, never for production),\n               JWK Set at {}",
        issuer.issuer().issuer(),
        issuer.jwks_url()
    );
    println!("\nDemo users (tokens for this run: the keys are made at each start):");
    for user in running.app.demo_users.iter() {
        println!("export {}={}", user.name.to_uppercase(), user.token);
    }
    println!(
        "\nThen, for example:\n\
         curl -i http://{address}/posts                                            # 200: published posts, for guests too\n\
         curl -i -X POST -H \"Authorization: Bearer $UMA\" -H 'Content-Type: application/json' \\\n  \
              -d '{{\"title\":\"Hi\",\"body\":\"...\"}}' http://{address}/posts            # 201: uma's new draft\n\
         curl -i -X POST -H \"Authorization: Bearer $EDDIE\" http://{address}/posts/2/publish  # 403: editors do not publish\n\
         curl -i -X POST -H \"Authorization: Bearer $ADA\" http://{address}/posts/2/publish    # 200\n\
         curl -i -X DELETE -H \"Authorization: Bearer $EDDIE\" http://{address}/posts/1        # 403: only admins delete\n\
         \nOr open http://{address}/ in a browser: act as guest, uma, eddie or ada, press\n\
         any button (the refused ones too) and see what the rules answer."
    );
}

fn default_data_dir() -> PathBuf {
    std::env::temp_dir().join("groupguard-bulletin")
}

fn init_logging(default: &str) {
    groupguard_examples::init_logging(default);
}

/// A fresh directory for one demo run.
fn demo_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    std::env::temp_dir().join(format!(
        "groupguard-bulletin-demo-{}-{nanos}",
        std::process::id()
    ))
}

/// Runs the demo script against a fresh service; whether every answer was
/// the expected one.
async fn run_demo(data_dir: &Path) -> Result<bool, Error> {
    let config = Config {
        port: 0,
        data_dir: data_dir.to_owned(),
        s3_bucket: None,
        cognito: None,
        keys_retry: KEYS_RETRY,
    };
    let running = start(&config).await?;
    let outcome = demo::run(&running).await;
    running.stop().await?;
    outcome
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args = Args::parse();
    if args.demo {
        // The table is the output; warnings only, unless RUST_LOG says more.
        init_logging("warn");
        let dir = demo_dir();
        let outcome = run_demo(&dir).await;
        let _ = std::fs::remove_dir_all(&dir);
        if !outcome? {
            std::process::exit(1);
        }
        return Ok(());
    }
    // Denials (INFO) and what was allowed (DEBUG) on target groupguard::audit.
    init_logging("info,groupguard::audit=debug");
    let config = Config {
        port: args.port,
        data_dir: args.data_dir.unwrap_or_else(default_data_dir),
        s3_bucket: args.s3_bucket,
        cognito: args
            .cognito_pool
            .zip(args.client_id)
            .map(|(pool, client)| Cognito {
                pool,
                client,
                jwks_url: args.jwks_url,
            }),
        keys_retry: KEYS_RETRY,
    };
    let running = match start(&config).await {
        Ok(running) => running,
        Err(error) => {
            eprintln!("bulletin: cannot start: {}", escaped(&error.to_string()));
            std::process::exit(1);
        }
    };
    print_welcome(&running, &config);
    let _ = tokio::signal::ctrl_c().await;
    println!("\nstopping: letting requests in flight finish");
    running.stop().await
}

#[cfg(test)]
mod tests;
