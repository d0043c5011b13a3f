use groupguard::groups;

#[groups]
pub enum Group {
    #[group(name = "ADMINS\u{200B}")]
    ADMINS,
}

fn main() {}
