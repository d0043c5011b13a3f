// `entity(identity)` on a path without `{entity_id}` would admit every user.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "uploads/*" => entity(identity): [read, write],
    }
}

fn main() {}
