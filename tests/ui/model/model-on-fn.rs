use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
}

#[model(allow(groups = [ADMINS]))]
pub fn article() {}

fn main() {}
