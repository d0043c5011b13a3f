// `guest` takes no arguments.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "public/*" => guest(EDITORS): [read],
    }
}

fn main() {}
