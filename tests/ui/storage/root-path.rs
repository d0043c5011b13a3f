// Path rule 1 on the bucket root: there is no path to suggest by dropping the
// `/`, since `*` alone breaks rule 2.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "/*" => groups(ADMINS): [read],
        "//*" => groups(ADMINS): [read],
    }
}

fn main() {}
