use groupguard::model;

pub enum Roles {
    ADMINS,
}

#[model(groups = Roles, allow(groups = [ADMINS]))]
pub struct Article;

fn main() {}
