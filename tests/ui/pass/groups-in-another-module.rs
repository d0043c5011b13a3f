// The groups enum lives in its own module and is imported with `use`, as an
// app would: `use crate::auth::Group;` brings the enum and what `#[model]` needs.
mod auth {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }
}

mod content {
    use crate::auth::Group;
    use groupguard::model;

    #[model(allow(groups = [EDITORS], to = [read, update]), allow(groups = ["ADMINS"]))]
    pub struct Article {
        pub title: String,
    }

    pub mod nested {
        use crate::auth::Group;
        use groupguard::model;

        #[model(allow(groups = [ADMINS], to = [delete]))]
        pub struct Comment;
    }
}

use auth::Group;
use content::{Article, nested::Comment};
use groupguard::{Op, Principal};

fn main() {
    let editor = Principal::authenticated("e").with_groups([Group::EDITORS]);
    let admin = Principal::authenticated("a").with_groups([Group::ADMINS]);
    assert!(Article::authorize(&editor, Op::Update).is_allowed());
    assert!(Article::authorize(&editor, Op::Delete).is_denied());
    assert!(Article::authorize(&admin, Op::Delete).is_allowed());
    assert!(Comment::authorize(&admin, Op::Delete).is_allowed());
    assert!(Comment::authorize(&editor, Op::Delete).is_denied());
    let _ = Article { title: String::new() }.title;
}
