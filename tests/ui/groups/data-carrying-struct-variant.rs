use groupguard::groups;

#[groups]
pub enum Group {
    ADMINS,
    EDITORS { team: u32 },
}

fn main() {}
