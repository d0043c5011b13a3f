// `entity(identity)` may appear once per path.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "home/{entity_id}/*" => entity(identity): [read],
        "home/{entity_id}/*" => entity(identity): [write],
    }
}

fn main() {}
