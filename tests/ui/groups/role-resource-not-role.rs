use groupguard::groups;

#[groups]
pub enum Group {
    #[group(role = "arn:aws:iam::123456789012:user/Admins")]
    ADMINS,
}

fn main() {}
