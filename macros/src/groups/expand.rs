//! Code generation for a checked groups enum: the enum with its derives,
//! its inherent items, the runtime trait impls and the companion macro.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Fields, Ident, ItemEnum, Token, Visibility};

use super::ast::Group;
use super::check::is_generated_trait;
use crate::internals::companion;
use crate::internals::hash;
use crate::internals::private::Private;
use crate::internals::symbol::DERIVE;

/// The enum with what the checks reject removed (generics, variant data,
/// discriminants), so that the fallback expansion compiles.
pub fn sanitized(mut item: ItemEnum) -> ItemEnum {
    item.generics = syn::Generics::default();
    item.attrs = std::mem::take(&mut item.attrs)
        .into_iter()
        .filter_map(|attr| {
            if attr.path() != DERIVE {
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

pub fn generate(item: &ItemEnum, groups: &[Group]) -> TokenStream {
    let ident = &item.ident;
    let count = groups.len();
    let words = count.div_ceil(64);
    let idents: Vec<&Ident> = groups.iter().map(|g| &g.ident).collect();
    let claim_names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    let precedences = groups.iter().map(|g| g.precedence);
    let roles = groups.iter().map(|g| option(g.role.as_deref()));
    let descriptions = groups.iter().map(|g| option(g.description.as_deref()));
    // At most 10,000 groups reach generation (or the fallback, which may
    // hold more but still far fewer than `hash::MAX_ENTRIES` in practice).
    let slots = hash::slots(groups.iter().map(|g| g.name.as_str()));
    let slot_count = slots.len();
    let fingerprint = companion::fingerprint(groups.iter().map(|g| (&g.ident, g.name.as_str())));
    let companion = companion_macro(item, groups, fingerprint);
    let private = Private::new();
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
            #[allow(clippy::large_stack_arrays)] // reason: a constant slice in static memory, not a local array; clippy misreads it past 16 KiB (8,192 groups)
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
                #private::lookup(&SLOTS, name)
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

            /// Identifies this enum to the rules that name it: their groups
            /// must come from this enum. Used by generated code, not public API.
            #[doc(hidden)]
            pub const __GROUPGUARD_FINGERPRINT: ::core::primitive::u64 = #fingerprint;

            /// The set of `groups`, with bits from this type's own
            /// discriminants. Used by generated code, not public API.
            #[doc(hidden)]
            #[must_use]
            pub const fn __groupguard_set(groups: &[Self]) -> #private::GroupSet<Self> {
                let mut words = [0_u64; #words];
                let mut i = 0;
                while i < groups.len() {
                    let bit = groups[i] as ::core::primitive::usize;
                    words[bit / 64] |= 1 << (bit % 64);
                    i += 1;
                }
                #private::GroupSet::__from_mask(words)
            }
        }

        #[automatically_derived]
        impl #private::Groups for #ident {
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
            type Err = #private::UnknownGroup;
            fn from_str(s: &::core::primitive::str) -> ::core::result::Result<Self, Self::Err> {
                #ident::from_name(s).ok_or_else(|| #private::UnknownGroup::__new(s))
            }
        }

        #[automatically_derived]
        impl #private::serde::Serialize for #ident {
            fn serialize<__S: #private::serde::Serializer>(&self, s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                #private::serialize(*self, s)
            }
        }

        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D: #private::serde::Deserializer<'de>>(d: __D) -> ::core::result::Result<Self, __D::Error> {
                #private::deserialize(d)
            }
        }

        #companion
    }
}

fn option(value: Option<&str>) -> TokenStream {
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
fn companion_macro(item: &ItemEnum, groups: &[Group], fingerprint: u64) -> TokenStream {
    let ident = &item.ident;
    let body = companion::companion_body(
        ident,
        fingerprint,
        groups.iter().map(|g| (g.ident.clone(), g.name.clone())),
    );
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

/// A crate-unique id for an exported companion macro, the same at every
/// expansion (no counter): the hash of the enum's tokens and of where its
/// name is written, so that two identical enums in different modules of one
/// crate still get distinct names.
fn unique_id(item: &ItemEnum) -> u64 {
    let mut text = item.to_token_stream().to_string();
    if proc_macro::is_available() {
        let span = item.ident.span().unwrap();
        text.push_str(&format!(
            "\n{}:{}:{}",
            span.file(),
            span.line(),
            span.column()
        ));
    }
    hash::fnv1a(text.as_bytes())
}
