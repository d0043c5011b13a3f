// `group_set!` checks its names like a rule: every mistake is reported,
// and the set is still a `GroupSet` so its uses add no errors.
use groupguard::{group_set, groups, GroupSet};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    Reviewers,
}

const STAFF: GroupSet<Group> = group_set![ADMIN, "content-reviewers", EDITORS, EDITORS];

fn main() {
    assert!(STAFF.is_empty());
}
