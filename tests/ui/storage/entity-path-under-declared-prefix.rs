// Path rule 6: no other path may be a prefix of a path holding `{entity_id}`.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "profiles/*" => authenticated: [read],
        "profiles/{entity_id}/*" => entity(identity): [read, write],
    }
}

fn main() {}
