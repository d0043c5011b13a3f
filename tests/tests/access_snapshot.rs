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
