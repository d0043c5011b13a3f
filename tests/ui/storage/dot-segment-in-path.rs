// A `..` part could never match: such keys are always denied.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/../admin/*" => groups(ADMINS): [read],
    }
}

fn main() {}
