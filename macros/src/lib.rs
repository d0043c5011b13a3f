//! Procedural macros of [groupguard](https://docs.rs/groupguard). Depend on
//! `groupguard`, which re-exports them with their documentation; this crate's
//! items are not meant to be used directly.
//!
//! Layout (parse -> check -> expand): `ctxt` collects errors, `names` holds
//! the naming rules, `groups` is `#[groups]`, `model/` is `#[model]`, and
//! `callback` is the second stage that sees the declared groups.

mod callback;
mod ctxt;
mod groups;
mod hash;
mod model;
mod names;
mod storage;

use proc_macro::TokenStream;

/// Declares the user-pool groups on a fieldless enum. See `groupguard::groups`.
#[proc_macro_attribute]
pub fn groups(args: TokenStream, input: TokenStream) -> TokenStream {
    match syn::parse::<syn::ItemEnum>(input.clone()) {
        Ok(item) => groups::expand(args.into(), item).into(),
        Err(_) => {
            let span = proc_macro2::TokenStream::from(input.clone())
                .into_iter()
                .find(|t| matches!(t, proc_macro2::TokenTree::Ident(i) if i != "pub"))
                .map_or_else(proc_macro2::Span::call_site, |t| t.span());
            let error =
                syn::Error::new(span, "`#[groups]` can only be applied to a fieldless enum");
            ctxt::with_fallback(error, input.into()).into()
        }
    }
}

/// Guards a data model with Amplify-style rules. See `groupguard::model`.
#[proc_macro_attribute]
pub fn model(args: TokenStream, input: TokenStream) -> TokenStream {
    model::first_stage(args.into(), input.into()).into()
}

/// Declares storage paths with Amplify-style access rules. See `groupguard::storage`.
#[proc_macro]
pub fn storage(input: TokenStream) -> TokenStream {
    storage::first_stage(input.into()).into()
}

/// Second stage of `#[model]` and `storage!`, called by the companion macro
/// of a groups enum. Not public API.
#[doc(hidden)]
#[proc_macro]
pub fn __with_groups(input: TokenStream) -> TokenStream {
    match callback::parse(input.into()) {
        Ok((
            declared,
            callback::Request::Model {
                enum_path,
                args,
                item,
            },
        )) => model::second_stage(&declared, enum_path, args, item).into(),
        Ok((declared, callback::Request::Storage { enum_path, body })) => {
            storage::second_stage(&declared, enum_path, body).into()
        }
        Err(error) => error.to_compile_error().into(),
    }
}
