//! Parsing of `#[model(...)]` arguments into the typed model, leniently:
//! every mistake is recorded and parsing goes on.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Meta, Token};

use super::ast::{FieldRules, Input, RecordKind, RecordRule, Rule, Who};
use crate::internals::ctxt::Ctxt;
use crate::internals::symbol::{
    ALLOW, AUTHENTICATED, FIELD, GROUP_DEFINED_IN, GROUPS, GROUPS_DEFINED_IN, GUEST,
    LEGACY_USERNAME, OWNER, OWNERS, Symbol, TO, WHEN,
};
use crate::internals::{group, ops};

type Metas = Punctuated<Meta, Token![,]>;

/// The explicit `groups = path::To::Enum` first argument, if present.
pub fn enum_path(args: TokenStream) -> Option<syn::Path> {
    let metas = Metas::parse_terminated.parse2(args).ok()?;
    match metas.first()? {
        Meta::NameValue(nv) if nv.path == GROUPS => match &nv.value {
            Expr::Path(p) => Some(p.path.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The model's rules and every field's, as parsed; mistakes are recorded in `cx`.
pub fn input(cx: &mut Ctxt, args: TokenStream, item: &syn::ItemStruct) -> Input {
    let model_rules = rules(cx, args, Level::Model);
    let mut fields = Vec::new();
    for (position, field) in item.fields.iter().enumerate() {
        for attr in field.attrs.iter().filter(|attr| is_field_attribute(attr)) {
            let Some(ident) = &field.ident else {
                cx.error_spanned_by(
                    attr.path(),
                    format!("`#[field(...)]` needs a named field; field {position} of a tuple struct has no name for its rules"),
                );
                continue;
            };
            let tokens = match &attr.meta {
                Meta::List(list) => list.tokens.clone(),
                _ => {
                    cx.error_spanned_by(attr, "expected `#[field(allow(...))]`");
                    continue;
                }
            };
            if fields.iter().any(|f: &FieldRules| f.field == *ident) {
                cx.error_spanned_by(
                    attr.path(),
                    format!(
                        "field `{ident}` has two `#[field(...)]` attributes; put its rules in one"
                    ),
                );
                continue;
            }
            fields.push(FieldRules {
                field: ident.clone(),
                attribute: attr.path().span(),
                rules: rules(cx, tokens, Level::Field),
            });
        }
    }
    Input {
        rules: model_rules,
        fields,
    }
}

/// Whether `attr` is groupguard's `#[field(...)]`.
pub fn is_field_attribute(attr: &syn::Attribute) -> bool {
    attr.path() == FIELD
}

/// Where rules are written: they differ only in what is allowed at the top level.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Model,
    Field,
}

/// The rules that parsed; mistakes are recorded in `cx`.
fn rules(cx: &mut Ctxt, args: TokenStream, level: Level) -> Vec<Rule> {
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
            Meta::List(list) if list.path == ALLOW => {
                match list.parse_args_with(Metas::parse_terminated) {
                    Ok(keys) => rules.push(rule(cx, list.path.span(), keys)),
                    Err(error) => cx.push(syntax_error(list.tokens.clone(), error)),
                }
            }
            Meta::Path(path) if path == ALLOW => cx.error_spanned_by(
                &path,
                "`allow` needs parentheses: `allow(groups = [...], to = [...])`",
            ),
            Meta::NameValue(nv) if nv.path == GROUPS && level == Level::Field => {
                cx.error_spanned_by(
                    &nv.path,
                    "the groups enum is named once, on `#[model(groups = ...)]`; a field's rules use it too",
                );
            }
            Meta::NameValue(nv) if nv.path == GROUPS => match &nv.value {
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

/// A key of `allow(...)` that is none: Amplify's spelling, or a close
/// miss of `legacy_username` (the only key long enough to misspell often).
fn key_hint(path: &syn::Path) -> String {
    let hint = unsupported_hint(path);
    if !hint.is_empty() {
        return hint;
    }
    let name = path_text(path);
    match crate::internals::names::closest(&name, [LEGACY_USERNAME.as_str()]) {
        Some(close) => format!(" (did you mean `{close}`?)"),
        None => String::new(),
    }
}

/// Amplify's spellings of rule kinds get a hint with groupguard's, and the
/// kinds groupguard does not support yet say so.
fn unsupported_hint(path: &syn::Path) -> String {
    let name = path_text(path);
    let written = match name.as_str() {
        "ownerDefinedIn" => "owner = field",
        "ownersDefinedIn" => "owners = field",
        "groupDefinedIn" => "group_defined_in = field",
        "groupsDefinedIn" => "groups_defined_in = field",
        "group" => "groups = [...]",
        "custom" | "publicApiKey" => {
            return format!("; `{name}` rules are not supported yet");
        }
        "identityClaim" | "identity_claim" => {
            return "; owner rules take no identity claim: a stored owner matches `sub` or `sub::username`, and with `legacy_username` also a bare user name (records an older Amplify stored)".to_owned();
        }
        _ if RULE_ONLY_KEYS.iter().any(|key| path == *key) => {
            return format!(
                "; `{name}` goes inside a rule: `allow({name}{})`",
                if path == OWNER || path == GUEST || path == AUTHENTICATED {
                    ", to = [...]"
                } else {
                    " = ..."
                }
            );
        }
        _ => return String::new(),
    };
    format!("; Amplify's `{name}` is written `allow({written})` here")
}

/// The keys of `allow(...)` that mean nothing at the top level.
const RULE_ONLY_KEYS: [Symbol; 7] = [
    OWNER,
    OWNERS,
    GROUP_DEFINED_IN,
    GROUPS_DEFINED_IN,
    GUEST,
    AUTHENTICATED,
    WHEN,
];

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

const KINDS: &str = "`guest`, `authenticated`, `groups = [...]`, `owner`, `owner = field`, `owners = field`, `group_defined_in = field` or `groups_defined_in = field`";

fn rule(cx: &mut Ctxt, span: Span, keys: Metas) -> Rule {
    let mut rule = Rule {
        who: None,
        ops: None,
        when: None,
        legacy_username: None,
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
        let path = key.path();
        let record_kind = RecordKind::KEYS
            .iter()
            .find(|(k, _)| path == *k)
            .map(|(_, kind)| *kind);
        let who = match &key {
            Meta::Path(_) if path == GUEST => Some(Who::Guest),
            Meta::Path(_) if path == AUTHENTICATED => Some(Who::Authenticated),
            Meta::NameValue(nv) if path == GROUPS => Some(Who::Groups(group_list(cx, &nv.value))),
            Meta::Path(path) if path == OWNER => path.get_ident().map(|ident| {
                Who::Record(RecordRule {
                    kind: RecordKind::Owner,
                    field: ident.clone(),
                    implicit: true,
                })
            }),
            Meta::NameValue(nv) if record_kind.is_some() => {
                let kind = record_kind.unwrap_or(RecordKind::Owner);
                match field_name(&nv.value) {
                    Some(field) => Some(Who::Record(RecordRule {
                        kind,
                        field,
                        implicit: false,
                    })),
                    None => {
                        cx.error_spanned_by(
                            &nv.value,
                            format!("expected the name of a field of the record: `{name} = field`"),
                        );
                        already_reported = true;
                        None
                    }
                }
            }
            Meta::NameValue(nv) if path == TO => {
                if rule.ops.is_some() {
                    cx.error_spanned_by(key.path(), "`to` given twice in one rule");
                } else {
                    rule.ops = Some(op_list(cx, &nv.value));
                }
                None
            }
            Meta::NameValue(nv) if path == WHEN => {
                match &nv.value {
                    _ if rule.when.is_some() => cx.error_spanned_by(
                        key.path(),
                        "`when` given twice in one rule; combine the conditions in one function",
                    ),
                    Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => {
                        rule.when = Some(path.path.clone());
                    }
                    other => cx.error_spanned_by(
                        other,
                        "`when` names a function `fn(&Self) -> bool` by its path, like `when = Self::is_draft`; write the condition in that function",
                    ),
                }
                None
            }
            Meta::Path(path) if path == LEGACY_USERNAME => {
                if rule.legacy_username.is_some() {
                    cx.error_spanned_by(path, "`legacy_username` given twice in one rule");
                } else {
                    rule.legacy_username = Some(path.span());
                }
                None
            }
            _ if path == LEGACY_USERNAME => {
                cx.error_spanned_by(
                    &key,
                    "`legacy_username` takes no value: write `allow(owner, legacy_username)`",
                );
                None
            }
            _ if path == GUEST || path == AUTHENTICATED => {
                cx.error_spanned_by(
                    &key,
                    format!("`{name}` takes no value: write `allow({name}, to = [...])`"),
                );
                already_reported = true;
                None
            }
            _ if path == OWNERS || path == GROUP_DEFINED_IN || path == GROUPS_DEFINED_IN => {
                cx.error_spanned_by(
                    &key,
                    format!("`{name}` reads a field of the record: write `{name} = field`"),
                );
                already_reported = true;
                None
            }
            _ if path == GROUPS || path == TO => {
                cx.error_spanned_by(&key, format!("expected `{name} = [...]`"));
                already_reported = true;
                None
            }
            _ if path == WHEN || path == OWNER => {
                let expected = if path == WHEN {
                    "`when = Self::predicate`"
                } else {
                    "`owner` or `owner = field`"
                };
                cx.error_spanned_by(&key, format!("expected {expected}"));
                already_reported = true;
                None
            }
            _ => {
                cx.error_spanned_by(
                    path,
                    format!(
                        "unknown key `{}` in `allow(...)`; expected {KINDS}, `to = [...]`, `when = ...` or `legacy_username`{}",
                        path_text(path),
                        key_hint(path)
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
        cx.error_at(span, format!("a rule needs {KINDS}"));
    }
    rule
}

/// The field a record rule names: a lone identifier.
fn field_name(value: &Expr) -> Option<syn::Ident> {
    match value {
        Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => {
            path.path.get_ident().cloned()
        }
        _ => None,
    }
}

/// The items of `[a, "b", ...]`, or an error when the value is not a list.
fn list_items<'a>(cx: &mut Ctxt, value: &'a Expr, what: Symbol) -> Option<Vec<&'a Expr>> {
    match value {
        Expr::Array(array) => {
            if array.elems.is_empty() {
                let message = if what == GROUPS {
                    "`groups = []` admits nobody; name at least one group"
                } else {
                    "`to = []` grants nothing; name operations, or leave `to` out to grant every operation"
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
    let items = list_items(cx, value, GROUPS).unwrap_or_default();
    group::parse_list(cx, items)
}

fn op_list(cx: &mut Ctxt, value: &Expr) -> Vec<ops::OpRef<super::ast::Op>> {
    let items = list_items(cx, value, TO).unwrap_or_default();
    ops::parse_list(cx, items)
}
