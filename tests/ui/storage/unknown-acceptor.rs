// An unknown acceptor, with a suggestion.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*" => group(EDITORS): [read],
        "public/*" => owner: [read],
    }
}

fn main() {}
