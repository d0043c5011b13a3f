// Stray tokens after an entry: one error, not one per token.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*" => groups(EDITORS): [read] for everyone,
        "public/*" => guest: [read],
    }
}

fn main() {}
