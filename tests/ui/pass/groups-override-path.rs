// `groups = path::To::Enum` names an enum that is not called `Group` and is
// not imported; an unrelated `Group` in scope is ignored.
use groupguard::{groups, model, Model, Op, Principal};

mod auth {
    use groupguard::groups;

    #[groups]
    pub enum Roles {
        Owners,
        Moderators,
    }
}

#[groups]
pub enum Group {
    ADMINS,
}

#[model(groups = crate::auth::Roles, allow(groups = [Moderators], to = [update]))]
pub struct Article;

#[model(groups = auth::Roles, allow(groups = ["Owners"]))]
pub struct Comment;

fn main() {
    let mo = Principal::authenticated("m").with_groups([auth::Roles::Moderators]);
    assert!(Article::authorize(&mo, Op::Update).is_allowed());
    assert!(Article::authorize(&mo, Op::Delete).is_denied());
    assert!(Comment::authorize(&mo, Op::Get).is_denied());
    let owner = Principal::authenticated("o").with_groups([auth::Roles::Owners]);
    assert!(Comment::authorize(&owner, Op::Delete).is_allowed());
    // The model's group type is the override.
    let _: fn(&Principal<auth::Roles>, Op) -> _ = <Article as Model>::authorize;
    let _ = Group::ADMINS;
}
