use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

/// Restricted fields are cleared by `redacted_for`: they need a `Default` (this one lacks only that).
#[derive(Clone, PartialEq)]
pub struct Money(pub u64);

#[model(allow(groups = [EDITORS]))]
pub struct Employee {
    pub name: String,
    #[field(allow(groups = [ADMINS], to = [read]))]
    pub salary: Money,
}

fn main() {}