use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(
    allow(owners = author, to = [update]),
    allow(owner = editors, to = [update]),
    allow(group_defined_in = teams, to = [read]),
    allow(groups_defined_in = team, to = [delete]),
)]
pub struct Post {
    pub author: String,
    pub editors: Vec<String>,
    pub team: Option<String>,
    pub teams: &'static [&'static str],
}

fn main() {}