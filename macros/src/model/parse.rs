//! Parsing of `#[model(...)]` arguments into the typed model, leniently:
//! every mistake is recorded and parsing goes on.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Meta, Token};

use super::ast::{Rule, Who};
use crate::internals::ctxt::Ctxt;
use crate::internals::{group, ops};

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

/// The rules that parsed; mistakes are recorded in `cx`.
pub fn rules(cx: &mut Ctxt, args: TokenStream) -> Vec<Rule> {
    let metas = match Metas::parse_terminated.parse2(args.clone()) {
        Ok(metas) => metas,
        Err(error) => {
            cx.push(syntax_error(args, error));
            return Vec::new();
        }
    };
    let mut rules = Vec::new();
    for (position, meta) in metas.into_iter().enumerate() {
        match meta {
            Meta::List(list) if list.path.is_ident("allow") => {
                match list.parse_args_with(Metas::parse_terminated) {
                    Ok(keys) => rules.push(rule(cx, list.path.span(), keys)),
                    Err(error) => cx.push(syntax_error(list.tokens.clone(), error)),
                }
            }
            Meta::Path(path) if path.is_ident("allow") => cx.error_spanned_by(
                &path,
                "`allow` needs parentheses: `allow(groups = [...], to = [...])`",
            ),
            Meta::NameValue(nv) if nv.path.is_ident("groups") => match &nv.value {
                Expr::Path(_) if position == 0 => {}
                Expr::Path(_) => cx.error_spanned_by(
                    &nv.path,
                    "`groups = path::To::Enum` must be the first argument",
                ),
                _ => cx.error_spanned_by(
                    &nv.value,
                    "at the top level, `groups = path::To::Enum` names the groups enum; group lists belong inside `allow(groups = [...])`",
                ),
            },
            other => {
                let path = other.path();
                cx.error_spanned_by(
                    path,
                    format!(
                        "unknown rule kind `{}`; expected `allow(...)`{}",
                        path_text(path),
                        unsupported_hint(path)
                    ),
                );
            }
        }
    }
    rules
}

/// Amplify rule kinds groupguard does not support yet get a hint saying so.
fn unsupported_hint(path: &syn::Path) -> String {
    let name = path_text(path);
    match name.as_str() {
        "owner" | "owners" | "ownerDefinedIn" | "ownersDefinedIn" | "group" | "groupDefinedIn"
        | "groupsDefinedIn" | "custom" | "publicApiKey" => format!(
            "; `{name}` rules are not supported yet: use `allow(guest | authenticated | groups = [...])`"
        ),
        _ => String::new(),
    }
}

fn path_text(path: &syn::Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

/// syn's error for input that is not `key = value, ...`, made specific for
/// the common `key: value` slip.
fn syntax_error(tokens: TokenStream, error: syn::Error) -> syn::Error {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for pair in trees.windows(2) {
        if let [TokenTree::Ident(key), TokenTree::Punct(colon)] = pair
            && colon.as_char() == ':'
            && colon.spacing() == proc_macro2::Spacing::Alone
        {
            return syn::Error::new(
                colon.span(),
                format!("expected `=`, found `:`; write `{key} = ...`"),
            );
        }
    }
    error
}

fn rule(cx: &mut Ctxt, span: Span, keys: Metas) -> Rule {
    let mut rule = Rule {
        who: None,
        ops: None,
    };
    let mut who_key: Option<String> = None;
    // After a malformed or unknown key, "the rule needs a principal kind"
    // would only repeat the same mistake.
    let mut already_reported = false;
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
                already_reported = true;
                None
            }
            ("groups" | "to", _) => {
                cx.error_spanned_by(&key, format!("expected `{name} = [...]`"));
                already_reported = true;
                None
            }
            _ => {
                let path = key.path();
                cx.error_spanned_by(
                    path,
                    format!(
                        "unknown key `{}` in `allow(...)`; expected `guest`, `authenticated`, `groups = [...]` or `to = [...]`{}",
                        path_text(path),
                        unsupported_hint(path)
                    ),
                );
                already_reported = true;
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
    if rule.who.is_none() && !already_reported {
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

fn group_list(cx: &mut Ctxt, value: &Expr) -> Vec<group::GroupRef> {
    let items = list_items(cx, value, "groups").unwrap_or_default();
    group::parse_list(cx, items)
}

fn op_list(cx: &mut Ctxt, value: &Expr) -> Vec<ops::OpRef<super::ast::Op>> {
    let items = list_items(cx, value, "to").unwrap_or_default();
    ops::parse_list(cx, items)
}
