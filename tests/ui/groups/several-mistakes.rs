use groupguard::groups;

#[groups]
pub enum Group {
    #[group(name = "site admins")]
    ADMINS,
    #[group(precedence = 4294967296)]
    EDITORS,
    #[group(role = "arn:aws:iam::123:role/Viewers")]
    VIEWERS(u8),
}

fn main() {}
