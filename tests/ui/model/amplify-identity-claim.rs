use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
}

// Amplify's `allow.owner().identityClaim("username")`: groupguard's owner
// rules take no claim; the message says what they match, and the opt-in.
#[model(allow(owner, identityClaim = "username", to = [read]))]
pub struct Note {
    pub owner: String,
}

fn main() {}
