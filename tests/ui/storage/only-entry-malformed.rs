// The only entry is malformed: one error for it, and no follow-on "declares
// no paths" error.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*" => groups(EDITORS) [read],
    }
}

fn main() {}
