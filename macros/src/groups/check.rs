//! Checks of a parsed groups enum; one function per rule (Cognito's limits).

use syn::punctuated::Punctuated;
use syn::{Ident, ItemEnum, Token};

use super::ast::Group;
use crate::internals::ctxt::Ctxt;
use crate::internals::names;
use crate::internals::symbol::DERIVE;

/// Cognito: at most this many groups per user pool.
pub const MAX_GROUPS: usize = 10_000;
/// Cognito: precedence is a non-negative 32-bit signed integer.
pub const MAX_PRECEDENCE: u64 = (1 << 31) - 1;
/// Cognito: group descriptions are at most this many characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2048;

/// Checks that span the whole enum: count, generics, and claim names.
pub fn groups_enum(cx: &mut Ctxt, item: &ItemEnum, groups: &[Group]) {
    // A generic enum cannot name one fixed set of pool groups.
    if !item.generics.params.is_empty() {
        cx.error_spanned_by(&item.generics, "a groups enum cannot be generic");
    }
    no_conflicting_derives(cx, item);
    if groups.is_empty() {
        cx.error_spanned_by(&item.ident, "a groups enum needs at least one group");
    }
    // Cognito allows at most 10,000 groups per user pool.
    if let Some(extra) = groups.get(MAX_GROUPS) {
        cx.error_spanned_by(&extra.ident, format!("more than 10,000 groups (Cognito's limit per user pool); `{}` is group number 10,001", extra.ident));
    }
    let mut by_name: std::collections::HashMap<&str, &Ident> = std::collections::HashMap::new();
    for group in groups {
        if let Some(problem) = names::group_name_problem(&group.name) {
            let message = if group.name.is_empty() {
                format!("invalid group name: {problem}")
            } else {
                format!(
                    "invalid group name `{}`: {problem}",
                    group.name.escape_debug()
                )
            };
            cx.error_at(group.name_span, message);
        }
        // Claim names are unique in a user pool; two variants cannot match one claim.
        if let Some(first) = by_name.insert(&group.name, &group.ident) {
            cx.error_at(
                group.name_span,
                format!(
                    "claim name `{}` of `{}` is already used by `{first}`; claim names must be unique",
                    group.name, group.ident
                ),
            );
        }
    }
}

/// The traits `#[groups]` implements itself.
const GENERATED_TRAITS: [&str; 11] = [
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "Hash",
    "Debug",
    "PartialOrd",
    "Ord",
    "Serialize",
    "Deserialize",
    "Display",
];

/// `#[groups]` implements these traits itself; deriving them again would
/// conflict with a confusing "conflicting implementations" error.
fn no_conflicting_derives(cx: &mut Ctxt, item: &ItemEnum) {
    for attr in item.attrs.iter().filter(|a| a.path() == DERIVE) {
        let Ok(paths) = attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        else {
            continue;
        };
        for path in paths.iter().filter(|path| is_generated_trait(path)) {
            let name = path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            cx.error_spanned_by(
                path,
                format!("`#[groups]` already implements `{name}`; remove it from `#[derive(...)]`"),
            );
        }
    }
}

pub fn is_generated_trait(path: &syn::Path) -> bool {
    path.segments
        .last()
        .is_some_and(|last| GENERATED_TRAITS.contains(&last.ident.to_string().as_str()))
}
