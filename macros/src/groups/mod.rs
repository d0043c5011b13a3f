//! `#[groups]`: parse -> check -> expand for the groups enum.

mod amplify;
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
    let outputs = amplify::parse_args(&mut cx, args);
    let groups = parse::variants(&mut cx, &mut item);
    check::groups_enum(&mut cx, &item, &groups);
    let tracked = match &outputs {
        Some(lit) if !cx.has_errors() => amplify::check(&mut cx, lit, &groups),
        _ => None,
    };
    match cx.check() {
        Ok(()) => {
            let mut tokens = expand::generate(&item, &groups);
            tokens.extend(tracked);
            tokens
        }
        // The enum and everything generated for it are still emitted, from a
        // sanitized copy, so that its uses (models included) add no
        // follow-on errors to the real ones.
        Err(error) => {
            ctxt::with_fallback(error, expand::generate(&expand::sanitized(item), &groups))
        }
    }
}
