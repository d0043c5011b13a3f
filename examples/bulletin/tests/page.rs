//! The page's forms over HTTP, without a browser: they act through the
//! same rules as the API, refuse other sites' forms, keep tokens out of
//! the page, and escape what they show.

use reqwest::header::{CONTENT_TYPE, COOKIE, HOST, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};

use super::*;

/// A running bulletin with the test issuer, and a client that follows no
/// redirect (the tests look at the 303s and their cookies).
struct Site {
    running: Running,
    dir: PathBuf,
    client: Client,
}

impl Site {
    async fn start() -> Self {
        let dir = demo_dir();
        let config = Config {
            port: 0,
            data_dir: dir.clone(),
            s3_bucket: None,
            cognito: None,
            keys_retry: KEYS_RETRY,
        };
        let running = bounded(start(&config)).await.expect("started");
        let client = Client::builder()
            .redirect(Policy::none())
            .timeout(Duration::from_secs(20))
            .build()
            .expect("a client");
        Self {
            running,
            dir,
            client,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.running.address)
    }

    /// The page's own origin, as a browser sends it with a form.
    fn origin(&self) -> String {
        format!("http://{}", self.running.address)
    }

    /// A form of the page, sent as `who` (the `bulletin_as` cookie).
    async fn form(&self, who: &str, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .header(ORIGIN, self.origin())
            .header(COOKIE, format!("bulletin_as={who}"))
            .form(fields)
            .send()
            .await
            .expect("an answer")
    }

    /// The page as `who`, with the cookies a 303 set (the outcome).
    async fn page_after(&self, who: &str, redirect: &Response) -> String {
        assert_eq!(redirect.status(), StatusCode::SEE_OTHER);
        assert_eq!(redirect.headers()[LOCATION], "/");
        let mut cookies = vec![format!("bulletin_as={who}")];
        for set in redirect.headers().get_all(SET_COOKIE) {
            let set = set.to_str().expect("text");
            assert!(
                set.ends_with("; Path=/; HttpOnly; SameSite=Strict"),
                "{set}"
            );
            cookies.push(set.split(';').next().expect("a pair").to_owned());
        }
        let page = self
            .client
            .get(self.url("/"))
            .header(COOKIE, cookies.join("; "))
            .send()
            .await
            .expect("an answer");
        assert_eq!(page.status(), StatusCode::OK);
        page.text().await.expect("the page")
    }

    async fn stop(self) {
        self.running.stop().await.expect("stopped");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A `multipart/form-data` body of the upload form, and its content type:
/// the key, and the file `notes.txt` holding `bytes`.
fn upload_body(key: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "bulletin-test-boundary-7f3a";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n{key}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n\
         Content-Type: text/plain\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The one line of the page that says what the last form did.
fn outcome_line(page: &str) -> &str {
    let start = page.find("<p id=outcome").expect("an outcome on the page");
    let end = page[start..].find("</p>").expect("its end") + start;
    &page[start..end]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_forms_are_decided_by_the_apis_rules() {
    let site = Site::start().await;
    let db = &site.running.app.db;
    let draft = db.get(2).expect("read").expect("uma's draft");
    assert_eq!(draft.status, Status::Draft);

    // eddie edits uma's draft: allowed, saved.
    let edit = [("title", "Polished"), ("body", "by eddie")];
    let answer = site.form("eddie", "/page/posts/2/edit", &edit).await;
    let page = site.page_after("eddie", &answer).await;
    assert!(
        outcome_line(&page).contains("done: post 2 is saved"),
        "{}",
        outcome_line(&page)
    );
    let saved = db.get(2).expect("read").expect("the post");
    assert_eq!(
        (saved.title.as_str(), saved.body.as_str()),
        ("Polished", "by eddie")
    );

    // eddie publishes it: refused with the API's status and message.
    let answer = site.form("eddie", "/page/posts/2/publish", &[]).await;
    let page = site.page_after("eddie", &answer).await;
    let line = outcome_line(&page);
    assert!(line.contains("class=\"outcome refused\""), "{line}");
    assert!(line.contains("<b>eddie</b>: publish post 2"), "{line}");
    assert!(line.contains("403 Forbidden"), "{line}");
    assert!(line.contains("you may not do this"), "{line}");
    assert_eq!(
        db.get(2).expect("read"),
        Some(saved.clone()),
        "changed anyway"
    );

    // The page is shown once: the next page has no outcome.
    let again = site
        .client
        .get(site.url("/"))
        .header(COOKIE, "bulletin_as=eddie")
        .send()
        .await
        .expect("an answer")
        .text()
        .await
        .expect("the page");
    assert!(!again.contains("<p id=outcome"));

    // A guest creates a post: asked to sign in (401).
    let answer = site
        .form("guest", "/page/posts", &[("title", "hi"), ("body", "")])
        .await;
    let page = site.page_after("guest", &answer).await;
    let line = outcome_line(&page);
    assert!(
        line.contains("401 Unauthorized") && line.contains("sign in to do this"),
        "{line}"
    );
    assert_eq!(db.count().expect("count"), 2);

    // ada publishes it, and deletes post 1.
    let answer = site.form("ada", "/page/posts/2/publish", &[]).await;
    assert!(
        site.page_after("ada", &answer)
            .await
            .contains("done: post 2 is published")
    );
    assert_eq!(
        db.get(2).expect("read").map(|p| p.status),
        Some(Status::Published)
    );
    let answer = site.form("ada", "/page/posts/1/delete", &[]).await;
    assert!(
        site.page_after("ada", &answer)
            .await
            .contains("done: post 1 is deleted")
    );
    assert_eq!(db.get(1).expect("read"), None);

    // A post that is not there: the API's 404.
    let answer = site.form("ada", "/page/posts/99/delete", &[]).await;
    let page = site.page_after("ada", &answer).await;
    assert!(outcome_line(&page).contains("404 Not Found"), "{page}");
    site.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_go_through_the_guarded_store() {
    let site = Site::start().await;
    let upload = |who: &str, key: &str| {
        let (content_type, body) = upload_body(key, b"hello");
        site.client
            .post(site.url("/page/files"))
            .header(ORIGIN, site.origin())
            .header(COOKIE, format!("bulletin_as={who}"))
            .header(CONTENT_TYPE, content_type)
            .body(body)
    };
    let answer = upload("uma", "profiles/uma/notes.txt")
        .send()
        .await
        .expect("an answer");
    let page = site.page_after("uma", &answer).await;
    assert!(
        outcome_line(&page).contains("is stored (5 bytes)"),
        "{page}"
    );
    let stored = site.dir.join("files/profiles/uma/notes.txt");
    assert_eq!(std::fs::read(&stored).expect("stored"), b"hello");

    let answer = upload("uma", "profiles/eddie/notes.txt")
        .send()
        .await
        .expect("an answer");
    let page = site.page_after("uma", &answer).await;
    assert!(outcome_line(&page).contains("403 Forbidden"), "{page}");
    assert!(!site.dir.join("files/profiles/eddie").exists());

    let download = |who: &str, key: &str| {
        site.client
            .get(site.url("/page/download"))
            .query(&[("key", key)])
            .header(COOKIE, format!("bulletin_as={who}"))
            .send()
    };
    let own = download("uma", "profiles/uma/notes.txt")
        .await
        .expect("an answer");
    assert_eq!(own.status(), StatusCode::OK);
    assert_eq!(
        own.headers()["content-disposition"],
        "attachment; filename=\"notes.txt\""
    );
    assert_eq!(own.headers()["x-content-type-options"], "nosniff");
    assert_eq!(own.bytes().await.expect("the file"), "hello");
    let others = download("uma", "profiles/ada/about.txt")
        .await
        .expect("an answer");
    let page = site.page_after("uma", &others).await;
    let line = outcome_line(&page);
    assert!(
        line.contains("download profiles/ada/about.txt") && line.contains("403 Forbidden"),
        "{line}"
    );
    let guest = download("guest", "profiles/ada/about.txt")
        .await
        .expect("an answer");
    let page = site.page_after("guest", &guest).await;
    assert!(outcome_line(&page).contains("401 Unauthorized"), "{page}");
    let bad = download("uma", "profiles/uma/../../drafts/x")
        .await
        .expect("an answer");
    let page = site.page_after("uma", &bad).await;
    assert!(outcome_line(&page).contains("400 Bad Request"), "{page}");
    site.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_from_another_site_is_refused() {
    let site = Site::start().await;
    let publish = |origin: Option<&str>, host: Option<&str>| {
        let mut request = site
            .client
            .post(site.url("/page/posts/2/publish"))
            .header(COOKIE, "bulletin_as=ada");
        if let Some(origin) = origin {
            request = request.header(ORIGIN, origin);
        }
        if let Some(host) = host {
            request = request.header(HOST, host);
        }
        request.send()
    };
    let port = site.running.address.port();
    let rebound = format!("evil.example:{port}");
    let rebound_origin = format!("http://{rebound}");
    for (origin, host) in [
        (None, None),
        (Some("http://evil.example"), None),
        (Some("null"), None),
        (Some(rebound_origin.as_str()), Some(rebound.as_str())),
    ] {
        let answer = publish(origin, host).await.expect("an answer");
        assert_eq!(
            answer.status(),
            StatusCode::FORBIDDEN,
            "{origin:?} {host:?}"
        );
        assert!(
            answer.headers()["content-type"]
                .to_str()
                .is_ok_and(|t| t.starts_with("text/html")),
        );
        assert!(answer.headers().get(SET_COOKIE).is_none());
        assert!(
            answer
                .text()
                .await
                .expect("a page")
                .contains("This form was refused"),
        );
    }
    let draft = site.running.app.db.get(2).expect("read").expect("the post");
    assert_eq!(
        draft.status,
        Status::Draft,
        "published by another site's form"
    );
    let own = publish(Some(&site.origin()), None)
        .await
        .expect("an answer");
    assert_eq!(own.status(), StatusCode::SEE_OTHER);
    site.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_page_shows_is_escaped() {
    let site = Site::start().await;
    let title = "<script>alert(\"t\")</script>";
    let body = "</textarea><img src=x onerror=alert(1)>";
    let answer = site
        .form("uma", "/page/posts", &[("title", title), ("body", body)])
        .await;
    let page = site.page_after("uma", &answer).await;
    assert!(!page.contains("<script>alert"), "unescaped title");
    assert!(!page.contains("<img src=x"), "unescaped body");
    assert!(page.contains("&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;"));
    assert!(page.contains("&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // No script at all on the page.
    assert!(!page.to_lowercase().contains("<script"));
    // A key with markup, in the table and in the hidden fields.
    let key = "public/<b>\"x\"</b>.txt";
    let (content_type, body) = upload_body(key, b"x");
    let answer = site
        .client
        .post(site.url("/page/files"))
        .header(ORIGIN, site.origin())
        .header(COOKIE, "bulletin_as=ada")
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("an answer");
    let page = site.page_after("ada", &answer).await;
    assert!(
        outcome_line(&page).contains("done"),
        "{}",
        outcome_line(&page)
    );
    assert!(!page.contains("<b>\"x\"</b>"));
    assert!(page.contains("value=\"public/&lt;b&gt;&quot;x&quot;&lt;/b&gt;.txt\""));
    site.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_chooses_demo_users_by_name_and_never_shows_a_token() {
    let site = Site::start().await;
    // `?as=` chooses, and remembers it in a cookie holding the name.
    let page = site
        .client
        .get(site.url("/?as=eddie"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(
        page.headers()[SET_COOKIE],
        "bulletin_as=eddie; Path=/; HttpOnly; SameSite=Strict"
    );
    let page = page.text().await.expect("the page");
    assert!(page.contains("<p id=viewer>Acting as <b>eddie</b>"));
    assert!(page.contains("<meta name=viewport"));
    for user in site.running.app.demo_users.iter() {
        assert!(
            !page.contains(&user.token),
            "{}'s token on the page",
            user.name
        );
        let signature = user.token.rsplit('.').next().expect("a JWS");
        assert!(!page.contains(signature));
    }
    // The switch.
    let answer = site.form("eddie", "/page/as", &[("user", "ada")]).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        answer.headers()[SET_COOKIE],
        "bulletin_as=ada; Path=/; HttpOnly; SameSite=Strict"
    );
    for refused in ["bob", "ada; Path=/x", "<b>"] {
        let answer = site.form("eddie", "/page/as", &[("user", refused)]).await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        assert!(answer.headers().get(SET_COOKIE).is_none());
    }
    // An unknown `?as=`: a page with a message, not JSON.
    let page = site
        .client
        .get(site.url("/?as=%3Cb%3Ebob"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/html"))
    );
    let page = page.text().await.expect("the page");
    assert!(
        page.contains("There is no demo user &quot;&lt;b&gt;bob&quot;"),
        "{page}"
    );
    assert!(page.contains("<a href=\"/?as=uma\">uma</a>"));
    // An unknown cookie (a user of another run) is a guest.
    let page = site
        .client
        .get(site.url("/"))
        .header(COOKIE, "bulletin_as=mallory")
        .send()
        .await
        .expect("an answer")
        .text()
        .await
        .expect("the page");
    assert!(page.contains("Acting as <b>guest</b> (not signed in)"));
    site.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_cognito_the_page_is_the_callers_own_token() {
    let dir = demo_dir();
    let (pool, server) = local_pool();
    let running = bounded(start(&cognito_config(&dir, &pool, server.jwks_url())))
        .await
        .expect("started");
    let client = Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("a client");
    let url = |path: &str| format!("http://{}{path}", running.address);
    // No demo users to act as.
    let answer = client.get(url("/?as=ada")).send().await.expect("an answer");
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert!(
        answer
            .text()
            .await
            .expect("a page")
            .contains("no demo users")
    );
    let answer = client
        .post(url("/page/as"))
        .header(ORIGIN, format!("http://{}", running.address))
        .form(&[("user", "ada")])
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    // The caller's token decides; the cookie is ignored.
    let eddie = token(&pool, "eddie", &[Group::EDITORS]);
    let page = client
        .get(url("/"))
        .bearer_auth(&eddie)
        .header(COOKIE, "bulletin_as=ada")
        .send()
        .await
        .expect("an answer")
        .text()
        .await
        .expect("the page");
    assert!(
        page.contains("Acting as <b>you</b> (signed in as <code>eddie</code>, groups: EDITORS)")
    );
    assert!(!page.contains("Act as:"), "a switch with Cognito");
    let publish = client
        .post(url("/page/posts/2/publish"))
        .header(ORIGIN, format!("http://{}", running.address))
        .bearer_auth(&eddie)
        .send()
        .await
        .expect("an answer");
    assert_eq!(publish.status(), StatusCode::SEE_OTHER);
    let set = publish.headers()[SET_COOKIE].to_str().expect("text");
    assert!(set.contains("status=403"), "{set}");
    // A refused token is shown, and the page is a guest's.
    let expired = pool.access_token().sub("eddie").expired().sign();
    let page = client
        .get(url("/"))
        .bearer_auth(&expired)
        .send()
        .await
        .expect("an answer")
        .text()
        .await
        .expect("the page");
    assert!(
        page.contains("Your token was refused: <b>401 Unauthorized</b>"),
        "{page}"
    );
    running.stop().await.expect("stopped");
    let _ = std::fs::remove_dir_all(&dir);
}
