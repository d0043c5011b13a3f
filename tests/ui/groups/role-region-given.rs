use groupguard::groups;

#[groups]
pub enum Group {
    #[group(role = "arn:aws:iam:us-east-1:123456789012:role/Admins")]
    ADMINS,
}

fn main() {}
