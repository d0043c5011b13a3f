use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
}

#[model(allow(groups = [ADMINS]))]
pub enum Article {
    Draft,
    Published,
}

fn main() {}
