use groupguard::groups;

#[groups]
pub enum Group {
    #[group(role = "arn:aws:s3::123456789012:role/Admins")]
    ADMINS,
}

fn main() {}
