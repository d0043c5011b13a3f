use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    Reviewers,
}

#[model(groups = [ADMINS], allow(guest, to = [list]))]
pub struct Article;

fn main() {}
