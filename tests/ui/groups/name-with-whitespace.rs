use groupguard::groups;

#[groups]
pub enum Group {
    #[group(name = "content reviewers")]
    Reviewers,
}

fn main() {}
