// As for models: the type `Group` (here `a::Group`) and the macro `Group!`
// (here `b::Group!`) must describe the same enum.
pub mod a {
    #[groupguard::groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }
}

pub mod b {
    #[groupguard::groups]
    pub enum Group {
        EDITORS,
        ADMINS,
    }
}

pub mod app {
    use super::b::*;
    pub type Group = super::a::Group;

    groupguard::storage! {
        pub Files {
            "drafts/*" => groups(EDITORS): [read, write],
        }
    }
}

fn main() {}
