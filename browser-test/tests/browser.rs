//! The bulletin in a real browser: starts the built bulletin example
//! (`target/debug/examples/bulletin`) as a child process on a free port of
//! 127.0.0.1 with a fresh data directory, then headless Chromium, driven
//! over `WebDriver` (thirtyfour, through Debian's `chromedriver`), plays the
//! seed's scenario on the page alone and checks, after each step, the page,
//! the posts in the bulletin's SQLite file and the attachments in its
//! folder on disk. Screenshots (and, on a failure, the page's HTML) go to
//! `target/browser-artifacts/` of the repository, with `chromedriver`'s log
//! and the bulletin's output.
//!
//! ```text
//! scripts/browser-test      # install-chromium, build the bulletin, run this test
//! ```
//!
//! Without Chromium or `chromedriver` the test fails and names
//! `scripts/install-chromium`; without the bulletin's binary it fails and
//! names the build command. It stops by itself within [`TIME_LIMIT`], and
//! kills the bulletin, `chromedriver` and the browser on every way out (the
//! guards' `Drop`).

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use thirtyfour::prelude::*;
use thirtyfour::{ChromeCapabilities, ChromiumLikeCapabilities};

/// The whole test, the bulletin's and the browser's start included.
const TIME_LIMIT: Duration = Duration::from_secs(180);
/// How long a step may take to show its answer.
const STEP: Duration = Duration::from_secs(15);
/// How long the bulletin may take to answer after its start.
const BULLETIN_START: Duration = Duration::from_secs(30);
/// What the test tells when the browser is missing.
const INSTALL: &str = "run scripts/install-chromium (Debian's chromium and chromium-driver), \
     or scripts/browser-test, which runs it, builds the bulletin and runs this test";
/// What the test tells when the bulletin's binary is missing.
const BUILD: &str = "build it from the repository's root: \
     cargo build --workspace --example bulletin (scripts/browser-test does)";

/// Why a step failed.
type Failure = String;

/// The repository's root (this crate is `browser-test/` in it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The bulletin's binary: `$BULLETIN_BIN`, or the workspace's
/// `target/debug/examples/bulletin`.
fn bulletin_binary() -> PathBuf {
    std::env::var_os("BULLETIN_BIN").map_or_else(
        || root().join("target/debug/examples/bulletin"),
        PathBuf::from,
    )
}

/// Where the screenshots go: `$BROWSER_ARTIFACTS`, or the workspace's
/// `target/browser-artifacts/`.
fn artifacts() -> PathBuf {
    std::env::var_os("BROWSER_ARTIFACTS")
        .map_or_else(|| root().join("target/browser-artifacts"), PathBuf::from)
}

/// The program `name` on `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    })
}

/// A fresh directory for this run (the bulletin's data, the browser's
/// profile and downloads), removed when dropped.
struct WorkDir(PathBuf);

impl WorkDir {
    fn new() -> Result<Self, Failure> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "groupguard-browser-test-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Self(dir))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The bulletin, running as a child process; killed when dropped.
struct Bulletin {
    child: Child,
    /// `http://127.0.0.1:PORT`, the address it printed.
    base: String,
}

impl Bulletin {
    /// Starts the bulletin's binary with `--port 0` (a free port, which it
    /// prints) and `--data-dir data`, its output in `log`, and waits until
    /// its page answers.
    async fn start(data: &Path, log: &Path) -> Result<Self, Failure> {
        let binary = bulletin_binary();
        if !binary.is_file() {
            return Err(format!(
                "the bulletin's binary is missing ({}): {BUILD}",
                binary.display()
            ));
        }
        let output = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let errors = output.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(&binary)
            .arg("--port=0")
            .arg(format!("--data-dir={}", data.display()))
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(errors)
            .spawn()
            .map_err(|e| format!("{} did not start ({e}): {BUILD}", binary.display()))?;
        let mut bulletin = Self {
            child,
            base: String::new(),
        };
        let client = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + BULLETIN_START;
        loop {
            if let Ok(Some(status)) = bulletin.child.try_wait() {
                return Err(format!(
                    "the bulletin exited ({status}) before answering; its output: {}",
                    log.display()
                ));
            }
            if bulletin.base.is_empty() {
                // Its first line: "bulletin on http://127.0.0.1:PORT/  (Ctrl-C stops it)".
                let printed = std::fs::read_to_string(log).unwrap_or_default();
                if let Some(address) = printed
                    .lines()
                    .find_map(|line| line.strip_prefix("bulletin on "))
                    .and_then(|rest| rest.split('/').nth(2))
                {
                    bulletin.base = format!("http://{address}");
                }
            }
            if !bulletin.base.is_empty() {
                let page = client
                    .get(format!("{}/", bulletin.base))
                    .timeout(Duration::from_secs(2))
                    .send()
                    .await;
                if page.is_ok_and(|page| page.status().is_success()) {
                    return Ok(bulletin);
                }
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!(
                    "the bulletin did not answer within {} s; its output: {}",
                    BULLETIN_START.as_secs(),
                    log.display()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Bulletin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A post's status, as the bulletin stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Draft,
    Published,
}

impl Status {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            _ => None,
        }
    }
}

/// A row of the bulletin's `posts` table.
#[derive(Clone, Debug, PartialEq)]
struct Post {
    id: i64,
    owner: String,
    title: String,
    body: String,
    status: Status,
}

/// `chromedriver` and the Chromium it starts, killed when dropped.
struct Browser {
    driver: Child,
    /// The fresh profile of this run: every Chromium process of the run
    /// names it on its command line.
    profile: PathBuf,
    /// Where Chromium saves downloads.
    downloads: PathBuf,
    /// `chromedriver`'s log.
    log: PathBuf,
    url: String,
}

impl Browser {
    /// Starts `chromedriver` on a free port of 127.0.0.1 and waits until it
    /// is ready.
    async fn start(work: &Path, artifacts: &Path) -> Result<Self, Failure> {
        let (Some(_), Some(chromedriver)) = (on_path("chromium"), on_path("chromedriver")) else {
            return Err(format!(
                "headless Chromium is not installed (no `chromium` or `chromedriver` on PATH): {INSTALL}"
            ));
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let log = artifacts.join("chromedriver.log");
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("chromedriver did not start ({e}): {INSTALL}"))?;
        let browser = Self {
            driver,
            profile: work.join("profile"),
            downloads: work.join("downloads"),
            log,
            url: format!("http://127.0.0.1:{port}"),
        };
        std::fs::create_dir_all(&browser.downloads).map_err(|e| e.to_string())?;
        let client = reqwest::Client::new();
        let ready = async {
            loop {
                let status = client
                    .get(format!("{}/status", browser.url))
                    .timeout(Duration::from_secs(2))
                    .send()
                    .await;
                if let Ok(status) = status
                    && let Ok(status) = status.json::<serde_json::Value>().await
                    && status["value"]["ready"] == true
                {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(20), ready)
            .await
            .map_err(|_| {
                format!(
                    "chromedriver not ready within 20 s (its log: {})",
                    browser.log.display()
                )
            })?;
        Ok(browser)
    }

    /// Chromium's options: headless, no sandbox (root), and none of its
    /// own network traffic, which the machine's closed network refuses.
    fn capabilities(&self) -> Result<ChromeCapabilities, Failure> {
        let mut caps = DesiredCapabilities::chrome();
        let chromium = on_path("chromium").ok_or_else(|| INSTALL.to_owned())?;
        caps.set_binary(&chromium.to_string_lossy())
            .map_err(|e| e.to_string())?;
        for arg in [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,1600",
            &format!("--user-data-dir={}", self.profile.display()),
        ] {
            caps.add_arg(arg).map_err(|e| e.to_string())?;
        }
        caps.add_experimental_option(
            "prefs",
            serde_json::json!({
                "download.default_directory": self.downloads.to_string_lossy(),
                "download.prompt_for_download": false,
            }),
        )
        .map_err(|e| e.to_string())?;
        Ok(caps)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // Chromium outlives a killed ChromeDriver: its processes are the
        // ones whose command line names this run's fresh profile.
        let profile = format!("--user-data-dir={}", self.profile.display());
        let pids: Vec<String> = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let pid = entry.file_name().to_str()?.parse::<u32>().ok()?;
                let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
                cmdline
                    .split(|b| *b == 0)
                    .any(|arg| arg == profile.as_bytes())
                    .then(|| pid.to_string())
            })
            .collect();
        if !pids.is_empty() {
            let _ = Command::new("kill")
                .arg("-KILL")
                .args(&pids)
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// Everything the bulletin stores: every row of the posts table and every
/// file of the attachment folder, read afresh from SQLite and the disk.
#[derive(Clone, Debug, PartialEq)]
struct Data {
    posts: BTreeMap<i64, Post>,
    files: BTreeMap<String, Vec<u8>>,
}

impl Data {
    /// Reads the data directory `dir` (`bulletin.sqlite3` and `files/`).
    fn read(dir: &Path) -> Result<Self, Failure> {
        let conn = rusqlite::Connection::open_with_flags(
            dir.join("bulletin.sqlite3"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .map_err(|e| format!("the posts' database: {e}"))?;
        let mut statement = conn
            .prepare("SELECT id, owner, title, body, status FROM posts")
            .map_err(|e| e.to_string())?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                ))
            })
            .map_err(|e| e.to_string())?;
        let mut posts = BTreeMap::new();
        for row in rows {
            let (id, owner, title, body, status) = row.map_err(|e| e.to_string())?;
            let status =
                Status::parse(&status).ok_or_else(|| format!("post {id}: status {status:?}"))?;
            posts.insert(
                id,
                Post {
                    id,
                    owner,
                    title,
                    body,
                    status,
                },
            );
        }
        let mut files = BTreeMap::new();
        let root = dir.join("files");
        let mut folders = vec![root.clone()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).map_err(|e| e.to_string())? {
                let path = entry.map_err(|e| e.to_string())?.path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    let key = path
                        .strip_prefix(&root)
                        .map_err(|e| e.to_string())?
                        .to_string_lossy()
                        .into_owned();
                    files.insert(key, std::fs::read(&path).map_err(|e| e.to_string())?);
                }
            }
        }
        Ok(Self { posts, files })
    }

    fn post(&self, id: i64) -> Result<&Post, Failure> {
        self.posts
            .get(&id)
            .ok_or_else(|| format!("post {id} is not in SQLite"))
    }
}

/// The page driven as a person would, and the data behind it.
struct Scenario<'a> {
    driver: &'a WebDriver,
    base: String,
    data: &'a Path,
    shots: &'a Path,
    step: usize,
}

impl Scenario<'_> {
    async fn element(&self, id: &str) -> Result<WebElement, Failure> {
        self.driver
            .find(By::Id(id))
            .await
            .map_err(|e| format!("no element #{id} on the page: {e}"))
    }

    async fn click(&self, id: &str) -> Result<(), Failure> {
        let element = self.element(id).await?;
        element
            .scroll_into_view()
            .await
            .map_err(|e| e.to_string())?;
        element
            .click()
            .await
            .map_err(|e| format!("#{id} not clicked: {e}"))
    }

    async fn fill(&self, id: &str, text: &str) -> Result<(), Failure> {
        let element = self.element(id).await?;
        element.clear().await.map_err(|e| e.to_string())?;
        element
            .send_keys(text)
            .await
            .map_err(|e| format!("#{id} not typed into: {e}"))
    }

    async fn text_of(&self, id: &str) -> Result<String, Failure> {
        self.element(id)
            .await?
            .text()
            .await
            .map_err(|e| e.to_string())
    }

    /// Saves a screenshot named after the step.
    async fn shot(&mut self, name: &str) -> Result<(), Failure> {
        self.step += 1;
        let path = self.shots.join(format!("{:02}-{name}.png", self.step));
        self.driver
            .screenshot(&path)
            .await
            .map_err(|e| format!("no screenshot {}: {e}", path.display()))
    }

    /// The outcome the page shows once it says `who: action` (the page
    /// after the form's redirect), as `(refused, text)`.
    async fn outcome(&self, who_action: &str) -> Result<(bool, String), Failure> {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            if let Ok(line) = self.driver.find(By::Id("outcome")).await
                && let Ok(text) = line.text().await
                && text.starts_with(who_action)
            {
                let class = line.class_name().await.map_err(|e| e.to_string())?;
                return Ok((class.is_some_and(|c| c.contains("refused")), text));
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("the page never said {who_action:?}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The page said `who: action` was done.
    async fn done(&self, who_action: &str) -> Result<String, Failure> {
        let (refused, text) = self.outcome(who_action).await?;
        if refused {
            return Err(format!("refused, expected done: {text}"));
        }
        Ok(text)
    }

    /// The page said `who: action` was refused with `status` and `message`.
    async fn refused(&self, who_action: &str, status: &str, message: &str) -> Result<(), Failure> {
        let (refused, text) = self.outcome(who_action).await?;
        if !refused || !text.contains(status) || !text.contains(message) {
            return Err(format!(
                "expected refused with {status} {message:?}, the page says: {text}"
            ));
        }
        if !text.contains("Nothing was changed") {
            return Err(format!("the refusal does not say nothing changed: {text}"));
        }
        Ok(())
    }

    /// Acts as `name` with the switch on the page.
    async fn act_as(&mut self, name: &str) -> Result<(), Failure> {
        self.click(&format!("as-{name}")).await?;
        let deadline = tokio::time::Instant::now() + STEP;
        let expected = format!("Acting as {name} (");
        loop {
            // While the browser loads the next page, `#viewer` may be
            // missing for a moment: only the deadline fails the step.
            if let Ok(text) = self.text_of("viewer").await
                && text.starts_with(&expected)
            {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("the page never acted as {name}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The data now.
    fn data(&self) -> Result<Data, Failure> {
        Data::read(self.data)
    }

    /// The data now is `before` changed by `change` (nothing else changed):
    /// returns it.
    fn data_is(
        &self,
        step: &str,
        before: &Data,
        change: impl FnOnce(&mut Data) -> Result<(), Failure>,
    ) -> Result<Data, Failure> {
        let mut expected = before.clone();
        change(&mut expected)?;
        let now = self.data()?;
        if now != expected {
            return Err(format!(
                "{step}: the data (SQLite and the attachment folder) is not as expected\n\
                 expected: {expected:#?}\nfound: {now:#?}"
            ));
        }
        Ok(now)
    }

    /// The data now is `before`, unchanged.
    fn unchanged(&self, step: &str, before: &Data) -> Result<Data, Failure> {
        self.data_is(step, before, |_| Ok(()))
    }

    /// The title the page shows for post `id`.
    async fn title_shown(&self, id: i64) -> Result<String, Failure> {
        self.element(&format!("post-{id}"))
            .await?
            .find(By::Tag("h3"))
            .await
            .map_err(|e| format!("post {id} has no title on the page: {e}"))?
            .text()
            .await
            .map_err(|e| e.to_string())
    }

    fn check(ok: bool, what: &str) -> Result<(), Failure> {
        if ok { Ok(()) } else { Err(what.to_owned()) }
    }

    /// The seed's scenario, step by step: after each, the page and the
    /// data (SQLite and the attachment folder) are checked.
    async fn run(&mut self, upload: &Path, downloads: &Path) -> Result<(), Failure> {
        let check = Self::check;
        self.driver
            .goto(format!("{}/", self.base))
            .await
            .map_err(|e| e.to_string())?;
        check(
            self.text_of("viewer").await?.starts_with("Acting as guest"),
            "the page does not start as a guest",
        )?;
        let seeded = self.data()?;
        check(
            seeded.post(2)?.owner == "uma"
                && seeded.post(2)?.status == Status::Draft
                && seeded.posts.contains_key(&1)
                && seeded.files.contains_key("profiles/ada/about.txt"),
            &format!("not the seeded data: {seeded:#?}"),
        )?;
        self.shot("guest").await?;

        // A guest creates a post: asked to sign in.
        self.fill("new-title", "A guest's post").await?;
        self.click("create").await?;
        self.refused(
            "guest: create a draft",
            "401 Unauthorized",
            "sign in to do this",
        )
        .await?;
        let data = self.unchanged("a guest creates a post", &seeded)?;
        self.shot("guest-create-refused").await?;

        // eddie edits uma's draft: allowed.
        self.act_as("eddie").await?;
        let title = "Uma's draft, polished by eddie";
        self.fill("title-2", title).await?;
        self.fill("body-2", "Ready for an admin.").await?;
        self.click("edit-2").await?;
        self.done("eddie: edit post 2").await?;
        check(
            self.title_shown(2).await?.starts_with(title),
            "the page does not show post 2's new title",
        )?;
        let data = self.data_is("eddie edits uma's draft", &data, |data| {
            let post = data.posts.get_mut(&2).ok_or("no post 2")?;
            title.clone_into(&mut post.title);
            "Ready for an admin.".clone_into(&mut post.body);
            Ok(())
        })?;
        self.shot("eddie-edit-allowed").await?;

        // eddie publishes it: refused, with the message shown.
        self.click("publish-2").await?;
        self.refused(
            "eddie: publish post 2",
            "403 Forbidden",
            "you may not do this",
        )
        .await?;
        let data = self.unchanged("eddie publishes post 2", &data)?;
        self.shot("eddie-publish-refused").await?;

        // eddie deletes a post: refused.
        self.click("delete-1").await?;
        self.refused(
            "eddie: delete post 1",
            "403 Forbidden",
            "you may not do this",
        )
        .await?;
        let data = self.unchanged("eddie deletes post 1", &data)?;
        self.shot("eddie-delete-refused").await?;

        // ada publishes it: allowed.
        self.act_as("ada").await?;
        self.click("publish-2").await?;
        self.done("ada: publish post 2").await?;
        let data = self.data_is("ada publishes post 2", &data, |data| {
            data.posts.get_mut(&2).ok_or("no post 2")?.status = Status::Published;
            Ok(())
        })?;
        self.shot("ada-publish-allowed").await?;

        // uma uploads to her profile folder: allowed.
        self.act_as("uma").await?;
        let key = "profiles/uma/notes.txt";
        let content = std::fs::read(upload).map_err(|e| e.to_string())?;
        self.fill("upload-key", key).await?;
        self.element("upload-file")
            .await?
            .send_keys(upload.to_string_lossy().as_ref())
            .await
            .map_err(|e| format!("no file chosen: {e}"))?;
        self.click("upload").await?;
        self.done(&format!("uma: upload {key}")).await?;
        self.element(&format!("download:{key}")).await?;
        let data = self.data_is("uma uploads to her profile folder", &data, |data| {
            data.files.insert(key.to_owned(), content.clone());
            Ok(())
        })?;
        self.shot("uma-upload-allowed").await?;

        // uma downloads another user's profile file: refused.
        let others = "profiles/ada/about.txt";
        self.click(&format!("download:{others}")).await?;
        self.refused(
            &format!("uma: download {others}"),
            "403 Forbidden",
            "you may not do this",
        )
        .await?;
        check(
            !downloads.join("about.txt").exists(),
            "ada's file was downloaded",
        )?;
        let data = self.unchanged("uma downloads ada's profile file", &data)?;
        self.shot("uma-download-refused").await?;

        // uma downloads her own file: allowed, saved by the browser.
        self.click(&format!("download:{key}")).await?;
        let saved = downloads.join("notes.txt");
        let deadline = tokio::time::Instant::now() + STEP;
        while std::fs::read(&saved).ok().as_ref() != Some(&content) {
            if tokio::time::Instant::now() > deadline {
                return Err(format!("{key} was not downloaded to {}", saved.display()));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let data = self.unchanged("uma downloads her own file", &data)?;

        // What a person types is shown as text, never run.
        let title = "<script>document.title='pwned'</script><b>bold?</b>";
        self.fill("new-title", title).await?;
        self.click("create").await?;
        let done = self.done("uma: create a draft").await?;
        let id: i64 = done
            .rsplit("draft ")
            .next()
            .and_then(|rest| rest.split(' ').next())
            .and_then(|id| id.parse().ok())
            .ok_or_else(|| format!("no draft id in {done:?}"))?;
        let shown = self.title_shown(id).await?;
        check(
            shown.starts_with(title),
            &format!("the title is not shown as typed: {shown:?}"),
        )?;
        let page_title = self.driver.title().await.map_err(|e| e.to_string())?;
        check(page_title == "bulletin", "a script from a title ran")?;
        check(
            !data.posts.contains_key(&id),
            "the new draft's id was taken",
        )?;
        let body = self.data()?.post(id)?.body.clone();
        self.data_is("uma creates a draft", &data, |data| {
            data.posts.insert(
                id,
                Post {
                    id,
                    owner: "uma".to_owned(),
                    title: title.to_owned(),
                    body,
                    status: Status::Draft,
                },
            );
            Ok(())
        })?;
        self.shot("uma-title-escaped").await?;

        // The whole page, matrices included (uma's column highlighted).
        let height = self
            .driver
            .execute("return document.documentElement.scrollHeight", Vec::new())
            .await
            .map_err(|e| e.to_string())?
            .convert::<u32>()
            .map_err(|e| e.to_string())?;
        self.driver
            .set_window_rect(0, 0, 1280, height.clamp(800, 8000) + 200)
            .await
            .map_err(|e| e.to_string())?;
        check(
            self.driver
                .find_all(By::Css("th.me"))
                .await
                .map_err(|e| e.to_string())?
                .len()
                == 2,
            "uma's column is not highlighted in both matrices",
        )?;
        self.shot("uma-whole-page").await?;
        Ok(())
    }
}

/// Runs the scenario in `browser` against the bulletin at `base`; on a
/// failure, saves the page and a screenshot.
async fn play(browser: &Browser, base: &str, data: &Path, shots: &Path) -> Result<(), Failure> {
    let driver = WebDriver::builder(&browser.url, browser.capabilities()?)
        .request_timeout(Duration::from_secs(30))
        .await
        .map_err(|e| {
            format!(
                "no browser session ({e}); ChromeDriver's log: {}",
                browser.log.display()
            )
        })?;
    let upload = browser.downloads.with_file_name("notes-to-upload.txt");
    std::fs::write(&upload, "Uma's notes, uploaded from a browser.\n")
        .map_err(|e| e.to_string())?;
    let mut scenario = Scenario {
        driver: &driver,
        base: base.to_owned(),
        data,
        shots,
        step: 0,
    };
    let outcome = scenario.run(&upload, &browser.downloads).await;
    if outcome.is_err() {
        let _ = driver.screenshot(&shots.join("failure.png")).await;
        if let Ok(html) = driver.source().await {
            let _ = std::fs::write(shots.join("failure.html"), html);
        }
    }
    // Quit while ChromeDriver is up: it closes the browser.
    let _ = tokio::time::timeout(Duration::from_secs(10), driver.quit()).await;
    outcome
}

/// The bulletin, then the browser, then the scenario; each started only
/// when the one before is up, all stopped on the way out.
async fn bulletin_in_a_browser(work: &Path, shots: &Path) -> Result<(), Failure> {
    let data = work.join("data");
    let bulletin = Bulletin::start(&data, &shots.join("bulletin.log")).await?;
    let browser = Browser::start(work, shots).await?;
    let outcome = play(&browser, &bulletin.base, &data, shots).await;
    drop(browser);
    drop(bulletin);
    outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_plays_the_seed_scenario_on_the_page() {
    let started = std::time::Instant::now();
    let shots = artifacts();
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).expect("the artifacts directory");
    println!("browser test: screenshots in {}", shots.display());
    let outcome = match WorkDir::new() {
        Ok(work) => tokio::time::timeout(TIME_LIMIT, bulletin_in_a_browser(&work.0, &shots))
            .await
            .unwrap_or_else(|_| {
                Err(format!(
                    "stopped after {} s, the browser test's time limit",
                    TIME_LIMIT.as_secs()
                ))
            }),
        Err(why) => Err(why),
    };
    println!(
        "browser test: {:.1} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        shots.display()
    );
    if let Err(why) = outcome {
        panic!(
            "browser test failed: {why}\n(screenshots, the page, the bulletin's output: {})",
            shots.display()
        );
    }
}
