//! `group_set![A, B]`: a `GroupSet` of the groups enum in scope, its names
//! checked at compile time like a rule's (for guards written by hand, such
//! as a router that requires a group). First stage: find the enum and call
//! its companion; second stage: check the names and expand to the set.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

use crate::internals::companion::{self, Declared};
use crate::internals::ctxt::Ctxt;
use crate::internals::group;
use crate::internals::private::Private;
use crate::internals::symbol::GROUPS;

/// First stage: `[groups = path::To::Enum;] NAME, ...`.
pub fn first_stage(input: TokenStream) -> TokenStream {
    let parser = |input: ParseStream| {
        let enum_path = if input.peek(syn::Ident) && input.peek2(Token![=]) {
            let key: syn::Ident = input.parse()?;
            if key != GROUPS {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown setting `{key}`; the only one is `groups = path::To::Enum;`, naming the groups enum"
                    ),
                ));
            }
            input.parse::<Token![=]>()?;
            let path = input.call(syn::Path::parse_mod_style)?;
            input.parse::<Token![;]>()?;
            Some(path)
        } else {
            None
        };
        Ok((enum_path, input.parse::<TokenStream>()?))
    };
    match parser.parse2(input) {
        Ok((named_enum, groups)) => {
            let implicit_group = named_enum.is_none();
            let enum_path = named_enum.unwrap_or_else(|| syn::parse_quote!(Group));
            companion::call(
                &enum_path,
                implicit_group,
                proc_macro2::Span::call_site(),
                quote!(@group_set { #enum_path } { #groups }),
            )
        }
        Err(error) => error.to_compile_error(),
    }
}

/// Second stage: the checked set, or the errors.
pub fn second_stage(
    declared: &Declared,
    enum_path: &syn::Path,
    groups: TokenStream,
) -> TokenStream {
    let mut cx = Ctxt::new();
    let items = match Punctuated::<Expr, Token![,]>::parse_terminated.parse2(groups) {
        Ok(items) => items,
        Err(error) => {
            cx.push(error);
            Punctuated::new()
        }
    };
    let groups = group::parse_list(&mut cx, &items);
    group::check_list(&mut cx, declared, &groups, "set");
    match cx.check() {
        Ok(()) => {
            let assertion = declared.same_enum_assertion(enum_path);
            let variants = group::variants(declared, enum_path, &groups);
            let set = group::mask(enum_path, &variants);
            quote!({ #assertion #set })
        }
        Err(errors) => {
            let errors = errors.to_compile_error();
            let private = Private::new();
            quote!({ #errors #private::GroupSet::<#enum_path>::EMPTY })
        }
    }
}
