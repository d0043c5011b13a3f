use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(allow(groups = [EDITORS]))]
pub struct Employee {
    pub name: String,
    #[field(allow(groups = [ADMINS], to = [get, update]), allow(owner = name, to = [listen]))]
    pub salary: Option<u64>,
}

fn main() {}