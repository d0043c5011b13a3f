//! The second stage shared by `#[model]` and `storage!`.
//!
//! A macro cannot see the definition of the groups enum it is given, so
//! `#[groups]` generates a companion `macro_rules!` of the same name. The
//! first stage (`#[model]`, `storage!`) expands to a call of that companion,
//! which calls `__with_groups!` with the declared groups prepended:
//!
//! ```text
//! __with_groups! { [ADMINS = "ADMINS", Reviewers = "content-reviewers",] @model { <enum path> } { <args> } { <item> } }
//! ```
//!
//! The user's tokens pass through unchanged, so errors keep their spans.

use proc_macro2::{Ident, TokenStream};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;

use crate::model::ast::GroupRef;
use syn::parse::{ParseStream, Parser};
use syn::{LitStr, Token, braced, bracketed};

/// The groups declared on the enum, in declaration order.
pub struct Declared {
    pub variants: Vec<Ident>,
    pub claim_names: Vec<String>,
}

impl Declared {
    /// Index (bit position) of the variant named `name`.
    /// Names are compared unrawed: `r#type` in the enum is `type` in a rule.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        let name = name.strip_prefix("r#").unwrap_or(name);
        self.variants.iter().position(|v| v.unraw() == name)
    }

    /// The `&[Enum::A, ...]` of the groups named in a rule, and their bit
    /// indices. Unknown names (already reported) are left out. Each variant
    /// carries the span of its name in the rule, so that "go to definition"
    /// on a rule's group lands on the enum.
    pub fn group_list(
        &self,
        enum_path: &syn::Path,
        groups: &[GroupRef],
    ) -> (TokenStream, Vec<usize>) {
        let known: Vec<(&GroupRef, usize)> = groups
            .iter()
            .filter_map(|g| Some((g, self.index_of(&g.name)?)))
            .collect();
        let variants = known.iter().map(|(g, index)| {
            let mut variant = self.variants[*index].clone();
            variant.set_span(g.span);
            quote_spanned!(g.span=> #enum_path::#variant)
        });
        let indices = known.iter().map(|(_, index)| *index).collect();
        (quote!(&[#(#variants),*]), indices)
    }

    /// Number of `u64` words of a `GroupSet` of this enum.
    pub fn words(&self) -> usize {
        self.variants.len().div_ceil(64)
    }

    /// Variant names, for messages.
    pub fn variant_names(&self) -> Vec<String> {
        self.variants.iter().map(Ident::to_string).collect()
    }
}

/// What the first stage asked for.
pub enum Request {
    Model {
        enum_path: syn::Path,
        args: TokenStream,
        item: TokenStream,
    },
    Storage {
        enum_path: syn::Path,
        body: TokenStream,
    },
}

pub fn parse(input: TokenStream) -> syn::Result<(Declared, Request)> {
    let parser = |input: ParseStream| {
        let list;
        bracketed!(list in input);
        let mut declared = Declared {
            variants: Vec::new(),
            claim_names: Vec::new(),
        };
        while !list.is_empty() {
            declared.variants.push(list.parse()?);
            list.parse::<Token![=]>()?;
            declared.claim_names.push(list.parse::<LitStr>()?.value());
            list.parse::<Token![,]>()?;
        }
        input.parse::<Token![@]>()?;
        let kind: Ident = input.parse()?;
        let path_tokens;
        braced!(path_tokens in input);
        let enum_path: syn::Path = path_tokens.parse()?;
        let request = match kind.to_string().as_str() {
            "model" => {
                let (args, item);
                braced!(args in input);
                braced!(item in input);
                Request::Model {
                    enum_path,
                    args: args.parse()?,
                    item: item.parse()?,
                }
            }
            "storage" => {
                let body;
                braced!(body in input);
                Request::Storage {
                    enum_path,
                    body: body.parse()?,
                }
            }
            _ => return Err(syn::Error::new(kind.span(), "groupguard: unknown request")),
        };
        Ok((declared, request))
    };
    parser.parse2(input)
}

/// The first stage's call of the companion macro, plus a check that the path
/// names a groups enum: when it names a plain enum, the "cannot find macro"
/// error is joined by one that says to declare the enum with `#[groups]`.
pub fn call_companion(enum_path: &syn::Path, request: TokenStream) -> TokenStream {
    quote! {
        #enum_path! { #request }
        const _: () = {
            fn __assert_groups_enum<__G: ::groupguard::__private::Groups>() {}
            let _ = __assert_groups_enum::<#enum_path>;
        };
    }
}

/// The second stage: dispatch to the macro that asked.
pub fn second_stage(input: TokenStream) -> TokenStream {
    match parse(input) {
        Ok((
            declared,
            Request::Model {
                enum_path,
                args,
                item,
            },
        )) => crate::model::second_stage(&declared, enum_path, args, item),
        Ok((declared, Request::Storage { enum_path, body })) => {
            crate::storage::second_stage(&declared, enum_path, body)
        }
        Err(error) => error.to_compile_error(),
    }
}
