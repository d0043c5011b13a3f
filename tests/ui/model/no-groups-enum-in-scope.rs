// No `Group` in scope: rustc's two name-resolution errors and one naming
// both fixes point at the model, and nothing else fails: the model's items exist, so its callers
// (inherent `authorize`, the `Model` trait, generic code) type-check.
use groupguard::{model, Model, Op, Principal};

#[model(allow(guest, to = [list]))]
pub struct Article;

fn generic<M: Model>() -> usize {
    M::RULES.len()
}

fn main() {
    let _ = Article::authorize(&Principal::guest(), Op::List).is_allowed();
    let _ = <Article as Model>::authorize(&Principal::guest(), Op::Get);
    let _ = generic::<Article>();
}
