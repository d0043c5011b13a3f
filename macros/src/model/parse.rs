//! Parsing of `#[model(...)]` arguments into the typed model, leniently:
//! every mistake is recorded and parsing goes on.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Lit, Meta, Token};

use super::ast::{GroupRef, Op, OpRef, Rule, Who};
use crate::ctxt::Ctxt;
use crate::names;

type Metas = Punctuated<Meta, Token![,]>;

/// The explicit `groups = path::To::Enum` first argument, if present.
pub fn enum_path(args: TokenStream) -> Option<syn::Path> {
    let metas = Metas::parse_terminated.parse2(args).ok()?;
    match metas.first()? {
        Meta::NameValue(nv) if nv.path.is_ident("groups") => match &nv.value {
            Expr::Path(p) => Some(p.path.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The rules; `None` when the arguments do not even parse (already reported).
pub fn rules(cx: &mut Ctxt, args: TokenStream) -> Option<Vec<Rule>> {
    let metas = match Metas::parse_terminated.parse2(args) {
        Ok(metas) => metas,
        Err(error) => {
            cx.push(error);
            return None;
        }
    };
    let mut rules = Vec::new();
    for (position, meta) in metas.into_iter().enumerate() {
        match meta {
            Meta::List(list) if list.path.is_ident("allow") => {
                let span = list.path.span();
                match list.parse_args_with(Metas::parse_terminated) {
                    Ok(keys) => rules.push(rule(cx, span, keys)),
                    Err(error) => cx.push(error),
                }
            }
            Meta::NameValue(nv) if nv.path.is_ident("groups") => match &nv.value {
                Expr::Path(_) if position == 0 => {}
                Expr::Path(_) => cx.error_spanned_by(&nv.path, "`groups = path::To::Enum` must be the first argument"),
                _ => cx.error_spanned_by(&nv.value, "at the top level, `groups = path::To::Enum` names the groups enum; group lists belong inside `allow(groups = [...])`"),
            },
            other => {
                let path = other.path();
                let name = path.get_ident().map(ToString::to_string).unwrap_or_default();
                let hint = match name.as_str() {
                    "owner" | "owners" | "ownerDefinedIn" | "ownersDefinedIn" | "groupDefinedIn" | "groupsDefinedIn" | "custom" | "publicApiKey" =>
                        format!("; `{name}` rules are not supported yet: use `allow(guest | authenticated | groups = [...])`"),
                    _ => String::new(),
                };
                cx.error_spanned_by(path, format!("unknown rule kind `{}`; expected `allow(...)`{hint}", quote::quote!(#path).to_string().replace(' ', "")));
            }
        }
    }
    Some(rules)
}

fn rule(cx: &mut Ctxt, span: proc_macro2::Span, keys: Metas) -> Rule {
    let mut rule = Rule {
        who: None,
        ops: None,
    };
    let mut who_key: Option<String> = None;
    for key in keys {
        let name = key
            .path()
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        let who = match (name.as_str(), &key) {
            ("guest", Meta::Path(_)) => Some(Who::Guest),
            ("authenticated", Meta::Path(_)) => Some(Who::Authenticated),
            ("groups", Meta::NameValue(nv)) => Some(Who::Groups(group_list(cx, &nv.value))),
            ("to", Meta::NameValue(nv)) => {
                if rule.ops.is_some() {
                    cx.error_spanned_by(key.path(), "`to` given twice in one rule");
                } else {
                    rule.ops = Some(op_list(cx, &nv.value));
                }
                None
            }
            ("guest" | "authenticated", _) => {
                cx.error_spanned_by(
                    &key,
                    format!("`{name}` takes no value: write `allow({name}, to = [...])`"),
                );
                None
            }
            ("groups" | "to", _) => {
                cx.error_spanned_by(&key, format!("expected `{name} = [...]`"));
                None
            }
            _ => {
                let path = key.path();
                cx.error_spanned_by(path, format!("unknown key `{}` in `allow(...)`; expected `guest`, `authenticated`, `groups = [...]` or `to = [...]`", quote::quote!(#path).to_string().replace(' ', "")));
                None
            }
        };
        let Some(who) = who else { continue };
        // One principal kind per rule keeps each rule readable as one sentence.
        if let Some(first) = &who_key {
            let message = if *first == name {
                format!("`{name}` given twice in one rule")
            } else {
                format!(
                    "a rule admits one kind of principal: `{first}` and `{name}` go in separate `allow(...)` rules"
                )
            };
            cx.error_spanned_by(key.path(), message);
        } else {
            who_key = Some(name);
            rule.who = Some(who);
        }
    }
    if rule.who.is_none() && who_key.is_none() {
        cx.error_at(
            span,
            "a rule needs `guest`, `authenticated` or `groups = [...]`",
        );
    }
    rule
}

/// The items of `[a, "b", ...]`, or an error when the value is not a list.
fn list_items<'a>(cx: &mut Ctxt, value: &'a Expr, what: &str) -> Option<Vec<&'a Expr>> {
    match value {
        Expr::Array(array) => {
            if array.elems.is_empty() {
                let message = match what {
                    "groups" => "`groups = []` admits nobody; name at least one group",
                    _ => {
                        "`to = []` grants nothing; name operations, or leave `to` out to grant every operation"
                    }
                };
                cx.error_spanned_by(array, message);
            }
            Some(array.elems.iter().collect())
        }
        other => {
            cx.error_spanned_by(other, format!("expected a list: `{what} = [...]`"));
            None
        }
    }
}

/// A name written as an identifier or a string literal.
fn name_of(expr: &Expr) -> Option<(String, proc_macro2::Span)> {
    match expr {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident().map(|i| (i.to_string(), i.span())),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some((s.value(), s.span())),
        _ => None,
    }
}

fn group_list(cx: &mut Ctxt, value: &Expr) -> Vec<GroupRef> {
    let mut groups = Vec::new();
    for item in list_items(cx, value, "groups").unwrap_or_default() {
        match name_of(item) {
            Some((name, span)) => groups.push(GroupRef { name, span }),
            None => cx.error_spanned_by(
                item,
                "expected a group name: an identifier or a string literal",
            ),
        }
    }
    groups
}

fn op_list(cx: &mut Ctxt, value: &Expr) -> Vec<OpRef> {
    let mut ops = Vec::new();
    for item in list_items(cx, value, "to").unwrap_or_default() {
        let Some((name, span)) = name_of(item) else {
            cx.error_spanned_by(item, "expected an operation name");
            continue;
        };
        match Op::from_name(&name) {
            Some(op) => ops.push(OpRef { op, span }),
            None => {
                let valid: Vec<&str> = Op::ALL.iter().map(|(n, _)| *n).collect();
                let hint = names::closest(&name, valid.iter().copied())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                cx.error_at(
                    span,
                    format!(
                        "unknown operation `{name}`; expected one of {}{hint}",
                        names::list(&valid, 9)
                    ),
                );
            }
        }
    }
    ops
}
