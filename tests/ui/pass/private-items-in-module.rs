// A private (non-pub) groups enum and models in a private module, one of
// them in a child module that imports the enum through `super`.
mod app {
    use groupguard::{groups, model, Op, Principal};

    #[groups]
    enum Group {
        ADMINS,
        EDITORS,
    }

    #[model(allow(groups = [ADMINS]))]
    struct Article;

    mod inner {
        use super::Group;
        use groupguard::model;

        #[model(allow(groups = [EDITORS], to = [read]))]
        pub(super) struct Comment;
    }

    pub(crate) fn run() {
        let a = Principal::authenticated("a").with_groups([Group::ADMINS]);
        let e = Principal::authenticated("e").with_groups([Group::EDITORS]);
        assert!(Article::authorize(&a, Op::Delete).is_allowed());
        assert!(Article::authorize(&e, Op::Get).is_denied());
        assert!(inner::Comment::authorize(&e, Op::Read).is_allowed());
    }
}

fn main() {
    app::run();
}
