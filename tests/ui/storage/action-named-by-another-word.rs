// Words from other vocabularies name the action they mean.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*" => groups(EDITORS): [view, edit],
        "drafts/*" => groups(ADMINS): [remove],
    }
}

fn main() {}
