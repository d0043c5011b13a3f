use groupguard::groups;

#[groups]
pub enum Group<T> {
    ADMINS,
    EDITORS,
}

fn main() {}
