// After a model error, the rest of the program still type-checks: the only
// error is the typo itself.
use groupguard::{groups, model, Model, Op, Principal};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(allow(groups = [EDITOR], to = [read]))]
pub struct Article {
    pub title: String,
}

fn main() {
    let bob = Principal::authenticated("bob").with_groups([Group::EDITORS]);
    let decision = Article::authorize(&bob, Op::Get);
    assert!(decision.is_denied());
    let _ = <Article as Model>::NAME;
    let _ = Article::authorize(&Principal::guest(), Op::List).into_result();
    let _article = Article { title: String::new() };
}
