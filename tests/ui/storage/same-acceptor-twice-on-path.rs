// Each acceptor may appear once per path.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "public/*" => guest: [read],
        "public/*" => authenticated: [read],
        "public/*" => guest: [write],
    }
}

fn main() {}
