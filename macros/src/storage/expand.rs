//! Code generation for a checked storage: the path metadata, the segment
//! trie and the `Storage` impl.

use std::collections::BTreeMap;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use super::ast::{self, Acceptor, ENTITY_TOKEN, Entry, Storage};
use crate::callback::Declared;
use crate::hash;

/// The `Storage` impl and the inherent `authorize`.
pub fn storage(declared: &Declared, storage: &Storage) -> TokenStream {
    let paths = group_by_path(&storage.entries);
    let path_tokens = paths.iter().map(|(path, entries)| {
        let grants = entries
            .iter()
            .map(|entry| grant_tokens(declared, &storage.enum_path, entry));
        quote! {
            ::groupguard::__private::StoragePath::__new(#path, &[#(#grants),*])
        }
    });
    let path_values: Vec<&str> = paths.iter().map(|(path, _)| path.as_str()).collect();
    let trie = trie_tokens(&Trie::build(&path_values));
    impls(storage, quote!(#(#path_tokens),*), trie)
}

/// After an error: the same items with no paths, so every key is denied and
/// the user's other code still type-checks.
pub fn stub(storage: &Storage) -> TokenStream {
    impls(storage, quote!(), trie_tokens(&Trie::build(&[])))
}

fn impls(storage: &Storage, paths: TokenStream, trie: TokenStream) -> TokenStream {
    let enum_path = &storage.enum_path;
    let ident = &storage.ident;
    let name = ident.to_string();
    let doc = format!(
        "Decides whether `principal` may perform `access` on the object `key` (for `list`, the listing prefix), by the paths of `{name}`; see `groupguard::Storage`."
    );
    // Errors in the generated items point at the storage's name; the
    // call-site context keeps lints treating the items as generated.
    let span = Span::call_site().located_at(ident.span());
    quote_spanned! {span=>
        #[automatically_derived]
        impl ::groupguard::__private::Storage for #ident {
            type Group = #enum_path;
            const NAME: &'static ::core::primitive::str = #name;
            const PATHS: &'static [::groupguard::__private::StoragePath<#enum_path>] = &[#paths];

            #[inline]
            fn authorize(
                principal: &::groupguard::__private::Principal<#enum_path>,
                key: &::core::primitive::str,
                access: ::groupguard::__private::Access,
            ) -> ::groupguard::__private::Decision {
                const __TRIE: &[::groupguard::__private::TrieNode] = &[#trie];
                ::groupguard::__private::decide_storage(
                    #name,
                    <Self as ::groupguard::__private::Storage>::PATHS,
                    __TRIE,
                    principal,
                    key,
                    access,
                )
            }
        }

        impl #ident {
            #[doc = #doc]
            #[inline]
            pub fn authorize(
                principal: &::groupguard::__private::Principal<#enum_path>,
                key: &::core::primitive::str,
                access: ::groupguard::__private::Access,
            ) -> ::groupguard::__private::Decision {
                <Self as ::groupguard::__private::Storage>::authorize(principal, key, access)
            }
        }
    }
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
    let words = declared.words();
    let Some(acceptor) = &entry.acceptor else {
        // Unreachable after a successful check; generate nothing that grants.
        return quote!();
    };
    let (acceptor_tokens, indices) = match &acceptor.acceptor {
        Acceptor::Guest => (quote!(::groupguard::__private::Acceptor::Guest), Vec::new()),
        Acceptor::Authenticated => (
            quote!(::groupguard::__private::Acceptor::Authenticated),
            Vec::new(),
        ),
        Acceptor::Entity => (
            quote!(::groupguard::__private::Acceptor::Entity),
            Vec::new(),
        ),
        Acceptor::Groups(groups) => {
            let (variants, indices) = declared.group_list(enum_path, groups);
            (
                quote!(::groupguard::__private::Acceptor::Groups(#variants)),
                indices,
            )
        }
    };
    let actions = entry.actions.iter().map(|a| a.action.variant());
    let declaration = declaration(entry);
    quote! {
        ::groupguard::__private::Grant::__new(
            #acceptor_tokens,
            ::groupguard::__private::GroupSet::__from_mask(::groupguard::__private::mask::<#words>(&[#(#indices),*])),
            ::groupguard::__private::AccessSet::of(&[#(::groupguard::__private::Access::#actions),*]),
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
    let actions: Vec<&str> = entry.actions.iter().map(|a| a.action.name()).collect();
    format!(
        "{:?} => {acceptor}: [{}]",
        entry.path.value(),
        actions.join(", ")
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
    let option = |value: Option<usize>| match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    };
    let nodes = trie.nodes.iter().map(|node| {
        let segments = node.children.keys().map(String::as_str);
        let slots = hash::slots(segments);
        let children = node.children.iter().map(|(segment, child)| quote!((#segment, #child)));
        let entity = option(node.entity);
        let path = option(node.path);
        quote!(::groupguard::__private::TrieNode::__new(&[#(#children),*], &[#(#slots),*], #entity, #path))
    });
    quote!(#(#nodes),*)
}
