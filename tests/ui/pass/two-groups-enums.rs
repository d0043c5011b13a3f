// Two groups enums in one crate, each used by its own models.
use groupguard::{groups, model, Op, Principal};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

pub mod staff {
    use groupguard::{groups, model};

    #[groups]
    pub enum StaffGroup {
        ADMINS,
        Support,
    }

    #[model(groups = StaffGroup, allow(groups = [Support], to = [read]))]
    pub struct Ticket;
}

#[model(allow(groups = [EDITORS], to = [update]))]
pub struct Article;

#[model(groups = staff::StaffGroup, allow(groups = [ADMINS]))]
pub struct Payroll;

fn main() {
    let editor = Principal::authenticated("e").with_groups([Group::EDITORS]);
    let support = Principal::authenticated("s").with_groups([staff::StaffGroup::Support]);
    let staff_admin = Principal::authenticated("a").with_groups([staff::StaffGroup::ADMINS]);
    assert!(Article::authorize(&editor, Op::Update).is_allowed());
    assert!(staff::Ticket::authorize(&support, Op::Get).is_allowed());
    assert!(staff::Ticket::authorize(&staff_admin, Op::Get).is_denied());
    assert!(Payroll::authorize(&staff_admin, Op::Delete).is_allowed());
    assert!(Payroll::authorize(&support, Op::Delete).is_denied());
    assert_eq!(Group::ADMINS.name(), staff::StaffGroup::ADMINS.name());
}
