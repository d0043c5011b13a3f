// The only entity is `identity`.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "home/{entity_id}/*" => entity(user): [read],
    }
}

fn main() {}
