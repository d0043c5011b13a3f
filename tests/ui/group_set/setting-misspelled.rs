use groupguard::{group_set, groups};

#[groups]
pub enum Group {
    ADMINS,
}

fn main() {
    let _ = group_set![group = Group; ADMINS];
}
