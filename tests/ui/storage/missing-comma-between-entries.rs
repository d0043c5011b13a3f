// A forgotten comma is reported, and the next entry is still checked.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*" => groups(EDITORS): [read]
        "public/*" => guest: [raed],
    }
}

fn main() {}
