// `{entity_id}` is the only path token.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "profiles/{entityId}/*" => entity(identity): [read],
    }
}

fn main() {}
