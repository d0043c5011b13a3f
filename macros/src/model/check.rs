//! Checks of parsed model rules; one function per rule (the shared group
//! and operation checks live in `internals`). The group and operation
//! checks run in the second stage, once the groups are known; the checks of
//! rules against the struct's fields run in the first.

use super::ast::{FieldRules, Input, Op, RecordRule, Rule, Who};
use crate::internals::companion::Declared;
use crate::internals::ctxt::Ctxt;
use crate::internals::ops::OpRef;
use crate::internals::symbol::{AUTHENTICATED, GROUPS, GUEST};
use crate::internals::{group, names, ops};

/// Second stage: the checks that need the declared groups, and the rest of
/// the rules' own checks.
pub fn rules(
    cx: &mut Ctxt,
    declared: &Declared,
    model: &syn::Ident,
    input: &Input,
    parsed_cleanly: bool,
) {
    if parsed_cleanly {
        no_rules(cx, model, &input.rules);
        for field in &input.fields {
            no_field_rules(cx, field);
        }
    }
    for rule in &input.rules {
        one_rule(cx, declared, rule);
    }
    for field in &input.fields {
        for rule in &field.rules {
            one_rule(cx, declared, rule);
            if let Some(list) = &rule.ops {
                field_operations(cx, list);
            }
        }
    }
}

fn one_rule(cx: &mut Ctxt, declared: &Declared, rule: &Rule) {
    if let Some(Who::Groups(groups)) = &rule.who {
        group::check_list(cx, declared, groups, "rule");
    }
    if let Some(list) = &rule.ops {
        ops::check_list(cx, list);
    }
    legacy_username_on_owners(cx, rule);
}

/// `legacy_username` qualifies an owner rule: other kinds match no user name.
fn legacy_username_on_owners(cx: &mut Ctxt, rule: &Rule) {
    let (Some(span), Some(who)) = (rule.legacy_username, &rule.who) else {
        return; // no opt-in, or a rule without a kind (already reported)
    };
    let kind = match who {
        Who::Record(record) if record.kind.is_owner() => return,
        Who::Record(record) => format!("`{}`", record.kind.key()),
        Who::Groups(_) => format!("`{GROUPS}`"),
        Who::Guest => format!("`{GUEST}`"),
        Who::Authenticated => format!("`{AUTHENTICATED}`"),
    };
    cx.error_at(
        span,
        format!(
            "`legacy_username` qualifies owner rules (`owner`, `owner = field`, `owners = field`); {kind} rules match no user name"
        ),
    );
}

/// A model with no rules would deny everything: almost surely a mistake (Amplify rejects it).
fn no_rules(cx: &mut Ctxt, model: &syn::Ident, rules: &[Rule]) {
    if rules.is_empty() {
        cx.error_spanned_by(model, format!("model `{model}` has no rules; add at least one `allow(...)` (everything else is denied)"));
    }
}

/// A field with an empty `#[field()]` would deny everything on it, unlike
/// a field without the attribute (which follows the model's rules).
fn no_field_rules(cx: &mut Ctxt, field: &FieldRules) {
    if field.rules.is_empty() {
        cx.error_at(
            field.attribute,
            format!("`#[field]` on `{}` has no rules; add `allow(...)`, or remove the attribute to follow the model's rules", field.field),
        );
    }
}

/// Field rules take only `create, update, delete, read` (as in Amplify).
fn field_operations(cx: &mut Ctxt, list: &[OpRef<Op>]) {
    for op in list {
        if !matches!(op.op, Op::Create | Op::Update | Op::Delete | Op::Read) {
            cx.error_at(
                op.span,
                format!(
                    "`{}` is not a field operation; field rules take `create`, `update`, `delete` and `read`",
                    crate::internals::ops::Operation::name(op.op)
                ),
            );
        }
    }
}

/// First stage: every record rule against the struct's fields.
pub fn record_rules(cx: &mut Ctxt, item: &syn::ItemStruct, input: &Input) {
    too_many_record_rules(cx, item, input);
    for rule in input.all_rules() {
        if let Some(Who::Record(record)) = &rule.who {
            record_field(cx, item, record);
        }
    }
}

/// Record rules are numbered with a `u16`; two sharing a number would
/// check each other's fields.
fn too_many_record_rules(cx: &mut Ctxt, item: &syn::ItemStruct, input: &Input) {
    let count = input.all_rules().filter(|rule| rule.needs_record()).count();
    if count >= usize::from(u16::MAX) {
        cx.error_spanned_by(
            &item.ident,
            format!(
                "`{}` has {count} rules that read the record; at most 65,534 are supported",
                item.ident
            ),
        );
    }
}

/// A record rule names an existing field whose type can hold what it reads.
fn record_field(cx: &mut Ctxt, item: &syn::ItemStruct, rule: &RecordRule) {
    let model = &item.ident;
    let wanted = rule.field_name();
    let syn::Fields::Named(fields) = &item.fields else {
        cx.error_spanned_by(
            &rule.field,
            format!(
                "`{}` reads a field of the record, and `{model}` has no named fields",
                rule.kind.key()
            ),
        );
        return;
    };
    let found = fields
        .named
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| names::unraw(i) == wanted));
    let Some(field) = found else {
        let message = if rule.implicit {
            format!(
                "`allow(owner)` reads the field `owner`, which `{model}` does not have; name the owner field: `allow(owner = field)`"
            )
        } else {
            let all: Vec<String> = fields
                .named
                .iter()
                .filter_map(|f| f.ident.as_ref().map(names::unraw))
                .collect();
            let hint = names::closest(&wanted, all.iter().map(String::as_str))
                .map(|close| format!(" (did you mean `{close}`?)"))
                .unwrap_or_default();
            format!("`{model}` has no field `{wanted}`{hint}")
        };
        cx.error_spanned_by(&rule.field, message);
        return;
    };
    field_shape(cx, rule, &wanted, &field.ty);
}

/// The field's type fits the rule: a list for `owners` and
/// `groups_defined_in`, one value for the others, and strings (or ids)
/// either way. Types it cannot tell are left to the `RecordId` and
/// `RecordIds` bounds of the generated code.
fn field_shape(cx: &mut Ctxt, rule: &RecordRule, field: &str, ty: &syn::Type) {
    let key = rule.kind.key();
    let written = type_text(ty);
    match (shape(ty), rule.kind.is_list()) {
        (Shape::Unknown, _) | (Shape::One, false) | (Shape::List, true) => {}
        (Shape::List, false) => cx.error_spanned_by(
            &rule.field,
            format!(
                "`{key}` reads one value, but `{field}` is a list (`{written}`); use `{} = {field}`",
                rule.kind.other_shape().key()
            ),
        ),
        (Shape::One, true) => cx.error_spanned_by(
            &rule.field,
            format!(
                "`{key}` reads a list, but `{field}` holds one value (`{written}`); use `{} = {field}`",
                rule.kind.other_shape().key()
            ),
        ),
        (Shape::NotAnId, _) => {
            let accepted = if rule.kind.is_list() {
                "`Vec<String>`, a slice, an array or a set of strings or of a type implementing `groupguard::RecordId`"
            } else {
                "`String`, `&str`, `Option<String>` or a type implementing `groupguard::RecordId`"
            };
            cx.error_spanned_by(
                ty,
                format!(
                    "field `{field}` (`{written}`) cannot hold {}; `{key}` fields are {accepted}",
                    rule.kind.holds()
                ),
            );
        }
    }
}

/// A type as written, spaced as rustfmt would: `&'static [&'static str]`.
fn type_text(ty: &syn::Type) -> String {
    let mut text = quote::ToTokens::to_token_stream(ty).to_string();
    for (from, to) in [
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ::", "::"),
        (":: ", "::"),
        ("& ", "&"),
        (" ,", ","),
        ("[ ", "["),
        (" ]", "]"),
        ("( ", "("),
        (" )", ")"),
        (" ;", ";"),
    ] {
        text = text.replace(from, to);
    }
    text
}

/// What a field's type holds, as far as its syntax tells.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One string (`String`, `&str`, `Option<String>`...).
    One,
    /// A list of strings (`Vec<String>`, `&[String]`...).
    List,
    /// Something that holds no string: a number, a bool, a tuple...
    NotAnId,
    /// A type the macro cannot see into: a custom id, checked by rustc.
    Unknown,
}

fn shape(ty: &syn::Type) -> Shape {
    match ty {
        syn::Type::Reference(r) => shape(&r.elem),
        syn::Type::Paren(p) => shape(&p.elem),
        syn::Type::Group(g) => shape(&g.elem),
        syn::Type::Slice(s) => list_of(&s.elem),
        syn::Type::Array(a) => list_of(&a.elem),
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return Shape::Unknown;
            };
            let name = last.ident.to_string();
            let argument = first_type_argument(&last.arguments);
            match (name.as_str(), argument) {
                ("String" | "str", None) => Shape::One,
                ("Box" | "Rc" | "Arc" | "Cow", Some(inner)) => match inner {
                    syn::Type::Slice(s) => list_of(&s.elem),
                    inner => match shape(inner) {
                        Shape::One => Shape::One,
                        _ => Shape::Unknown,
                    },
                },
                ("Option", Some(inner)) => shape(inner),
                ("Vec" | "BTreeSet" | "HashSet" | "VecDeque", Some(inner)) => list_of(inner),
                (
                    "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64"
                    | "i128" | "isize" | "f32" | "f64" | "bool" | "char",
                    None,
                ) if p.path.segments.len() == 1 => Shape::NotAnId,
                _ => Shape::Unknown,
            }
        }
        syn::Type::Tuple(_) | syn::Type::FnPtr(_) | syn::Type::Never(_) | syn::Type::Ptr(_) => {
            Shape::NotAnId
        }
        _ => Shape::Unknown,
    }
}

/// The shape of a list whose elements are `element`.
fn list_of(element: &syn::Type) -> Shape {
    match shape(element) {
        Shape::One | Shape::Unknown => Shape::List,
        Shape::List | Shape::NotAnId => Shape::NotAnId,
    }
}

fn first_type_argument(arguments: &syn::PathArguments) -> Option<&syn::Type> {
    let syn::PathArguments::AngleBracketed(args) = arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    })
}
