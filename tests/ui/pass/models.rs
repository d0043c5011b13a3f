// Pass cases of #[groups] and #[model]: each module is a former case, whose
// checks its `main` runs.

// Was ui/pass/cognito-limits-at-boundary.rs.
// Values exactly at Cognito's limits are accepted.
mod cognito_limits_at_boundary {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(
            name = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            precedence = 2147483647,
            description = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
            role = "arn:aws-us-gov:iam::123456789012:role/path/to/Role+=,.@_-"
        )]
        Long,
        #[group(name = "Ελληνικά-グループ_+=,.@!#$%&'*/?^`{|}~", precedence = 0)]
        Unicode,
    }

    pub(crate) fn main() {
        assert_eq!(Group::Long.name().chars().count(), 128);
        assert_eq!(Group::Long.precedence(), 2_147_483_647);
        assert_eq!(Group::Long.description().map(str::len), Some(2048));
        assert_eq!(Group::from_name(Group::Unicode.name()), Some(Group::Unicode));
    }
}

// Was ui/pass/generic-struct-model.rs.
// Generic models: lifetimes, type and const parameters, bounds and a where clause.
mod generic_struct_model {
    use groupguard::{groups, model, Model, Op, Principal};

    #[groups]
    pub enum Group {
        ADMINS,
    }

    #[model(allow(groups = [ADMINS]), allow(authenticated, to = [get]))]
    pub struct Page<'a, T: Clone, const N: usize>
    where
        T: Default,
    {
        pub items: [T; N],
        pub owner: &'a str,
    }

    #[model(allow(guest, to = [list]))]
    pub struct Wrapper<T>(pub T);

    fn check<M: Model<Group = Group>>() -> bool {
        M::authorize(&Principal::guest(), Op::List).is_allowed()
    }

    pub(crate) fn main() {
        let admin = Principal::authenticated("a").with_groups([Group::ADMINS]);
        assert!(Page::<'static, u8, 3>::authorize(&admin, Op::Delete).is_allowed());
        assert!(Page::<'static, String, 0>::authorize(&Principal::authenticated("b"), Op::Get).is_allowed());
        assert!(Page::<'static, u8, 1>::authorize(&Principal::guest(), Op::Get).is_denied());
        assert!(check::<Wrapper<Vec<u8>>>());
        assert!(!check::<Page<'static, u8, 2>>());
        let _ = Page { items: [0u8; 2], owner: "x" }.items;
        let _ = Wrapper(1).0;
    }
}

// Was ui/pass/many-groups-bitset.rs.
// 70 groups: the group set spans two 64-bit words. Rules name groups on
// both sides of the word boundary.
mod many_groups_bitset {
    use groupguard::{groups, model, Op, Principal};

    #[groups]
    pub enum Group {
        G0,
        G1,
        G2,
        G3,
        G4,
        G5,
        G6,
        G7,
        G8,
        G9,
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

    #[model(allow(groups = [G0, G63], to = [read]), allow(groups = [G64, G69]))]
    pub struct Article;

    pub(crate) fn main() {
        for (group, read, delete) in [
            (Group::G0, true, false),
            (Group::G1, false, false),
            (Group::G62, false, false),
            (Group::G63, true, false),
            (Group::G64, true, true),
            (Group::G65, false, false),
            (Group::G69, true, true),
        ] {
            let p = Principal::authenticated("u").with_groups([group]);
            assert_eq!(Article::authorize(&p, Op::Read).is_allowed(), read, "{group} read");
            assert_eq!(Article::authorize(&p, Op::Delete).is_allowed(), delete, "{group} delete");
        }
        let p = Principal::authenticated("u").with_groups([Group::G1, Group::G65, Group::G64]);
        assert!(Article::authorize(&p, Op::Delete).is_allowed());
        assert_eq!(Group::ALL.len(), 70);
        assert_eq!(Group::from_name("G69"), Some(Group::G69));
        assert_eq!(Group::G69.precedence(), 69);
    }
}

// Was ui/pass/string-literal-group.rs.
// A group may be written as a string literal; it names the Rust variant,
// also when the variant's claim value differs.
mod string_literal_group {
    use groupguard::{groups, model, Op, Principal};

    #[groups]
    pub enum Group {
        EDITORS,
        #[group(name = "content-reviewers")]
        Reviewers,
    }

    #[model(allow(groups = ["EDITORS", "Reviewers"], to = [read]))]
    pub struct Article;

    pub(crate) fn main() {
        let r = Principal::authenticated("r").with_groups([Group::Reviewers]);
        let e = Principal::authenticated("e").with_groups([Group::EDITORS]);
        assert!(Article::authorize(&r, Op::Read).is_allowed());
        assert!(Article::authorize(&e, Op::Search).is_allowed());
        assert!(Article::authorize(&e, Op::Create).is_denied());
        assert!(Article::authorize(&Principal::authenticated("x"), Op::Get).is_denied());
    }
}

// Was ui/pass/raw-identifier-groups.rs.
// A group whose variant is a raw identifier is named the same way in rules,
// raw or not, and as a string.
#[allow(non_camel_case_types)]
mod raw_identifier_groups {
    use groupguard::{Access, Op, Principal, groups, model, storage};

    #[groups]
    pub enum Group {
        r#type,
        ADMINS,
    }

    #[model(allow(groups = [r#type], to = [read]), allow(groups = ["type"], to = [update]))]
    pub struct Article;

    storage! {
        pub Files {
            "docs/*" => groups(r#type): [read],
        }
    }

    pub(crate) fn main() {
        let p = Principal::authenticated("s").with_groups([Group::r#type]);
        assert_eq!(Group::r#type.name(), "type");
        assert!(Article::authorize(&p, Op::Read).is_allowed());
        assert!(Article::authorize(&p, Op::Update).is_allowed());
        assert!(Article::authorize(&p, Op::Delete).is_denied());
        assert!(Files::authorize(&p, "docs/a", Access::Get).is_allowed());
    }
}

// Was ui/pass/two-groups-enums.rs.
// Two groups enums in one crate, each used by its own models.
mod two_groups_enums {
    use groupguard::{groups, model, Op, Principal};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    pub mod staff {
        use groupguard::{groups, model};

        #[groups]
        pub enum StaffGroup {
            ADMINS,
            Support,
        }

        #[model(groups = StaffGroup, allow(groups = [Support], to = [read]))]
        pub struct Ticket;
    }

    #[model(allow(groups = [EDITORS], to = [update]))]
    pub struct Article;

    #[model(groups = staff::StaffGroup, allow(groups = [ADMINS]))]
    pub struct Payroll;

    pub(crate) fn main() {
        let editor = Principal::authenticated("e").with_groups([Group::EDITORS]);
        let support = Principal::authenticated("s").with_groups([staff::StaffGroup::Support]);
        let staff_admin = Principal::authenticated("a").with_groups([staff::StaffGroup::ADMINS]);
        assert!(Article::authorize(&editor, Op::Update).is_allowed());
        assert!(staff::Ticket::authorize(&support, Op::Get).is_allowed());
        assert!(staff::Ticket::authorize(&staff_admin, Op::Get).is_denied());
        assert!(Payroll::authorize(&staff_admin, Op::Delete).is_allowed());
        assert!(Payroll::authorize(&support, Op::Delete).is_denied());
        assert_eq!(Group::ADMINS.name(), staff::StaffGroup::ADMINS.name());
    }
}

fn main() {
    cognito_limits_at_boundary::main();
    generic_struct_model::main();
    many_groups_bitset::main();
    string_literal_group::main();
    raw_identifier_groups::main();
    two_groups_enums::main();
}
