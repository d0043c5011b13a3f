use groupguard::groups;

#[groups]
pub enum Group {
    #[group(role = "arn:AWS:iam::123456789012:role/Admins")]
    ADMINS,
}

fn main() {}
