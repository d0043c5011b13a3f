// `r#type` and `"type"` name the same variant: listing both is a repeat,
// as in `storage!` (one name rule for both macros).
use groupguard::{groups, model};

#[groups]
#[allow(non_camel_case_types)]
pub enum Group {
    r#type,
    EDITORS,
}

#[model(allow(groups = [r#type, "type"], to = [read]))]
pub struct Article;

fn main() {}
