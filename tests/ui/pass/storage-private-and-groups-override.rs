//! A private storage in a binary, used only through `authorize`, stays free
//! of warnings; `groups = path;` names an enum that is not `Group`, in a
//! module where no `Group` exists.
#![deny(warnings)]

mod roles {
    #[groupguard::groups]
    pub(crate) enum Role {
        Staff,
    }
}

mod tickets {
    use groupguard::{Access, Principal};

    groupguard::storage! {
        groups = crate::roles::Role;
        Attachments {
            "tickets/*" => groups(Staff): [read, write],
            "uploads/{entity_id}/*" => entity(identity): [read],
        }
    }

    pub(crate) fn may_read(p: &Principal<crate::roles::Role>, key: &str) -> bool {
        Attachments::authorize(p, key, Access::Read).is_allowed()
    }
}

fn main() {
    use groupguard::Principal;
    let staff = Principal::authenticated("s").with_groups([roles::Role::Staff]);
    assert!(tickets::may_read(&staff, "tickets/42.pdf"));
    assert!(!tickets::may_read(&Principal::authenticated("s"), "tickets/42.pdf"));
}
