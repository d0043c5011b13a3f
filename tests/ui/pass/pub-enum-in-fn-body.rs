//! A `pub` groups enum declared inside a function body compiles without
//! warnings.
#![deny(warnings)]

use groupguard::{groups, model, Op, Principal};

fn main() {
    #[groups]
    pub enum Group {
        ADMINS,
    }

    #[model(allow(groups = [ADMINS]))]
    pub struct Article;

    let admin = Principal::authenticated("a").with_groups([Group::ADMINS]);
    assert!(Article::authorize(&admin, Op::Delete).is_allowed());
}
