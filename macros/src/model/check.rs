//! Checks of parsed model rules against the declared groups; one function
//! per rule (the shared group and operation checks live in `internals`).

use super::ast::{Rule, Who};
use crate::internals::companion::Declared;
use crate::internals::ctxt::Ctxt;
use crate::internals::{group, ops};

pub fn rules(
    cx: &mut Ctxt,
    declared: &Declared,
    model: &syn::Ident,
    rules: &[Rule],
    parsed_cleanly: bool,
) {
    if parsed_cleanly {
        no_rules(cx, model, rules);
    }
    for rule in rules {
        if let Some(Who::Groups(groups)) = &rule.who {
            group::check_list(cx, declared, groups, "rule");
        }
        if let Some(ops) = &rule.ops {
            ops::check_list(cx, ops);
        }
    }
}

/// A model with no rules would deny everything: almost surely a mistake (Amplify rejects it).
fn no_rules(cx: &mut Ctxt, model: &syn::Ident, rules: &[Rule]) {
    if rules.is_empty() {
        cx.error_spanned_by(model, format!("model `{model}` has no rules; add at least one `allow(...)` (everything else is denied)"));
    }
}
