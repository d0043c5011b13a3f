use groupguard::groups;

#[groups]
pub enum Group {
    #[group(name = "admins", precedence = 1, name = "site-admins")]
    ADMINS,
}

fn main() {}
