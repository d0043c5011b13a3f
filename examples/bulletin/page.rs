//! `GET /`: a server-rendered page (no JavaScript) with the posts the chosen
//! user may see, what they may do with each, and the access matrix of the
//! posts and the files for every demo user.
//!
//! `/?as=uma` (or `eddie`, `ada`, `guest`) picks a demo user of the test
//! issuer; without it the page is the request's own caller (a browser
//! sends no token, so: a guest).

use axum::extract::{Query, State};
use axum::response::Html;
use groupguard::{Access, Op, Principal, Storage};
use serde::Deserialize;

use crate::auth::{Files, Group, Post, Status};
use crate::web::{ApiError, App};

/// The query of `GET /`.
#[derive(Deserialize)]
pub struct View {
    /// A demo user's name, or `guest`.
    #[serde(rename = "as")]
    who: Option<String>,
}

/// The page.
pub async fn index(
    State(app): State<App>,
    caller: Principal<Group>,
    Query(view): Query<View>,
) -> Result<Html<String>, ApiError> {
    let (name, viewer) = match view.who.as_deref() {
        None => ("you", caller),
        Some("guest") => ("guest", Principal::guest()),
        Some(who) => {
            let user = app
                .demo_users
                .iter()
                .find(|user| user.name == who)
                .ok_or_else(|| ApiError::BadRequest(format!("no demo user {who:?}")))?;
            (user.name, user.principal.clone())
        }
    };
    let posts = app.db.list_for(&viewer, Op::List)?;
    Ok(Html(unaudited(|| render(&app, name, &viewer, &posts))))
}

/// Runs `f` with audit events off: the page's decisions are what-ifs (what
/// may this user do with each post?), not requests, and would bury the
/// requests' own events in the log.
fn unaudited<T>(f: impl FnOnce() -> T) -> T {
    tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), f)
}

/// `text` with the five HTML metacharacters escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn yes_no(allowed: bool) -> &'static str {
    if allowed {
        "<td class=yes>yes</td>"
    } else {
        "<td class=no>no</td>"
    }
}

/// What `principal` may do with `post`, as the handlers decide it.
fn actions(principal: &Principal<Group>, post: &Post) -> Vec<&'static str> {
    let may = |post: &Post, op| post.authorize_record(principal, op).is_allowed();
    let published = Post {
        status: Status::Published,
        ..post.clone()
    };
    let mut actions = Vec::new();
    if may(post, Op::Get) {
        actions.push("read");
    }
    if may(post, Op::Update) {
        actions.push("edit");
    }
    if post.status == Status::Draft && may(post, Op::Update) && may(&published, Op::Update) {
        actions.push("publish");
    }
    if may(post, Op::Delete) {
        actions.push("delete");
    }
    actions
}

/// The columns of the access matrices: a guest, a signed-in user in no
/// group, an editor and an admin.
fn columns() -> Vec<(&'static str, Principal<Group>)> {
    vec![
        ("guest", Principal::guest()),
        ("user", Principal::authenticated("a-user")),
        (
            "EDITORS",
            Principal::authenticated("an-editor").with_groups([Group::EDITORS]),
        ),
        (
            "ADMINS",
            Principal::authenticated("an-admin").with_groups([Group::ADMINS]),
        ),
    ]
}

fn render(app: &App, name: &str, viewer: &Principal<Group>, posts: &[Post]) -> String {
    let mut html = String::from(
        "<!doctype html><html lang=en><meta charset=utf-8><title>bulletin</title>\
         <style>body{font-family:sans-serif;max-width:60em;margin:2em auto}\
         table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}\
         .yes{background:#dfd}.no{background:#fdd}</style>\
         <h1>bulletin</h1>",
    );
    let groups: Vec<&str> = viewer.groups().iter().map(Group::name).collect();
    html.push_str(&format!(
        "<p>Viewing as <b>{}</b> ({}; groups: {}). Switch: ",
        escape(name),
        viewer.sub().map_or_else(
            || "not signed in".to_owned(),
            |sub| format!("sub {}", escape(sub))
        ),
        if groups.is_empty() {
            "none".to_owned()
        } else {
            groups.join(", ")
        },
    ));
    html.push_str("<a href=\"/?as=guest\">guest</a>");
    for user in app.demo_users.iter() {
        html.push_str(&format!(
            " · <a href=\"/?as={0}\">{0}</a> ({1})",
            user.name, user.role
        ));
    }
    html.push_str("</p><h2>Posts this user may see</h2>");
    if posts.is_empty() {
        html.push_str("<p>None.</p>");
    } else {
        html.push_str("<table><tr><th>id<th>title<th>status<th>owner<th>may</tr>");
        for post in posts {
            html.push_str(&format!(
                "<tr><td>{}<td>{}<td>{}<td>{}<td>{}</tr>",
                post.id,
                escape(&post.title),
                post.status.as_str(),
                escape(&post.owner),
                actions(viewer, post).join(", "),
            ));
        }
        html.push_str("</table>");
    }
    html.push_str(&app.matrix);
    html.push_str("<p>JSON API: <code>/posts</code>, <code>/files?prefix=public</code>, <code>/me</code>.</p></html>");
    html
}

/// The access matrices of the posts and the files, as HTML tables, for a
/// guest, a user, an editor and an admin. The decisions never change, so the
/// server renders them once, at start.
pub fn matrix() -> String {
    unaudited(matrix_unaudited)
}

fn matrix_unaudited() -> String {
    let columns = columns();
    let mut html = String::new();
    html.push_str("<h2>Access matrix: posts</h2><table><tr><th>operation<th>on");
    for (name, _) in &columns {
        html.push_str(&format!("<th>{}", escape(name)));
    }
    html.push_str("</tr>");
    let samples = [
        "their own draft",
        "someone else's draft",
        "a published post",
    ];
    for op in [Op::Create, Op::Get, Op::List, Op::Update, Op::Delete] {
        for sample in samples {
            html.push_str(&format!("<tr><td>{op}<td>{sample}"));
            for (_, principal) in &columns {
                let mine = principal.sub().unwrap_or_default().to_owned();
                let post = Post {
                    id: 0,
                    owner: if sample == samples[0] {
                        mine
                    } else {
                        "someone-else".to_owned()
                    },
                    title: String::new(),
                    body: String::new(),
                    status: if sample == samples[2] {
                        Status::Published
                    } else {
                        Status::Draft
                    },
                };
                html.push_str(yes_no(post.authorize_record(principal, op).is_allowed()));
            }
            html.push_str("</tr>");
        }
    }
    html.push_str("</table><h2>Access matrix: files</h2><table><tr><th>action<th>key");
    for (name, _) in &columns {
        html.push_str(&format!("<th>{}", escape(name)));
    }
    html.push_str("</tr>");
    for path in Files::PATHS {
        let folders: &[(&str, Option<&str>)] = if path.has_entity_id() {
            &[
                ("their own", None),
                ("someone else's", Some("someone-else")),
            ]
        } else {
            &[("", Some(""))]
        };
        for (label, id) in folders {
            for access in [Access::Get, Access::List, Access::Write, Access::Delete] {
                let shown = path
                    .path()
                    .replace('*', if access == Access::List { "" } else { "file" });
                html.push_str(&format!("<tr><td>{access}<td>{} {label}", escape(&shown)));
                for (_, principal) in &columns {
                    let entity = id.unwrap_or_else(|| principal.entity_id().unwrap_or("nobody"));
                    let key = shown.replace("{entity_id}", entity);
                    html.push_str(yes_no(
                        Files::authorize(principal, &key, access).is_allowed(),
                    ));
                }
                html.push_str("</tr>");
            }
        }
    }
    html.push_str("</table>");
    html
}
