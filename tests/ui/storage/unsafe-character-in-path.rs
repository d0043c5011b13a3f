// A backslash, a control character, a bidirectional control or a line
// separator could never match: keys holding one are always denied. Each path
// is reported.
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
        "rtl\u{202e}/*" => groups(ADMINS): [read],
        "line\u{2028}/*" => groups(ADMINS): [read],
    }
}

fn main() {}
