// No `Group` in scope: besides rustc's errors, one names both fixes.
mod auth {
    #[groupguard::groups]
    pub enum Role {
        ADMINS,
    }
}

fn main() {
    let _ = groupguard::group_set![ADMINS];
}
