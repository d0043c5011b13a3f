use groupguard::groups;

#[groups]
pub enum Group {
    #[group(name = admins)]
    ADMINS,
}

fn main() {}
