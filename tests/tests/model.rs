//! Behaviour of `#[model]` guards: every operation for every kind of principal.

use groupguard::{DenyReason, Model, ModelRule, Op, Outcome, Principal, Who, groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    Reviewers,
}

#[model(
    allow(groups = ["EDITORS"], to = [read, update]),
    allow(groups = [ADMINS]),
    allow(authenticated, to = [get]),
    allow(guest, to = [list]),
)]
pub struct Article;

#[model(allow(groups = [Reviewers, EDITORS], to = [update, listen]), allow(guest, to = [get, search]))]
pub struct Review;

/// Expected grants in `Op::ALL` order: create update delete read get list sync listen search.
/// `x` = allowed, `.` = denied. Hand-written from the rules, not computed.
const ARTICLE: &[(&str, &str)] = &[
    ("guest", ".....x..."),
    ("authenticated", "....x...."),
    ("ADMINS", "xxxxxxxxx"),
    ("EDITORS", ".x.xxxxxx"),
    ("Reviewers", "....x...."),
    ("ADMINS+EDITORS", "xxxxxxxxx"),
    ("EDITORS+Reviewers", ".x.xxxxxx"),
    ("unknown", "....x...."),
];

const REVIEW: &[(&str, &str)] = &[
    ("guest", "....x...x"),
    ("authenticated", "........."),
    ("ADMINS", "........."),
    ("EDITORS", ".x.....x."),
    ("Reviewers", ".x.....x."),
    ("ADMINS+EDITORS", ".x.....x."),
    ("EDITORS+Reviewers", ".x.....x."),
    ("unknown", "........."),
];

fn principal(label: &str) -> Principal<Group> {
    let user = Principal::authenticated("user-sub");
    match label {
        "guest" => Principal::guest(),
        "authenticated" => user,
        "ADMINS" => user.with_groups([Group::ADMINS]),
        "EDITORS" => user.with_groups([Group::EDITORS]),
        "Reviewers" => user.with_groups([Group::Reviewers]),
        "ADMINS+EDITORS" => user.with_groups([Group::ADMINS, Group::EDITORS]),
        "EDITORS+Reviewers" => user.with_groups([Group::EDITORS, Group::Reviewers]),
        // Look-alike and differently-cased claims land here and grant nothing.
        "unknown" => user.with_unknown_groups(["EDITOR".into(), "admins".into(), "ΕDITORS".into()]),
        other => panic!("no principal {other}"),
    }
}

fn check_matrix<M: Model<Group = Group>>(table: &[(&str, &str)]) {
    for (label, expected) in table {
        let principal = principal(label);
        let got: String = Op::ALL
            .iter()
            .map(|op| {
                if M::authorize(&principal, *op).is_allowed() {
                    'x'
                } else {
                    '.'
                }
            })
            .collect();
        assert_eq!(&got, expected, "{} for {label}", M::NAME);
    }
}

#[test]
fn article_matrix() {
    check_matrix::<Article>(ARTICLE);
}

#[test]
fn review_matrix() {
    check_matrix::<Review>(REVIEW);
}

#[test]
fn inherent_and_trait_authorize_agree() {
    for (label, _) in ARTICLE {
        let p = principal(label);
        for op in Op::ALL {
            assert_eq!(
                Article::authorize(&p, op),
                <Article as Model>::authorize(&p, op)
            );
        }
    }
}

#[test]
fn read_needs_every_part() {
    // Review grants guests get and search only: `read` is denied, naming the first missing part.
    let d = Review::authorize(&Principal::guest(), Op::Read);
    assert_eq!(d.outcome(), Outcome::Denied(DenyReason::NoRule));
    assert_eq!(d.part(), Some("list"));
    assert_eq!(
        d.to_string(),
        "`read` (`list` part) on `Review` denied: no rule allows this operation"
    );
}

#[test]
fn allowed_decision_names_the_rule() {
    let bob = principal("EDITORS");
    let d = Article::authorize(&bob, Op::Update);
    assert_eq!(
        d.outcome(),
        Outcome::Allowed {
            rule: "allow(groups = [EDITORS], to = [read, update])"
        }
    );
    assert_eq!(d.resource(), "Article");
    assert_eq!(d.action(), "update");
    assert!(d.into_result().is_ok());
    // Rules are OR-ed in declaration order: the first that admits decides the message.
    let d = Article::authorize(&principal("ADMINS+EDITORS"), Op::Update);
    assert_eq!(
        d.outcome(),
        Outcome::Allowed {
            rule: "allow(groups = [EDITORS], to = [read, update])"
        }
    );
    let d = Article::authorize(&principal("ADMINS"), Op::Update);
    assert_eq!(
        d.outcome(),
        Outcome::Allowed {
            rule: "allow(groups = [ADMINS])"
        }
    );
}

#[test]
fn deny_reasons() {
    let cases = [
        // No rule covers delete except ADMINS: an editor is not in an allowed group.
        ("EDITORS", Op::Delete, DenyReason::NotInAllowedGroup),
        ("guest", Op::Delete, DenyReason::Guest),
        ("authenticated", Op::Create, DenyReason::NotInAllowedGroup),
        ("unknown", Op::Update, DenyReason::NotInAllowedGroup),
    ];
    for (label, op, reason) in cases {
        let d = Article::authorize(&principal(label), op);
        assert_eq!(d.deny_reason(), Some(reason), "{label} {op}");
        let err = d.into_result().unwrap_err();
        assert_eq!(err.reason(), reason);
    }
    // Review: nobody may create.
    assert_eq!(
        Review::authorize(&principal("ADMINS"), Op::Create).deny_reason(),
        Some(DenyReason::NoRule)
    );
    // Review: search is for guests only.
    assert_eq!(
        Review::authorize(&principal("EDITORS"), Op::Search).deny_reason(),
        Some(DenyReason::GuestsOnly)
    );
}

#[test]
fn denied_error_message() {
    let err = Article::authorize(&principal("EDITORS"), Op::Delete)
        .into_result()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`delete` on `Article` denied: the principal is in none of the allowed groups"
    );
    let source = std::error::Error::source(&err).expect("the reason is the source");
    assert_eq!(
        source.to_string(),
        "the principal is in none of the allowed groups"
    );
}

#[test]
fn rule_metadata() {
    assert_eq!(Article::NAME, "Article");
    assert_eq!(Article::RULES.len(), 4);
    let declarations: Vec<&str> = Article::RULES.iter().map(ModelRule::declaration).collect();
    assert_eq!(
        declarations,
        [
            "allow(groups = [EDITORS], to = [read, update])",
            "allow(groups = [ADMINS])",
            "allow(authenticated, to = [get])",
            "allow(guest, to = [list])",
        ]
    );
    assert_eq!(Article::RULES[0].who(), Who::Groups(&[Group::EDITORS]));
    assert_eq!(Article::RULES[2].who(), Who::Authenticated);
    assert_eq!(Article::RULES[3].who(), Who::Guest);
    assert_eq!(
        Article::RULES[0].ops().iter().collect::<Vec<_>>(),
        [
            Op::Update,
            Op::Get,
            Op::List,
            Op::Sync,
            Op::Listen,
            Op::Search
        ]
    );
    assert_eq!(Article::RULES[1].ops().iter().count(), 8);
}

mod elsewhere {
    //! A model whose groups enum lives in another module, named explicitly.
    pub mod auth {
        #[groupguard::groups]
        pub enum Roles {
            OWNERS,
            MEMBERS,
        }
    }

    #[groupguard::model(groups = auth::Roles, allow(groups = [OWNERS]), allow(groups = ["MEMBERS"], to = [read]))]
    pub struct Workspace;
}

#[test]
fn explicit_groups_enum() {
    use elsewhere::auth::Roles;
    let owner = Principal::authenticated("o").with_groups([Roles::OWNERS]);
    let member = Principal::authenticated("m").with_groups([Roles::MEMBERS]);
    assert!(elsewhere::Workspace::authorize(&owner, Op::Delete).is_allowed());
    assert!(elsewhere::Workspace::authorize(&member, Op::Read).is_allowed());
    assert!(elsewhere::Workspace::authorize(&member, Op::Delete).is_denied());
}

/// 70 groups: the bitset spans two words; a group past the first word must still match.
mod wide {
    #[groupguard::groups]
    pub enum Group {
        G00,
        G01,
        G02,
        G03,
        G04,
        G05,
        G06,
        G07,
        G08,
        G09,
        G10,
        G11,
        G12,
        G13,
        G14,
        G15,
        G16,
        G17,
        G18,
        G19,
        G20,
        G21,
        G22,
        G23,
        G24,
        G25,
        G26,
        G27,
        G28,
        G29,
        G30,
        G31,
        G32,
        G33,
        G34,
        G35,
        G36,
        G37,
        G38,
        G39,
        G40,
        G41,
        G42,
        G43,
        G44,
        G45,
        G46,
        G47,
        G48,
        G49,
        G50,
        G51,
        G52,
        G53,
        G54,
        G55,
        G56,
        G57,
        G58,
        G59,
        G60,
        G61,
        G62,
        G63,
        G64,
        G65,
        G66,
        G67,
        G68,
        G69,
    }

    #[groupguard::model(allow(groups = [G69, G01], to = [get]), allow(groups = [G64], to = [delete]))]
    pub struct Doc;
}

#[test]
fn groups_beyond_the_first_word() {
    use wide::{Doc, Group};
    let p = |g: Group| Principal::authenticated("s").with_groups([g]);
    assert!(Doc::authorize(&p(Group::G69), Op::Get).is_allowed());
    assert!(Doc::authorize(&p(Group::G01), Op::Get).is_allowed());
    assert!(Doc::authorize(&p(Group::G05), Op::Get).is_denied());
    // G05 and G69 share a bit position in different words: must not be confused.
    assert!(Doc::authorize(&p(Group::G05), Op::Delete).is_denied());
    assert!(Doc::authorize(&p(Group::G00), Op::Delete).is_denied());
    assert!(Doc::authorize(&p(Group::G64), Op::Delete).is_allowed());
    assert!(Doc::authorize(&p(Group::G64), Op::Get).is_denied());
}
