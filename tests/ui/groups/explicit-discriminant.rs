use groupguard::groups;

#[groups]
pub enum Group {
    ADMINS,
    EDITORS = 5,
}

fn main() {}
