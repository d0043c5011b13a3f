// Path rule 6: the part holding `{entity_id}` is exactly the token.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "profiles/user-{entity_id}/*" => entity(identity): [read],
    }
}

fn main() {}
