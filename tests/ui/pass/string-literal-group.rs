// A group may be written as a string literal; it names the Rust variant,
// also when the variant's claim value differs.
use groupguard::{groups, model, Op, Principal};

#[groups]
pub enum Group {
    EDITORS,
    #[group(name = "content-reviewers")]
    Reviewers,
}

#[model(allow(groups = ["EDITORS", "Reviewers"], to = [read]))]
pub struct Article;

fn main() {
    let r = Principal::authenticated("r").with_groups([Group::Reviewers]);
    let e = Principal::authenticated("e").with_groups([Group::EDITORS]);
    assert!(Article::authorize(&r, Op::Read).is_allowed());
    assert!(Article::authorize(&e, Op::Search).is_allowed());
    assert!(Article::authorize(&e, Op::Create).is_denied());
    assert!(Article::authorize(&Principal::authenticated("x"), Op::Get).is_denied());
}
