//! `#[groups]`: parse -> check -> expand for the groups enum.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Fields, Ident, ItemEnum, Lit, LitStr, Meta, Token, Visibility};

use crate::ctxt::{self, Ctxt};
use crate::{hash, names};

/// Cognito: at most this many groups per user pool.
const MAX_GROUPS: usize = 10_000;
/// Cognito: precedence is a non-negative 32-bit signed integer.
const MAX_PRECEDENCE: u64 = (1 << 31) - 1;
/// Cognito: group descriptions are at most this many characters.
const MAX_DESCRIPTION_CHARS: usize = 2048;

/// One declared group.
struct Group {
    ident: Ident,
    /// The claim value, with the span of where it was written (or of the variant).
    name: String,
    name_span: Span,
    precedence: u32,
    role: Option<String>,
    description: Option<String>,
}

pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut item: ItemEnum = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            // Point at the item's keyword (`struct`, `fn`...), after any `pub`.
            let span = input
                .clone()
                .into_iter()
                .find(|t| matches!(t, proc_macro2::TokenTree::Ident(i) if i != "pub"))
                .map_or_else(Span::call_site, |t| t.span());
            let error =
                syn::Error::new(span, "`#[groups]` can only be applied to a fieldless enum");
            return ctxt::with_fallback(error, input);
        }
    };
    let mut cx = Ctxt::new();
    if !args.is_empty() {
        cx.error_spanned_by(
            &args,
            "`#[groups]` takes no arguments; configure each group with `#[group(...)]`",
        );
    }
    let groups = parse_variants(&mut cx, &mut item);
    check_enum(&mut cx, &item, &groups);
    match cx.check() {
        Ok(()) => generate(&item, &groups),
        // The enum and everything generated for it are still emitted, from a
        // sanitized copy, so that its uses (models included) add no
        // follow-on errors to the real ones.
        Err(error) => ctxt::with_fallback(error, generate(&sanitized(item), &groups)),
    }
}

/// The enum with what the checks reject removed (generics, variant data,
/// discriminants), so that the fallback expansion compiles.
fn sanitized(mut item: ItemEnum) -> ItemEnum {
    item.generics = syn::Generics::default();
    item.attrs = std::mem::take(&mut item.attrs)
        .into_iter()
        .filter_map(|attr| {
            if !attr.path().is_ident("derive") {
                return Some(attr);
            }
            let paths = attr
                .parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .ok()?;
            let kept: Vec<syn::Path> = paths
                .into_iter()
                .filter(|path| !is_generated_trait(path))
                .collect();
            (!kept.is_empty()).then(|| syn::parse_quote!(#[derive(#(#kept),*)]))
        })
        .collect();
    for variant in &mut item.variants {
        variant.fields = Fields::Unit;
        variant.discriminant = None;
    }
    item
}

/// Reads each variant and its `#[group(...)]` attributes, removing them from the item.
fn parse_variants(cx: &mut Ctxt, item: &mut ItemEnum) -> Vec<Group> {
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
            if !attr.path().is_ident("group") {
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
    seen.push(key.clone());
    match key.as_str() {
        "name" => {
            if let Some(lit) = string(cx, &nv.value, "name") {
                group.name = lit.value();
                group.name_span = lit.span();
            }
        }
        "role" => {
            if let Some(lit) = string(cx, &nv.value, "role") {
                match names::role_arn_problem(&lit.value()) {
                    Some(problem) => cx.error_spanned_by(&lit, format!("invalid role ARN: {problem}")),
                    None => group.role = Some(lit.value()),
                }
            }
        }
        "description" => {
            if let Some(lit) = string(cx, &nv.value, "description") {
                let chars = lit.value().chars().count();
                // Cognito rejects longer descriptions when the group is created.
                if chars > MAX_DESCRIPTION_CHARS {
                    cx.error_spanned_by(&lit, format!("a group description is at most {MAX_DESCRIPTION_CHARS} characters (Cognito limit); this one has {chars}"));
                } else {
                    group.description = Some(lit.value());
                }
            }
        }
        "precedence" => {
            let message = format!("precedence must be an integer from 0 to {MAX_PRECEDENCE} (Cognito limit)");
            match &nv.value {
                Expr::Unary(syn::ExprUnary { op: syn::UnOp::Neg(_), .. }) => {
                    cx.error_spanned_by(&nv.value, "precedence cannot be negative; Cognito accepts 0 to 2147483647")
                }
                Expr::Lit(ExprLit { lit: Lit::Int(int), .. }) if int.base10_digits().starts_with('-') => {
                    cx.error_spanned_by(&nv.value, "precedence cannot be negative; Cognito accepts 0 to 2147483647")
                }
                Expr::Lit(ExprLit { lit: Lit::Int(int), .. }) => match int.base10_parse::<u64>() {
                    Ok(value) if value <= MAX_PRECEDENCE => group.precedence = value as u32,
                    _ => cx.error_spanned_by(int, message),
                },
                other => cx.error_spanned_by(other, message),
            }
        }
        _ => cx.error_spanned_by(&nv.path, format!("unknown key `{}` in `#[group(...)]`; expected `name`, `precedence`, `role` or `description`", nv.path.to_token_stream().to_string().replace(' ', ""))),
    }
}

fn string(cx: &mut Ctxt, value: &Expr, key: &str) -> Option<LitStr> {
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

/// Checks that span the whole enum: count, generics, and claim names.
fn check_enum(cx: &mut Ctxt, item: &ItemEnum, groups: &[Group]) {
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
    for attr in item.attrs.iter().filter(|a| a.path().is_ident("derive")) {
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

fn is_generated_trait(path: &syn::Path) -> bool {
    path.segments
        .last()
        .is_some_and(|last| GENERATED_TRAITS.contains(&last.ident.to_string().as_str()))
}

fn generate(item: &ItemEnum, groups: &[Group]) -> TokenStream {
    let ident = &item.ident;
    let count = groups.len();
    let words = count.div_ceil(64);
    let idents: Vec<&Ident> = groups.iter().map(|g| &g.ident).collect();
    let claim_names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    let precedences = groups.iter().map(|g| g.precedence);
    let roles = groups.iter().map(|g| option(&g.role));
    let descriptions = groups.iter().map(|g| option(&g.description));
    // At most 10,000 groups reach generation (or the fallback, which may
    // hold more but still far fewer than `hash::MAX_ENTRIES` in practice).
    let slots = hash::slots(groups.iter().map(|g| g.name.as_str()));
    let slot_count = slots.len();
    let companion = companion_macro(item, groups);
    let doc_all = format!("Every group of `{ident}`, in declaration order.");

    quote! {
        #[derive(
            ::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq, ::core::cmp::Eq,
            ::core::hash::Hash, ::core::fmt::Debug, ::core::cmp::PartialOrd, ::core::cmp::Ord,
        )]
        #[allow(clippy::upper_case_acronyms)] // reason: variants mirror Cognito group names, conventionally upper case
        #item

        impl #ident {
            #[doc = #doc_all]
            pub const ALL: &'static [#ident] = &[#(#ident::#idents),*];

            /// The claim value this group matches in the group claim (exact, case-sensitive).
            #[must_use]
            pub const fn name(self) -> &'static ::core::primitive::str {
                match self { #(#ident::#idents => #claim_names,)* }
            }

            /// The group whose claim value is exactly `name` (a hash-table probe built at compile time).
            #[must_use]
            pub fn from_name(name: &::core::primitive::str) -> ::core::option::Option<Self> {
                static SLOTS: [::core::primitive::u16; #slot_count] = [#(#slots),*];
                ::groupguard::__private::lookup(&SLOTS, name)
            }

            /// Cognito precedence: lower value, higher priority.
            #[must_use]
            pub const fn precedence(self) -> ::core::primitive::u32 {
                match self { #(#ident::#idents => #precedences,)* }
            }

            /// IAM role ARN of the group, if declared.
            #[must_use]
            pub const fn role(self) -> ::core::option::Option<&'static ::core::primitive::str> {
                match self { #(#ident::#idents => #roles,)* }
            }

            /// Description of the group, if declared.
            #[must_use]
            pub const fn description(self) -> ::core::option::Option<&'static ::core::primitive::str> {
                match self { #(#ident::#idents => #descriptions,)* }
            }
        }

        #[automatically_derived]
        impl ::groupguard::__private::Groups for #ident {
            type Words = [::core::primitive::u64; #words];
            const ALL: &'static [Self] = #ident::ALL;
            #[inline]
            fn index(self) -> ::core::primitive::usize { self as ::core::primitive::usize }
            #[inline]
            fn name(self) -> &'static ::core::primitive::str { #ident::name(self) }
            #[inline]
            fn from_name(name: &::core::primitive::str) -> ::core::option::Option<Self> { #ident::from_name(name) }
            #[inline]
            fn precedence(self) -> ::core::primitive::u32 { #ident::precedence(self) }
            #[inline]
            fn role(self) -> ::core::option::Option<&'static ::core::primitive::str> { #ident::role(self) }
            #[inline]
            fn description(self) -> ::core::option::Option<&'static ::core::primitive::str> { #ident::description(self) }
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(#ident::name(*self))
            }
        }

        #[automatically_derived]
        impl ::core::str::FromStr for #ident {
            type Err = ::groupguard::__private::UnknownGroup;
            fn from_str(s: &::core::primitive::str) -> ::core::result::Result<Self, Self::Err> {
                #ident::from_name(s).ok_or_else(|| ::groupguard::__private::UnknownGroup::__new(s))
            }
        }

        #[automatically_derived]
        impl ::groupguard::__private::serde::Serialize for #ident {
            fn serialize<__S: ::groupguard::__private::serde::Serializer>(&self, s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                ::groupguard::__private::serialize(*self, s)
            }
        }

        #[automatically_derived]
        impl<'de> ::groupguard::__private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D: ::groupguard::__private::serde::Deserializer<'de>>(d: __D) -> ::core::result::Result<Self, __D::Error> {
                ::groupguard::__private::deserialize(d)
            }
        }

        #companion
    }
}

fn option(value: &Option<String>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// The companion macro that lets `#[model]` and `storage!` see the declared
/// groups: it shares the enum's name (macros live in their own namespace), so
/// `use crate::auth::Group;` imports both, and it forwards the caller's input
/// to the checking macro together with the list of groups.
///
/// For a `pub` enum it is `#[macro_export]`ed (under a unique hidden name, as
/// exported macros all live at the crate root) and re-exported beside the
/// enum, so models in other crates can use the enum too. Otherwise it is a
/// plain `macro_rules!` re-exported with the enum's own visibility.
fn companion_macro(item: &ItemEnum, groups: &[Group]) -> TokenStream {
    let ident = &item.ident;
    let entries = groups.iter().map(|g| {
        let variant = &g.ident;
        let name = &g.name;
        quote!(#variant = #name,)
    });
    let body = quote! {
        ($($input:tt)*) => {
            ::groupguard::__private::with_groups! { [#(#entries)*] $($input)* }
        };
    };
    match &item.vis {
        Visibility::Public(token) => {
            let hidden = format_ident!("__groupguard_groups_{}_{:016x}", ident, unique_id(item));
            quote_spanned! {token.span()=>
                #[doc(hidden)]
                #[macro_export]
                #[allow(non_local_definitions)] // reason: a `pub` enum may be declared inside a function; the macro is only re-exported beside it
                macro_rules! #hidden { #body }
                #[doc(hidden)]
                #[allow(unused_imports)] // reason: used only when a model or storage names this enum
                pub use #hidden as #ident;
            }
        }
        vis => {
            let hidden = format_ident!("__groupguard_groups_{}", ident);
            quote! {
                #[doc(hidden)]
                #[allow(unused_macros)] // reason: used only when a model or storage names this enum
                macro_rules! #hidden { #body }
                #[doc(hidden)]
                #[allow(unused_imports)] // reason: used only when a model or storage names this enum
                #vis use #hidden as #ident;
            }
        }
    }
}

/// A crate-unique id for an exported companion macro: the hash of the enum's
/// tokens plus a counter, so that two identical enums in different modules
/// of one crate still get distinct names.
fn unique_id(item: &ItemEnum) -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    hash::fnv1a(item.to_token_stream().to_string().as_bytes())
        ^ count.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}
