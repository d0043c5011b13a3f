//! `#[model(...)]`: first stage (emit the struct and its guard, with the
//! rules left to the groups enum's companion macro) and second stage
//! (parse -> check -> expand the rules).

pub(crate) mod ast;
mod check;
mod expand;
mod parse;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Item;

use crate::internals::companion::{self, Declared};
use crate::internals::ctxt::{self, Ctxt};

/// First stage: emit the struct unchanged with its `Model` impl and
/// inherent `authorize`, whose rules are a call of the groups enum's
/// companion macro (which runs the second stage with the declared groups).
pub fn first_stage(args: TokenStream, item: TokenStream) -> TokenStream {
    let parsed: Item = match syn::parse2(item.clone()) {
        Ok(parsed) => parsed,
        Err(error) => return ctxt::with_fallback(error, item),
    };
    let Item::Struct(structure) = &parsed else {
        let error = syn::Error::new(
            item_keyword_span(&parsed),
            "`#[model]` can only be applied to a struct",
        );
        return ctxt::with_fallback(error, item);
    };
    // The implicit `Group` carries the struct name's span: a missing enum is
    // then reported on the model, not on the whole attribute.
    let default_span = structure.ident.span();
    let named_enum = parse::enum_path(args.clone());
    let implicit_group = named_enum.is_none();
    let enum_path = named_enum.unwrap_or_else(|| syn::parse_quote_spanned!(default_span=> Group));
    // The rules are parsed here too, for the items that read the record;
    // their syntax errors are the second stage's to report (once).
    let mut parse_cx = Ctxt::new();
    let input = parse::input(&mut parse_cx, args.clone(), structure);
    let parsed_cleanly = parse_cx.check().is_ok();
    // The checks against the struct's fields need no groups: reported here.
    let mut record_cx = Ctxt::new();
    check::record_rules(&mut record_cx, structure, &input);
    let record_errors = record_cx.check().err();
    let rules = companion::call(
        &enum_path,
        implicit_group,
        default_span,
        quote!(@model { #enum_path } { #args } { #item }),
    );
    let items = expand::items(
        structure,
        &enum_path,
        rules,
        &input,
        record_errors.is_none(),
        // After a syntax error the rules seen may be fewer than written.
        parsed_cleanly && input.record_only(),
    );
    let errors = record_errors.map(|e| e.to_compile_error());
    let stripped = expand::stripped(structure);
    quote! {
        #stripped
        #items
        #errors
    }
}

/// Second stage, with the declared groups known: the rules, or the errors.
pub fn second_stage(
    declared: &Declared,
    enum_path: &syn::Path,
    args: TokenStream,
    item: TokenStream,
) -> TokenStream {
    let item: syn::ItemStruct = match syn::parse2(item) {
        Ok(item) => item,
        Err(error) => return expand::no_rules(error),
    };
    let mut cx = Ctxt::new();
    let input = parse::input(&mut cx, args, &item);
    // "no rules" after a syntax error would only repeat it.
    let parsed_cleanly = !cx.has_errors();
    check::rules(&mut cx, declared, &item.ident, &input, parsed_cleanly);
    match cx.check() {
        Ok(()) => expand::rules(declared, enum_path, &item.ident, &input),
        Err(errors) => expand::no_rules(errors),
    }
}

fn item_keyword_span(item: &Item) -> Span {
    use syn::spanned::Spanned;
    match item {
        Item::Enum(i) => i.enum_token.span,
        Item::Union(i) => i.union_token.span,
        Item::Fn(i) => i.sig.fn_token.span,
        Item::Trait(i) => i.trait_token.span,
        Item::Type(i) => i.type_token.span,
        Item::Impl(i) => i.impl_token.span,
        Item::Mod(i) => i.mod_token.span,
        Item::Const(i) => i.const_token.span,
        Item::Static(i) => i.static_token.span,
        other => other.span(),
    }
}
