use groupguard::groups;

#[groups]
pub enum Group {
    #[group(name = "")]
    ADMINS,
}

fn main() {}
