// Path rule 2: a storage path must end with `/*`.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/" => groups(EDITORS): [read],
        "public" => guest: [read],
    }
}

fn main() {}
