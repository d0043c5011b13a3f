// Path rule 5: at most one other declared path may be a prefix of a path.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "media/*" => authenticated: [read],
        "media/photos/*" => authenticated: [read, write],
        "media/photos/raw/*" => groups(ADMINS): [read],
    }
}

fn main() {}
