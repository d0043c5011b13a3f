//! The typed model of a `#[model(...)]` input; keeps spans for messages.

use proc_macro2::Span;

pub struct Model {
    pub enum_path: syn::Path,
    pub item: syn::ItemStruct,
    pub rules: Vec<Rule>,
}

/// One `allow(...)`.
pub struct Rule {
    pub who: Option<Who>,
    /// `None`: no `to`, every operation.
    pub ops: Option<Vec<OpRef>>,
}

pub enum Who {
    Guest,
    Authenticated,
    Groups(Vec<GroupRef>),
}

/// A group named in a rule: the Rust variant name, as written.
pub struct GroupRef {
    pub name: String,
    pub span: Span,
}

/// An operation named in `to = [...]`.
#[derive(Clone, Copy)]
pub struct OpRef {
    pub op: Op,
    pub span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Create,
    Update,
    Delete,
    Read,
    Get,
    List,
    Sync,
    Listen,
    Search,
}

impl Op {
    pub const ALL: [(&'static str, Op); 9] = [
        ("create", Op::Create),
        ("update", Op::Update),
        ("delete", Op::Delete),
        ("read", Op::Read),
        ("get", Op::Get),
        ("list", Op::List),
        ("sync", Op::Sync),
        ("listen", Op::Listen),
        ("search", Op::Search),
    ];

    pub fn from_name(name: &str) -> Option<Op> {
        Op::ALL.iter().find(|(n, _)| *n == name).map(|(_, op)| *op)
    }

    pub fn name(self) -> &'static str {
        Op::ALL
            .iter()
            .find(|(_, op)| *op == self)
            .map_or("", |(n, _)| n)
    }

    /// The runtime variant (`Op::Read` ...), named from the rule's name.
    pub fn variant(self) -> proc_macro2::Ident {
        let name = self.name();
        let mut chars = name.chars();
        let first = chars
            .next()
            .map(|c| c.to_ascii_uppercase())
            .unwrap_or_default();
        quote::format_ident!("{}{}", first, chars.as_str())
    }

    pub fn is_read_part(self) -> bool {
        matches!(
            self,
            Op::Get | Op::List | Op::Sync | Op::Listen | Op::Search
        )
    }
}
