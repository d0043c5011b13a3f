use groupguard::groups;

#[groups]
pub enum Group {
    #[group(role = "arn:aws:iam::12345678901:role/Admins")]
    ADMINS,
}

fn main() {}
