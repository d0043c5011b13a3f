// Groups enums with `pub(crate)`, `pub(in path)` and `pub` visibility inside
// private modules and a function body, used by models elsewhere.
mod outer {
    pub(crate) mod auth {
        use groupguard::groups;

        #[groups]
        pub(crate) enum Group {
            ADMINS,
        }

        pub(super) mod inner {
            use groupguard::groups;

            #[groups]
            pub(in crate::outer) enum Staff {
                Support,
            }
        }
    }

    use groupguard::model;

    #[model(groups = auth::inner::Staff, allow(groups = [Support], to = [read]))]
    struct Ticket;

    pub(crate) fn run() {
        use groupguard::{Op, Principal};
        let support = Principal::authenticated("s").with_groups([auth::inner::Staff::Support]);
        assert!(Ticket::authorize(&support, Op::Get).is_allowed());
        assert!(Ticket::authorize(&support, Op::Delete).is_denied());
    }
}

mod private {
    use groupguard::groups;

    #[groups]
    pub enum Hidden {
        Ops,
    }
}

use groupguard::{model, Op, Principal};
use outer::auth::Group;

#[model(allow(groups = [ADMINS]))]
struct Article;

#[model(groups = private::Hidden, allow(groups = [Ops], to = [create]))]
struct Job;

fn main() {
    #[groups]
    pub(crate) enum Local {
        Everyone,
    }
    use groupguard::groups;

    #[model(groups = Local, allow(groups = [Everyone], to = [get]))]
    struct Note;

    let admin = Principal::authenticated("a").with_groups([Group::ADMINS]);
    assert!(Article::authorize(&admin, Op::Delete).is_allowed());
    outer::run();
    let ops = Principal::authenticated("o").with_groups([private::Hidden::Ops]);
    assert!(Job::authorize(&ops, Op::Create).is_allowed());
    let everyone = Principal::authenticated("x").with_groups([Local::Everyone]);
    assert!(Note::authorize(&everyone, Op::Get).is_allowed());
}
