use groupguard::groups;

#[groups]
pub enum Group {
    ADMINS,
    #[group(name = "ADMINS")]
    Admins,
}

fn main() {}
