// A group listed twice inside one `groups(...)`.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*" => groups(EDITORS, "EDITORS"): [read],
    }
}

fn main() {}
