use groupguard::groups;

#[groups(claim = "cognito:groups")]
pub enum Group {
    ADMINS,
}

fn main() {}
