//! `#[groups]`: parse -> check -> expand for the groups enum.

mod ast;
mod check;
mod expand;
mod parse;

use proc_macro2::{Span, TokenStream};
use syn::ItemEnum;

use crate::internals::ctxt::{self, Ctxt};

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
    let groups = parse::variants(&mut cx, &mut item);
    check::groups_enum(&mut cx, &item, &groups);
    match cx.check() {
        Ok(()) => expand::generate(&item, &groups),
        // The enum and everything generated for it are still emitted, from a
        // sanitized copy, so that its uses (models included) add no
        // follow-on errors to the real ones.
        Err(error) => {
            ctxt::with_fallback(error, expand::generate(&expand::sanitized(item), &groups))
        }
    }
}
