use groupguard::groups;

#[groups]
pub enum Group {
    #[group(name = 5)]
    ADMINS,
}

fn main() {}
