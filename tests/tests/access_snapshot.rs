//! The access snapshot of the tour's policy (`examples/tour_policy.rs`):
//! `ACCESS.md` at the repository root is the report of who may do what;
//! any change of the rules that changes access fails this test with a diff
//! until the file is rewritten (`GROUPGUARD_BLESS=1 cargo test -p
//! groupguard-tests --test access_snapshot`) and the diff reviewed.

#[path = "../../examples/tour_policy.rs"]
mod policy;

use groupguard::report::AccessReport;
use policy::{Article, Articles, Post};

fn report() -> AccessReport {
    AccessReport::new()
        .model::<Article>()
        .model::<Post>()
        .storage::<Articles>()
}

#[test]
fn access_md_is_the_tours_access() {
    report().assert_snapshot(concat!(env!("CARGO_MANIFEST_DIR"), "/../ACCESS.md"));
}

#[test]
fn a_changed_report_fails_with_a_diff() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("ACCESS.md");
    // The snapshot of one model, then the storage added.
    std::fs::write(&file, AccessReport::new().model::<Post>().to_markdown()).unwrap();
    let message = AccessReport::new()
        .model::<Post>()
        .storage::<Articles>()
        .compare_with(&file)
        .expect_err("a different report fails");
    assert!(message.contains("access changed"), "{message}");
    assert!(message.contains("+ ## Storage `Articles`"), "{message}");
    assert!(
        message.contains("+ | `drafts/*` | none | none | get, list, write, delete"),
        "{message}"
    );
    assert!(message.contains("GROUPGUARD_BLESS=1"), "{message}");
    // The same report passes.
    assert_eq!(
        AccessReport::new().model::<Post>().compare_with(&file),
        Ok(())
    );
    // A missing snapshot says how to write it.
    let message = report()
        .compare_with(dir.path().join("none.md"))
        .expect_err("no snapshot");
    assert!(
        message.contains("run the test with GROUPGUARD_BLESS=1"),
        "{message}"
    );
}

#[test]
fn html_shows_inline_code_as_code_never_as_backticks() {
    let html = report().to_html();
    assert!(
        html.contains("<h2>Model <code>Article</code></h2>"),
        "{html}"
    );
    assert!(
        html.contains("<h2>Storage <code>Articles</code></h2>"),
        "{html}"
    );
    assert!(html.contains("<th><code>drafts/*</code></th>"), "{html}");
    assert!(
        html.contains("<th>owner of <code>{entity_id}</code></th>"),
        "{html}"
    );
    assert!(!html.contains('`'), "{html}");
    // The Markdown keeps its backticks.
    assert!(report().to_markdown().contains("## Model `Article`"));
}

#[test]
fn read_parts_collapse_where_they_agree_and_stay_where_they_differ() {
    let markdown = report().collapse_read().to_markdown();
    // `Article`: every part agrees, so one `read` row after `delete`.
    assert!(
        markdown.contains(
            "| delete | denied | denied | denied | denied |\n| read | denied | denied | denied | allowed |\n\n## Model `Post`"
        ),
        "{markdown}"
    );
    // `Post`: guests may `get` and `list` but not `sync`: the parts stay.
    assert!(
        markdown.contains("| get | allowed | allowed | allowed | allowed |\n| list |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| search | denied | allowed | allowed | allowed |"),
        "{markdown}"
    );
    assert_eq!(markdown.matches("| read |").count(), 1, "{markdown}");
    // Storage tables are unchanged, and so is the report without the option.
    assert!(markdown.contains("| `drafts/*` | none | none | get, list, write, delete |"));
    assert!(!report().to_markdown().contains("| read |"));
    // The HTML page collapses alike.
    let html = report().collapse_read().to_html();
    assert_eq!(html.matches("<tr><th>read</th>").count(), 1, "{html}");
    assert_eq!(html.matches("<tr><th>sync</th>").count(), 1, "{html}");
}
