// The only setting before the storage is `groups = path::To::Enum;`.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    group = Group;
    pub Files {
        "drafts/*" => groups(EDITORS): [read],
    }
}

fn main() {}
