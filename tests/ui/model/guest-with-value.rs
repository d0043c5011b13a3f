use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    Reviewers,
}

#[model(allow(guest = true, to = [list]))]
pub struct Article;

fn main() {}
