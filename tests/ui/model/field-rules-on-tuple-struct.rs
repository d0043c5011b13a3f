use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(allow(groups = [EDITORS]))]
pub struct Employee(#[field(allow(groups = [ADMINS]))] pub u64);

fn main() {}