//! The protocol that lets `#[model]`, `storage!` and `group_set!` see the
//! declared groups.
//!
//! A macro cannot see the definition of the groups enum it is given, so
//! `#[groups]` generates a companion `macro_rules!` of the same name. The
//! first stage (`#[model]`, `storage!`) emits the guard's items itself and
//! calls that companion where the rules go, in expression position; the
//! companion calls `__with_groups!` with the declared groups prepended:
//!
//! ```text
//! __with_groups! { { Group 0x5d1c..u64 [ADMINS = "ADMINS", Reviewers = "content-reviewers",] }
//!                  @model { <enum path> } { <args> } { <item> } }
//! ```
//!
//! (`@storage { <enum path> } { Name { <body> } }` and
//! `@group_set { <enum path> } { <names> }` likewise).
//!
//! The second stage expands to the rules (or, after an error, to the
//! errors and no rules). So when the companion cannot be found, only that
//! one call fails: the guard's items still exist and its callers still
//! type-check. The user's tokens pass through unchanged, so errors keep
//! their spans.
//!
//! The companion's list is trusted for names and messages only. Bits come
//! from the enum type (see [`super::group::mask`]), and the second stage
//! asserts that the type and the companion describe the same enum (their
//! [`fingerprint`]s), because the two names resolve in different
//! namespaces and may name different enums.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{LitInt, LitStr, Token, braced, bracketed};

use super::hash;
use super::names;
use super::private::Private;

/// The groups declared on the enum, in declaration order.
pub struct Declared {
    /// The enum's name where it was declared.
    pub enum_ident: Ident,
    /// The enum's [`fingerprint`].
    pub fingerprint: u64,
    pub variants: Vec<Ident>,
    pub claim_names: Vec<String>,
}

impl Declared {
    /// Index (bit position) of the variant named `name` (unrawed, as in rules).
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.variants.iter().position(|v| v.unraw() == name)
    }

    /// Variant names, for messages.
    pub fn variant_names(&self) -> Vec<String> {
        self.variants.iter().map(Ident::to_string).collect()
    }

    /// A const assertion that the type `enum_path` is the enum this list
    /// came from; a mismatch fails the build with a message naming both.
    pub fn same_enum_assertion(&self, enum_path: &syn::Path) -> TokenStream {
        let private = Private::at(enum_path.span());
        let written = enum_path.to_token_stream().to_string().replace(' ', "");
        let variants = self.variant_names();
        let refs: Vec<&str> = variants.iter().map(String::as_str).collect();
        let message = format!(
            "`{written}` names two different enums here: the type `{written}` is not the groups enum \
             that the macro `{written}!` describes (`enum {} {{ {} }}`), because a `use` or a `type` \
             shadows one of them; import the enum and its macro together (`use path::to::{};`) or \
             name the enum with `groups = path::To::Enum`",
            self.enum_ident,
            names::list(&refs, 12).replace('`', ""),
            self.enum_ident,
        );
        let fingerprint = self.fingerprint;
        quote_spanned! {enum_path.span()=>
            const _: () = #private::assert_same_groups(
                #enum_path::__GROUPGUARD_FINGERPRINT,
                #fingerprint,
                #message,
            );
        }
    }
}

/// What identifies a groups enum for the [`Declared::same_enum_assertion`]:
/// the hash of its variants and claim names, in order. Two enums with the
/// same fingerprint have the same bits and names, so a rule means the same
/// against either.
pub fn fingerprint<'a>(groups: impl IntoIterator<Item = (&'a Ident, &'a str)>) -> u64 {
    let mut text = String::new();
    for (variant, name) in groups {
        text.push_str(&variant.unraw().to_string());
        text.push('=');
        text.push_str(name);
        // A newline cannot occur in a variant or a checked claim name.
        text.push('\n');
    }
    hash::fnv1a(text.as_bytes())
}

/// The companion's body: `__with_groups!` with the groups prepended.
pub fn companion_body(
    enum_ident: &Ident,
    fingerprint: u64,
    groups: impl IntoIterator<Item = (Ident, String)>,
) -> TokenStream {
    let private = Private::new();
    let entries = groups
        .into_iter()
        .map(|(variant, name)| quote!(#variant = #name,));
    quote! {
        ($($input:tt)*) => {
            #private::with_groups! { { #enum_ident #fingerprint [#(#entries)*] } $($input)* }
        };
    }
}

/// The marker type by which the first stage knows that the second stage
/// ran: the first stage declares it around the companion call, the second
/// stage implements the runtime's `GroupsEnumFound` for it (in the same
/// body, so that the impl is local to it).
fn found_marker(span: Span) -> Ident {
    Ident::new("__GroupguardGroupsFound", span)
}

/// Second stage: `output` with the marker's impl (see [`call`]).
pub fn found(output: TokenStream) -> TokenStream {
    let private = Private::new();
    let marker = found_marker(Span::call_site());
    quote!({
        impl #private::GroupsEnumFound for #marker {}
        #output
    })
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
    GroupSet {
        enum_path: syn::Path,
        groups: TokenStream,
    },
}

/// The first stage's call of the companion macro: an expression that the
/// second stage turns into the rules.
///
/// When the enum is the implicit `Group` (no `groups = ...`), the call
/// comes with a check that the companion ran: without a `Group!` in scope
/// it fails with an error (spanned at `span`) that names both fixes, beside
/// rustc's "cannot find macro `Group`". A named enum needs no such hint:
/// its path is in the user's code, and rustc's errors point at it.
pub fn call(
    enum_path: &syn::Path,
    implicit_group: bool,
    span: Span,
    request: TokenStream,
) -> TokenStream {
    let marker = found_marker(span);
    let check = implicit_group.then(|| {
        let private = Private::at(span);
        quote_spanned!(span=> const _: () = #private::groups_enum_found::<#marker>();)
    });
    quote!({
        enum #marker {}
        #check
        #enum_path! { #request }
    })
}

/// Reads the second stage's input.
pub fn parse(input: TokenStream) -> syn::Result<(Declared, Request)> {
    let parser = |input: ParseStream| {
        let header;
        braced!(header in input);
        let enum_ident: Ident = header.call(Ident::parse_any)?;
        let fingerprint = header.parse::<LitInt>()?.base10_parse::<u64>()?;
        let list;
        bracketed!(list in header);
        let mut declared = Declared {
            enum_ident,
            fingerprint,
            variants: Vec::new(),
            claim_names: Vec::new(),
        };
        while !list.is_empty() {
            declared.variants.push(list.call(Ident::parse_any)?);
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
            "group_set" => {
                let groups;
                braced!(groups in input);
                Request::GroupSet {
                    enum_path,
                    groups: groups.parse()?,
                }
            }
            _ => return Err(syn::Error::new(kind.span(), "groupguard: unknown request")),
        };
        Ok((declared, request))
    };
    parser.parse2(input)
}
