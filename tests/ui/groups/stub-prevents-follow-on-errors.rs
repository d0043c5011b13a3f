// After a `#[groups]` error, code using the enum and its models still
// type-checks: the only error is the mistake itself.
use groupguard::{groups, model, Op, Principal};

#[groups]
pub enum Group {
    ADMINS,
    #[group(name = "site editors")]
    EDITORS,
}

#[model(allow(groups = [EDITORS], to = [read]))]
pub struct Article;

fn main() {
    let bob = Principal::authenticated("bob").with_groups([Group::EDITORS]);
    let _ = Article::authorize(&bob, Op::Get).is_allowed();
    let _ = Group::ALL.len();
    let _ = Group::from_name("ADMINS").map(Group::name);
    let _ = Group::ADMINS.precedence();
    let _ = Group::ADMINS.to_string();
}
