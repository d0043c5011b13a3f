use groupguard::groups;

#[groups]
pub enum Group {
    #[group(name = "admins\u{7}")]
    ADMINS,
}

fn main() {}
