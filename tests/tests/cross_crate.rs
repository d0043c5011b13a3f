//! A groups enum declared in another crate works like a local one.

use groupguard::{Op, Principal, model};
use groupguard_test_auth::auth::Group;

#[model(allow(groups = [EDITORS], to = [read]), allow(groups = ["ADMINS"]))]
pub struct Article;

#[model(groups = groupguard_test_auth::auth::Group, allow(groups = [ADMINS], to = [delete]))]
pub struct Comment;

#[test]
fn models_use_a_groups_enum_from_another_crate() {
    let editor = Principal::authenticated("e").with_groups([Group::EDITORS]);
    let admin = Principal::authenticated("a").with_groups([Group::ADMINS]);
    assert!(Article::authorize(&editor, Op::Read).is_allowed());
    assert!(Article::authorize(&editor, Op::Update).is_denied());
    assert!(Article::authorize(&admin, Op::Update).is_allowed());
    assert!(Comment::authorize(&admin, Op::Delete).is_allowed());
    assert!(Comment::authorize(&editor, Op::Delete).is_denied());
    assert_eq!(Group::from_name("content-editors"), Some(Group::EDITORS));
}
