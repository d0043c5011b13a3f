use groupguard::model;

mod auth {
    pub enum Roles {
        ADMINS,
    }
}

#[model(groups = auth::Roles, allow(groups = [ADMINS]))]
pub struct Article;

fn main() {}
