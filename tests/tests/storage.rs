//! Behaviour of `storage!` guards: path selection (sub-paths override their
//! parent), `{entity_id}`, acceptors, malformed keys, `read` and `list`.

use groupguard::{
    Acceptor, Access, DenyReason, Grant, KeyError, Outcome, Principal, Storage, StoragePath,
    groups, storage, validate_key,
};
use proptest::prelude::*;

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    /// The example of the issue, verbatim.
    pub Articles {
        "drafts/*" => groups(EDITORS): [read, write],
        "drafts/*" => groups(ADMINS): [read, write, delete],
        "drafts/archive/*" => groups(ADMINS): [read],
        "public/*" => guest: [read],
        "public/*" => authenticated: [read, write],
        "profiles/{entity_id}/*" => entity(identity): [read, write, delete],
        "profiles/{entity_id}/*" => groups("ADMINS"): [read],
    }
}

storage! {
    /// The valid path set of SEMANTICS section 4, one distinct grant each so
    /// that a decision shows which path decided.
    Reference {
        "foo/*" => authenticated: [get],
        "foo/bar/*" => authenticated: [list],
        "foo/baz/*" => authenticated: [write],
        "other/*" => authenticated: [delete],
        "something/{entity_id}/*" => entity(identity): [read],
        "another/{entity_id}/*" => entity(identity): [write, delete],
        "another/{entity_id}/*" => authenticated: [get],
    }
}

storage! {
    /// Deny reasons, and `read` granted part by part by different acceptors.
    Site {
        "pages/*" => guest: [read],
        "pages/*" => groups(ADMINS): [write],
        "split/*" => authenticated: [get],
        "split/*" => groups(EDITORS): [list],
    }
}

storage! {
    /// A literal path next to an `{entity_id}` path at the same depth.
    Shared {
        "shared/{entity_id}/*" => entity(identity): [read, write],
        "shared/common/*" => authenticated: [read],
    }
}

mod roles {
    #[groupguard::groups]
    pub enum Role {
        Keyholders,
    }
}

mod vault {
    // No `Group` in scope here: the override line names the enum.
    groupguard::storage! {
        groups = crate::roles::Role;
        pub Vault {
            "vault/*" => groups(Keyholders): [read],
        }
    }
}

/// Actions in the order of the grids below.
const ACCESSES: [Access; 5] = [
    Access::Read,
    Access::Get,
    Access::List,
    Access::Write,
    Access::Delete,
];

/// Every principal has entity id `u1` (its `sub`) unless a guest.
fn principal(label: &str) -> Principal<Group> {
    let user = Principal::authenticated("u1");
    match label {
        "guest" => Principal::guest(),
        "authenticated" => user,
        "EDITORS" => user.with_groups([Group::EDITORS]),
        "ADMINS" => user.with_groups([Group::ADMINS]),
        "ADMINS+EDITORS" => user.with_groups([Group::ADMINS, Group::EDITORS]),
        other => panic!("no principal {other}"),
    }
}

const PRINCIPALS: [&str; 5] = [
    "guest",
    "authenticated",
    "EDITORS",
    "ADMINS",
    "ADMINS+EDITORS",
];

/// Expected grants of `Articles` per key, for each principal of `PRINCIPALS`,
/// in `ACCESSES` order (read get list write delete); `x` = allowed.
/// Hand-written from the declaration, not computed.
const ARTICLES: &[(&str, [&str; 5])] = &[
    //                        guest    auth     EDITORS  ADMINS   A+E
    ("drafts/a.md", [".....", ".....", "xxxx.", "xxxxx", "xxxxx"]),
    (
        "drafts/2024/a.md",
        [".....", ".....", "xxxx.", "xxxxx", "xxxxx"],
    ),
    // The sub-path decides alone: editors lose `drafts/*`, admins keep only read.
    (
        "drafts/archive/x",
        [".....", ".....", ".....", "xxx..", "xxx.."],
    ),
    (
        "drafts/archive/y/z",
        [".....", ".....", ".....", "xxx..", "xxx.."],
    ),
    // A sibling sharing the text `archive` is not under `drafts/archive/`.
    (
        "drafts/archived.md",
        [".....", ".....", "xxxx.", "xxxxx", "xxxxx"],
    ),
    ("drafts/", [".....", ".....", "xxxx.", "xxxxx", "xxxxx"]),
    (
        "drafts/archive/",
        [".....", ".....", ".....", "xxx..", "xxx.."],
    ),
    // Union: group members are authenticated too (Amplify's IAM roles differ).
    ("public/x", ["xxx..", "xxxx.", "xxxx.", "xxxx.", "xxxx."]),
    // `{entity_id}` = `u1`: the owner's folder, then someone else's.
    (
        "profiles/u1/avatar.png",
        [".....", "xxxxx", "xxxxx", "xxxxx", "xxxxx"],
    ),
    (
        "profiles/u1/",
        [".....", "xxxxx", "xxxxx", "xxxxx", "xxxxx"],
    ),
    (
        "profiles/u2/avatar.png",
        [".....", ".....", ".....", "xxx..", "xxx.."],
    ),
    (
        "profiles/u10/a",
        [".....", ".....", ".....", "xxx..", "xxx.."],
    ),
    // Beside the folders: the admins' grant covers all of `profiles/*`, as
    // Amplify deploys it (`{entity_id}` written `*` for all but the owner).
    ("profiles/u1", [".....", ".....", ".....", "xxx..", "xxx.."]),
    ("profiles/", [".....", ".....", ".....", "xxx..", "xxx.."]),
    (
        "profiles/avatar.png",
        [".....", ".....", ".....", "xxx..", "xxx.."],
    ),
    // Not covered by any path.
    ("drafts", [".....", ".....", ".....", ".....", "....."]),
    ("draft/x", [".....", ".....", ".....", ".....", "....."]),
    ("Drafts/x", [".....", ".....", ".....", ".....", "....."]),
    ("unknown/x", [".....", ".....", ".....", ".....", "....."]),
];

#[test]
fn articles_grid() {
    let mut failures = Vec::new();
    for (key, rows) in ARTICLES {
        for (label, expected) in PRINCIPALS.iter().zip(rows) {
            let p = principal(label);
            let got: String = ACCESSES
                .iter()
                .map(|a| {
                    if Articles::authorize(&p, key, *a).is_allowed() {
                        'x'
                    } else {
                        '.'
                    }
                })
                .collect();
            if got != *expected {
                failures.push(format!("{key} as {label}: expected {expected}, got {got}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `Ok(declaration)` of the deciding grant, or the deny reason.
fn outcome<S: Storage>(
    p: &Principal<S::Group>,
    key: &str,
    access: Access,
) -> Result<&'static str, DenyReason> {
    match S::authorize(p, key, access).outcome() {
        Outcome::Allowed { rule } => Ok(rule),
        Outcome::Denied(reason) => Err(reason),
    }
}

#[test]
fn reference_path_set() {
    use DenyReason::*;
    let foo = Ok(r#""foo/*" => authenticated: [get]"#);
    let bar = Ok(r#""foo/bar/*" => authenticated: [list]"#);
    let baz = Ok(r#""foo/baz/*" => authenticated: [write]"#);
    let other = Ok(r#""other/*" => authenticated: [delete]"#);
    let something = Ok(r#""something/{entity_id}/*" => entity(identity): [read]"#);
    let another_owner = Ok(r#""another/{entity_id}/*" => entity(identity): [write, delete]"#);
    let another_all = Ok(r#""another/{entity_id}/*" => authenticated: [get]"#);
    let cases: &[(&str, Access, Result<&str, DenyReason>)] = &[
        ("foo/x", Access::Get, foo),
        ("foo/x", Access::List, Err(NoRule)),
        ("foo/", Access::Get, foo),
        // `foo/bar/*` overrides `foo/*`: its `get` is not inherited.
        ("foo/bar/x", Access::Get, Err(NoRule)),
        ("foo/bar/x", Access::List, bar),
        ("foo/bar/deeper/x", Access::Get, Err(NoRule)),
        ("foo/bar/deeper/x", Access::List, bar),
        ("foo/bar/", Access::List, bar),
        // Path parts are whole segments: `foo/barn/` is not under `foo/bar/`.
        ("foo/barn/x", Access::Get, foo),
        ("foo/bar", Access::Get, foo),
        ("foo/baz/x", Access::Write, baz),
        ("foo/baz/x", Access::Get, Err(NoRule)),
        ("other/x/y", Access::Delete, other),
        ("other/x/y", Access::Get, Err(NoRule)),
        ("something/u1/x", Access::Read, something),
        ("something/u1/x", Access::List, something),
        ("something/u2/x", Access::Read, Err(NotOwner)),
        ("another/u1/x", Access::Write, another_owner),
        ("another/u2/x", Access::Write, Err(NotOwner)),
        // A non-entity acceptor on an `{entity_id}` path applies to every id.
        ("another/u2/x", Access::Get, another_all),
        ("another/u1/x", Access::Get, another_all),
        // An owner-only `{entity_id}` path covers the folders alone; one with
        // a grant to others covers all of `p/*` for those grants.
        ("something/u1", Access::Get, Err(NoMatchingPath)),
        ("something/", Access::List, Err(NoMatchingPath)),
        ("another/u1", Access::Get, another_all),
        ("another/x.png", Access::Get, another_all),
        ("another/", Access::Get, another_all),
        ("another/x.png", Access::Write, Err(NoRule)),
        ("foo", Access::Get, Err(NoMatchingPath)),
        ("fo/x", Access::Get, Err(NoMatchingPath)),
        ("nothing/x", Access::Get, Err(NoMatchingPath)),
    ];
    let user = Principal::authenticated("u1");
    for (key, access, expected) in cases {
        assert_eq!(
            outcome::<Reference>(&user, key, *access),
            *expected,
            "{access} on {key}"
        );
    }
    let paths: Vec<&str> = Reference::PATHS.iter().map(StoragePath::path).collect();
    assert_eq!(
        paths,
        [
            "foo/*",
            "foo/bar/*",
            "foo/baz/*",
            "other/*",
            "something/{entity_id}/*",
            "another/{entity_id}/*"
        ]
    );
    assert_eq!(Reference::PATHS[5].grants().len(), 2);
    assert!(Reference::PATHS[5].has_entity_id() && !Reference::PATHS[0].has_entity_id());
}

#[test]
fn deny_reasons() {
    use DenyReason::*;
    let cases: &[(&str, &str, Access, DenyReason)] = &[
        ("guest", "drafts/a", Access::Get, Guest),
        ("authenticated", "drafts/a", Access::Get, NotInAllowedGroup),
        ("EDITORS", "drafts/a", Access::Delete, NotInAllowedGroup),
        (
            "EDITORS",
            "drafts/archive/a",
            Access::Get,
            NotInAllowedGroup,
        ),
        ("ADMINS", "drafts/archive/a", Access::Write, NoRule),
        ("guest", "public/a", Access::Write, Guest),
        ("authenticated", "public/a", Access::Delete, NoRule),
        ("guest", "profiles/u1/a", Access::Get, Guest),
        ("authenticated", "profiles/u2/a", Access::Get, NotOwner),
        ("authenticated", "profiles/u2/a", Access::Delete, NotOwner),
        ("ADMINS", "profiles/u2/a", Access::Write, NotOwner),
        ("ADMINS", "elsewhere/a", Access::Get, NoMatchingPath),
    ];
    for (label, key, access, reason) in cases {
        let d = Articles::authorize(&principal(label), key, *access);
        assert_eq!(d.deny_reason(), Some(*reason), "{label} {access} {key}");
    }
    let site: &[(&str, &str, Access, DenyReason)] = &[
        ("authenticated", "pages/a", Access::Get, GuestsOnly),
        ("EDITORS", "pages/a", Access::Read, GuestsOnly),
        ("authenticated", "pages/a", Access::Write, NotInAllowedGroup),
        ("guest", "pages/a", Access::Write, Guest),
        ("ADMINS", "pages/a", Access::Delete, NoRule),
    ];
    for (label, key, access, reason) in site {
        let d = Site::authorize(&principal(label), key, *access);
        assert_eq!(d.deny_reason(), Some(*reason), "{label} {access} {key}");
    }
}

#[test]
fn read_needs_get_and_list() {
    let user = principal("authenticated");
    // `foo/*` grants get only: read is denied on its `list` part.
    let d = Reference::authorize(&user, "foo/x", Access::Read);
    assert_eq!(
        (d.part(), d.deny_reason()),
        (Some("list"), Some(DenyReason::NoRule))
    );
    // `foo/bar/*` grants list only: read is denied on its `get` part.
    let d = Reference::authorize(&user, "foo/bar/x", Access::Read);
    assert_eq!(
        (d.part(), d.deny_reason()),
        (Some("get"), Some(DenyReason::NoRule))
    );
    // Parts granted by different acceptors add up (union).
    let editor = principal("EDITORS");
    assert!(Site::authorize(&editor, "split/x", Access::Read).is_allowed());
    assert!(Site::authorize(&user, "split/x", Access::Get).is_allowed());
    let d = Site::authorize(&user, "split/x", Access::Read);
    assert_eq!(
        (d.part(), d.deny_reason()),
        (Some("list"), Some(DenyReason::NotInAllowedGroup))
    );
    // An allowed read names the grant that allowed its first part.
    assert_eq!(
        Articles::authorize(&editor, "drafts/a", Access::Read).to_string(),
        r#"`read` on `Articles` allowed by `"drafts/*" => groups(EDITORS): [read, write]`"#
    );
    assert_eq!(
        Articles::authorize(&user, "drafts/a", Access::Read).to_string(),
        "`read` (`get` part) on `Articles` denied: the principal is in none of the allowed groups"
    );
}

#[test]
fn list_takes_a_prefix() {
    let editor = principal("EDITORS");
    let admin = principal("ADMINS");
    // A key ending in `/` lists that prefix, decided by the path covering it.
    assert!(Articles::authorize(&editor, "drafts/", Access::List).is_allowed());
    assert!(Articles::authorize(&editor, "drafts/archive/", Access::List).is_denied());
    assert!(Articles::authorize(&admin, "drafts/archive/", Access::List).is_allowed());
    assert!(Articles::authorize(&editor, "profiles/u1/", Access::List).is_allowed());
    assert!(Articles::authorize(&editor, "profiles/u2/", Access::List).is_denied());
    // The admins' grant on `profiles/{entity_id}/*` covers `profiles/*`:
    // they list every user's folder, as in Amplify; editors list their own.
    assert!(Articles::authorize(&admin, "profiles/", Access::List).is_allowed());
    assert_eq!(
        Articles::authorize(&editor, "profiles/", Access::List).deny_reason(),
        Some(DenyReason::NotInAllowedGroup)
    );
    // A prefix ending inside a segment is decided by the path covering it.
    assert!(Articles::authorize(&editor, "drafts/2024-", Access::List).is_allowed());
    assert_eq!(
        Articles::authorize(&editor, "drafts", Access::List).deny_reason(),
        Some(DenyReason::NoMatchingPath)
    );
}

#[test]
fn entity_id_is_identity_id_else_sub() {
    let with_identity = Principal::<Group>::authenticated("s1").with_identity_id("us-east-1:abc");
    assert!(
        Articles::authorize(&with_identity, "profiles/us-east-1:abc/a", Access::Write).is_allowed()
    );
    assert_eq!(
        Articles::authorize(&with_identity, "profiles/s1/a", Access::Write).deny_reason(),
        Some(DenyReason::NotOwner)
    );
    let sub_only = Principal::<Group>::authenticated("s1");
    assert!(Articles::authorize(&sub_only, "profiles/s1/a", Access::Write).is_allowed());
    // Exact, byte-for-byte comparison: no case folding, no prefix match.
    for key in [
        "profiles/S1/a",
        "profiles/s/a",
        "profiles/s10/a",
        "profiles/s1 /a",
    ] {
        assert!(
            Articles::authorize(&sub_only, key, Access::Get).is_denied(),
            "{key}"
        );
    }
}

#[test]
fn entity_ids_that_cannot_be_a_segment_never_match() {
    // An id holding `/` would span two segments; it matches none of them.
    let slashed = Principal::<Group>::authenticated("s").with_identity_id("a/b");
    for key in [
        "profiles/a/b/x",
        "profiles/a/x",
        "profiles/b/x",
        "profiles/a%2Fb/x",
    ] {
        for access in ACCESSES {
            assert!(
                Articles::authorize(&slashed, key, access).is_denied(),
                "{access} {key}"
            );
        }
    }
    // An empty id could only match an empty segment, and `//` keys are refused.
    let empty = Principal::<Group>::authenticated("s").with_identity_id("");
    assert_eq!(
        Articles::authorize(&empty, "profiles//x", Access::Get).deny_reason(),
        Some(DenyReason::InvalidKey(KeyError::EmptySegment))
    );
    assert!(Articles::authorize(&empty, "profiles/s/x", Access::Get).is_denied());
    // Guests have no entity id.
    let guest = Principal::<Group>::guest();
    assert_eq!(
        Articles::authorize(&guest, "profiles/u1/x", Access::Get).deny_reason(),
        Some(DenyReason::Guest)
    );
    // Not even with an identity id: Cognito gives unauthenticated identities one.
    let guest_with_id = Principal::<Group>::guest().with_identity_id("u1");
    for access in ACCESSES {
        assert_eq!(
            Articles::authorize(&guest_with_id, "profiles/u1/x", access).deny_reason(),
            Some(DenyReason::Guest),
            "{access}"
        );
    }
}

storage! {
    /// Issue 21's example: Amplify deploys `{entity_id}` as `*` for every
    /// grant but the owner's, and `a/b/*` overrides `a/*` from `a/b/` on.
    Wide {
        "a/{entity_id}/*" => guest: [read],
        "a/{entity_id}/*" => entity(identity): [write],
        "a/b/{entity_id}/*" => groups(EDITORS): [read],
        "a/c/*" => authenticated: [read],
    }
}

/// Who asks for what on which key, and the outcome expected.
type WideCase<'a> = (
    &'a Principal<Group>,
    &'a str,
    Access,
    Result<&'a str, DenyReason>,
);

#[test]
fn entity_paths_cover_their_parent_for_everyone_but_the_owner() {
    use DenyReason::*;
    let guest = Principal::<Group>::guest();
    let user = Principal::<Group>::authenticated("u1");
    let editor = user.clone().with_groups([Group::EDITORS]);
    let guest_read = Ok(r#""a/{entity_id}/*" => guest: [read]"#);
    let owner = Ok(r#""a/{entity_id}/*" => entity(identity): [write]"#);
    let editors = Ok(r#""a/b/{entity_id}/*" => groups(EDITORS): [read]"#);
    let users = Ok(r#""a/c/*" => authenticated: [read]"#);
    let cases: &[WideCase] = &[
        // The guests' grant covers all of `a/*`: folders, files beside them,
        // and the listing of `a/` itself.
        (&guest, "a/u1/x", Access::Get, guest_read),
        (&guest, "a/avatar.png", Access::Get, guest_read),
        (&guest, "a/", Access::List, guest_read),
        (&guest, "a/u2/", Access::List, guest_read),
        // `a/b/{entity_id}/*` decides from `a/b/` on, for its others too.
        (&guest, "a/b/f", Access::Get, Err(Guest)),
        (&guest, "a/b/u1/f", Access::Get, Err(Guest)),
        (&editor, "a/b/f", Access::Get, editors),
        (&editor, "a/b/", Access::List, editors),
        (&editor, "a/x/f", Access::Get, Err(GuestsOnly)),
        // A literal path under `a/*` decides alone, owner included.
        (&guest, "a/c/f", Access::Get, Err(Guest)),
        (&user, "a/c/f", Access::Get, users),
        // The owner's grant is the folder `a/<id>/` only.
        (&user, "a/u1/x", Access::Write, owner),
        (&user, "a/u2/x", Access::Write, Err(NotOwner)),
        (&user, "a/u1", Access::Write, Err(NoRule)),
        (&user, "a/x.png", Access::Write, Err(NoRule)),
        (&user, "a/b/u1/x", Access::Write, Err(NoRule)),
    ];
    for (who, key, access, expected) in cases {
        assert_eq!(
            outcome::<Wide>(who, key, *access),
            *expected,
            "{access} on {key} by {who:?}"
        );
    }
}

#[test]
fn literal_path_beats_entity_path_at_the_same_depth() {
    let named_common = Principal::<Group>::authenticated("common");
    assert_eq!(
        outcome::<Shared>(&named_common, "shared/common/x", Access::Write),
        Err(DenyReason::NoRule)
    );
    assert_eq!(
        outcome::<Shared>(&named_common, "shared/common/x", Access::Get),
        Ok(r#""shared/common/*" => authenticated: [read]"#)
    );
    let user = Principal::<Group>::authenticated("u1");
    assert_eq!(
        outcome::<Shared>(&user, "shared/u1/x", Access::Write),
        Ok(r#""shared/{entity_id}/*" => entity(identity): [read, write]"#)
    );
}

#[test]
fn malformed_keys_are_refused_with_their_reason() {
    use KeyError::*;
    let long_ok = format!("drafts/{}", "a".repeat(1024 - 7));
    let long = format!("drafts/{}", "a".repeat(1024 - 6));
    // 509 two-byte characters: 516 characters but 1025 bytes.
    let long_multibyte = format!("drafts/{}", "é".repeat(509));
    let cases: &[(&str, KeyError)] = &[
        ("", Empty),
        ("/drafts/x", LeadingSlash),
        ("/", LeadingSlash),
        ("drafts//x", EmptySegment),
        ("drafts/x//", EmptySegment),
        ("drafts/../admin/x", DotSegment),
        ("drafts/./x", DotSegment),
        ("drafts/..", DotSegment),
        ("drafts/x/.", DotSegment),
        ("../drafts/x", DotSegment),
        (".", DotSegment),
        ("profiles/../profiles/u1/x", DotSegment),
        ("drafts\\x", Backslash),
        ("drafts/..\\admin", Backslash),
        ("drafts/x\0", ControlCharacter),
        ("drafts/\0/x", ControlCharacter),
        ("drafts/x\n", ControlCharacter),
        ("drafts/x\r\ny", ControlCharacter),
        ("drafts/\u{7f}x", ControlCharacter),
        ("drafts/\u{85}x", ControlCharacter),
        ("drafts/\u{202e}gpj.exe", DisplayControl),
        ("drafts/a\u{2028}b", DisplayControl),
        ("drafts/a\u{2029}", DisplayControl),
        ("\u{2066}drafts/x", DisplayControl),
        ("drafts/\u{200f}x", DisplayControl),
        ("drafts/\u{61c}x", DisplayControl),
        (&long, TooLong),
        (&long_multibyte, TooLong),
    ];
    // The most privileged caller, whose entity id appears in the keys.
    let admin = principal("ADMINS+EDITORS");
    for (key, error) in cases {
        assert_eq!(validate_key(key), Err(*error), "{key:?}");
        for access in ACCESSES {
            let d = Articles::authorize(&admin, key, access);
            assert_eq!(
                d.deny_reason(),
                Some(DenyReason::InvalidKey(*error)),
                "{access} {key:?}"
            );
        }
    }
    assert_eq!(long_ok.len(), 1024);
    // Look-alikes that are plain segments: keys are never decoded.
    for key in [
        long_ok.as_str(),
        "drafts/...",
        "drafts/.hidden",
        "drafts/x.",
        "drafts/%2e%2e/x",
        "drafts/x/",
    ] {
        assert_eq!(validate_key(key), Ok(()), "{key:?}");
        assert!(
            Articles::authorize(&admin, key, Access::Get).is_allowed(),
            "{key:?}"
        );
    }
}

#[test]
fn groups_override_names_another_enum() {
    let keyholder = Principal::authenticated("k").with_groups([roles::Role::Keyholders]);
    assert!(vault::Vault::authorize(&keyholder, "vault/gold", Access::Read).is_allowed());
    assert!(
        vault::Vault::authorize(&Principal::authenticated("k"), "vault/gold", Access::Read)
            .is_denied()
    );
    assert_eq!(
        vault::Vault::PATHS[0].grants()[0].acceptor(),
        Acceptor::Groups(&[roles::Role::Keyholders])
    );
}

#[test]
fn metadata_for_reports() {
    assert_eq!(Articles::NAME, "Articles");
    let report: Vec<String> = Articles::PATHS
        .iter()
        .flat_map(|p| p.grants().iter().map(|g| g.declaration().to_owned()))
        .collect();
    assert_eq!(
        report,
        [
            r#""drafts/*" => groups(EDITORS): [read, write]"#,
            r#""drafts/*" => groups(ADMINS): [read, write, delete]"#,
            r#""drafts/archive/*" => groups(ADMINS): [read]"#,
            r#""public/*" => guest: [read]"#,
            r#""public/*" => authenticated: [read, write]"#,
            r#""profiles/{entity_id}/*" => entity(identity): [read, write, delete]"#,
            r#""profiles/{entity_id}/*" => groups(ADMINS): [read]"#,
        ]
    );
    let drafts = &Articles::PATHS[0];
    assert_eq!(drafts.path(), "drafts/*");
    assert_eq!(
        drafts.grants()[1].acceptor(),
        Acceptor::Groups(&[Group::ADMINS])
    );
    assert!(drafts.grants()[1].actions().contains(Access::Delete));
    assert!(!drafts.grants()[0].actions().contains(Access::Delete));
    assert_eq!(Articles::PATHS[3].grants()[0].acceptor(), Acceptor::Entity);
}

/// An oracle written from the declaration of `Articles`, independent of the
/// trie: whether some declared path covers `key`.
fn articles_cover(key: &str) -> bool {
    if key.starts_with("drafts/") || key.starts_with("public/") {
        return true;
    }
    // `profiles/{entity_id}/*` grants to ADMINS: all of `profiles/*`.
    key.starts_with("profiles/")
}

/// Key segments mixing declared names, near misses and traversal pieces.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "drafts", "archive", "public", "profiles", "u1", "u2", "draft", "Drafts",
            "profile", "publics", "x", "", ".", "..", "...", "%2e%2e", "a\\b", "\0", "\u{85}",
        ])
        .prop_map(str::to_owned),
        2 => "[a-z0-9._-]{1,6}",
        1 => any::<String>().prop_map(|s| s.chars().filter(|c| *c != '/').take(8).collect()),
    ]
}

fn key() -> impl Strategy<Value = String> {
    (
        prop::bool::weighted(0.1),
        prop::collection::vec(segment(), 1..6),
        prop::bool::ANY,
    )
        .prop_map(|(leading_slash, segments, trailing_slash)| {
            let mut key = segments.join("/");
            if leading_slash {
                key.insert(0, '/');
            }
            if trailing_slash {
                key.push('/');
            }
            key
        })
}

fn any_principal() -> impl Strategy<Value = Principal<Group>> {
    prop_oneof![
        Just(Principal::guest()),
        prop::sample::select(vec!["u1", "u2", "x", "drafts", "..", "a/b", ""]).prop_flat_map(
            |id| {
                prop::sample::subsequence(vec![Group::ADMINS, Group::EDITORS], 0..=2)
                    .prop_map(move |groups| Principal::authenticated(id).with_groups(groups))
            }
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// A key outside every declared prefix is always denied; a valid key
    /// inside one is never reported as uncovered.
    #[test]
    fn keys_outside_every_declared_prefix_are_denied(key in key(), p in any_principal()) {
        let covered = articles_cover(&key);
        for access in ACCESSES {
            let d = Articles::authorize(&p, &key, access);
            if !covered {
                prop_assert!(d.is_denied(), "{access} {key:?} allowed: {d}");
                prop_assert!(matches!(
                    d.deny_reason(),
                    Some(DenyReason::NoMatchingPath | DenyReason::InvalidKey(_))
                ));
            } else if validate_key(&key).is_ok() {
                prop_assert_ne!(d.deny_reason(), Some(DenyReason::NoMatchingPath), "{:?}", key);
            }
        }
    }

    /// No key holding a `..` segment is ever allowed, whoever asks.
    #[test]
    fn keys_with_a_dot_dot_segment_are_never_allowed(
        key in key(),
        at in any::<prop::sample::Index>(),
        p in any_principal(),
    ) {
        let mut segments: Vec<&str> = key.split('/').collect();
        let at = at.index(segments.len() + 1);
        segments.insert(at, "..");
        let key = segments.join("/");
        for access in ACCESSES {
            let d = Articles::authorize(&p, &key, access);
            prop_assert!(d.is_denied(), "{access} {key:?} allowed: {d}");
            prop_assert!(matches!(d.deny_reason(), Some(DenyReason::InvalidKey(_))), "{key:?}: {d}");
        }
    }
}

/// The characters that change how text is shown, written out from Unicode's
/// lists: the bidirectional controls and the line and paragraph separators.
const DISPLAY_CONTROLS: [char; 14] = [
    '\u{61c}', '\u{200e}', '\u{200f}', '\u{2028}', '\u{2029}', '\u{202a}', '\u{202b}', '\u{202c}',
    '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

/// The single-pass key check flags exactly the characters `char::is_control`
/// flags (C0, DEL and C1) and the display controls, wherever they stand, and
/// nothing else.
#[test]
fn control_characters_match_char_is_control() {
    for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
        if matches!(c, '/' | '\\' | '.') {
            continue;
        }
        for key in [format!("a{c}b"), format!("a/{c}"), format!("{c}/a")] {
            let expected = if c.is_control() {
                Err(KeyError::ControlCharacter)
            } else if DISPLAY_CONTROLS.contains(&c) {
                Err(KeyError::DisplayControl)
            } else {
                Ok(())
            };
            assert_eq!(
                validate_key(&key),
                expected,
                "U+{:04X} in {key:?}",
                c as u32
            );
        }
    }
}

storage! {
    /// Child tables with long probe chains. Every root part (`r0`...`r55`)
    /// hashes to the last of the root's 16 slots, so lookups wrap around; the
    /// 24 children of `r19` all hash to slot 63 of 64. `r73`, `r82`, `r91`
    /// and `c1196`, `c1332`, `c1417`, `c1466` hash to the same slots but are
    /// not declared. `r20` and `r37` put literal paths next to `{entity_id}`
    /// ones, at the same depth and deeper, and `r37/c7/{entity_id}/*` under
    /// the `r37/*` that `r37/{entity_id}/*` covers for signed-in users.
    Crowded {
        "r0/*" => authenticated: [get],
        "r19/*" => authenticated: [get],
        "r19/c7/*" => authenticated: [get],
        "r19/c36/*" => authenticated: [get],
        "r19/c47/*" => authenticated: [get],
        "r19/c94/*" => authenticated: [get],
        "r19/c142/*" => authenticated: [get],
        "r19/c223/*" => authenticated: [get],
        "r19/c270/*" => authenticated: [get],
        "r19/c326/*" => authenticated: [get],
        "r19/c357/*" => authenticated: [get],
        "r19/c384/*" => authenticated: [get],
        "r19/c436/*" => authenticated: [get],
        "r19/c447/*" => authenticated: [get],
        "r19/c494/*" => authenticated: [get],
        "r19/c519/*" => authenticated: [get],
        "r19/c555/*" => authenticated: [get],
        "r19/c601/*" => authenticated: [get],
        "r19/c708/*" => authenticated: [get],
        "r19/c744/*" => authenticated: [get],
        "r19/c797/*" => authenticated: [get],
        "r19/c818/*" => authenticated: [get],
        "r19/c854/*" => authenticated: [get],
        "r19/c887/*" => authenticated: [get],
        "r19/c906/*" => authenticated: [get],
        "r19/c977/*" => authenticated: [get],
        "r20/{entity_id}/*" => authenticated: [get],
        "r20/{entity_id}/*" => entity(identity): [write],
        "r20/c7/*" => authenticated: [get],
        "r20/c36/*" => authenticated: [get],
        "r20/c47/deep/*" => authenticated: [get],
        "r37/{entity_id}/*" => authenticated: [get],
        "r37/{entity_id}/*" => entity(identity): [write],
        "r37/c7/{entity_id}/*" => authenticated: [get],
        "r46/x/y/*" => authenticated: [get],
        "r55/*" => authenticated: [get],
    }
}

// The 1,000-path storage of the benchmark (`Many`: `areaNNNN/*` and
// `areaNNNN/sub/*` for NNNN in 0000..0500), generated by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/storage1000.rs"));

/// The path that should decide for `key`, found from the declared texts alone
/// (no trie, no hash table): among the paths covering the key, the one with
/// the most parts, a literal last part beating `{entity_id}`. With it, the
/// key's segment in place of `{entity_id}`, if any: the part after `p/` of
/// `p/{entity_id}/*` when a `/` follows it (the path itself covers all of
/// `p/*`, as Amplify deploys its grants to others than the owner, unless
/// `owner_only` lists it).
fn oracle(
    paths: &[&'static str],
    owner_only: &[&'static str],
    key: &str,
) -> Option<(&'static str, Option<String>)> {
    let segments: Vec<&str> = key.split('/').collect();
    let parts = |path: &'static str| -> Vec<&'static str> {
        path.strip_suffix("/*")
            .expect("paths end with /*")
            .split('/')
            .collect()
    };
    let literal = |path: &'static str| -> Vec<&'static str> {
        parts(path)
            .into_iter()
            .filter(|part| *part != "{entity_id}")
            .collect()
    };
    paths
        .iter()
        .copied()
        .filter(|path| {
            let literal = literal(path);
            // A path `p/*` needs a `/` after its last literal part; an
            // owner-only path, a `/` after the owner's segment too.
            let needed = literal.len() + usize::from(owner_only.contains(path));
            segments.len() > needed && literal.iter().zip(&segments).all(|(p, s)| p == s)
        })
        .max_by_key(|path| (parts(path).len(), !path.contains("{entity_id}")))
        .map(|path| {
            let parts = parts(path);
            let entity = parts
                .iter()
                .position(|part| *part == "{entity_id}")
                .filter(|at| segments.len() > at + 1)
                .map(|at| segments[at].to_owned());
            (path, entity)
        })
}

/// Checks `S`'s decision on `key` against [`oracle`], for a principal that
/// some `get` grant of every path admits: `get` is allowed exactly when a
/// path covers the key, by a grant of the oracle's path; and when `check_owner`,
/// `write` (granted to `entity(identity)` only) is allowed exactly when that
/// path holds `{entity_id}` and the key's segment there is the principal's id.
fn agrees_with_oracle<S: Storage>(
    p: &Principal<S::Group>,
    key: &str,
    check_owner: bool,
) -> Result<(), String> {
    let paths: Vec<&'static str> = S::PATHS.iter().map(StoragePath::path).collect();
    let is_entity = |g: &Grant<S::Group>| matches!(g.acceptor(), Acceptor::Entity);
    let owner_only: Vec<&'static str> = S::PATHS
        .iter()
        .filter(|path| path.has_entity_id() && path.grants().iter().all(is_entity))
        .map(StoragePath::path)
        .collect();
    let get = outcome::<S>(p, key, Access::Get);
    let expected = oracle(&paths, &owner_only, key);
    match (validate_key(key), &expected, get) {
        (Err(error), _, Err(DenyReason::InvalidKey(reported))) if error == reported => {}
        (Ok(()), None, Err(DenyReason::NoMatchingPath)) => {}
        (Ok(()), Some((path, _)), Ok(rule)) if rule.starts_with(&format!("{path:?} =>")) => {}
        (_, expected, got) => {
            return Err(format!("get {key:?}: expected {expected:?}, got {got:?}"));
        }
    }
    if let (true, Ok(()), Some((path, entity))) = (check_owner, validate_key(key), expected) {
        let grants_owner = S::PATHS
            .iter()
            .any(|declared| declared.path() == path && declared.grants().iter().any(is_entity));
        let owner =
            grants_owner && entity.is_some_and(|segment| p.entity_id() == Some(segment.as_str()));
        let write = outcome::<S>(p, key, Access::Write);
        let ok = if owner {
            write.is_ok_and(|rule| rule.starts_with(&format!("{path:?} => entity(identity)")))
        } else {
            write.is_err()
        };
        if !ok {
            return Err(format!(
                "write {key:?} as {:?}: decided by {path:?}, owner {owner}, got {write:?}",
                p.entity_id()
            ));
        }
    }
    Ok(())
}

/// Every declared path of `S`, each written as keys on it and around it:
/// `p/x`, `p/`, `p` (no `/`), with `{entity_id}` as `u1` and as a literal
/// sibling's name.
fn keys_around<S: Storage>() -> Vec<String> {
    let mut keys = Vec::new();
    for path in S::PATHS.iter().map(StoragePath::path) {
        let ids: &[&str] = if path.contains("{entity_id}") {
            &["u1", "c7", "c36", "r19", "sub"]
        } else {
            &["u1"]
        };
        if let Some(parent) = path.strip_suffix("{entity_id}/*") {
            // What the grants to others than the owner cover beside the folders.
            keys.push(parent.to_owned());
            keys.push(format!("{parent}x"));
            keys.push(format!("{parent}x/"));
        }
        for id in ids {
            let base = path.replace("{entity_id}", id);
            let prefix = base.strip_suffix('*').expect("paths end with /*");
            keys.push(format!("{prefix}x"));
            keys.push(format!("{prefix}x/y/"));
            keys.push(prefix.to_owned());
            keys.push(prefix.trim_end_matches('/').to_owned());
            // A declared name one level deeper, where it is not declared.
            keys.push(format!("{prefix}c7/x"));
            keys.push(format!("{prefix}sub/x"));
        }
    }
    keys
}

#[test]
fn crowded_child_tables_find_every_child_and_nothing_else() {
    let mut failures = Vec::new();
    let mut keys = keys_around::<Crowded>();
    // Undeclared names on the same probe chains.
    for miss in ["r73", "r82", "r91", "c1196", "c1332", "c1417", "c1466"] {
        keys.push(format!("{miss}/x"));
        keys.push(format!("r19/{miss}/x"));
        keys.push(format!("r20/{miss}/x"));
        keys.push(format!("r37/c7/{miss}/x"));
    }
    for id in ["u1", "c7", "c36", "c47", "deep", "r37"] {
        let p = Principal::<Group>::authenticated(id);
        for key in &keys {
            if let Err(failure) = agrees_with_oracle::<Crowded>(&p, key, true) {
                failures.push(failure);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // A few decisions spelled out, in case the oracle and the trie share a mistake.
    let u1 = Principal::<Group>::authenticated("u1");
    let c7 = Principal::<Group>::authenticated("c7");
    for (key, path) in [
        ("r0/x", Some("r0/*")),
        ("r19/c977/x", Some("r19/c977/*")),
        ("r19/c1466/x", Some("r19/*")),
        ("r73/x", None),
        ("r20/c7/x", Some("r20/c7/*")),
        ("r20/c47/x", Some("r20/{entity_id}/*")),
        ("r20/c47/deep/x", Some("r20/c47/deep/*")),
        ("r37/c7/u1/x", Some("r37/c7/{entity_id}/*")),
        ("r37/c7/x", Some("r37/c7/{entity_id}/*")),
        ("r37/c7/", Some("r37/c7/{entity_id}/*")),
        ("r37/c7", Some("r37/{entity_id}/*")),
        ("r37/x", Some("r37/{entity_id}/*")),
        ("r37/", Some("r37/{entity_id}/*")),
        ("r37", None),
        ("r46/x/x", None),
        ("r46/x/y/x", Some("r46/x/y/*")),
    ] {
        let got = outcome::<Crowded>(&u1, key, Access::Get);
        match path {
            Some(path) => assert!(
                got.is_ok_and(|rule| rule.starts_with(&format!("{path:?} =>"))),
                "{key}: {got:?}"
            ),
            None => assert_eq!(got, Err(DenyReason::NoMatchingPath), "{key}"),
        }
    }
    // `r37/c7/{entity_id}/*` decides from `r37/c7/` on, and grants no owner.
    assert!(Crowded::authorize(&c7, "r37/c7/x", Access::Write).is_denied());
    assert!(Crowded::authorize(&u1, "r37/c7/u1/x", Access::Write).is_denied());
    assert!(Crowded::authorize(&u1, "r37/u1/x", Access::Write).is_allowed());
    assert!(Crowded::authorize(&u1, "r37/u1", Access::Write).is_denied());
    // The literal sibling decides alone, even for the user it names.
    assert!(Crowded::authorize(&c7, "r20/c7/x", Access::Write).is_denied());
}

#[test]
fn five_hundred_sibling_paths_each_decide_their_keys() {
    let admin = principal("ADMINS+EDITORS");
    let mut failures = Vec::new();
    let mut keys = keys_around::<Many>();
    keys.extend(
        [
            "area0500/x",
            "area500/x",
            "area5/x",
            "area0000x/x",
            "area/x",
            "sub/x",
        ]
        .map(String::from),
    );
    for key in &keys {
        if let Err(failure) = agrees_with_oracle::<Many>(&admin, key, false) {
            failures.push(failure);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(Many::PATHS.len(), 1000);
}

fn crowded_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "r0", "r19", "r20", "r37", "r46", "r55", "r73", "r82", "r91", "c7", "c36", "c47",
            "c94", "c977", "c1196", "c1466", "deep", "x", "y", "u1", "{entity_id}", "", "..",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z0-9]{1,4}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    /// The trie agrees with the declared texts on random keys, whoever asks.
    #[test]
    fn crowded_agrees_with_the_declared_paths(
        segments in prop::collection::vec(crowded_segment(), 1..6),
        trailing_slash in prop::bool::ANY,
        id in prop::sample::select(vec!["u1", "c7", "c47", "r37", "deep", "x"]),
    ) {
        let mut key = segments.join("/");
        if trailing_slash {
            key.push('/');
        }
        let p = Principal::<Group>::authenticated(id);
        if let Err(failure) = agrees_with_oracle::<Crowded>(&p, &key, true) {
            prop_assert!(false, "{}", failure);
        }
    }
}
