use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    Reviewers,
}

#[model(
    allow(groups = [EDITOR, ADMINS], to = [read, get]),
    allow(groups = ["content-reviewers"], to = [publish]),
    allow(guest, to = []),
    deny(authenticated),
)]
pub struct Article;

fn main() {}
