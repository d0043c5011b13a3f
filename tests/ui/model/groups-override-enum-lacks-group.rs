// The override decides which enum the rules are checked against: `ADMINS`
// exists in `Group`, but not in `auth::Roles`.
use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
}

mod auth {
    use groupguard::groups;

    #[groups]
    pub enum Roles {
        Owners,
        Moderators,
    }
}

#[model(groups = auth::Roles, allow(groups = [ADMINS]))]
pub struct Article;

fn main() {}
