//! Parsing of the variants and their `#[group(...)]` attributes, leniently:
//! every mistake is recorded and parsing goes on.

use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Fields, Ident, ItemEnum, Lit, LitStr, Meta, Token};

use super::ast::Group;
use super::check::{MAX_DESCRIPTION_CHARS, MAX_PRECEDENCE};
use crate::internals::ctxt::Ctxt;
use crate::internals::names;
use crate::internals::symbol::{DESCRIPTION, GROUP, NAME, PRECEDENCE, ROLE, Symbol};

/// Reads each variant and its `#[group(...)]` attributes, removing them from the item.
pub fn variants(cx: &mut Ctxt, item: &mut ItemEnum) -> Vec<Group> {
    let mut groups = Vec::with_capacity(item.variants.len());
    for (index, variant) in item.variants.iter_mut().enumerate() {
        // A group is a name, not a value: data would never come from a claim.
        match &variant.fields {
            Fields::Unit => {}
            fields => cx.error_spanned_by(
                fields,
                format!(
                    "group `{}` cannot carry data; groups are fieldless variants",
                    variant.ident
                ),
            ),
        }
        // Discriminants are the bit positions of `GroupSet`; they follow declaration order.
        if let Some((eq, expr)) = &variant.discriminant {
            cx.error_spanned_by(quote!(#eq #expr), "groups cannot have explicit discriminants; use `#[group(precedence = N)]` to order them");
        }
        let mut group = Group {
            name: variant.ident.unraw().to_string(),
            name_span: variant.ident.span(),
            ident: variant.ident.clone(),
            precedence: u32::try_from(index).unwrap_or(u32::MAX),
            role: None,
            description: None,
        };
        let mut seen: Vec<String> = Vec::new();
        variant.attrs.retain(|attr| {
            if attr.path() != GROUP {
                return true;
            }
            match attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
                Ok(metas) => {
                    for meta in metas {
                        parse_group_key(cx, &mut group, &mut seen, meta);
                    }
                }
                Err(error) => cx.push(error),
            }
            false
        });
        groups.push(group);
    }
    groups
}

fn parse_group_key(cx: &mut Ctxt, group: &mut Group, seen: &mut Vec<String>, meta: Meta) {
    let Meta::NameValue(nv) = meta else {
        cx.error_spanned_by(
            &meta,
            "expected `key = value`; keys are `name`, `precedence`, `role` and `description`",
        );
        return;
    };
    let key_ident = nv.path.get_ident().cloned();
    let key = key_ident.as_ref().map(Ident::to_string).unwrap_or_default();
    // A key given twice would leave the reader guessing which one wins.
    if seen.contains(&key) {
        cx.error_spanned_by(
            &nv.path,
            format!("`{key}` given twice for group `{}`", group.ident),
        );
        return;
    }
    seen.push(key);
    if nv.path == NAME {
        if let Some(lit) = string(cx, &nv.value, NAME) {
            group.name = lit.value();
            group.name_span = lit.span();
        }
    } else if nv.path == ROLE {
        if let Some(lit) = string(cx, &nv.value, ROLE) {
            match names::role_arn_problem(&lit.value()) {
                Some(problem) => cx.error_spanned_by(&lit, format!("invalid role ARN: {problem}")),
                None => group.role = Some(lit.value()),
            }
        }
    } else if nv.path == DESCRIPTION {
        if let Some(lit) = string(cx, &nv.value, DESCRIPTION) {
            let chars = lit.value().chars().count();
            // Cognito rejects longer descriptions when the group is created.
            if chars > MAX_DESCRIPTION_CHARS {
                cx.error_spanned_by(&lit, format!("a group description is at most {MAX_DESCRIPTION_CHARS} characters (Cognito limit); this one has {chars}"));
            } else {
                group.description = Some(lit.value());
            }
        }
    } else if nv.path == PRECEDENCE {
        let message =
            format!("precedence must be an integer from 0 to {MAX_PRECEDENCE} (Cognito limit)");
        match &nv.value {
            Expr::Unary(syn::ExprUnary {
                op: syn::UnOp::Neg(_),
                ..
            }) => {
                cx.error_spanned_by(
                    &nv.value,
                    "precedence cannot be negative; Cognito accepts 0 to 2147483647",
                );
            }
            Expr::Lit(ExprLit {
                lit: Lit::Int(int), ..
            }) if int.base10_digits().starts_with('-') => {
                cx.error_spanned_by(
                    &nv.value,
                    "precedence cannot be negative; Cognito accepts 0 to 2147483647",
                );
            }
            Expr::Lit(ExprLit {
                lit: Lit::Int(int), ..
            }) => match int.base10_parse::<u32>() {
                Ok(value) if u64::from(value) <= MAX_PRECEDENCE => group.precedence = value,
                _ => cx.error_spanned_by(int, message),
            },
            other => cx.error_spanned_by(other, message),
        }
    } else {
        cx.error_spanned_by(&nv.path, format!("unknown key `{}` in `#[group(...)]`; expected `name`, `precedence`, `role` or `description`", nv.path.to_token_stream().to_string().replace(' ', "")));
    }
}

fn string(cx: &mut Ctxt, value: &Expr, key: Symbol) -> Option<LitStr> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Some(lit.clone()),
        other => {
            cx.error_spanned_by(other, format!("`{key}` takes a string literal"));
            None
        }
    }
}
