use groupguard::groups;

#[groups]
pub enum Group {
    ADMINS,
    EDITORS(String),
}

fn main() {}
