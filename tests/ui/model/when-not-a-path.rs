use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(
    allow(groups = [EDITORS], to = [update], when = "is_draft"),
    allow(groups = [ADMINS], when = |post: &Post| post.draft),
)]
pub struct Post {
    pub draft: bool,
}

fn main() {}