use groupguard::groups;

#[derive(PartialEq)]
#[groups]
pub enum Group {
    ADMINS,
}

fn main() {}
