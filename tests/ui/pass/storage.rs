// Pass cases of storage!: each module is a former case (its `crate::` paths now
// go through the module), whose checks its `main` runs.

// Was ui/pass/storage-groups-from-another-crate.rs.
// A storage uses a groups enum declared in another crate, imported as
// `Group` or named with the `groups = path;` line.
mod storage_groups_from_another_crate {
    use groupguard::{storage, Access, Principal};
    use groupguard_test_auth::auth::Group;

    storage! {
        pub Articles {
            "drafts/*" => groups(EDITORS): [read, write],
            "drafts/*" => groups("ADMINS"): [read, delete],
        }
    }

    mod other {
        groupguard::storage! {
            groups = groupguard_test_auth::auth::Group;
            pub Reports {
                "reports/*" => groups(ADMINS): [read],
            }
        }
    }

    pub(crate) fn main() {
        let editor = Principal::authenticated("e").with_groups([Group::EDITORS]);
        let admin = Principal::authenticated("a").with_groups([Group::ADMINS]);
        assert!(Articles::authorize(&editor, "drafts/a", Access::Write).is_allowed());
        assert!(Articles::authorize(&editor, "drafts/a", Access::Delete).is_denied());
        assert!(Articles::authorize(&admin, "drafts/a", Access::Delete).is_allowed());
        assert!(other::Reports::authorize(&admin, "reports/q1.pdf", Access::Read).is_allowed());
        assert!(other::Reports::authorize(&editor, "reports/q1.pdf", Access::Read).is_denied());
    }
}

// Was ui/pass/storage-issue-example.rs.
// The example of issue 3, verbatim, with the groups enum imported from
// another module as `use crate::auth::Group;`.
mod storage_issue_example {
    mod auth {
        use groupguard::groups;

        #[groups]
        pub enum Group {
            ADMINS,
            EDITORS,
        }
    }

    mod files {
        use crate::storage_issue_example::auth::Group;
        use groupguard::storage;

        storage! {
            /// Article files.
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
    }

    use auth::Group;
    use files::Articles;
    use groupguard::{Access, Principal, Storage};

    pub(crate) fn main() {
        let editor = Principal::authenticated("e1").with_groups([Group::EDITORS]);
        assert!(Articles::authorize(&editor, "drafts/a.md", Access::Write).is_allowed());
        assert!(Articles::authorize(&editor, "drafts/archive/a.md", Access::Get).is_denied());
        assert!(Articles::authorize(&editor, "profiles/e1/me.png", Access::Delete).is_allowed());
        assert!(<Articles as Storage>::authorize(&editor, "profiles/e2/me.png", Access::Get).is_denied());
        assert_eq!(Articles::PATHS.len(), 4);
    }
}

// Was ui/pass/storage-private-and-groups-override.rs.
// A private storage in a binary, used only through `authorize`, stays free
// of warnings; `groups = path;` names an enum that is not `Group`, in a
// module where no `Group` exists.
#[deny(warnings)]
mod storage_private_and_groups_override {
    mod roles {
        #[groupguard::groups]
        pub(crate) enum Role {
            Staff,
        }
    }

    mod tickets {
        use groupguard::{Access, Principal};

        groupguard::storage! {
            groups = crate::storage_private_and_groups_override::roles::Role;
            Attachments {
                "tickets/*" => groups(Staff): [read, write],
                "uploads/{entity_id}/*" => entity(identity): [read],
            }
        }

        pub(crate) fn may_read(p: &Principal<crate::storage_private_and_groups_override::roles::Role>, key: &str) -> bool {
            Attachments::authorize(p, key, Access::Read).is_allowed()
        }
    }

    pub(crate) fn main() {
        use groupguard::Principal;
        let staff = Principal::authenticated("s").with_groups([roles::Role::Staff]);
        assert!(tickets::may_read(&staff, "tickets/42.pdf"));
        assert!(!tickets::may_read(&Principal::authenticated("s"), "tickets/42.pdf"));
    }
}

fn main() {
    storage_groups_from_another_crate::main();
    storage_issue_example::main();
    storage_private_and_groups_override::main();
}
