use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

// `allow(owner)` reads the field `owner`, which this model calls `author`.
#[model(allow(owner, to = [update]))]
pub struct Post {
    pub author: String,
}

fn main() {}