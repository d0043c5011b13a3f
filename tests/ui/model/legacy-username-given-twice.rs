use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
}

#[model(allow(owner, legacy_username, to = [read], legacy_username))]
pub struct Note {
    pub owner: String,
}

fn main() {}
