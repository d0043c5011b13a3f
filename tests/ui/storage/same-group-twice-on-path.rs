// A group may have one entry per path, even inside a longer group list.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*" => groups(EDITORS): [read],
        "drafts/*" => groups(ADMINS, EDITORS): [write],
    }
}

fn main() {}
