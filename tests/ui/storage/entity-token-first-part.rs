// Path rule 6: `{entity_id}` is not the first part.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "{entity_id}/*" => entity(identity): [read, write],
    }
}

fn main() {}
