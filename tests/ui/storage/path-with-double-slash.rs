// Path rule 3: a storage path must not contain `//`.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts//old/*" => groups(EDITORS): [read],
    }
}

fn main() {}
