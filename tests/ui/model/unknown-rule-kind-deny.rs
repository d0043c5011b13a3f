use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    Reviewers,
}

#[model(allow(guest, to = [list]), deny(authenticated))]
pub struct Article;

fn main() {}
