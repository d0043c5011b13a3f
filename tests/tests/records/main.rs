//! Record rules: owner and dynamic-group rules, `when` predicates, field
//! rules, redaction and list filters (behaviour tables). `sql` puts the
//! filters in `SQLite` queries.

mod ids;
mod sql;
mod update;

use groupguard::{DenyReason, Model, ModelRule, Op, Outcome, Principal, Who, groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    REVIEWERS,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Status {
    #[default]
    Draft,
    Published,
}

/// The issue's example.
#[model(
    allow(owner, to = [create, read, update, delete]),
    allow(owner = author, to = [update]),
    allow(owners = editors, to = [update]),
    allow(group_defined_in = team, to = [read]),
    allow(groups_defined_in = teams, to = [delete]),
    allow(groups = [EDITORS], to = [update], when = Self::is_draft),
    allow(groups = [ADMINS]),
)]
#[derive(Clone, Debug, Default)]
pub struct Post {
    pub owner: String,
    pub author: String,
    pub editors: Vec<String>,
    pub team: String,
    pub teams: Vec<String>,
    pub status: Status,
}

impl Post {
    fn is_draft(&self) -> bool {
        self.status == Status::Draft
    }
}

fn user(sub: &str) -> Principal<Group> {
    Principal::authenticated(sub)
}

fn allowed(decision: groupguard::Decision) -> Option<&'static str> {
    match decision.outcome() {
        Outcome::Allowed { rule } => Some(rule),
        Outcome::Denied(_) => None,
    }
}

#[test]
fn owner_forms_match_sub_and_amplify_stored_form_not_the_user_name() {
    let ann = user("ann-sub").with_username("ann");
    let no_name = user("ann-sub");
    // (stored owner, principal, allowed)
    let table: [(&str, &Principal<Group>, bool); 11] = [
        ("ann-sub", &ann, true),
        ("ann-sub::ann", &ann, true),
        ("ann", &ann, false), // the bare user name: only by `legacy_username`
        ("ann-sub", &no_name, true),
        ("ann-sub::ann", &no_name, false), // the user name is not known
        ("ann-sub::bob", &ann, false),
        ("bob-sub::ann", &ann, false), // someone else's sub with ann's name
        ("ann-sub::", &ann, false),
        ("::ann", &ann, false),
        ("ANN-SUB", &ann, false), // exact, byte for byte
        ("", &ann, false),        // an empty stored owner matches no one
    ];
    for (stored, principal, expected) in table {
        let post = Post {
            owner: stored.to_owned(),
            ..Post::default()
        };
        let decision = post.authorize_record(principal, Op::Delete);
        assert_eq!(
            decision.is_allowed(),
            expected,
            "{stored:?} for {principal:?}: {decision}"
        );
        if !expected {
            assert_eq!(
                decision.deny_reason(),
                Some(DenyReason::NotRecordOwner),
                "{stored:?}"
            );
        }
    }
}

/// Issue 22: where users choose their own user names (Cognito allows `:`
/// in them), a user named after a victim's stored owner value, Amplify's
/// `sub::username` or a bare `sub`, owns none of the victim's records: not
/// by `authorize_record`, and not through a list filter.
#[test]
fn a_user_name_chosen_to_match_a_stored_owner_owns_nothing() {
    let bob = user("bob-sub").with_username("bob");
    for stored in ["bob-sub::bob", "bob-sub"] {
        let mallory = user("mallory-sub").with_username(stored);
        let post = Post {
            owner: stored.to_owned(),
            author: stored.to_owned(),
            editors: vec![stored.to_owned()],
            ..Post::default()
        };
        for op in [Op::Get, Op::List, Op::Update, Op::Delete] {
            let decision = post.authorize_record(&mallory, op);
            assert_eq!(
                decision.deny_reason(),
                Some(DenyReason::NotRecordOwner),
                "{op} on {stored:?}: {decision}"
            );
            assert!(post.authorize_record(&bob, op).is_allowed(), "{op}");
        }
        let filter = Post::filter_for(&mallory, Op::Update);
        assert_eq!(
            filter.to_string(),
            format!(
                r#"owner in ["mallory-sub", "mallory-sub::{stored}"] or author in ["mallory-sub", "mallory-sub::{stored}"] or editors has any of ["mallory-sub", "mallory-sub::{stored}"]"#
            )
        );
        for m in filter
            .terms()
            .iter()
            .flat_map(groupguard::FilterTerm::matches)
        {
            assert!(!m.values().iter().any(|v| v == stored), "{filter}");
        }
    }
}

#[test]
fn guests_own_nothing_and_empty_ids_match_no_one() {
    let post = Post {
        owner: String::new(),
        ..Post::default()
    };
    let guest = Principal::<Group>::guest();
    let decision = post.authorize_record(&guest, Op::Delete);
    assert_eq!(decision.deny_reason(), Some(DenyReason::Guest));
    // A trusted caller may build a principal with an empty sub; it owns nothing,
    // not even a record whose owner is empty.
    let empty = user("").with_username("");
    assert!(post.authorize_record(&empty, Op::Delete).is_denied());
    let post = Post {
        owner: "::".to_owned(),
        ..Post::default()
    };
    assert!(post.authorize_record(&empty, Op::Delete).is_denied());
    // An empty sub is no identity, and neither, by default, is a bare user
    // name (and `::al` is not the stored form of an empty sub).
    let al = user("").with_username("al");
    for (stored, expected) in [("al", false), ("::al", false), ("", false)] {
        let post = Post {
            owner: stored.to_owned(),
            ..Post::default()
        };
        assert_eq!(
            post.authorize_record(&al, Op::Delete).is_allowed(),
            expected,
            "{stored:?}"
        );
    }
}

#[test]
fn owner_lists_and_option_fields() {
    #[model(allow(owners = editors, to = [update]), allow(owner = reviewer, to = [read]))]
    pub struct Doc {
        pub editors: Vec<String>,
        pub reviewer: Option<String>,
    }
    let doc = Doc {
        editors: vec![String::new(), "bo".into(), "cy-sub::cy".into()],
        reviewer: None,
    };
    assert!(doc.authorize_record(&user("bo"), Op::Update).is_allowed());
    assert!(
        doc.authorize_record(&user("cy-sub").with_username("cy"), Op::Update)
            .is_allowed()
    );
    assert!(doc.authorize_record(&user("dee"), Op::Update).is_denied());
    assert!(doc.authorize_record(&user(""), Op::Update).is_denied());
    // `None` names no one.
    let read = doc.authorize_record(&user("bo"), Op::Get);
    assert_eq!(read.deny_reason(), Some(DenyReason::NotRecordOwner));
    let doc = Doc {
        editors: Vec::new(),
        reviewer: Some("bo".into()),
    };
    assert!(doc.authorize_record(&user("bo"), Op::Read).is_allowed());
    assert!(doc.authorize_record(&user("bo"), Op::Update).is_denied());
}

#[test]
fn dynamic_groups_match_claim_values_declared_and_unknown() {
    let reviewer = user("r").with_groups([Group::REVIEWERS]);
    let ops = user("o").with_unknown_groups(["ops".to_owned()]);
    let admin_claim_unknown = user("x").with_unknown_groups(["ADMINS-old".to_owned()]);
    // (team, principal, may read)
    let table: [(&str, &Principal<Group>, bool); 7] = [
        ("content-reviewers", &reviewer, true), // the claim value...
        ("REVIEWERS", &reviewer, false),        // ...not the variant name
        ("ops", &ops, true),                    // unknown claim values match too
        ("ops", &reviewer, false),
        ("ADMINS", &admin_claim_unknown, false),
        ("", &ops, false),
        ("ADMINS-old", &admin_claim_unknown, true),
    ];
    for (team, principal, expected) in table {
        let post = Post {
            team: team.to_owned(),
            ..Post::default()
        };
        let decision = post.authorize_record(principal, Op::Read);
        assert_eq!(
            decision.is_allowed(),
            expected,
            "{team:?} for {principal:?}: {decision}"
        );
    }
    let post = Post {
        teams: vec!["a".into(), "content-reviewers".into()],
        ..Post::default()
    };
    assert_eq!(
        allowed(post.authorize_record(&reviewer, Op::Delete)),
        Some("allow(groups_defined_in = teams, to = [delete])")
    );
    assert_eq!(
        post.authorize_record(&ops, Op::Delete).deny_reason(),
        Some(DenyReason::NotRecordOwner) // an owner rule also covers `delete`
    );
    assert_eq!(
        post.authorize_record(&Principal::guest(), Op::Delete)
            .deny_reason(),
        Some(DenyReason::Guest)
    );
}

#[test]
fn when_composes_with_every_principal_kind() {
    #[model(
        allow(guest, to = [get], when = Self::is_public),
        allow(authenticated, to = [list], when = Self::is_public),
        allow(groups = [EDITORS], to = [update], when = Self::is_draft),
        allow(owner, to = [delete], when = Self::is_draft),
        allow(groups_defined_in = teams, to = [create], when = Self::is_draft),
    )]
    pub struct Page {
        pub public: bool,
        pub draft: bool,
        pub owner: String,
        pub teams: Vec<String>,
    }
    impl Page {
        fn is_public(&self) -> bool {
            self.public
        }
        fn is_draft(&self) -> bool {
            self.draft
        }
    }
    let guest = Principal::<Group>::guest();
    let ann = user("ann");
    let editor = user("ed").with_groups([Group::EDITORS]);
    let page = |public, draft| Page {
        public,
        draft,
        owner: "ann".into(),
        teams: vec!["EDITORS".into()],
    };
    // (principal, op, public, draft, allowed)
    let table: [(&Principal<Group>, Op, bool, bool, bool); 14] = [
        (&guest, Op::Get, true, false, true),
        (&guest, Op::Get, false, false, false),
        (&ann, Op::Get, true, false, false), // a guest rule
        (&ann, Op::List, true, false, true),
        (&ann, Op::List, false, true, false),
        (&guest, Op::List, true, false, false),
        (&editor, Op::Update, false, true, true),
        (&editor, Op::Update, false, false, false),
        (&ann, Op::Update, false, true, false),
        (&ann, Op::Delete, false, true, true),
        (&ann, Op::Delete, false, false, false),
        (&editor, Op::Delete, false, true, false), // not the owner
        (&editor, Op::Create, false, true, true),
        (&editor, Op::Create, false, false, false),
    ];
    for (principal, op, public, draft, expected) in table {
        let decision = page(public, draft).authorize_record(principal, op);
        assert_eq!(
            decision.is_allowed(),
            expected,
            "{op} public={public} draft={draft} by {principal:?}: {decision}"
        );
    }
    // A failed predicate is named when the principal part admitted.
    let decision = page(false, false).authorize_record(&editor, Op::Update);
    assert_eq!(
        decision.deny_reason(),
        Some(DenyReason::ConditionFailed {
            condition: "Self::is_draft"
        })
    );
    assert_eq!(
        decision.to_string(),
        "`update` on `Page` denied: the record does not satisfy `Self::is_draft`"
    );
    // Otherwise the principal's reason stands.
    assert_eq!(
        page(false, true)
            .authorize_record(&ann, Op::Update)
            .deny_reason(),
        Some(DenyReason::NotInAllowedGroup)
    );
    assert_eq!(Page::RULES[0].when(), Some("Self::is_public"));
    assert_eq!(
        Page::RULES[3].declaration(),
        "allow(owner, to = [delete], when = Self::is_draft)"
    );
}

#[test]
fn the_seeds_draft_posts_only_editors_modify_drafts() {
    let editor = user("ed").with_groups([Group::EDITORS]);
    let draft = Post::default();
    let published = Post {
        status: Status::Published,
        ..Post::default()
    };
    assert_eq!(
        allowed(draft.authorize_record(&editor, Op::Update)),
        Some("allow(groups = [EDITORS], to = [update], when = Self::is_draft)")
    );
    assert!(published.authorize_record(&editor, Op::Update).is_denied());
    let admin = user("root").with_groups([Group::ADMINS]);
    assert!(published.authorize_record(&admin, Op::Update).is_allowed());
}

#[test]
fn without_the_record_record_rules_never_allow_and_the_denial_says_so() {
    let ann = user("ann");
    let decision = Post::authorize(&ann, Op::Update);
    assert_eq!(
        decision.deny_reason(),
        Some(DenyReason::NeedsRecord {
            rule: "allow(owner, to = [create, read, update, delete])"
        })
    );
    assert_eq!(
        decision.to_string(),
        "`update` on `Post` denied: only the record can decide: \
         `allow(owner, to = [create, read, update, delete])` may allow it (use `authorize_record`)"
    );
    // A guest could not be allowed by an owner rule: the usual reason.
    assert_eq!(
        Post::authorize(&Principal::guest(), Op::Update).deny_reason(),
        Some(DenyReason::Guest)
    );
    // A `when` rule needs the record too, even for a principal it admits.
    let editor = user("ed").with_groups([Group::EDITORS]);
    assert!(matches!(
        Post::authorize(&editor, Op::Update).deny_reason(),
        Some(DenyReason::NeedsRecord { .. })
    ));
    // Rules that need no record still decide alone.
    let admin = user("root").with_groups([Group::ADMINS]);
    assert!(Post::authorize(&admin, Op::Update).is_allowed());
    assert!(Post::RULES[0].needs_record());
    assert!(!Post::RULES[6].needs_record());
    assert_eq!(Post::RULES[3].who(), Who::GroupDefinedIn("team"));
    assert_eq!(Post::RULES[4].who(), Who::GroupsDefinedIn("teams"));
    assert_eq!(Post::RULES[2].who(), Who::Owners("editors"));
}

#[test]
fn read_needs_every_part_on_the_record() {
    #[model(allow(owner, to = [get, list]), allow(authenticated, to = [sync, listen, search]))]
    pub struct Log {
        pub owner: String,
    }
    let log = Log {
        owner: "ann".into(),
    };
    assert!(log.authorize_record(&user("ann"), Op::Read).is_allowed());
    let decision = log.authorize_record(&user("bo"), Op::Read);
    assert_eq!(decision.part(), Some("get"));
    assert_eq!(decision.deny_reason(), Some(DenyReason::NotRecordOwner));
}

mod fields {
    use super::*;

    #[model(allow(authenticated, to = [read]), allow(groups = [ADMINS]))]
    #[derive(Clone, Debug, PartialEq)]
    pub struct Employee {
        pub sub: String,
        pub name: String,
        #[field(allow(groups = [ADMINS]), allow(owner = sub, to = [read]))]
        pub salary: Option<u64>,
        #[field(allow(groups = [EDITORS], to = [read, update]))]
        pub notes: String,
    }

    fn employee() -> Employee {
        Employee {
            sub: "ann".into(),
            name: "Ann".into(),
            salary: Some(5000),
            notes: "good".into(),
        }
    }

    #[test]
    fn a_fields_rules_replace_the_models() {
        let ann = user("ann");
        let bo = user("bo");
        let editor = user("ed").with_groups([Group::EDITORS]);
        let admin = user("root").with_groups([Group::ADMINS]);
        let e = employee();
        // (principal, field, op, allowed)
        let table: [(&Principal<Group>, EmployeeField, Op, bool); 12] = [
            (&ann, EmployeeField::Salary, Op::Read, true), // owner = sub
            (&bo, EmployeeField::Salary, Op::Read, false), // the model's `authenticated` does not apply
            (&ann, EmployeeField::Salary, Op::Update, false),
            (&admin, EmployeeField::Salary, Op::Update, true),
            (&editor, EmployeeField::Notes, Op::Update, true),
            (&editor, EmployeeField::Notes, Op::Get, true), // `read` covers its parts
            (&admin, EmployeeField::Notes, Op::Read, false), // not even the model's admins
            (&bo, EmployeeField::Name, Op::Read, true),     // no field rules: the model's
            (&bo, EmployeeField::Name, Op::Update, false),
            (&admin, EmployeeField::Name, Op::Delete, true),
            (&Principal::guest(), EmployeeField::Name, Op::Read, false),
            (&Principal::guest(), EmployeeField::Salary, Op::Read, false),
        ];
        for (principal, field, op, expected) in table {
            let decision = e.authorize_field(principal, field, op);
            assert_eq!(
                decision.is_allowed(),
                expected,
                "{field:?} {op} by {principal:?}: {decision}"
            );
        }
        let decision = e.authorize_field(&bo, EmployeeField::Salary, Op::Read);
        assert_eq!(decision.resource(), "Employee.salary");
        assert_eq!(
            decision.to_string(),
            "`read` (`get` part) on `Employee.salary` denied: the principal does not own the record"
        );
        assert_eq!(
            e.authorize_field(&bo, EmployeeField::Name, Op::Get)
                .resource(),
            "Employee"
        );
    }

    #[test]
    fn redaction_clears_what_the_principal_may_not_read() {
        let e = employee();
        let for_bo = e.redacted_for(&user("bo"));
        assert_eq!(for_bo.salary, None);
        assert_eq!(for_bo.notes, "");
        assert_eq!(for_bo.name, "Ann"); // no field rules: kept
        let for_ann = e.redacted_for(&user("ann"));
        assert_eq!(for_ann.salary, Some(5000));
        assert_eq!(for_ann.notes, "");
        let for_editor = e.redacted_for(&user("ed").with_groups([Group::EDITORS]));
        assert_eq!(
            (for_editor.salary, for_editor.notes.as_str()),
            (None, "good")
        );
        let for_admin = e.redacted_for(&user("root").with_groups([Group::ADMINS]));
        assert_eq!(for_admin.salary, Some(5000));
        assert_eq!(for_admin.notes, "");
        assert_eq!(e.redacted_for(&Principal::guest()).salary, None);
    }

    #[test]
    fn the_field_enum_and_metadata() {
        assert_eq!(
            EmployeeField::ALL.map(EmployeeField::name),
            ["sub", "name", "salary", "notes"]
        );
        let fields = <Employee as Model>::FIELDS;
        assert_eq!(fields.len(), 2);
        assert_eq!(
            (fields[0].name(), fields[1].resource()),
            ("salary", "Employee.notes")
        );
        assert_eq!(fields[0].rules()[1].who(), Who::Owner("sub"));
        assert!(<Post as Model>::FIELDS.is_empty());
    }
}

mod filters {
    use super::*;

    #[test]
    fn the_filter_lists_what_the_record_rules_need() {
        let ann = user("ann-sub").with_username("ann");
        assert_eq!(
            Post::filter_for(&ann, Op::Update).to_string(),
            r#"owner in ["ann-sub", "ann-sub::ann"] or author in ["ann-sub", "ann-sub::ann"] or editors has any of ["ann-sub", "ann-sub::ann"]"#
        );
        let reviewer = user("r")
            .with_groups([Group::REVIEWERS])
            .with_unknown_groups(["ops".into()]);
        assert_eq!(
            Post::filter_for(&reviewer, Op::Read).to_string(),
            r#"owner in ["r"] or team in ["content-reviewers", "ops"]"#
        );
        let editor = user("ed").with_groups([Group::EDITORS]);
        let update = Post::filter_for(&editor, Op::Update);
        assert!(update.needs_check());
        assert_eq!(update.terms()[3].conditions(), ["Self::is_draft"]);
        assert!(update.terms()[3].matches().is_empty());
        let admin = user("root").with_groups([Group::ADMINS]);
        assert!(Post::filter_for(&admin, Op::Delete).keeps_everything());
        assert_eq!(
            Post::filter_for(&admin, Op::Delete).to_string(),
            "everything"
        );
        let guest = Principal::guest();
        assert!(Post::filter_for(&guest, Op::Read).keeps_nothing());
    }

    #[test]
    fn a_composite_filter_needs_every_part() {
        #[model(allow(owner, to = [get, list]), allow(authenticated, to = [sync, listen, search]), allow(group_defined_in = team, to = [read]))]
        pub struct Log {
            pub owner: String,
            pub team: String,
        }
        let p = user("ann").with_groups([Group::EDITORS]);
        // Every part: (owner or team) for get and list, anyone for the rest.
        assert_eq!(
            Log::filter_for(&p, Op::Read).to_string(),
            r#"owner in ["ann"] or team in ["EDITORS"]"#
        );
        assert_eq!(
            Log::filter_for(&user("bo"), Op::Read).to_string(),
            r#"owner in ["bo"]"#
        );
    }

    #[test]
    fn the_filter_keeps_exactly_what_authorize_record_allows() {
        // Every combination of a small pool of field values, for several principals.
        let pool = [
            "",
            "ann",
            "ann-sub",
            "ann-sub::ann",
            "content-reviewers",
            "ops",
            "EDITORS",
        ];
        let principals = [
            Principal::guest(),
            user("ann-sub").with_username("ann"),
            user("ops-user").with_unknown_groups(["ops".into()]),
            user("r").with_groups([Group::REVIEWERS, Group::EDITORS]),
            user("root").with_groups([Group::ADMINS]),
        ];
        let mut compared = 0;
        for (i, owner) in pool.iter().enumerate() {
            for (j, team) in pool.iter().enumerate() {
                let post = Post {
                    owner: (*owner).to_owned(),
                    author: pool[(i + j) % pool.len()].to_owned(),
                    editors: vec![pool[(i * 3 + j) % pool.len()].to_owned()],
                    team: (*team).to_owned(),
                    teams: vec![
                        pool[(j * 5 + 1) % pool.len()].to_owned(),
                        (*owner).to_owned(),
                    ],
                    status: if (i + j) % 2 == 0 {
                        Status::Draft
                    } else {
                        Status::Published
                    },
                };
                for principal in &principals {
                    for op in Op::ALL {
                        let filter = Post::filter_for(principal, op);
                        let kept = keeps(&filter, &post);
                        let decision = post.authorize_record(principal, op);
                        assert_eq!(
                            kept,
                            decision.is_allowed(),
                            "{filter} on {post:?} by {principal:?}: {decision}"
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, 7 * 7 * 5 * 9);
    }

    /// The filter applied to a `Post` in memory, as a query would.
    fn keeps(filter: &groupguard::Filter, post: &Post) -> bool {
        filter.terms().iter().any(|term| {
            term.matches().iter().all(|m| {
                let values: Vec<&str> = match m.field() {
                    "owner" => vec![&post.owner],
                    "author" => vec![&post.author],
                    "team" => vec![&post.team],
                    "editors" => post.editors.iter().map(String::as_str).collect(),
                    "teams" => post.teams.iter().map(String::as_str).collect(),
                    other => panic!("no field {other}"),
                };
                values.iter().any(|v| m.values().iter().any(|w| w == v))
            }) && term.conditions().iter().all(|c| match *c {
                "Self::is_draft" => post.is_draft(),
                other => panic!("no predicate {other}"),
            })
        })
    }
}

/// `legacy_username` (issue 22): an owner rule that also takes the bare
/// user name, for records an older Amplify stored with it; never a value
/// holding `::`.
mod legacy_usernames {
    use super::*;

    #[model(
        allow(owner, legacy_username, to = [read, update]),
        allow(owners = editors, to = [update], legacy_username),
        allow(owner = author, to = [delete]),
    )]
    #[derive(Clone, Debug, Default)]
    pub struct Old {
        pub owner: String,
        pub editors: Vec<String>,
        pub author: String,
        #[field(allow(owner, to = [read], legacy_username))]
        pub notes: Option<String>,
    }

    fn old(owner: &str, editors: &[&str], author: &str) -> Old {
        Old {
            owner: owner.to_owned(),
            editors: editors.iter().map(|&e| e.to_owned()).collect(),
            author: author.to_owned(),
            notes: Some("n".to_owned()),
        }
    }

    #[test]
    fn the_opt_in_is_in_the_rules_canonical_declaration() {
        let rules = <Old as Model>::RULES;
        assert_eq!(
            rules[0].declaration(),
            "allow(owner, legacy_username, to = [read, update])"
        );
        // Written after `to`, declared right after the owner it qualifies.
        assert_eq!(
            rules[1].declaration(),
            "allow(owners = editors, legacy_username, to = [update])"
        );
        assert_eq!(
            rules[2].declaration(),
            "allow(owner = author, to = [delete])"
        );
        let opted: Vec<bool> = rules.iter().map(ModelRule::legacy_username).collect();
        assert_eq!(opted, [true, true, false]);
        let field = &<Old as Model>::FIELDS[0];
        assert!(field.rules()[0].legacy_username());
        assert_eq!(
            field.rules()[0].declaration(),
            "allow(owner, legacy_username, to = [read])"
        );
        assert!(
            !<Post as Model>::RULES
                .iter()
                .any(ModelRule::legacy_username)
        );
    }

    #[test]
    fn a_bare_user_name_matches_only_where_the_rule_opts_in() {
        let ann = user("ann-sub").with_username("ann");
        let record = old("ann", &["ann"], "ann");
        assert_eq!(
            allowed(record.authorize_record(&ann, Op::Get)),
            Some("allow(owner, legacy_username, to = [read, update])")
        );
        assert!(record.authorize_record(&ann, Op::Update).is_allowed());
        // `author` has no opt-in: the bare user name is no owner there.
        assert_eq!(
            record.authorize_record(&ann, Op::Delete).deny_reason(),
            Some(DenyReason::NotRecordOwner)
        );
        // The list form, alone.
        let edited = old("someone", &["x", "ann"], "");
        assert_eq!(
            allowed(edited.authorize_record(&ann, Op::Update)),
            Some("allow(owners = editors, legacy_username, to = [update])")
        );
        assert!(edited.authorize_record(&ann, Op::Get).is_denied());
        // A field's own rule with the opt-in.
        assert!(
            record
                .authorize_field(&ann, OldField::Notes, Op::Read)
                .is_allowed()
        );
        // The other fields follow the model's rules.
        for (field, op, expected) in [
            (OldField::Owner, Op::Update, true),
            (OldField::Editors, Op::Get, true),
            (OldField::Author, Op::Delete, false),
        ] {
            let decision = record.authorize_field(&ann, field, op);
            assert_eq!(decision.is_allowed(), expected, "{decision}");
        }
        let theirs = old("bo", &[], "");
        assert!(
            theirs
                .authorize_field(&ann, OldField::Notes, Op::Read)
                .is_denied()
        );
        assert_eq!(theirs.redacted_for(&ann).notes, None);
        assert_eq!(record.redacted_for(&ann).notes.as_deref(), Some("n"));
        // Without a user name, or an empty one, there is nothing to match.
        for nameless in [user("ann-sub"), user("ann-sub").with_username("")] {
            assert!(record.authorize_record(&nameless, Op::Get).is_denied());
        }
        assert!(
            old("", &[""], "")
                .authorize_record(&user("s").with_username(""), Op::Get)
                .is_denied()
        );
        // Guests own nothing, whatever their user name.
        let guest = Principal::<Group>::guest().with_username("ann");
        assert!(record.authorize_record(&guest, Op::Get).is_denied());
        // `sub` and `sub::username` still match, as in every owner rule.
        for stored in ["ann-sub", "ann-sub::ann"] {
            let record = old(stored, &[stored], stored);
            for op in [Op::Get, Op::Update, Op::Delete] {
                assert!(
                    record.authorize_record(&ann, op).is_allowed(),
                    "{stored} {op}"
                );
            }
        }
    }

    #[test]
    fn a_value_holding_double_colons_never_matches_a_bare_user_name() {
        // Mallory picked Bob's stored `sub::username` as her user name.
        let mallory = user("mallory-sub").with_username("bob-sub::bob");
        let bob = user("bob-sub").with_username("bob");
        let record = old("bob-sub::bob", &["bob-sub::bob"], "bob-sub::bob");
        for op in [Op::Get, Op::List, Op::Update, Op::Delete] {
            assert_eq!(
                record.authorize_record(&mallory, op).deny_reason(),
                Some(DenyReason::NotRecordOwner),
                "{op}"
            );
            assert!(record.authorize_record(&bob, op).is_allowed(), "{op}");
        }
        assert!(
            record
                .authorize_field(&mallory, OldField::Notes, Op::Read)
                .is_denied()
        );
        let filter = Old::filter_for(&mallory, Op::Update);
        assert_eq!(
            filter.to_string(),
            r#"owner in ["mallory-sub", "mallory-sub::bob-sub::bob"] or editors has any of ["mallory-sub", "mallory-sub::bob-sub::bob"]"#
        );
        // What the opt-in accepts as a risk, and the models guide says: a user
        // name equal to another's bare `sub` matches a record that stores
        // that `sub` (a bare value cannot tell a `sub` from a user name).
        let eve = user("eve-sub").with_username("bob-sub");
        assert!(
            old("bob-sub", &[], "")
                .authorize_record(&eve, Op::Get)
                .is_allowed()
        );
        assert!(
            old("", &[], "bob-sub")
                .authorize_record(&eve, Op::Delete)
                .is_denied()
        );
    }

    #[test]
    fn the_filter_lists_the_user_name_only_for_rules_that_opt_in() {
        let ann = user("ann-sub").with_username("ann");
        assert_eq!(
            Old::filter_for(&ann, Op::Update).to_string(),
            r#"owner in ["ann-sub", "ann", "ann-sub::ann"] or editors has any of ["ann-sub", "ann", "ann-sub::ann"]"#
        );
        assert_eq!(
            Old::filter_for(&ann, Op::Delete).to_string(),
            r#"author in ["ann-sub", "ann-sub::ann"]"#
        );
        // A user name equal to the sub is listed once.
        let same = user("ann").with_username("ann");
        assert_eq!(
            Old::filter_for(&same, Op::Get).to_string(),
            r#"owner in ["ann", "ann::ann"]"#
        );
        // An empty sub: the user name alone, where the rule opts in.
        let no_sub = user("").with_username("al");
        assert_eq!(
            Old::filter_for(&no_sub, Op::Get).to_string(),
            r#"owner in ["al"]"#
        );
        assert!(Old::filter_for(&no_sub, Op::Delete).keeps_nothing());
    }

    #[test]
    fn the_filter_keeps_exactly_what_authorize_record_allows() {
        let pool = [
            "",
            "ann",
            "ann-sub",
            "ann-sub::ann",
            "bob-sub::bob",
            "x::y",
            "::",
            "al",
        ];
        let principals = [
            Principal::guest().with_username("ann"),
            user("ann-sub").with_username("ann"),
            user("ann-sub"),
            user("mallory-sub").with_username("bob-sub::bob"),
            user("m").with_username("x::y"),
            user("").with_username("al"),
            user("ann").with_username("ann"),
        ];
        let mut compared = 0;
        for (i, owner) in pool.iter().enumerate() {
            for (j, author) in pool.iter().enumerate() {
                let record = old(owner, &[pool[(i + j) % pool.len()], pool[j]], author);
                for principal in &principals {
                    for op in Op::ALL {
                        let filter = Old::filter_for(principal, op);
                        let kept = filter.terms().iter().any(|term| {
                            term.matches().iter().all(|m| {
                                let values: Vec<&str> = match m.field() {
                                    "owner" => vec![&record.owner],
                                    "author" => vec![&record.author],
                                    "editors" => {
                                        record.editors.iter().map(String::as_str).collect()
                                    }
                                    other => panic!("no field {other}"),
                                };
                                values.iter().any(|v| m.values().iter().any(|w| w == v))
                            })
                        });
                        let decision = record.authorize_record(principal, op);
                        assert_eq!(
                            kept,
                            decision.is_allowed(),
                            "{filter} on {record:?} by {principal:?}: {decision}"
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, 8 * 8 * 7 * 9);
    }

    #[test]
    fn the_access_report_shows_the_legacy_owner() {
        let markdown = groupguard::report::AccessReport::new()
            .model::<Old>()
            .to_markdown();
        assert!(
            markdown.contains(
                "| operation | guest | signed in | ADMINS | EDITORS | content-reviewers | owner (`owner`) | user name in `owner` (legacy) | owner (`editors`) | user name in `editors` (legacy) | owner (`author`) |"
            ),
            "{markdown}"
        );
        // A user matched by bare user name reads and updates through
        // `owner`, updates through `editors`, and never deletes through
        // `author`, which does not opt in.
        assert!(
            markdown.contains(
                "| delete | denied | denied | denied | denied | denied | denied | denied | denied | denied | allowed |"
            ),
            "{markdown}"
        );
        assert!(
            markdown.contains(
                "| update | denied | denied | denied | denied | denied | allowed | allowed | allowed | allowed | denied |"
            ),
            "{markdown}"
        );
    }
}
