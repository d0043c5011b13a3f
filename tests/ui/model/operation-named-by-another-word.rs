// Words from other vocabularies name the operation they mean.
use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(
    allow(groups = [EDITORS], to = [edit, view]),
    allow(groups = [ADMINS], to = [write, modify, remove]),
)]
pub struct Article;

fn main() {}
