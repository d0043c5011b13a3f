//! Code generation for a checked model.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use super::ast::{Model, Rule, Who};
use crate::callback::Declared;

/// The `Model` impl and the inherent `authorize`.
pub fn model(declared: &Declared, model: &Model) -> TokenStream {
    let rules = model
        .rules
        .iter()
        .map(|rule| rule_tokens(declared, model, rule));
    impls(model, quote!(#(#rules),*))
}

/// After an error: the same items with no rules, so every request is denied
/// and the user's other code still type-checks.
pub fn stub(model: &Model) -> TokenStream {
    impls(model, quote!())
}

fn impls(model: &Model, rules: TokenStream) -> TokenStream {
    let enum_path = &model.enum_path;
    let ident = &model.item.ident;
    let name = ident.to_string();
    let (impl_generics, ty_generics, where_clause) = model.item.generics.split_for_impl();
    let doc = format!(
        "Decides whether `principal` may perform `op` on `{name}`, by the rules of its `#[model]`."
    );
    // Errors in the generated items (say, a model more visible than its
    // groups enum) point at the model, not at the companion macro; the
    // call-site context keeps lints treating the items as generated.
    let span = Span::call_site().located_at(ident.span());
    quote_spanned! {span=>
        #[automatically_derived]
        #[allow(single_use_lifetimes)] // reason: the model's generics are repeated as declared
        impl #impl_generics ::groupguard::__private::Model for #ident #ty_generics #where_clause {
            type Group = #enum_path;
            const NAME: &'static ::core::primitive::str = #name;
            const RULES: &'static [::groupguard::__private::ModelRule<#enum_path>] = &[#rules];
        }

        #[allow(single_use_lifetimes)] // reason: the model's generics are repeated as declared
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc = #doc]
            #[inline]
            pub fn authorize(
                principal: &::groupguard::__private::Principal<#enum_path>,
                op: ::groupguard::__private::Op,
            ) -> ::groupguard::__private::Decision {
                <Self as ::groupguard::__private::Model>::authorize(principal, op)
            }
        }
    }
}

fn rule_tokens(declared: &Declared, model: &Model, rule: &Rule) -> TokenStream {
    let enum_path = &model.enum_path;
    let words = declared.words();
    let (who, indices) = match &rule.who {
        Some(Who::Guest) | None => (quote!(::groupguard::__private::Who::Guest), Vec::new()),
        Some(Who::Authenticated) => (
            quote!(::groupguard::__private::Who::Authenticated),
            Vec::new(),
        ),
        Some(Who::Groups(groups)) => {
            let (variants, indices) = declared.group_list(enum_path, groups);
            (
                quote!(::groupguard::__private::Who::Groups(#variants)),
                indices,
            )
        }
    };
    let ops = match &rule.ops {
        Some(ops) => {
            let variants = ops.iter().map(|o| o.op.variant());
            quote!(::groupguard::__private::OpSet::of(&[#(::groupguard::__private::Op::#variants),*]))
        }
        None => quote!(::groupguard::__private::OpSet::ALL),
    };
    let declaration = declaration(rule);
    quote! {
        ::groupguard::__private::ModelRule::__new(
            #who,
            ::groupguard::__private::GroupSet::__from_mask(::groupguard::__private::mask::<#words>(&[#(#indices),*])),
            #ops,
            #declaration,
        )
    }
}

/// The rule in canonical source form, for decisions and audit reports.
fn declaration(rule: &Rule) -> String {
    let who = match &rule.who {
        Some(Who::Guest) | None => "guest".to_owned(),
        Some(Who::Authenticated) => "authenticated".to_owned(),
        Some(Who::Groups(groups)) => {
            let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
            format!("groups = [{}]", names.join(", "))
        }
    };
    match &rule.ops {
        Some(ops) => {
            let names: Vec<&str> = ops.iter().map(|o| o.op.name()).collect();
            format!("allow({who}, to = [{}])", names.join(", "))
        }
        None => format!("allow({who})"),
    }
}
