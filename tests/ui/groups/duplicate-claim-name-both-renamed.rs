use groupguard::groups;

#[groups]
pub enum Group {
    #[group(name = "content-reviewers")]
    Reviewers,
    #[group(name = "content-reviewers")]
    Checkers,
}

fn main() {}
