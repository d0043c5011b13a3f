use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(
    allow(owner = views, to = [update]),
    allow(groups_defined_in = scores),
    allow(group_defined_in = pair),
)]
pub struct Post {
    pub views: u32,
    pub scores: Vec<i64>,
    pub pair: (String, String),
}

fn main() {}