//! A storage uses a groups enum declared in another crate, imported as
//! `Group` or named with the `groups = path;` line.

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

fn main() {
    let editor = Principal::authenticated("e").with_groups([Group::EDITORS]);
    let admin = Principal::authenticated("a").with_groups([Group::ADMINS]);
    assert!(Articles::authorize(&editor, "drafts/a", Access::Write).is_allowed());
    assert!(Articles::authorize(&editor, "drafts/a", Access::Delete).is_denied());
    assert!(Articles::authorize(&admin, "drafts/a", Access::Delete).is_allowed());
    assert!(other::Reports::authorize(&admin, "reports/q1.pdf", Access::Read).is_allowed());
    assert!(other::Reports::authorize(&editor, "reports/q1.pdf", Access::Read).is_denied());
}
