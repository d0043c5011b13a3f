use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

/// An id type that does not implement `groupguard::RecordId`.
pub struct UserId(pub String);

#[model(allow(owner = author, to = [update]), allow(owners = editors))]
pub struct Post {
    pub author: UserId,
    pub editors: Vec<UserId>,
}

fn main() {}