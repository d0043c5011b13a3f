use groupguard::groups;

#[groups]
pub enum Group {
    #[group(role = "Admins")]
    ADMINS,
}

fn main() {}
