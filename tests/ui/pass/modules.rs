// Groups enums and models across modules, function bodies and visibilities:
// each module is a former case (its `crate::` paths now go through the module),
// whose checks its `main` runs.

// Was ui/pass/groups-in-another-module.rs.
// The groups enum lives in its own module and is imported with `use`, as an
// app would: `use crate::auth::Group;` brings the enum and what `#[model]` needs.
mod groups_in_another_module {
    mod auth {
        use groupguard::groups;

        #[groups]
        pub enum Group {
            ADMINS,
            EDITORS,
        }
    }

    mod content {
        use crate::groups_in_another_module::auth::Group;
        use groupguard::model;

        #[model(allow(groups = [EDITORS], to = [read, update]), allow(groups = ["ADMINS"]))]
        pub struct Article {
            pub title: String,
        }

        pub mod nested {
            use crate::groups_in_another_module::auth::Group;
            use groupguard::model;

            #[model(allow(groups = [ADMINS], to = [delete]))]
            pub struct Comment;
        }
    }

    use auth::Group;
    use content::{Article, nested::Comment};
    use groupguard::{Op, Principal};

    pub(crate) fn main() {
        let editor = Principal::authenticated("e").with_groups([Group::EDITORS]);
        let admin = Principal::authenticated("a").with_groups([Group::ADMINS]);
        assert!(Article::authorize(&editor, Op::Update).is_allowed());
        assert!(Article::authorize(&editor, Op::Delete).is_denied());
        assert!(Article::authorize(&admin, Op::Delete).is_allowed());
        assert!(Comment::authorize(&admin, Op::Delete).is_allowed());
        assert!(Comment::authorize(&editor, Op::Delete).is_denied());
        let _ = Article { title: String::new() }.title;
    }
}

// Was ui/pass/groups-override-path.rs.
// `groups = path::To::Enum` names an enum that is not called `Group` and is
// not imported; an unrelated `Group` in scope is ignored.
mod groups_override_path {
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

    #[model(groups = crate::groups_override_path::auth::Roles, allow(groups = [Moderators], to = [update]))]
    pub struct Article;

    #[model(groups = auth::Roles, allow(groups = ["Owners"]))]
    pub struct Comment;

    pub(crate) fn main() {
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
}

// Was ui/pass/private-items-in-fn-body.rs.
// A private groups enum and model declared inside a function body.
mod private_items_in_fn_body {
    use groupguard::{groups, model, Op, Principal};

    pub(crate) fn main() {
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
}

// Was ui/pass/private-items-in-module.rs.
// A private (non-pub) groups enum and models in a private module, one of
// them in a child module that imports the enum through `super`.
mod private_items_in_module {
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

    pub(crate) fn main() {
        app::run();
    }
}

// Was ui/pass/pub-enum-in-fn-body.rs.
// A `pub` groups enum declared inside a function body compiles without
// warnings.
#[deny(warnings)]
mod pub_enum_in_fn_body {
    use groupguard::{groups, model, Op, Principal};

    pub(crate) fn main() {
        #[groups]
        pub enum Group {
            ADMINS,
        }

        #[model(allow(groups = [ADMINS]))]
        pub struct Article;

        let admin = Principal::authenticated("a").with_groups([Group::ADMINS]);
        assert!(Article::authorize(&admin, Op::Delete).is_allowed());
    }
}

// Was ui/pass/restricted-visibility-enums.rs.
// Groups enums with `pub(crate)`, `pub(in path)` and `pub` visibility inside
// private modules and a function body, used by models elsewhere.
mod restricted_visibility_enums {
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
                pub(in crate::restricted_visibility_enums::outer) enum Staff {
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

    pub(crate) fn main() {
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
}

// Was ui/pass/same-name-groups-enums.rs.
// Two `pub` groups enums with the same name (and the same groups) in
// different modules of one crate: each model uses the enum it imports.
mod same_name_groups_enums {
    pub mod shop {
        use groupguard::{groups, model};

        #[groups]
        pub enum Group {
            ADMINS,
            EDITORS,
        }

        #[model(allow(groups = [EDITORS], to = [update]))]
        pub struct Product;
    }

    pub mod blog {
        use groupguard::{groups, model};

        #[groups]
        pub enum Group {
            ADMINS,
            EDITORS,
        }

        #[model(allow(groups = [ADMINS]))]
        pub struct Post;
    }

    use groupguard::{Op, Principal};

    pub(crate) fn main() {
        let shop_editor = Principal::authenticated("e").with_groups([shop::Group::EDITORS]);
        let blog_admin = Principal::authenticated("a").with_groups([blog::Group::ADMINS]);
        assert!(shop::Product::authorize(&shop_editor, Op::Update).is_allowed());
        assert!(blog::Post::authorize(&blog_admin, Op::Delete).is_allowed());
        let blog_editor = Principal::authenticated("e").with_groups([blog::Group::EDITORS]);
        assert!(blog::Post::authorize(&blog_editor, Op::Update).is_denied());
    }
}

fn main() {
    groups_in_another_module::main();
    groups_override_path::main();
    private_items_in_fn_body::main();
    private_items_in_module::main();
    pub_enum_in_fn_body::main();
    restricted_visibility_enums::main();
    same_name_groups_enums::main();
}
