// A private groups enum and model declared inside a function body.
use groupguard::{groups, model, Op, Principal};

fn main() {
    #[groups]
    enum Group {
        ADMINS,
        EDITORS,
    }

    #[model(allow(groups = [EDITORS], to = [update]))]
    struct Article;

    let e = Principal::authenticated("e").with_groups([Group::EDITORS]);
    assert!(Article::authorize(&e, Op::Update).is_allowed());
    assert!(Article::authorize(&e, Op::Delete).is_denied());
    let _ = Group::ADMINS;
}
