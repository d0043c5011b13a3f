use groupguard::groups;

#[groups]
pub enum Group {
    #[group(precedence = 1)]
    #[group(precedence = 2)]
    ADMINS,
}

fn main() {}
