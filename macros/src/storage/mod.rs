//! `storage! { ... }`: first stage (emit the struct, find the groups enum,
//! forward to its companion macro) and second stage (parse -> check ->
//! expand).
//!
//! Input:
//!
//! ```text
//! storage! {
//!     groups = path::To::Enum;   // optional: the groups enum, else `Group` in scope
//!     /// docs
//!     VIS Name {
//!         "path/*" => ACCEPTOR: [ACTIONS],
//!         ...
//!     }
//! }
//! ```
//!
//! The override is a `groups = path;` line rather than an attribute so that it
//! reads like `#[model(groups = path, ...)]` and cannot be mistaken for an
//! attribute of the struct.

mod ast;
mod check;
mod expand;
mod parse;
mod path_rules;

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{ParseStream, Parser};

use crate::internals::companion::{self, Declared};
use crate::internals::ctxt::{self, Ctxt};

/// First stage: emit the unit struct (with its docs) and its guard, whose
/// paths are a call of the groups enum's companion macro (which runs the
/// second stage with the declared groups).
pub fn first_stage(input: TokenStream) -> TokenStream {
    let mut head = None;
    let header = (|input: ParseStream| parse::header(input, &mut head)).parse2(input);
    let item = head.map(|head| {
        let parse::Head { attrs, vis, ident } = head;
        (quote!(#(#attrs)* #vis struct #ident;), ident)
    });
    match (header, item) {
        (Ok(header), Some((item, ident))) => {
            // The implicit `Group` carries the storage name's span: a missing
            // enum is then reported on the storage, not on the whole macro.
            let default_span = ident.span();
            let implicit_group = header.enum_path.is_none();
            let enum_path = header
                .enum_path
                .unwrap_or_else(|| syn::parse_quote_spanned!(default_span=> Group));
            let body = header.body;
            let layout = companion::call(
                &enum_path,
                implicit_group,
                default_span,
                quote!(@storage { #enum_path } { #ident { #body } }),
            );
            let items = expand::items(&ident, &enum_path, layout);
            quote!(#item #items)
        }
        (Err(error), item) => {
            ctxt::with_fallback(error, item.map(|(item, _)| item).unwrap_or_default())
        }
        (Ok(_), None) => unreachable!("the header names the storage before it succeeds"),
    }
}

/// Second stage, with the declared groups known: the layout, or the errors.
pub fn second_stage(declared: &Declared, enum_path: &syn::Path, body: TokenStream) -> TokenStream {
    let (ident, body) = match parse::named_body(body) {
        Ok(parsed) => parsed,
        Err(error) => return expand::no_layout(error),
    };
    let mut cx = Ctxt::new();
    let body_is_empty = body.is_empty();
    let entries = parse::entries(&mut cx, body);
    let storage = ast::Storage {
        ident,
        body_is_empty,
        entries,
    };
    check::storage(&mut cx, declared, &storage);
    match cx.check() {
        Ok(()) => expand::layout(declared, enum_path, &storage),
        Err(errors) => expand::no_layout(errors),
    }
}
