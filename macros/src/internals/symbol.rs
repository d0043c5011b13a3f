//! Every keyword the macros read, written once (after `serde_derive`'s
//! `symbol.rs`): parsers compare a path or an identifier with a [`Symbol`],
//! and declaration texts and messages built around a key print one, so that
//! a keyword cannot be spelled two ways. A message written as prose keeps its
//! keywords inline, so that an error's text can be found in the source.
//! Operation and action names are not here: each macro lists its own in its
//! [`Operation`](super::ops::Operation) table.

use std::fmt::{self, Display};

use syn::{Ident, Path};

/// A keyword of the macros' DSL.
#[derive(Copy, Clone, PartialEq, Eq)]
pub struct Symbol(&'static str);

// `#[model(...)]` and `#[field(...)]`.
pub const ALLOW: Symbol = Symbol("allow");
pub const FIELD: Symbol = Symbol("field");
pub const TO: Symbol = Symbol("to");
pub const WHEN: Symbol = Symbol("when");
pub const LEGACY_USERNAME: Symbol = Symbol("legacy_username");
pub const OWNER: Symbol = Symbol("owner");
pub const OWNERS: Symbol = Symbol("owners");
pub const GROUP_DEFINED_IN: Symbol = Symbol("group_defined_in");
pub const GROUPS_DEFINED_IN: Symbol = Symbol("groups_defined_in");

// Principal kinds of a rule and acceptors of a storage entry; `groups` also
// names the groups enum (`groups = path::To::Enum`).
pub const GUEST: Symbol = Symbol("guest");
pub const AUTHENTICATED: Symbol = Symbol("authenticated");
pub const GROUPS: Symbol = Symbol("groups");

// `storage!` only.
pub const ENTITY: Symbol = Symbol("entity");
pub const IDENTITY: Symbol = Symbol("identity");
pub const RESOURCE: Symbol = Symbol("resource");

// `#[groups(...)]` and the `#[group(...)]` of its variants.
pub const AMPLIFY_OUTPUTS: Symbol = Symbol("amplify_outputs");
pub const GROUP: Symbol = Symbol("group");
pub const NAME: Symbol = Symbol("name");
pub const PRECEDENCE: Symbol = Symbol("precedence");
pub const ROLE: Symbol = Symbol("role");
pub const DESCRIPTION: Symbol = Symbol("description");

// Rust's own, on the groups enum.
pub const DERIVE: Symbol = Symbol("derive");

impl Symbol {
    /// The keyword as text, for APIs that take strings (`names::closest`).
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for &Ident {
    fn eq(&self, word: &Symbol) -> bool {
        *self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl PartialEq<Symbol> for &Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

/// A name as `names::name_of` and `names::unraw` give it, without `r#`.
impl PartialEq<Symbol> for String {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl Display for Symbol {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(self.0)
    }
}
