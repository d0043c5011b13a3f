//! The page's HTML, written by hand: every value from a request, the
//! database or the store goes through [`escape`].
//!
//! Each button says beforehand what the rules will answer (`✓` allowed, `✗`
//! refused: the page's what-ifs, with audit events off), and every one of
//! them can be pressed: a refused one shows the refusal.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use groupguard::{Access, Op, Principal};
use object_store::ObjectMeta;

use super::matrix::{Matrix, Row};
use super::session::{Outcome, Refusal};
use crate::actions::{edited, published};
use crate::auth::{Files, Group, Post, Status, owner_of};

/// Runs `f` with audit events off: the page's decisions are what-ifs (what
/// may this user do with each post?), not requests, and would bury the
/// requests' own events in the log.
pub fn unaudited<T>(f: impl FnOnce() -> T) -> T {
    tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), f)
}

/// `text` with the five HTML metacharacters escaped: safe in text and in a
/// quoted attribute.
pub fn escape(text: &str) -> String {
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

const HEAD: &str = "<!doctype html><html lang=en><meta charset=utf-8>\
<meta name=viewport content=\"width=device-width, initial-scale=1\">\
<title>bulletin</title><style>\
:root{font-family:system-ui,sans-serif;line-height:1.45;color:#1d1d1f;background:#f6f6f4}\
body{max-width:68em;margin:0 auto;padding:.5em 1em 2em}\
h1{margin:.3em 0 0}h2{margin-top:1.8em;border-bottom:1px solid #ccc;padding-bottom:.15em}\
.note,.legend{color:#555;font-size:.9em}\
.switch{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;margin:.6em 0}\
.switch button{font:inherit;padding:.35em .9em;border:1px solid #999;border-radius:.4em;background:#fff;cursor:pointer;text-align:left}\
.switch button small{display:block;color:#555;font-size:.75em}\
.switch button[aria-pressed=true]{background:#1a5fb4;border-color:#1a5fb4;color:#fff}\
.switch button[aria-pressed=true] small{color:#e0e8ff}\
.outcome{padding:.6em 1em;border-radius:.4em;margin:1em 0;border-left:.45em solid}\
.outcome.done{background:#e6f4ea;border-color:#2e7d32}\
.outcome.refused{background:#fdecea;border-color:#c62828}\
.post,.box{background:#fff;border:1px solid #ddd;border-radius:.5em;padding:.6em 1em;margin:.8em 0}\
.post h3{margin:.1em 0;overflow-wrap:anywhere}\
.badge{font-size:.7em;font-weight:normal;padding:.1em .6em;border-radius:1em;vertical-align:middle}\
.badge.draft{background:#fff0c2}.badge.published{background:#cfe8d6}\
.meta{color:#555;font-size:.85em;margin:.1em 0}.body{white-space:pre-wrap;overflow-wrap:anywhere}\
.actions{display:flex;flex-wrap:wrap;gap:.6em;align-items:flex-end;margin-top:.4em}\
.actions form{margin:0}.edit{display:grid;gap:.3em;flex:1 1 22em}\
label{font-size:.85em;color:#444}\
input[type=text],textarea{font:inherit;padding:.3em;border:1px solid #bbb;border-radius:.3em;width:100%;box-sizing:border-box}\
button.may,button.refused{font:inherit;padding:.3em .8em;border-radius:.35em;cursor:pointer}\
button.may{border:1px solid #2e7d32;background:#e6f4ea;color:#1b5e20}\
button.refused{border:1px dashed #c62828;background:#fff;color:#b71c1c}\
table{border-collapse:collapse;margin:.5em 0;background:#fff}\
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\
td.yes{background:#dfd}td.no{background:#fdd}\
th.me{background:#1a5fb4;color:#fff}td.me{box-shadow:inset 0 0 0 3px #1a5fb4;font-weight:bold}\
code{font-size:.9em;white-space:nowrap}footer{margin-top:2em;color:#555}\
</style>";

/// Everything the page shows.
pub struct Page<'a> {
    /// `guest` and the demo users, with what each is (none with Cognito).
    pub demo_users: Vec<(&'static str, &'static str)>,
    /// Who acts: `guest`, a demo user's name, `you`.
    pub name: &'a str,
    /// Its principal (a guest's when its token was refused).
    pub principal: &'a Principal<Group>,
    /// How the API answered its token, when it refused it (Cognito).
    pub token_refused: Option<&'a Refusal>,
    /// What the last form did.
    pub outcome: Option<&'a Outcome>,
    /// The posts it may list.
    pub posts: &'a [Post],
    /// The files shown: every one (demo), or those it may list.
    pub files: &'a [ObjectMeta],
    /// The access matrices.
    pub matrix: &'a Matrix,
}

/// A page with only `message` (escaped) and a link to act as each of
/// `names`.
pub fn error_page(status: StatusCode, message: &str, names: &[&str]) -> Response {
    let mut html = String::from(HEAD);
    html.push_str(&format!(
        "<h1>bulletin</h1><p class=\"outcome refused\" role=alert><b>{} {}</b>: {}</p>",
        status.as_u16(),
        status.canonical_reason().unwrap_or_default(),
        escape(message)
    ));
    if !names.is_empty() {
        html.push_str("<ul>");
        for name in names {
            let name = escape(name);
            html.push_str(&format!("<li><a href=\"/?as={name}\">{name}</a>"));
        }
        html.push_str("</ul>");
    }
    html.push_str("<p><a href=\"/\">Back to the bulletin</a></p></html>");
    (status, Html(html)).into_response()
}

/// The page.
pub fn page(page: &Page<'_>) -> String {
    unaudited(|| {
        let mut html = String::from(HEAD);
        html.push_str(
            "<h1>bulletin</h1><p class=note>Amplify's \u{201c}User groups\u{201d} example: \
             \u{201c}only ADMINS users are permitted to delete posts, only EDITORS are \
             permitted to modify posts in a draft state\u{201d}, checked by groupguard.</p>",
        );
        who(&mut html, page);
        if let Some(outcome) = page.outcome {
            outcome_of(&mut html, outcome);
        }
        posts(&mut html, page);
        files(&mut html, page);
        matrices(&mut html, page);
        html.push_str(
            "<footer>The JSON API, as this browser calls it (a guest: it sends no token): \
             <a href=\"/posts\"><code>/posts</code></a> · \
             <a href=\"/files?prefix=public\"><code>/files?prefix=public</code></a> · \
             <a href=\"/me\"><code>/me</code></a></footer></html>",
        );
        html
    })
}

/// `✓ label` with the class `may`, or `✗ label` with the class `refused`,
/// as a submit button of id `id`.
fn button(id: &str, label: &str, allowed: bool, name: &str) -> String {
    let (class, mark, title) = if allowed {
        (
            "may",
            "\u{2713}",
            format!("the rules allow this for {name}"),
        )
    } else {
        (
            "refused",
            "\u{2717}",
            format!("the rules refuse this for {name}: press it to see the answer"),
        )
    };
    format!(
        "<button type=submit id=\"{}\" class={class} title=\"{}\">{mark} {}</button>",
        escape(id),
        escape(&title),
        escape(label)
    )
}

/// Who acts, and the switch between the demo users.
fn who(html: &mut String, page: &Page<'_>) {
    let principal = page.principal;
    let groups: Vec<&str> = principal.groups().iter().map(Group::name).collect();
    let what = match principal.sub() {
        None => "not signed in".to_owned(),
        Some(sub) => format!(
            "signed in as <code>{}</code>, groups: {}",
            escape(sub),
            if groups.is_empty() {
                "none".to_owned()
            } else {
                groups.join(", ")
            }
        ),
    };
    html.push_str(&format!(
        "<p id=viewer>Acting as <b>{}</b> ({what}).</p>",
        escape(page.name)
    ));
    if page.demo_users.is_empty() {
        html.push_str(
            "<p class=note>Cognito: the page acts with the bearer token of the request \
             (a browser sends none unless a proxy in front adds it: then it is a guest).</p>",
        );
    } else {
        html.push_str("<form method=post action=\"/page/as\" class=switch><span>Act as:</span>");
        for (name, role) in &page.demo_users {
            html.push_str(&format!(
                "<button type=submit name=user value=\"{0}\" id=\"as-{0}\" aria-pressed={1}>{0}<small>{2}</small></button>",
                escape(name),
                *name == page.name,
                escape(role)
            ));
        }
        html.push_str(
            "</form><p class=note>Demo mode: a TEST-ONLY issuer made a token for each demo \
             user at start. The server keeps the tokens and acts with the chosen user's; the \
             page only remembers the name (a cookie), and never shows a token.</p>",
        );
    }
    if let Some(refusal) = page.token_refused {
        html.push_str(&format!(
            "<p class=\"outcome refused\" role=alert>Your token was refused: <b>{}</b> \
             \u{201c}{}\u{201d}. The page shows what a guest may do.</p>",
            status_line(refusal.status),
            escape(&refusal.message)
        ));
    }
}

/// `403 Forbidden`.
fn status_line(status: u16) -> String {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or_default();
    format!("{status} {reason}")
}

/// What the last form did.
fn outcome_of(html: &mut String, outcome: &Outcome) {
    let what = format!(
        "<b>{}</b>: {}",
        escape(&outcome.who),
        escape(&outcome.action)
    );
    match outcome.status {
        None => html.push_str(&format!(
            "<p id=outcome class=\"outcome done\" role=status>{what} \u{2014} done: {}.</p>",
            escape(&outcome.message)
        )),
        Some(status) => html.push_str(&format!(
            "<p id=outcome class=\"outcome refused\" role=alert>{what} \u{2014} refused: \
             <b>{}</b> \u{201c}{}\u{201d}. Nothing was changed.</p>",
            status_line(status),
            escape(&outcome.message)
        )),
    }
}

/// The posts the viewer may list, each with its buttons, and the form of a
/// new draft.
fn posts(html: &mut String, page: &Page<'_>) {
    let (p, name) = (page.principal, page.name);
    html.push_str(&format!(
        "<h2>Posts {} may see</h2><p class=legend>The rules' list filter, as \
         <code>GET /posts</code> applies it. \u{2713} the rules allow it, \u{2717} they \
         refuse it: press any button, a refused one shows the answer and changes \
         nothing.</p>",
        escape(name)
    ));
    if page.posts.is_empty() {
        html.push_str("<p>None.</p>");
    }
    for post in page.posts {
        let id = post.id;
        let status = post.status.as_str();
        html.push_str(&format!(
            "<article class=post id=post-{id}><h3>{} <span class=\"badge {status}\">{status}</span></h3>\
             <p class=meta>post {id} \u{b7} by <code>{}</code></p><p class=body>{}</p><div class=actions>",
            escape(&post.title),
            escape(&post.owner),
            escape(&post.body),
        ));
        let edit = post
            .authorize_update(p, &edited(post, None, None))
            .is_allowed();
        html.push_str(&format!(
            "<form method=post action=\"/page/posts/{id}/edit\" class=edit>\
             <label>Title <input type=text name=title id=title-{id} value=\"{}\"></label>\
             <label>Text <textarea name=body id=body-{id} rows=2>{}</textarea></label>\
             <div>{}</div></form>",
            escape(&post.title),
            escape(&post.body),
            button(&format!("edit-{id}"), "Save changes", edit, name),
        ));
        if post.status == Status::Draft {
            let publish = post.authorize_update(p, &published(post)).is_allowed();
            html.push_str(&format!(
                "<form method=post action=\"/page/posts/{id}/publish\">{}</form>",
                button(&format!("publish-{id}"), "Publish", publish, name)
            ));
        }
        let delete = post.authorize_record(p, Op::Delete).is_allowed();
        html.push_str(&format!(
            "<form method=post action=\"/page/posts/{id}/delete\">{}</form></div></article>",
            button(&format!("delete-{id}"), "Delete", delete, name)
        ));
    }
    let draft = Post {
        id: 0,
        owner: owner_of(p).unwrap_or_default(),
        title: String::new(),
        body: String::new(),
        status: Status::Draft,
    };
    let create = draft.authorize_record(p, Op::Create).is_allowed();
    html.push_str(&format!(
        "<div class=box><h3>New draft</h3><form method=post action=\"/page/posts\" class=edit>\
         <label>Title <input type=text name=title id=new-title></label>\
         <label>Text <textarea name=body id=new-body rows=2></textarea></label>\
         <div>{}</div></form></div>",
        button("create", &format!("Create a draft as {name}"), create, name)
    ));
}

/// The files, each with its buttons, and the upload form.
fn files(html: &mut String, page: &Page<'_>) {
    let (p, name) = (page.principal, page.name);
    html.push_str("<h2>Files</h2>");
    html.push_str(if page.demo_users.is_empty() {
        "<p class=legend>The files of <code>public/</code>, <code>drafts/</code> and your \
         own profile folder that you may list.</p>"
    } else {
        "<p class=legend>Demo mode lists every file in the store, so that you can try the \
         downloads the rules refuse; <code>GET /files?prefix=</code> lists only what the \
         caller may list.</p>"
    });
    if page.files.is_empty() {
        html.push_str("<p>None.</p>");
    } else {
        html.push_str("<table><tr><th>key<th>size<th colspan=2>try it</tr>");
        for file in page.files {
            let key = file.location.as_ref();
            let get = Files::authorize(p, key, Access::Get).is_allowed();
            let delete = Files::authorize(p, key, Access::Delete).is_allowed();
            let hidden = format!("<input type=hidden name=key value=\"{}\">", escape(key));
            html.push_str(&format!(
                "<tr><td><code>{}</code><td>{} B\
                 <td><form method=get action=\"/page/download\">{hidden}{}</form>\
                 <td><form method=post action=\"/page/files/delete\">{hidden}{}</form></tr>",
                escape(key),
                file.size,
                button(&format!("download:{key}"), "Download", get, name),
                button(&format!("delete:{key}"), "Delete", delete, name),
            ));
        }
        html.push_str("</table>");
    }
    let suggested = match p.entity_id() {
        Some(id) => format!("profiles/{id}/notes.txt"),
        None => "public/notes.txt".to_owned(),
    };
    html.push_str(&format!(
        "<div class=box><h3>Upload</h3>\
         <form method=post action=\"/page/files\" enctype=multipart/form-data class=edit>\
         <label>Key <input type=text name=key id=upload-key value=\"{}\"></label>\
         <label>File <input type=file name=file id=upload-file></label>\
         <div><button type=submit id=upload class=may>Upload as {}</button></div></form>\
         <p class=note>Where one may write: the files matrix below.</p></div>",
        escape(&suggested),
        escape(name),
    ));
}

/// The two access matrices, the viewer's columns highlighted.
fn matrices(html: &mut String, page: &Page<'_>) {
    let matrix = page.matrix;
    let mine: Vec<bool> = matrix
        .columns
        .iter()
        .map(|c| c.holds(page.principal))
        .collect();
    html.push_str(
        "<h2>Access matrices</h2><p class=legend>Who may do what, for each kind of caller: ",
    );
    let legend: Vec<String> = matrix
        .columns
        .iter()
        .map(|c| format!("<b>{}</b>: {}", escape(c.name), escape(c.meaning)))
        .collect();
    html.push_str(&legend.join("; "));
    html.push_str(&format!(
        ". Highlighted: {}'s column. Each row is a request the API serves.</p>",
        escape(page.name)
    ));
    let head = |html: &mut String, extra: &str| {
        html.push_str(&format!("<table><tr><th>operation<th>request<th>on{extra}"));
        for (column, me) in matrix.columns.iter().zip(&mine) {
            html.push_str(&format!(
                "<th{}>{}",
                if *me { " class=me" } else { "" },
                escape(column.name)
            ));
        }
        html.push_str("</tr>");
    };
    let cells = |html: &mut String, row: &Row| {
        for (allowed, me) in row.allowed.iter().zip(&mine) {
            let me = if *me { " me" } else { "" };
            html.push_str(&if *allowed {
                format!("<td class=\"yes{me}\">yes")
            } else {
                format!("<td class=\"no{me}\">no")
            });
        }
        html.push_str("</tr>");
    };
    html.push_str("<h3>Posts</h3>");
    head(html, "");
    for row in &matrix.posts {
        html.push_str(&format!(
            "<tr><td>{}<td><code>{}</code><td>{}",
            row.what,
            escape(row.request),
            escape(&row.on)
        ));
        cells(html, row);
    }
    html.push_str(
        "</table><p class=note><code>create</code> always makes a draft of the caller's \
         own, so it is asked of nothing else; <code>publish</code> is asked of drafts. An \
         edit or a publish is decided on the post as stored and as it would be saved: an \
         editor may edit someone else's draft, and may not publish it.</p><h3>Files</h3>",
    );
    head(html, "<th>folder");
    for row in &matrix.files {
        html.push_str(&format!(
            "<tr><td>{}<td><code>{}</code><td><code>{}</code><td>{}",
            row.what,
            escape(row.request),
            escape(&row.on),
            escape(row.whose)
        ));
        cells(html, row);
    }
    html.push_str("</table>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_text_and_attributes() {
        assert_eq!(
            escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }
}
