use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

// `legacy_username` qualifies owner rules only; each misplaced one is
// reported, and the owner rules that carry it are fine.
#[model(
    allow(owner, legacy_username, to = [read]),
    allow(owners = editors, to = [update], legacy_username),
    allow(groups = [ADMINS], legacy_username),
    allow(group_defined_in = team, legacy_username, to = [read]),
    allow(authenticated, to = [list], legacy_username),
)]
pub struct Post {
    pub owner: String,
    pub editors: Vec<String>,
    pub team: String,
    #[field(allow(guest, legacy_username, to = [read]))]
    pub title: String,
}

fn main() {}
