// Path rule 1: a storage path must not start with `/`.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "/drafts/*" => groups(EDITORS): [read],
    }
}

fn main() {}
