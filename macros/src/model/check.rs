//! Checks of a parsed model against the declared groups; one function per rule.

use super::ast::{GroupRef, OpRef, Rule, Who};
use crate::callback::Declared;
use crate::ctxt::Ctxt;
use crate::names;

pub fn rules(
    cx: &mut Ctxt,
    declared: &Declared,
    item: &syn::ItemStruct,
    rules: &[Rule],
    parsed_cleanly: bool,
) {
    if parsed_cleanly {
        no_rules(cx, item, rules);
    }
    for rule in rules {
        if let Some(Who::Groups(groups)) = &rule.who {
            for group in groups {
                known_group(cx, declared, group);
            }
            no_repeated_group(cx, groups, "rule");
        }
        if let Some(ops) = &rule.ops {
            no_repeated_op(cx, ops);
            read_excludes_parts(cx, ops);
        }
    }
}

/// A model with no rules would deny everything: almost surely a mistake (Amplify rejects it).
fn no_rules(cx: &mut Ctxt, item: &syn::ItemStruct, rules: &[Rule]) {
    if rules.is_empty() {
        cx.error_spanned_by(&item.ident, format!("model `{}` has no rules; add at least one `allow(...)` (everything else is denied)", item.ident));
    }
}

/// Group names must name a variant of the groups enum.
pub fn known_group(cx: &mut Ctxt, declared: &Declared, group: &GroupRef) {
    if declared.index_of(&group.name).is_some() {
        return;
    }
    cx.error_at(group.span, unknown_group_message(declared, &group.name));
}

/// "unknown group `EDITOR`; declared groups: `ADMINS`, `EDITORS` (did you mean `EDITORS`?)"
pub fn unknown_group_message(declared: &Declared, name: &str) -> String {
    let variants = declared.variant_names();
    let refs: Vec<&str> = variants.iter().map(String::as_str).collect();
    let mut message = format!(
        "unknown group `{name}`; declared groups: {}",
        names::list(&refs, 12)
    );
    // Rules name variants; a claim value that differs from its variant is a common slip.
    if let Some(i) = declared.claim_names.iter().position(|c| c == name) {
        message.push_str(&format!(
            " (`{name}` is the claim name of `{}`; rules name the variant)",
            refs[i]
        ));
    } else if let Some(close) = names::closest(name, refs.iter().copied()) {
        message.push_str(&format!(" (did you mean `{close}`?)"));
    }
    message
}

/// A group listed twice in one rule (or storage entry) is a slip, perhaps
/// for another group. `what` names the list's owner: "rule" or "entry".
pub fn no_repeated_group(cx: &mut Ctxt, groups: &[GroupRef], what: &str) {
    for (i, group) in groups.iter().enumerate() {
        if groups[..i].iter().any(|g| g.name == group.name) {
            cx.error_at(
                group.span,
                format!("group `{}` listed twice in one {what}", group.name),
            );
        }
    }
}

/// An operation listed twice in one rule is a slip.
fn no_repeated_op(cx: &mut Ctxt, ops: &[OpRef]) {
    for (i, op) in ops.iter().enumerate() {
        if ops[..i].iter().any(|o| o.op == op.op) {
            cx.error_at(
                op.span,
                format!("operation `{}` listed twice in one rule", op.op.name()),
            );
        }
    }
}

/// `read` already covers get, list, sync, listen and search (Amplify rejects the mix).
fn read_excludes_parts(cx: &mut Ctxt, ops: &[OpRef]) {
    if !ops.iter().any(|o| o.op == super::ast::Op::Read) {
        return;
    }
    for op in ops.iter().filter(|o| o.op.is_read_part()) {
        cx.error_at(
            op.span,
            format!(
                "`read` already includes `{}`; remove `{}` or replace `read` by the parts you mean",
                op.op.name(),
                op.op.name()
            ),
        );
    }
}
