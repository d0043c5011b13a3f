use groupguard::model;

mod auth {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        ADMINS,
    }
}

#[model(groups = auth::Roles, allow(groups = [ADMINS]))]
pub struct Article;

fn main() {}
