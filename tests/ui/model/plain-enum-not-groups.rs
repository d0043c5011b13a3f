use groupguard::model;

pub enum Group {
    ADMINS,
}

#[model(allow(groups = [ADMINS]))]
pub struct Article;

fn main() {}
