use groupguard::groups;

#[groups]
pub enum Group {
    #[group(precedence = 2147483648)]
    ADMINS,
}

fn main() {}
