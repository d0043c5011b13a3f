// Path rule 4: `*` only as the final character.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*/images/*" => groups(EDITORS): [read],
    }
}

fn main() {}
