//! Audit events: each guard decision is one `tracing` event on target
//! `groupguard::audit`, allowed at DEBUG and denied at INFO, with the
//! fields an auditor needs and every value from a request escaped.

#[path = "support/log_lines.rs"]
mod log_lines;

use std::sync::{Arc, Mutex};

use groupguard::{Access, Op, Principal, groups, model, storage};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

#[groups]
pub enum Group {
    ADMINS,
    #[group(name = "content-editors")]
    EDITORS,
}

#[model(allow(groups = [EDITORS], to = [read, update]), allow(guest, to = [list]))]
pub struct Article;

storage! {
    pub Files {
        "drafts/*" => groups(EDITORS): [read, write],
    }
}

/// One recorded event: its level, target and fields as text.
#[derive(Debug, Clone)]
struct Recorded {
    level: Level,
    target: String,
    fields: Vec<(String, String)>,
}

impl Recorded {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A subscriber that keeps every event.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Recorded>>>);

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(Recorded {
            level: *event.metadata().level(),
            target: event.metadata().target().to_owned(),
            fields,
        });
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// The audit events that `run` emits.
fn audit(run: impl FnOnce()) -> Vec<Recorded> {
    let capture = Capture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        // Callsites first hit by a test thread without a subscriber may
        // have cached "never": ask them again (see support/log_lines.rs).
        tracing::callsite::rebuild_interest_cache();
        run();
    });
    let events = capture.0.lock().unwrap().clone();
    events
        .into_iter()
        .filter(|e| e.target == "groupguard::audit")
        .collect()
}

#[test]
fn an_allowed_model_decision_is_a_debug_event_naming_the_rule() {
    let editor = Principal::authenticated("ed-1").with_groups([Group::EDITORS]);
    let events = audit(|| {
        let _ = Article::authorize(&editor, Op::Update);
    });
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert_eq!(event.level, Level::DEBUG);
    assert_eq!(event.field("message"), Some("allowed"));
    assert_eq!(event.field("subject"), Some(r#""ed-1""#));
    assert_eq!(event.field("groups"), Some(r#""content-editors""#));
    assert_eq!(event.field("resource"), Some("Article"));
    assert_eq!(event.field("operation"), Some("update"));
    assert_eq!(
        event.field("rule"),
        Some("allow(groups = [EDITORS], to = [read, update])")
    );
}

#[test]
fn a_denied_decision_is_an_info_event_with_its_reason() {
    let events = audit(|| {
        let _ = Article::authorize(&Principal::guest(), Op::Read);
    });
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event.level, Level::INFO);
    assert_eq!(event.field("message"), Some("denied"));
    assert_eq!(event.field("subject"), Some(r#""guest""#));
    assert_eq!(event.field("operation"), Some("read"));
    assert_eq!(event.field("part"), Some("get"));
    assert_eq!(
        event.field("reason"),
        Some(r#""guests are not allowed; sign in""#)
    );
}

#[test]
fn storage_events_carry_the_key_escaped() {
    let editor = Principal::authenticated("ed\n1").with_groups([Group::EDITORS]);
    let events = audit(|| {
        let _ = Files::authorize(&editor, "drafts/a.md", Access::Write);
        let _ = Files::authorize(&editor, "drafts/x\nINFO forged", Access::Get);
    });
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].field("key"), Some(r#""drafts/a.md""#));
    assert_eq!(events[0].field("resource"), Some("Files"));
    assert_eq!(events[0].level, Level::DEBUG);
    // A newline in a key or a subject cannot start a forged log line.
    assert_eq!(events[1].field("key"), Some(r#""drafts/x\nINFO forged""#));
    assert_eq!(events[1].field("subject"), Some(r#""ed\n1""#));
    assert_eq!(events[1].level, Level::INFO);
    for event in &events {
        for (_, value) in &event.fields {
            assert!(!value.contains('\n'), "{value:?}");
        }
    }
}

/// A record with an optional field, for updates.
#[model(allow(authenticated, to = [update]), allow(groups = [EDITORS]))]
#[derive(Clone)]
pub struct Note {
    pub text: Option<String>,
}

#[test]
fn an_update_is_one_event_naming_the_check_that_denied_it() {
    let user = Principal::authenticated("u-1");
    let note = Note {
        text: Some("secret\nINFO forged".into()),
    };
    let cleared = Note { text: None };
    let events = audit(|| {
        let _ = note.authorize_update(&user, &cleared);
        let _ = note.authorize_update(&user, &note.clone());
    });
    // One event per update, not one per check.
    assert_eq!(events.len(), 2, "{events:?}");
    let denied = &events[0];
    assert_eq!(denied.level, Level::INFO);
    assert_eq!(denied.field("operation"), Some("update"));
    assert_eq!(denied.field("resource"), Some("Note"));
    assert_eq!(
        denied.field("check"),
        Some(r#""clearing `text` needs `delete`""#)
    );
    assert_eq!(
        denied.field("reason"),
        Some(r#""the principal is in none of the allowed groups""#)
    );
    // No value of the record is logged.
    for event in &events {
        for (_, value) in &event.fields {
            assert!(!value.contains("secret"), "{value:?}");
        }
    }
    let allowed = &events[1];
    assert_eq!(allowed.level, Level::DEBUG);
    assert_eq!(allowed.field("check"), None);
    assert_eq!(
        allowed.field("rule"),
        Some("allow(authenticated, to = [update])")
    );
}

#[test]
fn no_subscriber_no_event_and_the_same_decision() {
    // Without a subscriber the decision is unchanged (the cost of the
    // check is measured by `cargo bench -p groupguard-tests --bench guards`).
    let editor = Principal::authenticated("ed").with_groups([Group::EDITORS]);
    assert!(Article::authorize(&editor, Op::Update).is_allowed());
    assert!(Article::authorize(&editor, Op::Delete).is_denied());
}

/// A key, a subject or a group claim written to forge fields cannot: each
/// line parses into exactly the fields the event has, with the values as
/// given (escaped).
#[test]
fn forged_fields_in_a_key_or_subject_stay_inside_their_field() {
    let forged_key = r#"drafts/x operation=get reason="allowed" rule=any"#;
    let forged_sub = "ed key=drafts/ok\nINFO groupguard::audit: allowed";
    let editor = Principal::authenticated(forged_sub).with_groups([Group::EDITORS]);
    let lines = log_lines::lines("groupguard::audit", || {
        let _ = Files::authorize(&editor, forged_key, Access::Delete);
        let _ = Files::authorize(&editor, forged_key, Access::Write);
        let _ = Files::authorize(&editor, "drafts/\u{202e}gpj.exe\u{2028}x", Access::Get);
    });
    assert_eq!(lines.len(), 3, "{lines:#?}");
    let names = log_lines::names;
    assert_eq!(
        names(&lines[0]),
        [
            "subject",
            "groups",
            "resource",
            "key",
            "operation",
            "reason"
        ],
        "{}",
        lines[0]
    );
    assert_eq!(
        names(&lines[1]),
        ["subject", "groups", "resource", "key", "operation", "rule"],
        "{}",
        lines[1]
    );
    let field = |line: &str, name: &str| log_lines::field(line, name).unwrap_or_default();
    assert_eq!(
        field(&lines[0], "key"),
        r#"drafts/x operation=get reason=\"allowed\" rule=any"#
    );
    assert_eq!(field(&lines[0], "operation"), "delete");
    assert_eq!(
        field(&lines[0], "subject"),
        r"ed key=drafts/ok\nINFO groupguard::audit: allowed"
    );
    // Bidi controls and line separators show as escapes, not as text that
    // reorders or breaks the line.
    assert_eq!(field(&lines[2], "key"), r"drafts/\u{202e}gpj.exe\u{2028}x");
    for line in &lines {
        assert!(!line.contains(['\u{202e}', '\u{2028}', '\n']), "{line:?}");
    }
}

/// `authorize` without a record, asked what only a record rule can allow,
/// warns once per model (the denial is INFO, which a new service may not
/// show): a WARN event naming `authorize_record`.
#[test]
fn authorize_without_the_record_a_record_rule_needs_warns_once_per_model() {
    #[model(allow(owner), allow(groups = [ADMINS], to = [delete]))]
    pub struct Memo {
        pub owner: String,
    }

    #[model(allow(owners = editors, to = [update]), allow(authenticated, to = [read]))]
    pub struct Sheet {
        pub editors: Vec<String>,
    }

    let ann = Principal::<Group>::authenticated("ann");
    let admin = Principal::authenticated("root").with_groups([Group::ADMINS]);
    let warnings = |run: &dyn Fn()| -> Vec<Recorded> {
        audit(run)
            .into_iter()
            .filter(|e| e.level == Level::WARN)
            .collect()
    };
    // Decisions that the record-free rules settle never warn.
    let none = warnings(&|| {
        assert!(Memo::authorize(&admin, Op::Delete).is_allowed());
        assert!(Sheet::authorize(&ann, Op::Get).is_allowed());
        assert!(Sheet::authorize(&Principal::guest(), Op::Update).is_denied()); // a guest: no record helps
    });
    assert!(none.is_empty(), "{none:?}");

    // The first decision that needs the record warns, naming what to call.
    let first = warnings(&|| {
        for _ in 0..3 {
            assert!(Memo::authorize(&ann, Op::Get).is_denied());
            assert!(Memo::authorize(&ann, Op::Update).is_denied());
        }
    });
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].field("resource"), Some("Memo"));
    assert_eq!(first[0].field("operation"), Some("get"));
    assert_eq!(first[0].field("rule"), Some("allow(owner)"));
    let message = first[0].field("message").unwrap_or_default();
    assert!(message.contains("`authorize_record`"), "{message}");
    assert!(message.contains("`Memo::authorize`"), "{message}");

    // Once per model: never again for `Memo`, once for `Sheet`.
    let later = warnings(&|| {
        let _ = Memo::authorize(&ann, Op::Get);
        let _ = Sheet::authorize(&ann, Op::Update);
        let _ = Sheet::authorize(&ann, Op::Update);
    });
    assert_eq!(later.len(), 1, "{later:?}");
    assert_eq!(later[0].field("resource"), Some("Sheet"));
    // The denial itself names `authorize_record` too.
    assert_eq!(
        Memo::authorize(&ann, Op::Get).to_string(),
        "`get` on `Memo` denied: only the record can decide: `allow(owner)` may allow it (use `authorize_record`)"
    );
}
