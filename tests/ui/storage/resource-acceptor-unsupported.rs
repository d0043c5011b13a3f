// Amplify's `resource(fn)` acceptor is not supported.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "jobs/*" => resource(worker): [read],
    }
}

fn main() {}
