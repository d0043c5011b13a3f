//! The typed model of a `storage!` input; keeps spans for messages.

use proc_macro2::{Ident, Span};
use syn::LitStr;

pub use crate::model::ast::GroupRef;

/// The token that stands for the caller's entity id in a path.
pub const ENTITY_TOKEN: &str = "{entity_id}";

pub struct Storage {
    pub enum_path: syn::Path,
    pub ident: Ident,
    /// Whether the braces were empty (not merely every entry malformed).
    pub body_is_empty: bool,
    pub entries: Vec<Entry>,
}

/// One `"path/*" => acceptor: [actions]`.
pub struct Entry {
    pub path: LitStr,
    /// `None` when the acceptor was not understood (already reported).
    pub acceptor: Option<AcceptorRef>,
    pub actions: Vec<ActionRef>,
}

/// An acceptor with the span of its keyword.
pub struct AcceptorRef {
    pub acceptor: Acceptor,
    pub span: Span,
}

pub enum Acceptor {
    Guest,
    Authenticated,
    Groups(Vec<GroupRef>),
    /// `entity(identity)`.
    Entity,
}

impl Acceptor {
    pub const NAMES: [&'static str; 4] = ["guest", "authenticated", "groups", "entity"];

    /// The acceptor in canonical source form.
    pub fn declaration(&self) -> String {
        match self {
            Acceptor::Guest => "guest".to_owned(),
            Acceptor::Authenticated => "authenticated".to_owned(),
            Acceptor::Groups(groups) => {
                let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
                format!("groups({})", names.join(", "))
            }
            Acceptor::Entity => "entity(identity)".to_owned(),
        }
    }
}

/// An action named in `[...]`.
#[derive(Clone, Copy)]
pub struct ActionRef {
    pub action: Action,
    pub span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Get,
    List,
    Write,
    Delete,
}

impl Action {
    pub const ALL: [(&'static str, Action); 5] = [
        ("read", Action::Read),
        ("get", Action::Get),
        ("list", Action::List),
        ("write", Action::Write),
        ("delete", Action::Delete),
    ];

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, action)| *action)
    }

    pub fn name(self) -> &'static str {
        Action::ALL
            .iter()
            .find(|(_, action)| *action == self)
            .map_or("", |(n, _)| n)
    }

    /// The runtime variant (`Access::Read` ...).
    pub fn variant(self) -> Ident {
        let variant = match self {
            Action::Read => "Read",
            Action::Get => "Get",
            Action::List => "List",
            Action::Write => "Write",
            Action::Delete => "Delete",
        };
        Ident::new(variant, Span::call_site())
    }

    pub fn is_read_part(self) -> bool {
        matches!(self, Action::Get | Action::List)
    }
}

/// The parts of a declared path before its final `/*`; an `{entity_id}`
/// part is kept as the token. `None` when the path does not end with `/*`.
pub fn parts(path: &str) -> Option<Vec<&str>> {
    path.strip_suffix("/*")
        .map(|prefix| prefix.split('/').collect())
}
