use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    Reviewers,
}

#[model(allow(owner, to = [read]))]
pub struct Article;

fn main() {}
