//! The access matrices of the page: for a guest, a user, an editor and an
//! admin, what each request of the API would do with a sample post or key.
//! Each row is one request the API serves, decided as its handler decides
//! it (`actions.rs`): `authorize_update` for an edit and for publishing,
//! `authorize_record` for the rest, the storage rules for files.

use groupguard::{Access, Op, Principal, Storage};

use crate::actions::{edited, published};
use crate::auth::{Files, Group, Post, Status};

/// A column: who, what that means, and a principal of that kind.
pub struct Column {
    /// `guest`, `user`, `EDITORS`, `ADMINS`.
    pub name: &'static str,
    /// What the name means, for the legend.
    pub meaning: &'static str,
    /// The group of the column, if any.
    group: Option<Group>,
    principal: Principal<Group>,
}

impl Column {
    /// Whether `viewer` is of this column's kind (a user in both groups is
    /// of both group columns).
    pub fn holds(&self, viewer: &Principal<Group>) -> bool {
        match (self.principal.is_authenticated(), self.group) {
            (false, _) => !viewer.is_authenticated(),
            (true, None) => viewer.is_authenticated() && viewer.groups().is_empty(),
            (true, Some(group)) => viewer.is_in(group),
        }
    }
}

/// One request on one sample, decided for each column.
pub struct Row {
    /// The operation: `read`, `publish`, `write`...
    pub what: &'static str,
    /// The request of the API: `POST /posts/{id}/publish`.
    pub request: &'static str,
    /// The sample: `someone else's draft`, or a key.
    pub on: String,
    /// Whose, for a key of a per-user folder: `their own`.
    pub whose: &'static str,
    /// Allowed, per column.
    pub allowed: Vec<bool>,
}

/// The columns and the rows of both matrices, decided once at start (the
/// rules do not change while the service runs).
pub struct Matrix {
    /// guest, user, EDITORS, ADMINS.
    pub columns: Vec<Column>,
    /// The posts' requests.
    pub posts: Vec<Row>,
    /// The files' requests.
    pub files: Vec<Row>,
}

impl Default for Matrix {
    fn default() -> Self {
        Self::new()
    }
}

impl Matrix {
    /// Decides every cell (with audit events off: these are what-ifs).
    pub fn new() -> Self {
        super::html::unaudited(|| {
            let columns = columns();
            let posts = post_rows(&columns);
            let files = file_rows(&columns);
            Self {
                columns,
                posts,
                files,
            }
        })
    }
}

fn columns() -> Vec<Column> {
    let in_group = |name, meaning, group| Column {
        name,
        meaning,
        group: Some(group),
        principal: Principal::authenticated(format!("a-member-of-{name}")).with_groups([group]),
    };
    vec![
        Column {
            name: "guest",
            meaning: "not signed in: no token",
            group: None,
            principal: Principal::guest(),
        },
        Column {
            name: "user",
            meaning: "signed in, in no group",
            group: None,
            principal: Principal::authenticated("a-user"),
        },
        in_group("EDITORS", "signed in, in the EDITORS group", Group::EDITORS),
        in_group("ADMINS", "signed in, in the ADMINS group", Group::ADMINS),
    ]
}

/// The sample posts, as seen by `principal`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sample {
    OwnDraft,
    OthersDraft,
    Published,
}

impl Sample {
    fn label(self) -> &'static str {
        match self {
            Sample::OwnDraft => "their own draft",
            Sample::OthersDraft => "someone else's draft",
            Sample::Published => "a published post",
        }
    }

    fn post(self, principal: &Principal<Group>) -> Post {
        Post {
            id: 1,
            owner: match self {
                Sample::OwnDraft => principal.sub().unwrap_or_default().to_owned(),
                Sample::OthersDraft | Sample::Published => "someone-else".to_owned(),
            },
            title: "a title".to_owned(),
            body: "some words".to_owned(),
            status: match self {
                Sample::OwnDraft | Sample::OthersDraft => Status::Draft,
                Sample::Published => Status::Published,
            },
        }
    }
}

/// A request on posts: its operation, how the handler decides it, and the
/// samples it can be asked on. `create` makes a draft of one's own (the
/// API offers nothing else); `publish` is asked of drafts.
type PostRequest = (
    &'static str,
    &'static str,
    fn(&Principal<Group>, &Post) -> bool,
    &'static [Sample],
);

const ALL: &[Sample] = &[Sample::OwnDraft, Sample::OthersDraft, Sample::Published];

fn post_rows(columns: &[Column]) -> Vec<Row> {
    let requests: [PostRequest; 6] = [
        (
            "list",
            "GET /posts",
            |p, post| post.authorize_record(p, Op::List).is_allowed(),
            ALL,
        ),
        (
            "read",
            "GET /posts/{id}",
            |p, post| post.authorize_record(p, Op::Get).is_allowed(),
            ALL,
        ),
        (
            "create",
            "POST /posts",
            |p, post| post.authorize_record(p, Op::Create).is_allowed(),
            &[Sample::OwnDraft],
        ),
        (
            "edit",
            "PUT /posts/{id}",
            |p, post| {
                post.authorize_update(p, &edited(post, None, None))
                    .is_allowed()
            },
            ALL,
        ),
        (
            "publish",
            "POST /posts/{id}/publish",
            |p, post| post.authorize_update(p, &published(post)).is_allowed(),
            &[Sample::OwnDraft, Sample::OthersDraft],
        ),
        (
            "delete",
            "DELETE /posts/{id}",
            |p, post| post.authorize_record(p, Op::Delete).is_allowed(),
            ALL,
        ),
    ];
    let mut rows = Vec::new();
    for (what, request, decide, samples) in requests {
        for sample in samples {
            rows.push(Row {
                what,
                request,
                on: sample.label().to_owned(),
                whose: "",
                allowed: columns
                    .iter()
                    .map(|c| decide(&c.principal, &sample.post(&c.principal)))
                    .collect(),
            });
        }
    }
    rows
}

fn file_rows(columns: &[Column]) -> Vec<Row> {
    let mut rows = Vec::new();
    for path in Files::PATHS {
        // A per-user folder: the column's own, and someone else's.
        let folders: &[(&str, Option<&str>)] = if path.has_entity_id() {
            &[
                ("their own", None),
                ("someone else's", Some("someone-else")),
            ]
        } else {
            &[("", Some(""))]
        };
        for &(whose, entity) in folders {
            for (access, what, request) in [
                (Access::Get, "read", "GET /files/{key}"),
                (Access::List, "list", "GET /files?prefix="),
                (Access::Write, "write", "PUT /files/{key}"),
                (Access::Delete, "delete", "DELETE /files/{key}"),
            ] {
                // `list` is asked of the folder, the rest of a file in it.
                let shown = path
                    .path()
                    .replace('*', if access == Access::List { "" } else { "file" });
                let allowed = columns
                    .iter()
                    .map(|column| {
                        let id = entity
                            .unwrap_or_else(|| column.principal.entity_id().unwrap_or("nobody"));
                        let key = shown.replace("{entity_id}", id);
                        Files::authorize(&column.principal, &key, access).is_allowed()
                    })
                    .collect();
                rows.push(Row {
                    what,
                    request,
                    on: shown,
                    whose,
                    allowed,
                });
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'m>(rows: &'m [Row], what: &str, on: &str) -> &'m [bool] {
        &rows
            .iter()
            .find(|row| row.what == what && row.on == on)
            .unwrap_or_else(|| panic!("no row {what} / {on}"))
            .allowed
    }

    #[test]
    fn editors_edit_drafts_and_do_not_publish_them() {
        let matrix = Matrix::new();
        let names: Vec<_> = matrix.columns.iter().map(|c| c.name).collect();
        assert_eq!(names, ["guest", "user", "EDITORS", "ADMINS"]);
        let m = &matrix.posts;
        assert_eq!(
            row(m, "edit", "someone else's draft"),
            [false, false, true, true]
        );
        assert_eq!(
            row(m, "publish", "someone else's draft"),
            [false, false, false, true]
        );
        assert_eq!(
            row(m, "publish", "their own draft"),
            [false, false, false, true]
        );
        assert_eq!(row(m, "edit", "their own draft"), [false, true, true, true]);
        assert_eq!(
            row(m, "delete", "a published post"),
            [false, false, false, true]
        );
        assert_eq!(
            row(m, "create", "their own draft"),
            [false, true, true, true]
        );
        // Only the requests the API can be asked.
        assert!(
            !m.iter()
                .any(|r| r.what == "create" && r.on != "their own draft")
        );
        assert!(
            !m.iter()
                .any(|r| r.what == "publish" && r.on == "a published post")
        );
    }

    #[test]
    fn the_file_matrix_names_the_folder_apart_from_the_key() {
        let matrix = Matrix::new();
        let own = matrix
            .files
            .iter()
            .find(|r| r.what == "read" && r.whose == "their own")
            .expect("a per-user row");
        assert_eq!(own.on, "profiles/{entity_id}/file");
        assert_eq!(own.allowed, [false, true, true, true]);
        let others = matrix
            .files
            .iter()
            .find(|r| r.what == "read" && r.whose == "someone else's")
            .expect("a per-user row");
        assert_eq!(others.allowed, [false, false, false, false]);
    }

    #[test]
    fn each_viewer_is_in_the_columns_of_its_kind() {
        let matrix = Matrix::new();
        let held = |viewer: &Principal<Group>| -> Vec<&str> {
            matrix
                .columns
                .iter()
                .filter(|c| c.holds(viewer))
                .map(|c| c.name)
                .collect()
        };
        assert_eq!(held(&Principal::guest()), ["guest"]);
        assert_eq!(held(&Principal::authenticated("uma")), ["user"]);
        let both = Principal::authenticated("x").with_groups([Group::EDITORS, Group::ADMINS]);
        assert_eq!(held(&both), ["EDITORS", "ADMINS"]);
    }
}
