use groupguard::groups;

#[groups]
pub enum Group {
    #[group(admin)]
    ADMINS,
}

fn main() {}
