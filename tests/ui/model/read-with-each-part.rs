use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    Reviewers,
}

#[model(
    allow(groups = [ADMINS], to = [read, get]),
    allow(groups = [ADMINS], to = [read, list]),
    allow(groups = [ADMINS], to = [read, sync]),
    allow(groups = [ADMINS], to = [read, listen]),
    allow(groups = [ADMINS], to = [read, search]),
)]
pub struct Article;

fn main() {}
