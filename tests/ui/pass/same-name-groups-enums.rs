// Two `pub` groups enums with the same name (and the same groups) in
// different modules of one crate: each model uses the enum it imports.
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

fn main() {
    let shop_editor = Principal::authenticated("e").with_groups([shop::Group::EDITORS]);
    let blog_admin = Principal::authenticated("a").with_groups([blog::Group::ADMINS]);
    assert!(shop::Product::authorize(&shop_editor, Op::Update).is_allowed());
    assert!(blog::Post::authorize(&blog_admin, Op::Delete).is_allowed());
    let blog_editor = Principal::authenticated("e").with_groups([blog::Group::EDITORS]);
    assert!(blog::Post::authorize(&blog_editor, Op::Update).is_denied());
}
