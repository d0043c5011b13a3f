//! Code generation for a checked storage: the path metadata, the segment
//! trie and the `Storage` impl.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};

use super::ast::{self, Acceptor, ENTITY_TOKEN, Entry, Storage};
use crate::internals::companion::Declared;
use crate::internals::group;
use crate::internals::hash;
use crate::internals::ops::{self, Operation};
use crate::internals::private::Private;

/// The `Storage` impl and the inherent `authorize`, with `layout` (the
/// companion call) as the paths and their trie. They are emitted whether or
/// not the groups enum is found, so that callers never see follow-on errors.
pub fn items(ident: &Ident, enum_path: &syn::Path, layout: TokenStream) -> TokenStream {
    let name = ident.to_string();
    let doc = format!(
        "Decides whether `principal` may perform `access` on the object `key` (for `list`, the listing prefix), by the paths of `{name}`; see `groupguard::Storage`."
    );
    // Errors in the generated items point at the storage's name; the
    // call-site context keeps lints treating the items as generated.
    let span = Span::call_site().located_at(ident.span());
    let private = Private::at(span);
    quote_spanned! {span=>
        // The enum path is resolved once, outside the impls: inside one, an
        // unresolved `Group` would draw rustc's "did you mean `Self::Group`".
        const _: () = {
            type __Groups = #enum_path;

            impl #ident {
                /// The paths and their segment trie (one companion call for both).
                const __GROUPGUARD_LAYOUT: (
                    &'static [#private::StoragePath<__Groups>],
                    &'static [#private::TrieNode],
                ) = #layout;

                #[doc = #doc]
                #[inline]
                pub fn authorize(
                    principal: &#private::Principal<__Groups>,
                    key: &::core::primitive::str,
                    access: #private::Access,
                ) -> #private::Decision {
                    <Self as #private::Storage>::authorize(principal, key, access)
                }
            }

            #[automatically_derived]
            impl #private::Storage for #ident {
                type Group = __Groups;
                const NAME: &'static ::core::primitive::str = #name;
                const PATHS: &'static [#private::StoragePath<Self::Group>] = Self::__GROUPGUARD_LAYOUT.0;
                const __TRIE: &'static [#private::TrieNode] = Self::__GROUPGUARD_LAYOUT.1;
            }
        };
    }
}

/// The layout of a checked storage: its paths with their grants, and the trie.
pub fn layout(declared: &Declared, enum_path: &syn::Path, storage: &Storage) -> TokenStream {
    let private = Private::new();
    let paths = group_by_path(&storage.entries);
    let path_tokens = paths.iter().map(|(path, entries)| {
        let grants = entries
            .iter()
            .map(|entry| grant_tokens(declared, enum_path, entry));
        quote! {
            #private::StoragePath::__new(#path, &[#(#grants),*])
        }
    });
    let path_values: Vec<&str> = paths.iter().map(|(path, _)| path.as_str()).collect();
    let trie = trie_tokens(&Trie::build(&path_values));
    let assertion = declared.same_enum_assertion(enum_path);
    quote!({ #assertion (&[#(#path_tokens),*], &[#trie]) })
}

/// After an error: the errors and no paths, so that every key is denied.
pub fn no_layout(errors: syn::Error) -> TokenStream {
    let errors = errors.to_compile_error();
    let trie = trie_tokens(&Trie::build(&[]));
    quote!({ #errors (&[], &[#trie]) })
}

/// The entries of each distinct path, paths in order of first declaration.
fn group_by_path(entries: &[Entry]) -> Vec<(String, Vec<&Entry>)> {
    let mut paths: Vec<(String, Vec<&Entry>)> = Vec::new();
    for entry in entries {
        let value = entry.path.value();
        match paths.iter_mut().find(|(path, _)| *path == value) {
            Some((_, list)) => list.push(entry),
            None => paths.push((value, vec![entry])),
        }
    }
    paths
}

fn grant_tokens(declared: &Declared, enum_path: &syn::Path, entry: &Entry) -> TokenStream {
    let private = Private::new();
    let Some(acceptor) = &entry.acceptor else {
        // Unreachable after a successful check; generate nothing that grants.
        return quote!();
    };
    let empty = quote!(#private::GroupSet::EMPTY);
    let (acceptor_tokens, mask) = match &acceptor.acceptor {
        Acceptor::Guest => (quote!(#private::Acceptor::Guest), empty),
        Acceptor::Authenticated => (quote!(#private::Acceptor::Authenticated), empty),
        Acceptor::Entity => (quote!(#private::Acceptor::Entity), empty),
        Acceptor::Groups(groups) => {
            let variants = group::variants(declared, enum_path, groups);
            let mask = group::mask(enum_path, &variants);
            (quote!(#private::Acceptor::Groups(#variants)), mask)
        }
    };
    let actions = entry.actions.iter().map(|a| a.op.variant());
    let declaration = declaration(entry);
    quote! {
        #private::Grant::__new(
            #acceptor_tokens,
            #mask,
            #private::AccessSet::of(&[#(#private::Access::#actions),*]),
            #declaration,
        )
    }
}

/// The entry in canonical source form, for decisions and audit reports:
/// `"drafts/*" => groups(EDITORS): [read, write]`.
fn declaration(entry: &Entry) -> String {
    let acceptor = entry
        .acceptor
        .as_ref()
        .map(|a| a.acceptor.declaration())
        .unwrap_or_default();
    format!(
        "{:?} => {acceptor}: [{}]",
        entry.path.value(),
        ops::declaration(&entry.actions)
    )
}

/// The segment trie of the declared paths, built at compile time.
struct Trie {
    nodes: Vec<Node>,
}

#[derive(Default)]
struct Node {
    /// Literal children (the runtime finds them through a hash table).
    children: BTreeMap<String, usize>,
    /// The `{entity_id}` path right below this node (index in `PATHS`).
    entity: Option<usize>,
    /// The path ending at this node (index in `PATHS`).
    path: Option<usize>,
}

impl Trie {
    /// `paths` are checked: each ends with `/*`, and `{entity_id}` is only
    /// ever the last part.
    fn build(paths: &[&str]) -> Trie {
        let mut trie = Trie {
            nodes: vec![Node::default()],
        };
        for (index, path) in paths.iter().enumerate() {
            let parts = ast::parts(path).unwrap_or_default();
            let mut node = 0;
            for (i, part) in parts.iter().enumerate() {
                if *part == ENTITY_TOKEN && i + 1 == parts.len() {
                    trie.nodes[node].entity = Some(index);
                    break;
                }
                node = trie.child(node, part);
                if i + 1 == parts.len() {
                    trie.nodes[node].path = Some(index);
                }
            }
        }
        trie
    }

    fn child(&mut self, node: usize, part: &str) -> usize {
        if let Some(child) = self.nodes[node].children.get(part) {
            return *child;
        }
        let child = self.nodes.len();
        self.nodes.push(Node::default());
        self.nodes[node].children.insert(part.to_owned(), child);
        child
    }
}

fn trie_tokens(trie: &Trie) -> TokenStream {
    let private = Private::new();
    let option = |value: Option<usize>| match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    };
    let nodes = trie.nodes.iter().map(|node| {
        let segments = node.children.keys().map(String::as_str);
        let slots = hash::slots(segments);
        let children = node
            .children
            .iter()
            .map(|(segment, child)| quote!((#segment, #child)));
        let entity = option(node.entity);
        let path = option(node.path);
        quote!(#private::TrieNode::__new(&[#(#children),*], &[#(#slots),*], #entity, #path))
    });
    quote!(#(#nodes),*)
}
