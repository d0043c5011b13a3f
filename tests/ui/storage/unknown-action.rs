// An unknown action, with a suggestion.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*" => groups(EDITORS): [reed, upload],
    }
}

fn main() {}
