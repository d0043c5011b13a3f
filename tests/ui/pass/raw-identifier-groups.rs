// A group whose variant is a raw identifier is named the same way in rules,
// raw or not, and as a string.
#![allow(non_camel_case_types)]

use groupguard::{Access, Op, Principal, groups, model, storage};

#[groups]
pub enum Group {
    r#type,
    ADMINS,
}

#[model(allow(groups = [r#type], to = [read]), allow(groups = ["type"], to = [update]))]
pub struct Article;

storage! {
    pub Files {
        "docs/*" => groups(r#type): [read],
    }
}

fn main() {
    let p = Principal::authenticated("s").with_groups([Group::r#type]);
    assert_eq!(Group::r#type.name(), "type");
    assert!(Article::authorize(&p, Op::Read).is_allowed());
    assert!(Article::authorize(&p, Op::Update).is_allowed());
    assert!(Article::authorize(&p, Op::Delete).is_denied());
    assert!(Files::authorize(&p, "docs/a", Access::Get).is_allowed());
}
