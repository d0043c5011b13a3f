use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    Reviewers,
}

#[model(groups = [ADMINS])]
pub struct Article;

fn main() {}
