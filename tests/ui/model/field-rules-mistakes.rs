use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(allow(groups = [EDITORS]))]
pub struct Employee {
    #[field]
    pub salary: Option<u64>,
    #[field(allow(groups = [ADMIN], to = [read]))]
    pub notes: String,
    #[field(allow(groups = [ADMINS]))]
    #[field(allow(groups = [EDITORS]))]
    pub rating: u8,
}

fn main() {}