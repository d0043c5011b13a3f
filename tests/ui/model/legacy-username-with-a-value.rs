use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
}

#[model(allow(owner, legacy_username = true, to = [read]))]
pub struct Note {
    pub owner: String,
}

fn main() {}
