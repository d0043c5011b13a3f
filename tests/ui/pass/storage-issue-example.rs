//! The example of issue 3, verbatim, with the groups enum imported from
//! another module as `use crate::auth::Group;`.

mod auth {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }
}

mod files {
    use crate::auth::Group;
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

fn main() {
    let editor = Principal::authenticated("e1").with_groups([Group::EDITORS]);
    assert!(Articles::authorize(&editor, "drafts/a.md", Access::Write).is_allowed());
    assert!(Articles::authorize(&editor, "drafts/archive/a.md", Access::Get).is_denied());
    assert!(Articles::authorize(&editor, "profiles/e1/me.png", Access::Delete).is_allowed());
    assert!(<Articles as Storage>::authorize(&editor, "profiles/e2/me.png", Access::Get).is_denied());
    assert_eq!(Articles::PATHS.len(), 4);
}
