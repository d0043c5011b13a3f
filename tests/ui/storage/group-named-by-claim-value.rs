// Entries name variants, not claim values.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    #[group(name = "content-reviewers")]
    Reviewers,
}

storage! {
    pub Files {
        "reviews/*" => groups("content-reviewers"): [read],
    }
}

fn main() {}
