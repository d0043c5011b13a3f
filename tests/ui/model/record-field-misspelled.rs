use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(allow(owner = athor, to = [update]), allow(groups_defined_in = temas))]
pub struct Post {
    pub author: String,
    pub teams: Vec<String>,
}

fn main() {}