// Three mistakes, three errors; the struct and its impls still exist, so the
// uses below add no follow-on error.
use groupguard::{groups, storage, Access, Principal, Storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "/drafts/*" => groups(EDITOR): [read],
        "public/*" => guest: [read, get],
    }
}

#[allow(dead_code)] // reason: only needs to type-check
fn uses() {
    let d = Files::authorize(&Principal::<Group>::guest(), "drafts/x", Access::Read);
    assert!(d.is_denied());
    assert!(Files::PATHS.is_empty());
}

fn main() {}
