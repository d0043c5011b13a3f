// `*` only at the end (path rule 4): the message suggests the path under
// which the keys were meant, `drafts/x/*`.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*/x" => groups(EDITORS): [read],
    }
}

fn main() {}
