// The type `Group` and the companion macro `Group!` resolve in different
// namespaces. Here a `type` shadows only the type: the rule's names were
// checked against `b::Group`'s list, but its principals are `a::Group`'s.
// Without the check, an `a::ADMINS` member could read and `a::EDITORS` not.
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

    #[groupguard::model(allow(groups = [EDITORS], to = [read]))]
    pub struct Article;
}

fn main() {}
