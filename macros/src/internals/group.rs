//! Group references in rules (`groups = [...]` in a model, `groups(...)` in
//! a storage): parsing, the checks against the declared groups, and tokens.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Expr;

use super::companion::Declared;
use super::ctxt::Ctxt;
use super::names;

/// A group named in a rule: the Rust variant name, as written (unrawed).
pub struct GroupRef {
    pub name: String,
    pub span: Span,
}

/// The group names of a list; items that are not names are reported.
pub fn parse_list<'a>(cx: &mut Ctxt, items: impl IntoIterator<Item = &'a Expr>) -> Vec<GroupRef> {
    let mut groups = Vec::new();
    for item in items {
        match names::name_of(item) {
            Some((name, span)) => groups.push(GroupRef { name, span }),
            None => cx.error_spanned_by(
                item,
                "expected a group name: an identifier or a string literal",
            ),
        }
    }
    groups
}

/// The checks of one group list. `list` names the list's owner in
/// messages: "rule" or "entry".
pub fn check_list(cx: &mut Ctxt, declared: &Declared, groups: &[GroupRef], list: &str) {
    for group in groups {
        known_group(cx, declared, group);
    }
    no_repeated_group(cx, groups, list);
}

/// Group names must name a variant of the groups enum.
fn known_group(cx: &mut Ctxt, declared: &Declared, group: &GroupRef) {
    if declared.index_of(&group.name).is_none() {
        cx.error_at(group.span, unknown_group_message(declared, &group.name));
    }
}

/// "unknown group `EDITOR`; declared groups: `ADMINS`, `EDITORS` (did you mean `EDITORS`?)"
fn unknown_group_message(declared: &Declared, name: &str) -> String {
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

/// A group listed twice in one list is a slip, perhaps for another group.
fn no_repeated_group(cx: &mut Ctxt, groups: &[GroupRef], list: &str) {
    for (i, group) in groups.iter().enumerate() {
        if groups[..i].iter().any(|g| g.name == group.name) {
            cx.error_at(
                group.span,
                format!("group `{}` listed twice in one {list}", group.name),
            );
        }
    }
}

/// `&[Enum::A, ...]`: the variants of the known groups of a checked list.
/// Each variant carries the span of its name in the rule, so that "go to
/// definition" on a rule's group lands on the enum. The variants resolve in
/// the type namespace: bits and metadata come from the enum type itself.
pub fn variants(declared: &Declared, enum_path: &syn::Path, groups: &[GroupRef]) -> TokenStream {
    let variants = groups.iter().filter_map(|group| {
        let mut variant = declared.variants[declared.index_of(&group.name)?].clone();
        variant.set_span(group.span);
        Some(quote_spanned!(group.span=> #enum_path::#variant))
    });
    quote!(&[#(#variants),*])
}

/// The `GroupSet` of a checked list, computed from the enum type (never
/// from the companion's list, which could describe another enum).
pub fn mask(enum_path: &syn::Path, variants: &TokenStream) -> TokenStream {
    quote!(#enum_path::__groupguard_set(#variants))
}

/// The list in canonical source form, for declaration texts: `A, B`.
pub fn declaration(groups: &[GroupRef]) -> String {
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::Ident;

    fn declared() -> Declared {
        let ident = |s: &str| Ident::new(s, Span::call_site());
        Declared {
            enum_ident: ident("Group"),
            fingerprint: 0,
            variants: vec![ident("ADMINS"), ident("EDITORS"), ident("Reviewers")],
            claim_names: vec![
                "ADMINS".into(),
                "EDITORS".into(),
                "content-reviewers".into(),
            ],
        }
    }

    fn messages(src: &str) -> Vec<String> {
        let items: Vec<Expr> = src.split(',').map(|s| syn::parse_str(s).unwrap()).collect();
        let mut cx = Ctxt::new();
        let groups = parse_list(&mut cx, &items);
        check_list(&mut cx, &declared(), &groups, "rule");
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn every_suggested_group_is_declared_and_fixes_the_rule() {
        for slip in [
            "EDITOR",
            "editors",
            "ADMIN",
            "Reviewer",
            "\"ADMINSS\"",
            "EDTIORS",
        ] {
            let found = messages(slip);
            let message = found.first().expect("an error");
            let suggested = message
                .split_once("did you mean `")
                .and_then(|(_, rest)| rest.split('`').next())
                .unwrap_or_else(|| panic!("{slip}: no suggestion in {message}"));
            assert!(declared().index_of(suggested).is_some(), "{message}");
            assert_eq!(messages(suggested), Vec::<String>::new());
        }
        // A claim value points at its variant rather than guessing.
        assert_eq!(
            messages("\"content-reviewers\""),
            [
                "unknown group `content-reviewers`; declared groups: `ADMINS`, `EDITORS`, `Reviewers` (`content-reviewers` is the claim name of `Reviewers`; rules name the variant)"
            ]
        );
    }

    #[test]
    fn raw_identifier_and_string_are_one_name() {
        assert_eq!(
            messages("EDITORS, \"EDITORS\""),
            ["group `EDITORS` listed twice in one rule"]
        );
        assert_eq!(messages("r#EDITORS"), Vec::<String>::new());
    }
}
