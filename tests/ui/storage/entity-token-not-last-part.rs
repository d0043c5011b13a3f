// Path rule 6: `{entity_id}` is the part right before the final `/*`.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "profiles/{entity_id}/photos/*" => entity(identity): [read],
    }
}

fn main() {}
