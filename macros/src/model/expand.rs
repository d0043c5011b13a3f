//! Code generation for a model: the items (first stage) and the rules
//! (second stage, once the groups are known).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::{Input, Rule, Who};
use super::parse::is_field_attribute;
use crate::internals::companion::Declared;
use crate::internals::group;
use crate::internals::names;
use crate::internals::ops::{self, Operation};
use crate::internals::private::Private;
use crate::internals::symbol::{ALLOW, GUEST, LEGACY_USERNAME, TO, WHEN};

/// The struct as the user wrote it, without the `#[field(...)]` attributes
/// (they are the macro's, not attributes rustc knows).
pub fn stripped(item: &syn::ItemStruct) -> syn::ItemStruct {
    let mut item = item.clone();
    for field in &mut item.fields {
        field.attrs.retain(|attr| !is_field_attribute(attr));
    }
    item
}

/// The guard's items: the `Model` impl (with `rules`, the companion call,
/// as its rules) and the inherent functions, plus the field enum when
/// fields have rules of their own. They are emitted whether or not the
/// groups enum is found and whether or not the rules check, so that
/// callers never see follow-on errors. `record_checks` is false after an
/// error in a record rule: the record checks are left out (deny).
/// `record_only`: every model rule reads the record, so the inherent
/// `authorize` could never allow, and calling it is a compile error.
pub fn items(
    item: &syn::ItemStruct,
    enum_path: &syn::Path,
    rules: TokenStream,
    input: &Input,
    record_checks: bool,
    record_only: bool,
) -> TokenStream {
    let ident = &item.ident;
    let name = ident.to_string();
    let (impl_generics, ty_generics, where_clause) = item.generics.split_for_impl();
    // Errors in the generated items (say, a model more visible than its
    // groups enum) point at the model, not at the companion macro; the
    // call-site context keeps lints treating the items as generated.
    let span = Span::call_site().located_at(ident.span());
    let private = Private::at(span);
    let record_fns = if record_checks {
        record_fns(item, input)
    } else {
        TokenStream::new()
    };
    let update_fields = update_fields(item, input);
    let field_enum = field_enum(item, input);
    let field_fns = field_fns(item, input);
    let doc = format!(
        "Decides whether `principal` may perform `op` on `{name}`, by the rules of its `#[model]` that need no record (see `groupguard::Model::authorize`)."
    );
    let authorize = if record_only {
        let doc = format!(
            "Every rule of `{name}` reads the record, so this `authorize`, which has none, could never allow: calling it is a compile error. Decide with `authorize_record` on the record, or `filter_for` for a list (`<{name} as groupguard::Model>::authorize` stays for generic code, and denies)."
        );
        quote_spanned! {span=>
            #[doc = #doc]
            #[inline]
            pub fn authorize<__Op: #private::DecidesWithoutRecord<Self>>(
                principal: &#private::Principal<__Groups>,
                op: __Op,
            ) -> #private::Decision {
                <Self as #private::Model>::authorize(principal, __Op::op(op))
            }
        }
    } else {
        quote_spanned! {span=>
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
    // `authorize` warns once per model when only the record could decide.
    let warning = input.rules.iter().any(super::ast::Rule::needs_record).then(|| {
        quote_spanned! {span=>
            #[inline]
            fn __needs_record_warning() -> &'static #private::NeedsRecordWarning {
                static __WARNING: #private::NeedsRecordWarning = #private::NeedsRecordWarning::new();
                &__WARNING
            }
        }
    });
    let doc_record = format!(
        "Decides whether `principal` may perform `op` on this `{name}`, by every rule of its `#[model]` (see `groupguard::Model::authorize_record`)."
    );
    let doc_update = format!(
        "Decides whether `principal` may update this `{name}` into `proposed`, the record as it would be saved: `update` on both, `delete` on each field it clears, and the rules of each field with rules of its own that it changes (see `groupguard::Model::authorize_update`)."
    );
    let doc_filter = format!(
        "The `{name}` records `principal` may perform `op` on, as a filter for a query (see `groupguard::Model::filter_for`)."
    );
    quote_spanned! {span=>
        #field_enum

        // The enum path is resolved once, outside the impls: inside one, an
        // unresolved `Group` would draw rustc's "did you mean `Self::Group`".
        const _: () = {
            type __Groups = #enum_path;

            const __RULES: #private::RuleSet<__Groups> = #rules;

            #[automatically_derived]
            #[allow(single_use_lifetimes)] // reason: the model's generics are repeated as declared
            impl #impl_generics #private::Model for #ident #ty_generics #where_clause {
                type Group = __Groups;
                const NAME: &'static ::core::primitive::str = #name;
                const RULES: &'static [#private::ModelRule<Self::Group>] = __RULES.model;
                const FIELDS: &'static [#private::FieldRules<Self::Group>] = __RULES.fields;
                #record_fns
                #update_fields
                #warning
            }

            #[allow(single_use_lifetimes)] // reason: the model's generics are repeated as declared
            impl #impl_generics #ident #ty_generics #where_clause {
                #authorize

                #[doc = #doc_record]
                #[inline]
                pub fn authorize_record(
                    &self,
                    principal: &#private::Principal<__Groups>,
                    op: #private::Op,
                ) -> #private::Decision {
                    <Self as #private::Model>::authorize_record(self, principal, op)
                }

                #[doc = #doc_update]
                #[inline]
                pub fn authorize_update(
                    &self,
                    principal: &#private::Principal<__Groups>,
                    proposed: &Self,
                ) -> #private::Decision {
                    <Self as #private::Model>::authorize_update(self, principal, proposed)
                }

                #[doc = #doc_filter]
                pub fn filter_for(
                    principal: &#private::Principal<__Groups>,
                    op: #private::Op,
                ) -> #private::Filter {
                    <Self as #private::Model>::filter_for(principal, op)
                }

                #field_fns
            }
        };
    }
}

/// `__record_who` and `__record_when`: one match arm per record rule.
fn record_fns(item: &syn::ItemStruct, input: &Input) -> TokenStream {
    let private = Private::new();
    let mut who_arms = Vec::new();
    let mut when_arms = Vec::new();
    for (check, rule) in input.numbered() {
        if check == 0 {
            continue;
        }
        if let Some(Who::Record(record)) = &rule.who {
            let Some(field) = named_field(item, &record.field_name()) else {
                continue;
            };
            let (_, function) = record.kind.runtime();
            let function = format_ident!("{function}");
            let ident = &field.ident;
            // Owner checks take the rule's `legacy_username`, which the
            // runtime passes from the rule itself (one source for every
            // reader: decisions, filters, the Cedar export).
            let legacy = record.kind.is_owner().then(|| quote!(, __legacy_username));
            // A type that cannot hold ids fails its bound at the field's type.
            let at = Span::call_site().located_at(field.ty.span());
            who_arms.push(quote_spanned! {at=>
                #check => #private::#function(__principal, &self.#ident #legacy),
            });
        }
        if let Some(path) = &rule.when {
            let at = Span::call_site().located_at(path.span());
            when_arms.push(quote_spanned! {at=>
                #check => {
                    let __when: fn(&Self) -> ::core::primitive::bool = #path;
                    __when(self)
                }
            });
        }
    }
    let who = (!who_arms.is_empty()).then(|| {
        quote! {
            #[inline]
            fn __record_who(
                &self,
                __check: ::core::primitive::u16,
                __principal: &#private::Principal<Self::Group>,
                __legacy_username: ::core::primitive::bool,
            ) -> ::core::primitive::bool {
                match __check {
                    #(#who_arms)*
                    _ => false,
                }
            }
        }
    });
    let when = (!when_arms.is_empty()).then(|| {
        quote! {
            #[inline]
            fn __record_when(&self, __check: ::core::primitive::u16) -> ::core::primitive::bool {
                match __check {
                    #(#when_arms)*
                    _ => false,
                }
            }
        }
    });
    quote!(#who #when)
}

/// `__update_fields`: for every field, whether an update clears it (decided
/// by its type, see `groupguard`'s `Clearing`); for a field with rules of
/// its own, also whether the update changes it (by its `PartialEq`, which
/// such a field's type must implement: the error points at the type).
fn update_fields(item: &syn::ItemStruct, input: &Input) -> TokenStream {
    if item.fields.is_empty() {
        return TokenStream::new();
    }
    let fields_have_rules = has_field_rules(item, input);
    let mut reports = Vec::new();
    for (position, field) in item.fields.iter().enumerate() {
        let (member, name) = match &field.ident {
            Some(ident) => (quote!(#ident), names::unraw(ident)),
            None => {
                let index = syn::Index::from(position);
                (quote!(#index), position.to_string())
            }
        };
        let at = Span::call_site().located_at(field.ty.span());
        // Spanned at the type, the runtime's path too: an error points there.
        let private = Private::at(at);
        let cleared = quote_spanned! {at=>
            #private::Clearing::new(&self.#member, &__proposed.#member).__cleared()
        };
        let own_rules = field
            .ident
            .as_ref()
            .filter(|_| fields_have_rules)
            .and_then(|ident| {
                input
                    .fields
                    .iter()
                    .position(|rules| names::unraw(&rules.field) == names::unraw(ident))
            });
        reports.push(match own_rules {
            Some(index) => quote_spanned! {at=>
                __each(#private::FieldUpdate::__new(
                    #name,
                    ::core::option::Option::Some(#index),
                    #cleared,
                    #private::ComparedField::__differs(&self.#member, &__proposed.#member),
                ));
            },
            None => quote_spanned! {at=>
                if #cleared {
                    __each(#private::FieldUpdate::__new(#name, ::core::option::Option::None, true, false));
                }
            },
        });
    }
    let private = Private::new();
    quote! {
        #[inline]
        fn __update_fields(
            &self,
            __proposed: &Self,
            __each: &mut dyn ::core::ops::FnMut(#private::FieldUpdate),
        ) {
            #(#reports)*
        }
    }
}

/// The struct's field of that (unrawed) name.
fn named_field<'a>(item: &'a syn::ItemStruct, name: &str) -> Option<&'a syn::Field> {
    item.fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| names::unraw(i) == name))
}

/// `PostField`, the name of the field enum of `Post`.
fn field_enum_ident(item: &syn::ItemStruct) -> syn::Ident {
    format_ident!("{}Field", item.ident, span = item.ident.span())
}

/// `created_at` as a variant: `CreatedAt`.
fn variant_ident(field: &syn::Ident) -> syn::Ident {
    let camel: String = names::unraw(field)
        .split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect();
    syn::Ident::new(&camel, field.span())
}

/// Whether the model has field rules, on named fields.
fn has_field_rules(item: &syn::ItemStruct, input: &Input) -> bool {
    !input.fields.is_empty() && matches!(item.fields, syn::Fields::Named(_))
}

/// The field enum, when fields have rules of their own.
fn field_enum(item: &syn::ItemStruct, input: &Input) -> TokenStream {
    if !has_field_rules(item, input) {
        return TokenStream::new();
    }
    let vis = &item.vis;
    let model = &item.ident;
    let ident = field_enum_ident(item);
    let fields: Vec<&syn::Ident> = item
        .fields
        .iter()
        .filter_map(|f| f.ident.as_ref())
        .collect();
    let variants: Vec<syn::Ident> = fields.iter().map(|f| variant_ident(f)).collect();
    let names: Vec<String> = fields.iter().map(|f| names::unraw(f)).collect();
    let docs = names.iter().map(|n| format!("The `{n}` field."));
    let count = fields.len();
    let doc = format!(
        "The fields of [`{model}`], for `{model}::authorize_field`. Generated by `#[model]`."
    );
    quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash, ::core::fmt::Debug)]
        #vis enum #ident {
            #(#[doc = #docs] #variants,)*
        }

        #[automatically_derived]
        impl #ident {
            /// Every field, in declaration order.
            pub const ALL: [#ident; #count] = [#(#ident::#variants),*];

            /// The field's name, as declared.
            #[must_use]
            pub const fn name(self) -> &'static ::core::primitive::str {
                match self {
                    #(#ident::#variants => #names,)*
                }
            }
        }
    }
}

/// `authorize_field` and `redacted_for`, when fields have rules of their own.
fn field_fns(item: &syn::ItemStruct, input: &Input) -> TokenStream {
    if !has_field_rules(item, input) {
        return TokenStream::new();
    }
    let private = Private::new();
    let model = &item.ident;
    let enum_ident = field_enum_ident(item);
    let index_of = |field: &syn::Ident| {
        input
            .fields
            .iter()
            .position(|rules| names::unraw(&rules.field) == names::unraw(field))
    };
    let mut index_arms = Vec::new();
    let mut copies = Vec::new();
    for field in &item.fields {
        let Some(ident) = &field.ident else { continue };
        let variant = variant_ident(ident);
        let at = Span::call_site().located_at(field.ty.span());
        match index_of(ident) {
            Some(index) => {
                index_arms
                    .push(quote!(#enum_ident::#variant => ::core::option::Option::Some(#index),));
                copies.push(quote_spanned! {at=>
                    #ident: if #private::may_read_field(self, principal, #index) {
                        ::core::clone::Clone::clone(&self.#ident)
                    } else {
                        ::core::default::Default::default()
                    },
                });
            }
            None => {
                index_arms.push(quote!(#enum_ident::#variant => ::core::option::Option::None,));
                copies.push(quote_spanned! {at=>
                    #ident: ::core::clone::Clone::clone(&self.#ident),
                });
            }
        }
    }
    let doc_field = format!(
        "Decides whether `principal` may perform `op` on `field` of this `{model}`: by the field's own rules when it has some (`#[field(allow(...))]`), else by the model's (as `authorize_record`)."
    );
    let doc_redacted = format!(
        "A copy of this `{model}` without the fields that have rules of their own and that `principal` may not `read`: those are `Default` (`None` for an `Option`). Check the record itself with `authorize_record` first; redaction is not audited field by field."
    );
    quote! {
        #[doc = #doc_field]
        pub fn authorize_field(
            &self,
            principal: &#private::Principal<__Groups>,
            field: #enum_ident,
            op: #private::Op,
        ) -> #private::Decision {
            let __index = match field {
                #(#index_arms)*
            };
            #private::authorize_field(self, principal, __index, op)
        }

        #[doc = #doc_redacted]
        #[must_use]
        pub fn redacted_for(&self, principal: &#private::Principal<__Groups>) -> Self {
            Self {
                #(#copies)*
            }
        }
    }
}

/// The rules of a checked model: the value of the hidden `__RULES`, the
/// model's rules and each field's.
pub fn rules(
    declared: &Declared,
    enum_path: &syn::Path,
    model: &syn::Ident,
    input: &Input,
) -> TokenStream {
    let private = Private::new();
    let assertion = declared.same_enum_assertion(enum_path);
    let numbered = input.numbered();
    let (model_rules, field_rules) = numbered.split_at(input.rules.len());
    let model_rules = model_rules
        .iter()
        .map(|(check, rule)| rule_tokens(enum_path, declared, rule, *check));
    let mut rest = field_rules;
    let mut fields = Vec::new();
    for field in &input.fields {
        let (these, after) = rest.split_at(field.rules.len());
        rest = after;
        let name = names::unraw(&field.field);
        let resource = format!("{model}.{name}");
        let rules = these
            .iter()
            .map(|(check, rule)| rule_tokens(enum_path, declared, rule, *check));
        fields.push(quote! {
            #private::FieldRules::__new(#name, #resource, &[#(#rules),*])
        });
    }
    quote!({
        #assertion
        #private::RuleSet { model: &[#(#model_rules),*], fields: &[#(#fields),*] }
    })
}

/// After an error: the errors and no rules, so that every request is denied.
pub fn no_rules(errors: syn::Error) -> TokenStream {
    let private = Private::new();
    let errors = errors.to_compile_error();
    quote!({ #errors #private::RuleSet { model: &[], fields: &[] } })
}

fn rule_tokens(enum_path: &syn::Path, declared: &Declared, rule: &Rule, check: u16) -> TokenStream {
    let private = Private::new();
    let empty = quote!(#private::GroupSet::EMPTY);
    let (who, mask) = match &rule.who {
        Some(Who::Guest) | None => (quote!(#private::Who::Guest), empty),
        Some(Who::Authenticated) => (quote!(#private::Who::Authenticated), empty),
        Some(Who::Groups(groups)) => {
            let variants = group::variants(declared, enum_path, groups);
            let mask = group::mask(enum_path, &variants);
            (quote!(#private::Who::Groups(#variants)), mask)
        }
        Some(Who::Record(record)) => {
            let (variant, _) = record.kind.runtime();
            let variant = format_ident!("{variant}");
            let field = record.field_name();
            (quote!(#private::Who::#variant(#field)), empty)
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
    let legacy = rule
        .legacy_username
        .is_some()
        .then(|| quote!(.__legacy_username()));
    let record = (check != 0).then(|| {
        let when = match &rule.when {
            Some(path) => {
                let text = path_text(path);
                quote!(::core::option::Option::Some(#text))
            }
            None => quote!(::core::option::Option::None),
        };
        quote!(.__record(#check, #when))
    });
    quote! {
        #private::ModelRule::__new(#who, #mask, #ops, #declaration) #legacy #record
    }
}

fn path_text(path: &syn::Path) -> String {
    quote::ToTokens::to_token_stream(path)
        .to_string()
        .replace(' ', "")
}

/// The rule in canonical source form, for decisions and audit reports.
fn declaration(rule: &Rule) -> String {
    let mut text = format!(
        "{ALLOW}({}",
        rule.who
            .as_ref()
            .map_or_else(|| GUEST.to_string(), Who::declaration)
    );
    // Right after the owner it qualifies, wherever it was written.
    if rule.legacy_username.is_some() {
        text.push_str(&format!(", {LEGACY_USERNAME}"));
    }
    if let Some(list) = &rule.ops {
        text.push_str(&format!(", {TO} = [{}]", ops::declaration(list)));
    }
    if let Some(path) = &rule.when {
        text.push_str(&format!(", {WHEN} = {}", path_text(path)));
    }
    text.push(')');
    text
}
