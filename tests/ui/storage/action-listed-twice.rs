// An action listed twice in one entry.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*" => groups(EDITORS): [write, write],
    }
}

fn main() {}
