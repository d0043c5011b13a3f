use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

// A misspelled group, a missing field, a list form on a scalar and a bad
// `when`, all reported at once.
#[model(
    allow(groups = [EDITOR], to = [update], when = 42),
    allow(owners = author),
    allow(owner = writer, to = [raed]),
)]
pub struct Post {
    pub author: String,
    #[field(allow(group_defined_in = tem, to = [read]))]
    pub team: Option<String>,
}

fn main() {}