//! The typed model of a `storage!` input; keeps spans for messages.

use proc_macro2::{Ident, Span};
use syn::LitStr;

pub use crate::internals::group::GroupRef;
use crate::internals::ops::{OpRef, Operation};
use crate::internals::symbol::{AUTHENTICATED, ENTITY, GROUPS, GUEST, IDENTITY, Symbol};

/// The token that stands for the caller's entity id in a path.
pub const ENTITY_TOKEN: &str = "{entity_id}";

pub struct Storage {
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
    pub actions: Vec<OpRef<Action>>,
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
    pub const NAMES: [Symbol; 4] = [GUEST, AUTHENTICATED, GROUPS, ENTITY];

    /// The acceptor in canonical source form.
    pub fn declaration(&self) -> String {
        match self {
            Acceptor::Guest => GUEST.to_string(),
            Acceptor::Authenticated => AUTHENTICATED.to_string(),
            Acceptor::Groups(groups) => {
                format!("{GROUPS}({})", crate::internals::group::declaration(groups))
            }
            Acceptor::Entity => format!("{ENTITY}({IDENTITY})"),
        }
    }
}

/// An action of a storage entry (`groupguard::Access`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Get,
    List,
    Write,
    Delete,
}

impl Operation for Action {
    const KIND: &'static str = "action";
    const LIST: &'static str = "entry";
    const ALL: &'static [(&'static str, Action)] = &[
        ("read", Action::Read),
        ("get", Action::Get),
        ("list", Action::List),
        ("write", Action::Write),
        ("delete", Action::Delete),
    ];
    const READ: Action = Action::Read;

    fn is_read_part(self) -> bool {
        matches!(self, Action::Get | Action::List)
    }

    const SYNONYMS: &'static [(&'static str, &'static [Action])] = &[
        ("edit", &[Action::Write]),
        ("modify", &[Action::Write]),
        ("remove", &[Action::Delete]),
        ("destroy", &[Action::Delete]),
        ("view", &[Action::Read, Action::Get]),
        ("download", &[Action::Get]),
    ];

    fn hint(name: &str) -> Option<&'static str> {
        matches!(name, "create" | "update" | "put" | "upload")
            .then_some("`write` creates and overwrites")
    }
}

/// The parts of a declared path before its final `/*`; an `{entity_id}`
/// part is kept as the token. `None` when the path does not end with `/*`.
pub fn parts(path: &str) -> Option<Vec<&str>> {
    path.strip_suffix("/*")
        .map(|prefix| prefix.split('/').collect())
}

#[cfg(test)]
mod tests {
    use super::Action;
    use crate::internals::ops::{assert_synonyms_are_sound, messages_of};

    #[test]
    fn words_for_an_action_suggest_it() {
        assert_synonyms_are_sound::<Action>();
        let hint = |word: &str| {
            let found = messages_of::<Action>(word);
            found[0]
                .split_once(" (")
                .map(|(_, h)| h.to_owned())
                .unwrap_or_default()
        };
        assert_eq!(hint("edit"), "did you mean `write`?)");
        assert_eq!(hint("remove"), "did you mean `delete`?)");
        assert_eq!(hint("view"), "did you mean `read` or `get`?)");
        assert_eq!(hint("upload"), "`write` creates and overwrites)");
    }
}
