use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(allow(owners, to = [update]), allow(group_defined_in), allow(owner = "author"))]
pub struct Post {
    pub author: String,
}

fn main() {}