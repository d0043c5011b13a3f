//! Who may do what, as a report for review and audit: from the metadata
//! the macros emit ([`Model::RULES`], [`Storage::PATHS`]), one table per
//! model (operations x subjects) and per storage (paths x subjects), as
//! Markdown or as one self-contained HTML page; and a snapshot check that
//! fails a test, with a diff, when access changed.
//!
//! ```
//! use groupguard::report::AccessReport;
//! use groupguard::{groups, model, storage};
//!
//! #[groups]
//! pub enum Group { ADMINS, EDITORS }
//!
//! #[model(allow(guest, to = [read], when = Self::is_published), allow(groups = [ADMINS]))]
//! pub struct Post { pub published: bool }
//! impl Post { fn is_published(&self) -> bool { self.published } }
//!
//! storage! { pub Files { "drafts/*" => groups(EDITORS): [read, write] } }
//!
//! let report = AccessReport::new().model::<Post>().storage::<Files>();
//! let markdown = report.to_markdown();
//! assert!(markdown.contains("| get | if `Self::is_published` | denied | allowed | denied |"));
//! assert!(markdown.contains("| `drafts/*` | none | none | none | get, list, write |"));
//! assert!(report.to_html().starts_with("<!doctype html>"));
//! ```
//!
//! Subjects are a guest, a signed-in user in no group, each declared group,
//! and, when rules read the record, its owner (`allow(owner)`, per field;
//! and, when a rule on the field has `legacy_username`, a user whose bare
//! user name the field holds) or a member of the group the record names
//! (`group_defined_in`). A model
//! cell says `allowed`, `denied`, or `if <condition>` for a rule whose `when`
//! must hold; a storage cell lists the actions.

use core::fmt::Write as _;
use std::path::Path;

use crate::group::Groups;
use crate::model::{Model, ModelRule, Op, OpSet, Who};
use crate::storage::{Acceptor, AccessSet, Storage};

/// One table: a title, column headers, and rows of cells.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Table {
    title: String,
    corner: &'static str,
    columns: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
    /// The rows of `read`'s parts (a model's `get` ... `search`), in order;
    /// empty for a storage.
    read_parts: Vec<usize>,
}

impl Table {
    /// The rows as shown: with `collapse_read`, `read`'s parts as one
    /// `read` row (where the first part was) when every part's cells agree.
    fn shown_rows(&self, collapse_read: bool) -> Vec<(&str, &[String])> {
        let parts = &self.read_parts;
        let agree = collapse_read
            && parts.len() > 1
            && parts
                .iter()
                .all(|&i| self.rows[i].1 == self.rows[parts[0]].1);
        self.rows
            .iter()
            .enumerate()
            .filter_map(|(i, (label, cells))| {
                if !agree || !parts.contains(&i) {
                    Some((label.as_str(), cells.as_slice()))
                } else if i == parts[0] {
                    Some(("read", cells.as_slice()))
                } else {
                    None
                }
            })
            .collect()
    }
}

/// A report over some models and storages; build it with
/// [`model`](Self::model) and [`storage`](Self::storage), render it with
/// [`to_markdown`](Self::to_markdown) or [`to_html`](Self::to_html).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessReport {
    tables: Vec<Table>,
    collapse_read: bool,
}

/// Who a column stands for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Subject<G: 'static> {
    Guest,
    SignedIn,
    Group(G),
    /// `allow(owner = field)` / `allow(owners = field)`: the record's owner.
    Owner(&'static str),
    /// A user whose bare user name is in `field`: an owner only by the
    /// rules with `legacy_username`.
    UsernameOwner(&'static str),
    /// `group(s)_defined_in = field`: a member of a group the record names.
    RecordGroup(&'static str),
}

impl<G: Groups> Subject<G> {
    fn header(self) -> String {
        match self {
            Subject::Guest => "guest".to_owned(),
            Subject::SignedIn => "signed in".to_owned(),
            Subject::Group(group) => group.name().to_owned(),
            Subject::Owner(field) => format!("owner (`{field}`)"),
            Subject::UsernameOwner(field) => format!("user name in `{field}` (legacy)"),
            Subject::RecordGroup(field) => format!("group in `{field}`"),
        }
    }

    /// Whether a storage grant to `acceptor` applies to this subject (the
    /// `Owner` subject of a storage is the owner of the key's `{entity_id}`).
    /// Matched on every acceptor, so that a new kind must be placed here.
    fn accepted_by(self, acceptor: Acceptor<G>) -> bool {
        match acceptor {
            Acceptor::Guest => self == Subject::Guest,
            Acceptor::Authenticated => self != Subject::Guest,
            Acceptor::Groups(groups) => {
                matches!(self, Subject::Group(group) if groups.contains(&group))
            }
            Acceptor::Entity => matches!(self, Subject::Owner(_)),
        }
    }

    /// Whether `rule` admits this subject (as far as the principal goes).
    /// Matched on every rule kind, so that a new kind must be placed here
    /// rather than print "denied" unnoticed.
    fn admitted_by(self, rule: &ModelRule<G>) -> bool {
        match rule.who() {
            Who::Guest => self == Subject::Guest,
            Who::Authenticated => self != Subject::Guest,
            Who::Groups(groups) => matches!(self, Subject::Group(group) if groups.contains(&group)),
            Who::Owner(field) | Who::Owners(field) => {
                self == Subject::Owner(field)
                    || (self == Subject::UsernameOwner(field) && rule.legacy_username())
            }
            Who::GroupDefinedIn(field) | Who::GroupsDefinedIn(field) => {
                self == Subject::RecordGroup(field)
            }
        }
    }
}

/// The row label of a storage path. The grants to others than the owner on
/// `p/{entity_id}/*` cover all of `p/*`, as Amplify deploys them; the label
/// says so.
fn path_label<G: Groups>(path: &crate::storage::StoragePath<G>) -> String {
    let wide = path
        .grants()
        .iter()
        .any(|grant| !matches!(grant.acceptor(), Acceptor::Entity));
    match path.path().strip_suffix("{entity_id}/*") {
        Some(parent) if wide => format!("`{}` (non-owners: all of `{parent}*`)", path.path()),
        _ => format!("`{}`", path.path()),
    }
}

/// The cell of a model table: what the rules `rules` say for `subject`.
fn model_cell<G: Groups>(rules: &[ModelRule<G>], subject: Subject<G>, op: Op) -> String {
    let mut conditions = Vec::new();
    for rule in rules {
        if !rule.ops().contains(op) || !subject.admitted_by(rule) {
            continue;
        }
        match rule.when() {
            None => return "allowed".to_owned(),
            Some(when) => {
                let condition = format!("`{when}`");
                if !conditions.contains(&condition) {
                    conditions.push(condition);
                }
            }
        }
    }
    if conditions.is_empty() {
        "denied".to_owned()
    } else {
        format!("if {}", conditions.join(" or "))
    }
}

impl AccessReport {
    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the table of the model `M`.
    #[must_use]
    pub fn model<M: Model>(mut self) -> Self {
        let mut subjects = vec![Subject::Guest, Subject::SignedIn];
        subjects.extend(M::Group::ALL.iter().map(|g| Subject::Group(*g)));
        for rule in M::RULES {
            let extra = match rule.who() {
                Who::Owner(field) | Who::Owners(field) => {
                    let by_name = rule
                        .legacy_username()
                        .then_some(Subject::UsernameOwner(field));
                    [Some(Subject::Owner(field)), by_name]
                }
                Who::GroupDefinedIn(field) | Who::GroupsDefinedIn(field) => {
                    [Some(Subject::RecordGroup(field)), None]
                }
                _ => [None, None],
            };
            for extra in extra.into_iter().flatten() {
                if !subjects.contains(&extra) {
                    subjects.push(extra);
                }
            }
        }
        // The rows: the simple operations, from the one list of them.
        let rows: Vec<(String, Vec<String>)> = OpSet::ALL
            .iter()
            .map(|op| {
                let cells = subjects
                    .iter()
                    .map(|s| model_cell(M::RULES, *s, op))
                    .collect();
                (op.to_string(), cells)
            })
            .collect();
        let read_parts = OpSet::ALL
            .iter()
            .enumerate()
            .filter(|(_, op)| Op::Read.parts().contains(op))
            .map(|(i, _)| i)
            .collect();
        self.tables.push(Table {
            title: format!("Model `{}`", M::NAME),
            corner: "operation",
            columns: subjects.iter().map(|s| s.header()).collect(),
            rows,
            read_parts,
        });
        self
    }

    /// Shows `read`'s parts (`get`, `list`, `sync`, `listen`, `search`) as
    /// one `read` row in each model table where every subject's cells
    /// agree; where any differs, the parts stay, each on its row. A REST
    /// service never asks about `sync`, `listen` or `search`, which are five
    /// of a table's eight rows with `get` and `list`. Storage tables are
    /// unchanged (their cells already list `get` and `list`).
    ///
    /// ```
    /// use groupguard::report::AccessReport;
    /// use groupguard::{groups, model};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(authenticated, to = [read]), allow(groups = [ADMINS]))]
    /// pub struct Post;
    /// #[model(allow(guest, to = [get, list]), allow(groups = [ADMINS]))]
    /// pub struct Page;
    ///
    /// let markdown = AccessReport::new().model::<Post>().model::<Page>().collapse_read().to_markdown();
    /// // `Post`: the parts agree, one row.
    /// assert!(markdown.contains("| delete | denied | denied | allowed |\n| read | denied | allowed | allowed |\n\n"));
    /// // `Page`: guests may `get` and `list` only, so every part stays.
    /// assert!(markdown.contains("| get | allowed | denied | allowed |\n| list | allowed | denied | allowed |\n| sync | denied | denied | allowed |"));
    /// ```
    #[must_use]
    pub fn collapse_read(mut self) -> Self {
        self.collapse_read = true;
        self
    }

    /// Adds the table of the storage `S`.
    #[must_use]
    pub fn storage<S: Storage>(mut self) -> Self {
        let mut subjects = vec![Subject::Guest, Subject::SignedIn];
        subjects.extend(S::Group::ALL.iter().map(|g| Subject::Group(*g)));
        if S::PATHS
            .iter()
            .any(crate::storage::StoragePath::has_entity_id)
        {
            subjects.push(Subject::Owner("{entity_id}"));
        }
        let rows = S::PATHS
            .iter()
            .map(|path| {
                let cells = subjects
                    .iter()
                    .map(|subject| {
                        let actions: Vec<&str> = AccessSet::ALL
                            .iter()
                            .filter(|access| {
                                path.grants().iter().any(|grant| {
                                    grant.actions().contains(*access)
                                        && subject.accepted_by(grant.acceptor())
                                })
                            })
                            .map(crate::storage::Access::name)
                            .collect();
                        if actions.is_empty() {
                            "none".to_owned()
                        } else {
                            actions.join(", ")
                        }
                    })
                    .collect();
                (path_label(path), cells)
            })
            .collect();
        self.tables.push(Table {
            read_parts: Vec::new(),
            title: format!("Storage `{}`", S::NAME),
            corner: "path",
            columns: subjects
                .iter()
                .map(|s| match s {
                    Subject::Owner(_) => "owner of `{entity_id}`".to_owned(),
                    other => other.header(),
                })
                .collect(),
            rows,
        });
        self
    }

    /// The report as Markdown: a heading and a table per model and storage.
    pub fn to_markdown(&self) -> String {
        let mut out =
            String::from("# Access report\n\nGenerated by groupguard from the declared rules.\n");
        for table in &self.tables {
            let _ = write!(out, "\n## {}\n\n| {} |", table.title, table.corner);
            for column in &table.columns {
                let _ = write!(out, " {column} |");
            }
            out.push_str("\n|---|");
            out.push_str(&"---|".repeat(table.columns.len()));
            out.push('\n');
            for (label, cells) in table.shown_rows(self.collapse_read) {
                let _ = write!(out, "| {label} |");
                for cell in cells {
                    let _ = write!(out, " {cell} |");
                }
                out.push('\n');
            }
        }
        out
    }

    /// The report as one self-contained HTML page (no scripts, no external
    /// assets), for an auditor's browser.
    pub fn to_html(&self) -> String {
        let mut out = String::from(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Access report</title>\n\
             <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}\
             th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left}\
             td.allowed{background:#dfd}td.denied,td.none{background:#fdd}td.if{background:#ffd}</style></head>\n\
             <body><h1>Access report</h1><p>Generated by groupguard from the declared rules.</p>\n",
        );
        for table in &self.tables {
            let _ = write!(
                out,
                "<h2>{}</h2>\n<table><tr><th>{}</th>",
                html(&table.title),
                html(table.corner)
            );
            for column in &table.columns {
                let _ = write!(out, "<th>{}</th>", html(column));
            }
            out.push_str("</tr>\n");
            for (label, cells) in table.shown_rows(self.collapse_read) {
                let _ = write!(out, "<tr><th>{}</th>", html(label));
                for cell in cells {
                    let class = if cell == "allowed" {
                        "allowed"
                    } else if cell == "denied" || cell == "none" {
                        "denied"
                    } else if cell.starts_with("if ") {
                        "if"
                    } else {
                        "allowed"
                    };
                    let _ = write!(out, "<td class=\"{class}\">{}</td>", html(cell));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</table>\n");
        }
        out.push_str("</body></html>\n");
        out
    }

    /// Compares the Markdown report with the file at `path`: `Err` with a
    /// readable message (a line diff, `-` snapshot, `+` now) when the file
    /// is missing or differs.
    ///
    /// # Errors
    ///
    /// The message, as above.
    pub fn compare_with(&self, path: impl AsRef<Path>) -> Result<(), String> {
        let path = path.as_ref();
        let current = self.to_markdown();
        let Ok(saved) = std::fs::read_to_string(path) else {
            return Err(format!(
                "no access snapshot at {}: run the test with GROUPGUARD_BLESS=1 to write it",
                path.display()
            ));
        };
        if saved == current {
            return Ok(());
        }
        Err(format!(
            "access changed: {} differs from the declared rules (- snapshot, + now); \
             review the change and rerun with GROUPGUARD_BLESS=1 to accept it\n{}",
            path.display(),
            diff(&saved, &current)
        ))
    }

    /// A test helper: [`compare_with`](Self::compare_with) the file at
    /// `path`, panicking with its message, so that a change of who may do
    /// what shows up in review. With the environment variable
    /// `GROUPGUARD_BLESS=1`, writes the file instead.
    ///
    /// # Panics
    ///
    /// When the file is missing or differs (and `GROUPGUARD_BLESS` is not
    /// `1`), or cannot be written when blessing.
    pub fn assert_snapshot(&self, path: impl AsRef<Path>) {
        let path = path.as_ref();
        if std::env::var_os("GROUPGUARD_BLESS").is_some_and(|v| v == "1") {
            std::fs::write(path, self.to_markdown())
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
            return;
        }
        if let Err(message) = self.compare_with(path) {
            panic!("{message}");
        }
    }
}

/// `text`, whose inline code is Markdown's (`` `Article` ``), as HTML:
/// metacharacters escaped, each backticked span as `<code>`. A backtick
/// without its pair stays as it is.
fn html(text: &str) -> String {
    let spans: Vec<&str> = text.split('`').collect();
    // Spans alternate text, code, text...; an even count of spans means an
    // odd count of backticks: the last one has no pair.
    let paired = if spans.len().is_multiple_of(2) {
        spans.len() - 2
    } else {
        spans.len() - 1
    };
    let mut out = String::with_capacity(text.len() + 16);
    for (i, span) in spans.iter().enumerate() {
        if i > paired {
            out.push('`');
            out.push_str(&escaped(span));
        } else if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escaped(span));
        } else {
            out.push_str(&escaped(span));
        }
    }
    out
}

/// `text` with HTML's metacharacters escaped.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A line diff of `old` and `new` (longest common subsequence): changed
/// lines with `-` and `+`, unchanged ones left out.
fn diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lcs[i][j]: the length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "- {}", a[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+ {}", b[j]);
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{AccessReport, diff, html};

    #[test]
    fn inline_code_is_code_in_html_and_escaped() {
        assert_eq!(html("Model `Article`"), "Model <code>Article</code>");
        assert_eq!(
            html("if `Self::a` or `Self::b`"),
            "if <code>Self::a</code> or <code>Self::b</code>"
        );
        assert_eq!(html("`a<b>&\"c`"), "<code>a&lt;b&gt;&amp;&quot;c</code>");
        // A backtick without its pair stays.
        assert_eq!(html("a `b` c `d"), "a <code>b</code> c `d");
        assert_eq!(html("`"), "`");
        assert_eq!(html("<i>"), "&lt;i&gt;");
        assert_eq!(html(""), "");
    }

    #[test]
    fn the_diff_shows_changed_lines_only() {
        assert_eq!(diff("a\nb\nc\n", "a\nB\nc\nd\n"), "- b\n+ B\n+ d\n");
        assert_eq!(diff("same\n", "same\n"), "");
    }

    #[test]
    fn an_entity_path_says_what_its_grants_to_others_cover() {
        #[crate::groups]
        pub enum Group {
            ADMINS,
        }
        crate::storage! {
            groups = Group;
            Files {
                "profiles/{entity_id}/*" => entity(identity): [read, write],
                "profiles/{entity_id}/*" => groups(ADMINS): [read],
                "homes/{entity_id}/*" => entity(identity): [read],
            }
        }
        let markdown = AccessReport::new().storage::<Files>().to_markdown();
        assert!(
            markdown.contains(
                "| `profiles/{entity_id}/*` (non-owners: all of `profiles/*`) | none | none | get, list | get, list, write |"
            ),
            "{markdown}"
        );
        assert!(
            markdown.contains("| `homes/{entity_id}/*` | none |"),
            "{markdown}"
        );
    }
}
