use groupguard::groups;

#[groups]
pub enum Group {
    #[group(precedence = -1)]
    ADMINS,
}

fn main() {}
