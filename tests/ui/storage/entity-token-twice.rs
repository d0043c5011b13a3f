// Path rule 6: `{entity_id}` appears once.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "teams/{entity_id}/{entity_id}/*" => entity(identity): [read],
    }
}

fn main() {}
