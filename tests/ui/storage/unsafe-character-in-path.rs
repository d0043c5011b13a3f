// A backslash or a control character could never match: keys holding one are
// always denied. Each path is reported.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts\\old/*" => groups(ADMINS): [read],
        "tabs\t/*" => groups(ADMINS): [read],
        "c1\u{85}/*" => groups(ADMINS): [read],
    }
}

fn main() {}
