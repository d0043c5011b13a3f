use groupguard::groups;

#[groups]
#[derive(Clone, Default, ::core::fmt::Debug)]
pub enum Group {
    #[default]
    ADMINS,
}

fn main() {}
