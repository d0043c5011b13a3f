//! Behaviour of `#[groups]` enums, `GroupSet` and `Principal`.

use groupguard::{GroupSet, Groups, Principal, groups};

const ADMIN_ROLE: &str = "arn:aws:iam::123456789012:role/Admins";
const EDITOR_ROLE: &str = "arn:aws:iam::123456789012:role/Editors";
const SHARED_ROLE: &str = "arn:aws:iam::123456789012:role/Shared";

#[groups]
pub enum Group {
    #[group(
        role = "arn:aws:iam::123456789012:role/Admins",
        description = "site admins"
    )]
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers", precedence = 7)]
    Reviewers,
}

#[test]
fn declaration_order_and_defaults() {
    assert_eq!(
        Group::ALL,
        &[Group::ADMINS, Group::EDITORS, Group::Reviewers]
    );
    assert_eq!(<Group as Groups>::ALL, Group::ALL);
    assert_eq!(Group::ADMINS.precedence(), 0);
    assert_eq!(Group::EDITORS.precedence(), 1);
    assert_eq!(Group::Reviewers.precedence(), 7);
    assert_eq!(Group::ADMINS.role(), Some(ADMIN_ROLE));
    assert_eq!(Group::EDITORS.role(), None);
    assert_eq!(Group::ADMINS.description(), Some("site admins"));
    assert_eq!(Group::Reviewers.description(), None);
    assert_eq!(Groups::index(Group::Reviewers), 2);
}

#[test]
fn claim_names_are_exact() {
    assert_eq!(Group::Reviewers.name(), "content-reviewers");
    assert_eq!(
        Group::from_name("content-reviewers"),
        Some(Group::Reviewers)
    );
    assert_eq!(Group::from_name("ADMINS"), Some(Group::ADMINS));
    for miss in ["Reviewers", "admins", "ADMINS ", "", "ΕDITORS", "EDITORS\0"] {
        assert_eq!(Group::from_name(miss), None, "{miss:?}");
    }
    assert_eq!(
        <Group as Groups>::from_name("EDITORS"),
        Some(Group::EDITORS)
    );
}

#[test]
fn display_fromstr_serde() {
    assert_eq!(Group::Reviewers.to_string(), "content-reviewers");
    assert_eq!("EDITORS".parse::<Group>(), Ok(Group::EDITORS));
    assert_eq!(
        "EDITOR".parse::<Group>().unwrap_err().to_string(),
        "unknown group `EDITOR`"
    );
    assert_eq!("EDITOR".parse::<Group>().unwrap_err().name(), "EDITOR");
    assert_eq!(
        serde_json::to_string(&Group::Reviewers).unwrap(),
        "\"content-reviewers\""
    );
    assert_eq!(
        serde_json::from_str::<Group>("\"ADMINS\"").unwrap(),
        Group::ADMINS
    );
    let err = serde_json::from_str::<Group>("\"Reviewers\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown group `Reviewers`"), "{err}");
    assert!(err.contains("`content-reviewers`"), "{err}");
    assert!(serde_json::from_str::<Group>("7").is_err());
    assert_eq!(format!("{:?}", Group::ADMINS), "ADMINS");
}

/// A name from a token may hold a newline or a backtick: the messages of
/// `UnknownGroup` and of the serde error escape and cut it, so it can
/// neither forge a log line nor close the quotes it is shown in.
#[test]
fn unknown_group_messages_escape_and_cut_the_name() {
    let forged = "x`\nINFO user=admin granted";
    let err = forged.parse::<Group>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown group `x\\`\\nINFO user=admin granted`"
    );
    assert!(!err.to_string().contains('\n'));
    // The accessor still gives the name as it came.
    assert_eq!(err.name(), forged);

    let long = "A".repeat(10_000);
    let shown = long.parse::<Group>().unwrap_err().to_string();
    assert_eq!(shown, format!("unknown group `{}…`", "A".repeat(64)));

    let json = serde_json::to_string(forged).unwrap();
    let err = serde_json::from_str::<Group>(&json)
        .unwrap_err()
        .to_string();
    assert!(!err.contains('\n'), "{err}");
    assert!(
        err.contains("unknown group `x\\`\\nINFO user=admin granted`"),
        "{err}"
    );
    let err = serde_json::from_str::<Group>(&format!("\"{long}\""))
        .unwrap_err()
        .to_string();
    assert!(err.len() < 300, "{err}");
    // Bidi controls and look-alikes show as escapes.
    let err = "\u{202e}ADMINS".parse::<Group>().unwrap_err().to_string();
    assert_eq!(err, "unknown group `\\u{202e}ADMINS`");
}

#[test]
fn group_set_operations() {
    let mut set = GroupSet::<Group>::new();
    assert!(set.is_empty());
    assert_eq!(set.len(), 0);
    assert!(set.insert(Group::Reviewers));
    assert!(!set.insert(Group::Reviewers));
    assert!(set.insert(Group::ADMINS));
    assert_eq!(set.len(), 2);
    assert_eq!(
        set.iter().collect::<Vec<_>>(),
        [Group::ADMINS, Group::Reviewers]
    );
    assert!(set.contains(Group::ADMINS) && !set.contains(Group::EDITORS));
    let editors: GroupSet<Group> = [Group::EDITORS].into_iter().collect();
    assert!(!set.intersects(&editors));
    let admins: GroupSet<Group> = [Group::ADMINS].into_iter().collect();
    assert!(set.intersects(&admins));
    assert!(set.remove(Group::ADMINS));
    assert!(!set.remove(Group::ADMINS));
    assert!(!set.intersects(&admins));
    assert_eq!(format!("{set:?}"), "{Reviewers}");
    assert_eq!(GroupSet::<Group>::default(), GroupSet::EMPTY);
    // Bits beyond the declared groups are cleared by from_words: they never count.
    let odd = GroupSet::<Group>::from_words([u64::MAX]);
    assert_eq!(odd.iter().count(), 3);
    assert_eq!(odd.len(), 3);
    assert_eq!(odd.words(), &[0b111]);
    let stray = GroupSet::<Group>::from_words([1 << 5]);
    assert!(stray.is_empty());
    assert_eq!(stray, GroupSet::new());
    assert!(!stray.intersects(&GroupSet::from_words([u64::MAX])));
}

#[test]
fn principal_builders_and_getters() {
    let p = Principal::authenticated("sub-1")
        .with_username("alice")
        .with_identity_id("us-east-1:abc")
        .with_groups([Group::EDITORS, Group::EDITORS])
        .with_unknown_groups(["EDITOR".to_owned()]);
    assert!(p.is_authenticated());
    assert_eq!(p.sub(), Some("sub-1"));
    assert_eq!(p.username(), Some("alice"));
    assert_eq!(p.identity_id(), Some("us-east-1:abc"));
    assert_eq!(p.entity_id(), Some("us-east-1:abc"));
    assert_eq!(p.groups().len(), 1);
    assert!(p.is_in(Group::EDITORS) && !p.is_in(Group::ADMINS));
    assert_eq!(p.unknown_groups(), ["EDITOR"]);

    let guest = Principal::<Group>::guest()
        .with_groups([Group::ADMINS])
        .with_identity_id("x");
    assert!(!guest.is_authenticated());
    assert!(guest.groups().is_empty(), "guests never hold groups");
    assert_eq!(guest.entity_id(), None, "guests have no entity id");
}

mod roles {
    use super::*;

    #[groups]
    pub enum Group {
        #[group(role = "arn:aws:iam::123456789012:role/Admins")]
        A,
        #[group(role = "arn:aws:iam::123456789012:role/Editors")]
        B,
        #[group(precedence = 1, role = "arn:aws:iam::123456789012:role/Shared")]
        C,
        #[group(precedence = 1, role = "arn:aws:iam::123456789012:role/Shared")]
        D,
        #[group(precedence = 0)]
        NoRole,
        #[group(precedence = 1, role = "arn:aws:iam::123456789012:role/Shared")]
        E,
    }
}

#[test]
fn preferred_role_follows_cognito() {
    use roles::Group::{self as R, A, B, C, D, E, NoRole};
    let with = |groups: &[R]| Principal::authenticated("s").with_groups(groups.iter().copied());
    // Lowest precedence with a role wins.
    assert_eq!(with(&[B, A]).preferred_role(), Some(ADMIN_ROLE));
    // A group without a role does not count, even with a lower precedence.
    assert_eq!(with(&[NoRole, B]).preferred_role(), Some(EDITOR_ROLE));
    // Tie at the lowest precedence with different roles: none preferred.
    assert_eq!(with(&[B, C]).preferred_role(), None);
    // Tie with the same role: that role.
    assert_eq!(with(&[C, D, E]).preferred_role(), Some(SHARED_ROLE));
    // A tie at a higher precedence does not matter.
    assert_eq!(with(&[A, B, C]).preferred_role(), Some(ADMIN_ROLE));
    // No groups, or no roles: none.
    assert_eq!(with(&[]).preferred_role(), None);
    assert_eq!(with(&[NoRole]).preferred_role(), None);
}

mod big {
    // 10,000 groups, Cognito's limit per pool (generated by build.rs).
    include!(concat!(env!("OUT_DIR"), "/groups10k.rs"));
}

#[test]
fn ten_thousand_groups_round_trip() {
    use big::Big;
    assert_eq!(Big::ALL.len(), 10_000);
    for (i, group) in Big::ALL.iter().enumerate() {
        assert_eq!(Groups::index(*group), i);
        assert_eq!(Big::from_name(group.name()), Some(*group));
    }
    for miss in ["G10000", "G0000", "g00000", "", "G00000 ", "G99999"] {
        assert_eq!(Big::from_name(miss), None, "{miss:?}");
    }
    let set: GroupSet<Big> = [Big::G09999, Big::G00064, Big::G00000]
        .into_iter()
        .collect();
    assert_eq!(
        set.iter().collect::<Vec<_>>(),
        [Big::G00000, Big::G00064, Big::G09999]
    );
}

mod archive {
    use super::big::Big;

    /// Rules on the 10,000-group enum: a short list (decided by its named
    /// bits), a long one (by the set), and the first allowing rule named.
    #[groupguard::model(
        groups = Big,
        allow(groups = [G09999, G05000], to = [read]),
        allow(groups = [G00001]),
        allow(groups = [G00000, G00063, G00064, G00127, G00128, G09998], to = [update]),
        allow(authenticated, to = [list]),
    )]
    pub struct Archive;
}

#[test]
fn rules_on_ten_thousand_groups_decide_by_the_named_groups() {
    use archive::Archive;
    use big::Big;
    use groupguard::{DenyReason, Op, Outcome};

    let member = |groups: &[Big]| Principal::authenticated("a").with_groups(groups.iter().copied());
    let allowed_by =
        |principal: &Principal<Big>, op| match Archive::authorize(principal, op).outcome() {
            Outcome::Allowed { rule } => Some(rule),
            Outcome::Denied(_) => None,
        };
    let read = Some("allow(groups = [G09999, G05000], to = [read])");
    let all = Some("allow(groups = [G00001])");
    assert_eq!(allowed_by(&member(&[Big::G05000]), Op::Get), read);
    assert_eq!(allowed_by(&member(&[Big::G09999]), Op::Get), read);
    assert_eq!(
        allowed_by(&member(&[Big::G09999, Big::G00001]), Op::Get),
        read,
        "the first rule"
    );
    assert_eq!(allowed_by(&member(&[Big::G00001]), Op::Get), all);
    assert_eq!(
        allowed_by(&member(&[Big::G05001, Big::G04999]), Op::Get),
        None
    );
    for group in [
        Big::G00000,
        Big::G00063,
        Big::G00064,
        Big::G00127,
        Big::G00128,
        Big::G09998,
    ] {
        assert!(
            allowed_by(&member(&[group]), Op::Update).is_some(),
            "{group}"
        );
        assert_eq!(allowed_by(&member(&[group]), Op::Delete), None, "{group}");
    }
    assert_eq!(allowed_by(&member(&[Big::G00065]), Op::Update), None);
    assert_eq!(
        Archive::authorize(&member(&[Big::G04999]), Op::Get).deny_reason(),
        Some(DenyReason::NotInAllowedGroup)
    );
    assert_eq!(
        Archive::authorize(&Principal::guest(), Op::List).deny_reason(),
        Some(DenyReason::Guest)
    );
    assert_eq!(
        allowed_by(&member(&[]), Op::List),
        Some("allow(authenticated, to = [list])")
    );
}
