// A misspelled group: the headline mistake that must not compile.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*" => groups(EDITOR): [read],
        "admin/*" => groups("admins"): [read],
    }
}

fn main() {}
