use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

// An empty `#[field()]` would deny everything on the field; without the
// attribute the field follows the model's rules.
#[model(allow(groups = [EDITORS]))]
pub struct Employee {
    pub name: String,
    #[field()]
    pub salary: Option<u64>,
}

fn main() {}
