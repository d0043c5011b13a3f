use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[derive(PartialEq)]
pub enum Status {
    Draft,
    Published,
}

#[model(allow(groups = [EDITORS], to = [update], when = Self::status), allow(groups = [ADMINS], when = Self::missing))]
pub struct Post {
    pub status: Status,
}

impl Post {
    fn status(&self) -> Status {
        Status::Published
    }
}

fn main() {}