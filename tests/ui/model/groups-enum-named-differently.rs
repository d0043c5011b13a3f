// The groups enum is called `Role` and the model does not name it: the
// errors stay at the model, and one names both fixes (`use path::Group;`
// or `groups = path::Role`).
mod auth {
    #[groupguard::groups]
    pub enum Role {
        ADMINS,
    }
}

use groupguard::{model, Op, Principal};

#[model(allow(groups = [ADMINS]))]
pub struct Article;

fn main() {
    let _ = Article::authorize(&Principal::guest(), Op::List);
}
