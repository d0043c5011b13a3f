//! `--demo`: scripted requests over real HTTP as a guest, a plain user, an
//! editor and an admin, with the status each must get; a table of them all.

use reqwest::{Client, Method};
use serde_json::{Value, json};

use crate::Running;

type Error = crate::Error;

/// One caller: a name for the table and its `Authorization` header value.
struct Caller {
    name: String,
    authorization: Option<String>,
}

/// The script's state: the client, the base URL and the rows so far.
struct Script {
    client: Client,
    base: String,
    rows: Vec<Row>,
}

struct Row {
    who: String,
    request: String,
    expected: u16,
    got: u16,
}

impl Script {
    /// Sends one request and records it; the response body as JSON (or as
    /// a string when it is not JSON).
    async fn expect(
        &mut self,
        who: &Caller,
        method: Method,
        path: &str,
        body: Option<Body>,
        expected: u16,
    ) -> Result<Value, Error> {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base));
        if let Some(value) = &who.authorization {
            request = request.header("Authorization", value);
        }
        request = match body {
            Some(Body::Json(value)) => request
                .header("Content-Type", "application/json")
                .body(value.to_string()),
            Some(Body::Bytes(bytes)) => request.body(bytes),
            None => request,
        };
        let response = request.send().await?;
        let got = response.status().as_u16();
        let text = response.text().await?;
        self.rows.push(Row {
            who: who.name.clone(),
            request: format!("{method} {path}"),
            expected,
            got,
        });
        Ok(serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// Prints the table; whether every row got what it expected.
    fn report(&self) -> bool {
        let width = self.rows.iter().map(|r| r.request.len()).max().unwrap_or(0);
        println!(
            "{:<16} {:<width$} {:>8} {:>4}",
            "who", "request", "expected", "got"
        );
        let mut failures = 0;
        for row in &self.rows {
            let mark = if row.got == row.expected {
                ""
            } else {
                failures += 1;
                "  <-- differs"
            };
            println!(
                "{:<16} {:<width$} {:>8} {:>4}{mark}",
                row.who, row.request, row.expected, row.got
            );
        }
        println!(
            "\n{} requests, {} as expected, {failures} differ",
            self.rows.len(),
            self.rows.len() - failures
        );
        failures == 0
    }
}

enum Body {
    Json(Value),
    Bytes(&'static [u8]),
}

fn bearer(name: &str, token: &str) -> Caller {
    Caller {
        name: name.to_owned(),
        authorization: Some(format!("Bearer {token}")),
    }
}

/// The id of a post in a response.
fn id_of(post: &Value) -> Result<i64, Error> {
    post["id"]
        .as_i64()
        .ok_or_else(|| format!("no post id in {post}").into())
}

/// Runs the script against `running`; whether every answer was expected.
pub async fn run(running: &Running) -> Result<bool, Error> {
    use Method as M;
    let issuer = running
        .issuer
        .as_ref()
        .ok_or("the demo needs the test issuer")?
        .issuer();
    let user = |name: &str| -> Result<Caller, Error> {
        let user = running
            .app
            .demo_users
            .iter()
            .find(|u| u.name == name)
            .ok_or("no such demo user")?;
        Ok(bearer(name, &user.token))
    };
    let guest = Caller {
        name: "guest".to_owned(),
        authorization: None,
    };
    let (uma, eddie, ada) = (user("uma")?, user("eddie")?, user("ada")?);
    let otto = bearer(
        "otto (user)",
        &issuer.access_token().sub("otto").username("otto").sign(),
    );
    let expired = bearer(
        "expired token",
        &issuer.access_token().sub("uma").expired().sign(),
    );
    let foreign = bearer(
        "other issuer",
        &issuer.access_token().sub("uma").other_issuer().sign(),
    );
    // `EDITOR` is no declared group: it grants nothing.
    let misspelled = bearer(
        "group \"EDITOR\"",
        &issuer
            .access_token()
            .sub("mallory")
            .claim("cognito:groups", json!(["EDITOR"]))
            .sign(),
    );
    let garbage = bearer("not a token", "not-a-token");
    let basic = Caller {
        name: "Basic auth".to_owned(),
        authorization: Some("Basic dXNlcjpwYXNz".to_owned()),
    };
    let mut s = Script {
        client: Client::builder().build()?,
        base: format!("http://{}", running.address),
        rows: Vec::new(),
    };
    let draft = |title: &str| Some(Body::Json(json!({"title": title, "body": "first words"})));
    let edit = || Some(Body::Json(json!({"body": "better words"})));

    // Posts.
    s.expect(&guest, M::GET, "/posts", None, 200).await?;
    s.expect(&guest, M::POST, "/posts", draft("by a guest"), 401)
        .await?;
    let post = s
        .expect(&uma, M::POST, "/posts", draft("Uma's news"), 201)
        .await?;
    let id = id_of(&post)?;
    let p = format!("/posts/{id}");
    let publish = format!("{p}/publish");
    s.expect(&guest, M::GET, &p, None, 401).await?;
    s.expect(&otto, M::GET, &p, None, 403).await?;
    s.expect(&uma, M::GET, &p, None, 200).await?;
    s.expect(&eddie, M::GET, &p, None, 200).await?;
    s.expect(&otto, M::PUT, &p, edit(), 403).await?;
    s.expect(&misspelled, M::PUT, &p, edit(), 403).await?;
    s.expect(&uma, M::PUT, &p, edit(), 200).await?;
    s.expect(&eddie, M::PUT, &p, edit(), 200).await?;
    s.expect(&uma, M::POST, &publish, None, 403).await?;
    s.expect(&eddie, M::POST, &publish, None, 403).await?;
    s.expect(&ada, M::POST, &publish, None, 200).await?;
    s.expect(&guest, M::GET, &p, None, 200).await?;
    s.expect(&uma, M::PUT, &p, edit(), 403).await?;
    s.expect(&eddie, M::PUT, &p, edit(), 403).await?;
    s.expect(&eddie, M::DELETE, &p, None, 403).await?;
    s.expect(&uma, M::DELETE, &p, None, 403).await?;
    s.expect(&ada, M::DELETE, &p, None, 204).await?;
    s.expect(&guest, M::GET, &p, None, 404).await?;
    let listed = s.expect(&otto, M::GET, "/posts", None, 200).await?;
    let drafts_listed = listed.as_array().map_or(0, |posts| {
        posts.iter().filter(|p| p["status"] == "draft").count()
    });

    // Attachments.
    let plan = "/files/drafts/plan.md";
    s.expect(&eddie, M::PUT, plan, Some(Body::Bytes(b"the plan")), 201)
        .await?;
    let read_back = s.expect(&eddie, M::GET, plan, None, 200).await?;
    s.expect(&uma, M::GET, plan, None, 403).await?;
    s.expect(&guest, M::GET, plan, None, 401).await?;
    s.expect(&eddie, M::DELETE, plan, None, 403).await?;
    s.expect(&eddie, M::GET, "/files?prefix=drafts", None, 200)
        .await?;
    s.expect(&uma, M::GET, "/files?prefix=drafts", None, 403)
        .await?;
    s.expect(&ada, M::DELETE, plan, None, 204).await?;
    let avatar = "/files/profiles/uma/avatar.png";
    s.expect(&uma, M::PUT, avatar, Some(Body::Bytes(b"\x89PNG")), 201)
        .await?;
    s.expect(&uma, M::GET, avatar, None, 200).await?;
    s.expect(&eddie, M::GET, avatar, None, 403).await?;
    s.expect(
        &uma,
        M::PUT,
        "/files/public/notice.txt",
        Some(Body::Bytes(b"hi")),
        403,
    )
    .await?;
    s.expect(
        &ada,
        M::PUT,
        "/files/public/notice.txt",
        Some(Body::Bytes(b"hi")),
        201,
    )
    .await?;
    s.expect(&guest, M::GET, "/files/public/notice.txt", None, 200)
        .await?;
    s.expect(&guest, M::GET, "/files/public/welcome.txt", None, 200)
        .await?;
    s.expect(&uma, M::PUT, "/files/other/x", Some(Body::Bytes(b"x")), 403)
        .await?;
    // Traversal and malformed keys: the server gets `drafts/../public/x`
    // and the like (`%2F` keeps the HTTP client from resolving the `..`).
    s.expect(
        &eddie,
        M::PUT,
        "/files/drafts/..%2Fpublic%2Fx",
        Some(Body::Bytes(b"x")),
        400,
    )
    .await?;
    s.expect(
        &uma,
        M::GET,
        "/files/profiles/uma/..%2F..%2Fdrafts%2Fplan.md",
        None,
        400,
    )
    .await?;
    s.expect(
        &eddie,
        M::PUT,
        "/files/drafts/a%5Cb",
        Some(Body::Bytes(b"x")),
        400,
    )
    .await?;
    s.expect(
        &eddie,
        M::PUT,
        "/files/drafts/a%00b",
        Some(Body::Bytes(b"x")),
        400,
    )
    .await?;

    // Tokens.
    s.expect(&expired, M::GET, "/me", None, 401).await?;
    s.expect(&foreign, M::GET, "/me", None, 401).await?;
    s.expect(&garbage, M::GET, "/me", None, 401).await?;
    s.expect(&basic, M::GET, "/me", None, 400).await?;
    let me = s.expect(&misspelled, M::GET, "/me", None, 200).await?;
    s.expect(&guest, M::GET, "/", None, 200).await?;
    s.expect(&guest, M::GET, "/?as=eddie", None, 200).await?;
    s.expect(&guest, M::GET, "/?as=nobody", None, 400).await?;
    s.expect(
        &eddie,
        M::GET,
        "/files?prefix=drafts%2F..%2Fpublic",
        None,
        400,
    )
    .await?;
    s.expect(
        &uma,
        M::POST,
        "/posts",
        Some(Body::Json(json!({"title": "t"}))),
        422,
    )
    .await?;
    s.expect(&uma, M::PUT, "/posts/not-a-number", edit(), 400)
        .await?;

    let mut passed = s.report();
    // What the statuses do not show.
    let checks = [
        ("the listing shows otto no one's drafts", drafts_listed == 0),
        (
            "eddie read back his file",
            read_back == Value::String("the plan".into()),
        ),
        (
            "the misspelled group is kept as unknown, not granted",
            me["groups"] == json!([]) && me["unknown_groups"] == json!(["EDITOR"]),
        ),
    ];
    for (what, ok) in checks {
        println!("{} {what}", if ok { "ok  " } else { "FAIL" });
        passed &= ok;
    }
    Ok(passed)
}
