// A malformed entry is reported and the others are still checked.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*" groups(EDITORS): [read],
        "public/*" => guest: [raed],
    }
}

fn main() {}
