use groupguard::groups;

#[groups]
pub struct Group {
    admins: bool,
}

fn main() {}
