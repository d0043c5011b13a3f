// Generic models: lifetimes, type and const parameters, bounds and a where clause.
use groupguard::{groups, model, Model, Op, Principal};

#[groups]
pub enum Group {
    ADMINS,
}

#[model(allow(groups = [ADMINS]), allow(authenticated, to = [get]))]
pub struct Page<'a, T: Clone, const N: usize>
where
    T: Default,
{
    pub items: [T; N],
    pub owner: &'a str,
}

#[model(allow(guest, to = [list]))]
pub struct Wrapper<T>(pub T);

fn check<M: Model<Group = Group>>() -> bool {
    M::authorize(&Principal::guest(), Op::List).is_allowed()
}

fn main() {
    let admin = Principal::authenticated("a").with_groups([Group::ADMINS]);
    assert!(Page::<'static, u8, 3>::authorize(&admin, Op::Delete).is_allowed());
    assert!(Page::<'static, String, 0>::authorize(&Principal::authenticated("b"), Op::Get).is_allowed());
    assert!(Page::<'static, u8, 1>::authorize(&Principal::guest(), Op::Get).is_denied());
    assert!(check::<Wrapper<Vec<u8>>>());
    assert!(!check::<Page<'static, u8, 2>>());
    let _ = Page { items: [0u8; 2], owner: "x" }.items;
    let _ = Wrapper(1).0;
}
