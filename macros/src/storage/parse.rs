//! Parsing of a `storage!` input: the header (first stage) and the entries
//! (second stage), leniently: a malformed entry is reported and skipped, and
//! the others are still read and checked.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, LitStr, Token, Visibility, braced, bracketed};

use super::ast::{Acceptor, AcceptorRef, Action, ENTITY_TOKEN, Entry, GroupRef};
use crate::internals::ctxt::Ctxt;
use crate::internals::group;
use crate::internals::names::{self, name_of};
use crate::internals::ops::{self, OpRef};
use crate::internals::symbol::{
    AUTHENTICATED, ENTITY, GROUPS, GUEST, IDENTITY, OWNER, OWNERS, RESOURCE, Symbol,
};

/// What the first stage needs to emit the struct.
pub struct Head {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub ident: Ident,
}

/// The parsed header of a `storage!` input.
pub struct Header {
    /// `groups = path::To::Enum;`, when given.
    pub enum_path: Option<syn::Path>,
    pub body: TokenStream,
}

/// Reads `[groups = path;] #[attrs] VIS Name { body }`. `head` is filled as
/// soon as the struct is known, so that it is emitted even when the rest
/// fails to parse.
pub fn header(input: ParseStream, head: &mut Option<Head>) -> syn::Result<Header> {
    let enum_path = groups_override(input)?;
    let attrs = input.call(Attribute::parse_outer)?;
    let vis: Visibility = input.parse()?;
    let ident: Ident = input.parse().map_err(|error| {
        syn::Error::new(
            error.span(),
            "expected the storage's name: `storage! { pub Name { \"path/*\" => acceptor: [actions], ... } }`",
        )
    })?;
    *head = Some(Head { attrs, vis, ident });
    if !input.peek(syn::token::Brace) {
        return Err(input.error(
            "expected the paths in braces: `Name { \"path/*\" => acceptor: [actions], ... }`",
        ));
    }
    let content;
    braced!(content in input);
    let body: TokenStream = content.parse()?;
    if !input.is_empty() {
        return Err(
            input.error("one storage per `storage!`: start another `storage!` for the next one")
        );
    }
    Ok(Header { enum_path, body })
}

/// `groups = path::To::Enum;` as the first line.
fn groups_override(input: ParseStream) -> syn::Result<Option<syn::Path>> {
    if !(input.peek(syn::Ident) && input.peek2(Token![=])) {
        return Ok(None);
    }
    let key: Ident = input.parse()?;
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
    input.parse::<Token![;]>().map_err(|error| {
        syn::Error::new(error.span(), "expected `;` after `groups = path::To::Enum`")
    })?;
    Ok(Some(path))
}

/// Reads the second stage's `Name { body }`.
pub fn named_body(input: TokenStream) -> syn::Result<(Ident, TokenStream)> {
    let parser = |input: ParseStream| {
        let ident: Ident = input.parse()?;
        let content;
        braced!(content in input);
        Ok((ident, content.parse()?))
    };
    parser.parse2(input)
}

/// The entries of the body, separated by commas.
pub fn entries(cx: &mut Ctxt, body: TokenStream) -> Vec<Entry> {
    let mut entries = Vec::new();
    for chunk in split_on_commas(cx, body) {
        let parser = |input: ParseStream| {
            loop {
                entries.push(entry(cx, input)?);
                if input.is_empty() {
                    return Ok(());
                }
                // A forgotten comma: report it and read on if an entry follows.
                cx.error_at(input.span(), "expected `,` between entries");
                if !input.peek(LitStr) {
                    // Already reported: skip the rest rather than add syn's
                    // "unexpected token" on top.
                    input.parse::<TokenStream>()?;
                    return Ok(());
                }
            }
        };
        if let Err(error) = parser.parse2(chunk) {
            cx.push(error);
        }
    }
    entries
}

/// The body cut at its top-level commas, so that one broken entry does not
/// hide the next ones. Empty chunks between two commas are reported.
fn split_on_commas(cx: &mut Ctxt, body: TokenStream) -> Vec<TokenStream> {
    let mut chunks = Vec::new();
    let mut current = TokenStream::new();
    for token in body {
        match &token {
            TokenTree::Punct(p) if p.as_char() == ',' => {
                if current.is_empty() {
                    cx.error_at(
                        p.span(),
                        "unexpected `,`: expected an entry `\"path/*\" => acceptor: [actions]`",
                    );
                }
                chunks.push(std::mem::take(&mut current));
            }
            _ => current.extend([token]),
        }
    }
    chunks.retain(|chunk| !chunk.is_empty());
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// `"path/*" => acceptor: [actions]`.
fn entry(cx: &mut Ctxt, input: ParseStream) -> syn::Result<Entry> {
    let path: LitStr = input.parse().map_err(|error| {
        syn::Error::new(
            error.span(),
            "expected a path string such as `\"photos/*\"`, then `=> acceptor: [actions]`",
        )
    })?;
    input.parse::<Token![=>]>().map_err(|error| {
        syn::Error::new(
            error.span(),
            "expected `=>` after the path, then `acceptor: [actions]`",
        )
    })?;
    let acceptor = acceptor(cx, input)?;
    input.parse::<Token![:]>().map_err(|error| {
        syn::Error::new(
            error.span(),
            "expected `:` and the actions after the acceptor, e.g. `guest: [read]`",
        )
    })?;
    if !input.peek(syn::token::Bracket) {
        return Err(input.error("expected the actions in brackets, e.g. `[read, write]`"));
    }
    let list;
    let brackets = bracketed!(list in input);
    let actions = actions(cx, &list, brackets.span.join())?;
    Ok(Entry {
        path,
        acceptor,
        actions,
    })
}

/// `guest`, `authenticated`, `groups(A, B)` or `entity(identity)`. Unknown or
/// malformed acceptors are reported and give `None`.
fn acceptor(cx: &mut Ctxt, input: ParseStream) -> syn::Result<Option<AcceptorRef>> {
    let ident = input.call(Ident::parse_any).map_err(|error| {
        syn::Error::new(
            error.span(),
            "expected an acceptor: `guest`, `authenticated`, `groups(...)` or `entity(identity)`",
        )
    })?;
    let args = if input.peek(syn::token::Paren) {
        let content;
        let parens = syn::parenthesized!(content in input);
        Some((parens.span.join(), content.parse::<TokenStream>()?))
    } else {
        None
    };
    let name = ident.to_string();
    let span = ident.span();
    let acceptor = match args {
        None if ident == GUEST => Some(Acceptor::Guest),
        None if ident == AUTHENTICATED => Some(Acceptor::Authenticated),
        Some((args_span, _)) if ident == GUEST || ident == AUTHENTICATED => {
            cx.error_at(
                args_span,
                format!("`{name}` takes no arguments: write `{name}: [actions]`"),
            );
            None
        }
        Some((args_span, args)) if ident == GROUPS => {
            group_list(cx, args_span, args).map(Acceptor::Groups)
        }
        None if ident == GROUPS => {
            cx.error_at(
                span,
                "expected the groups in parentheses: `groups(NAME, ...)`",
            );
            None
        }
        Some((args_span, args)) if ident == ENTITY => entity(cx, args_span, args),
        None if ident == ENTITY => {
            cx.error_at(span, "expected `entity(identity)`");
            None
        }
        _ if ident == RESOURCE => {
            cx.error_at(span, "`resource(...)` acceptors (grants to functions) are not supported; expected `guest`, `authenticated`, `groups(...)` or `entity(identity)`");
            None
        }
        _ => {
            let hint = if is_per_user_word(&ident) {
                format!(
                    "; per-user access is `entity(identity)` on a path holding `{ENTITY_TOKEN}`"
                )
            } else {
                names::closest(&name, Acceptor::NAMES.map(Symbol::as_str))
                    .map(|close| format!(" (did you mean `{close}`?)"))
                    .unwrap_or_default()
            };
            cx.error_at(
                span,
                format!("unknown acceptor `{name}`; expected `guest`, `authenticated`, `groups(...)` or `entity(identity)`{hint}"),
            );
            None
        }
    };
    Ok(acceptor.map(|acceptor| AcceptorRef { acceptor, span }))
}

/// Amplify's per-user folders, under the names other tools (and the
/// model's owner rules) use.
fn is_per_user_word(ident: &Ident) -> bool {
    [OWNER, OWNERS, IDENTITY].iter().any(|word| ident == *word)
        || ["user", "private", "protected"]
            .iter()
            .any(|word| ident == word)
}

/// The names of `groups(...)`; `None` when the list does not parse.
fn group_list(cx: &mut Ctxt, span: Span, args: TokenStream) -> Option<Vec<GroupRef>> {
    let items = match Punctuated::<Expr, Token![,]>::parse_terminated.parse2(args) {
        Ok(items) => items,
        Err(error) => {
            cx.push(error);
            return None;
        }
    };
    if items.is_empty() {
        cx.error_at(span, "`groups()` admits nobody; name at least one group");
        return None;
    }
    Some(group::parse_list(cx, &items))
}

/// `entity(identity)`: Amplify's only entity is the identity.
fn entity(cx: &mut Ctxt, span: Span, args: TokenStream) -> Option<Acceptor> {
    let items = Punctuated::<Expr, Token![,]>::parse_terminated
        .parse2(args)
        .ok();
    let mut names = items.iter().flatten().map(name_of);
    match (names.next(), names.next()) {
        (Some(Some((name, _))), None) if name == IDENTITY => Some(Acceptor::Entity),
        (Some(Some((name, name_span))), None) => {
            cx.error_at(
                name_span,
                format!(
                    "unknown entity `{name}`; the only entity is `identity`: `entity(identity)`"
                ),
            );
            None
        }
        _ => {
            cx.error_at(span, "expected `entity(identity)`");
            None
        }
    }
}

/// The actions of `[...]`; unknown ones are reported and left out.
fn actions(cx: &mut Ctxt, list: ParseStream, span: Span) -> syn::Result<Vec<OpRef<Action>>> {
    let items = Punctuated::<Expr, Token![,]>::parse_terminated(list)?;
    if items.is_empty() {
        cx.error_at(span, "`[]` grants nothing; name at least one action: `read`, `get`, `list`, `write` or `delete`");
    }
    Ok(ops::parse_list(cx, &items))
}
