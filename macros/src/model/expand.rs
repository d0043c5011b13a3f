//! Code generation for a model: the items (first stage) and the rules
//! (second stage, once the groups are known).

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use super::ast::{Rule, Who};
use crate::internals::companion::Declared;
use crate::internals::group;
use crate::internals::ops::{self, Operation};
use crate::internals::private::Private;

/// The `Model` impl and the inherent `authorize`, with `rules` (the
/// companion call) as the rules. They are emitted whether or not the groups
/// enum is found, so that callers never see follow-on errors.
pub fn items(item: &syn::ItemStruct, enum_path: &syn::Path, rules: TokenStream) -> TokenStream {
    let ident = &item.ident;
    let name = ident.to_string();
    let (impl_generics, ty_generics, where_clause) = item.generics.split_for_impl();
    let doc = format!(
        "Decides whether `principal` may perform `op` on `{name}`, by the rules of its `#[model]`."
    );
    // Errors in the generated items (say, a model more visible than its
    // groups enum) point at the model, not at the companion macro; the
    // call-site context keeps lints treating the items as generated.
    let span = Span::call_site().located_at(ident.span());
    let private = Private::at(span);
    quote_spanned! {span=>
        // The enum path is resolved once, outside the impls: inside one, an
        // unresolved `Group` would draw rustc's "did you mean `Self::Group`".
        const _: () = {
            type __Groups = #enum_path;

            #[automatically_derived]
            #[allow(single_use_lifetimes)] // reason: the model's generics are repeated as declared
            impl #impl_generics #private::Model for #ident #ty_generics #where_clause {
                type Group = __Groups;
                const NAME: &'static ::core::primitive::str = #name;
                const RULES: &'static [#private::ModelRule<Self::Group>] = #rules;
            }

            #[allow(single_use_lifetimes)] // reason: the model's generics are repeated as declared
            impl #impl_generics #ident #ty_generics #where_clause {
                #[doc = #doc]
                #[inline]
                pub fn authorize(
                    principal: &#private::Principal<__Groups>,
                    op: #private::Op,
                ) -> #private::Decision {
                    <Self as #private::Model>::authorize(principal, op)
                }
            }
        };
    }
}

/// The rules of a checked model: the value of `Model::RULES`.
pub fn rules(declared: &Declared, enum_path: &syn::Path, rules: &[Rule]) -> TokenStream {
    let assertion = declared.same_enum_assertion(enum_path);
    let rules = rules
        .iter()
        .map(|rule| rule_tokens(enum_path, declared, rule));
    quote!({ #assertion &[#(#rules),*] })
}

/// After an error: the errors and no rules, so that every request is denied.
pub fn no_rules(errors: syn::Error) -> TokenStream {
    let errors = errors.to_compile_error();
    quote!({ #errors &[] })
}

fn rule_tokens(enum_path: &syn::Path, declared: &Declared, rule: &Rule) -> TokenStream {
    let private = Private::new();
    let (who, mask) = match &rule.who {
        Some(Who::Guest) | None => (
            quote!(#private::Who::Guest),
            quote!(#private::GroupSet::EMPTY),
        ),
        Some(Who::Authenticated) => (
            quote!(#private::Who::Authenticated),
            quote!(#private::GroupSet::EMPTY),
        ),
        Some(Who::Groups(groups)) => {
            let variants = group::variants(declared, enum_path, groups);
            let mask = group::mask(enum_path, &variants);
            (quote!(#private::Who::Groups(#variants)), mask)
        }
    };
    let ops = match &rule.ops {
        Some(ops) => {
            let variants = ops.iter().map(|o| o.op.variant());
            quote!(#private::OpSet::of(&[#(#private::Op::#variants),*]))
        }
        None => quote!(#private::OpSet::ALL),
    };
    let declaration = declaration(rule);
    quote! {
        #private::ModelRule::__new(#who, #mask, #ops, #declaration)
    }
}

/// The rule in canonical source form, for decisions and audit reports.
fn declaration(rule: &Rule) -> String {
    let who = rule
        .who
        .as_ref()
        .map_or_else(|| "guest".to_owned(), Who::declaration);
    match &rule.ops {
        Some(list) => format!("allow({who}, to = [{}])", ops::declaration(list)),
        None => format!("allow({who})"),
    }
}
