//! Local types named like primitive types do not reach the generated code.
#![allow(non_camel_case_types, dead_code)] // reason: the shadowing is the test

use groupguard::{groups, model, storage, Access, Op, Principal};

struct u8;
struct u16;
struct u32;
struct u64;
struct usize;
struct str;
struct bool;

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(allow(groups = [ADMINS]), allow(guest, to = [list]))]
pub struct Article;

storage! {
    pub Files {
        "drafts/*" => groups(EDITORS): [read, write],
        "profiles/{entity_id}/*" => entity(identity): [read],
    }
}

fn main() {
    let p = Principal::authenticated("a").with_groups([Group::ADMINS]);
    assert!(Article::authorize(&p, Op::Delete).is_allowed());
    assert!(Group::from_name("EDITORS").is_some());
    assert!(Group::ADMINS.precedence() == 0);
    let e = Principal::authenticated("e").with_groups([Group::EDITORS]);
    assert!(Files::authorize(&e, "drafts/a", Access::Write).is_allowed());
    assert!(Files::authorize(&e, "profiles/e/x", Access::Get).is_allowed());
}
