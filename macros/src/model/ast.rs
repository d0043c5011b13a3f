//! The typed model of a `#[model(...)]` input; keeps spans for messages.

use proc_macro2::Span;

pub use crate::internals::group::GroupRef;
use crate::internals::ops::{OpRef, Operation};
use crate::internals::symbol::{
    AUTHENTICATED, GROUP_DEFINED_IN, GROUPS, GROUPS_DEFINED_IN, GUEST, OWNER, OWNERS, Symbol,
};

/// The parsed input: the model's rules and the fields that have their own.
#[derive(Default)]
pub struct Input {
    pub rules: Vec<Rule>,
    pub fields: Vec<FieldRules>,
}

impl Input {
    /// Every rule, model rules first, then each field's.
    pub fn all_rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules
            .iter()
            .chain(self.fields.iter().flat_map(|field| &field.rules))
    }

    /// Whether every rule of the model (not its fields') reads the record:
    /// then `authorize`, which has no record, could never allow.
    pub fn record_only(&self) -> bool {
        !self.rules.is_empty() && self.rules.iter().all(Rule::needs_record)
    }

    /// Every rule with its record-check number (0 when it needs no record),
    /// model rules first, then each field's: both stages number them alike.
    pub fn numbered(&self) -> Vec<(u16, &Rule)> {
        let mut next = 0u16;
        self.all_rules()
            .map(|rule| {
                if rule.needs_record() {
                    next = next.saturating_add(1);
                    (next, rule)
                } else {
                    (0, rule)
                }
            })
            .collect()
    }
}

/// `#[field(allow(...), ...)]` on a named field.
pub struct FieldRules {
    pub field: syn::Ident,
    /// The `field` of `#[field]`, for errors about the attribute itself.
    pub attribute: Span,
    pub rules: Vec<Rule>,
}

/// One `allow(...)`.
pub struct Rule {
    pub who: Option<Who>,
    /// `None`: no `to`, every operation.
    pub ops: Option<Vec<OpRef<Op>>>,
    /// `when = path`: a `fn(&Self) -> bool` that must hold.
    pub when: Option<syn::Path>,
    /// `legacy_username` (the key's span): an owner rule that also takes
    /// the bare user name, for records stored before `sub::username`.
    pub legacy_username: Option<Span>,
}

impl Rule {
    /// Whether the rule reads the record: a field, or a `when` predicate.
    pub fn needs_record(&self) -> bool {
        matches!(self.who, Some(Who::Record(_))) || self.when.is_some()
    }
}

pub enum Who {
    Guest,
    Authenticated,
    Groups(Vec<GroupRef>),
    Record(RecordRule),
}

/// A rule kind that reads a field of the record.
pub struct RecordRule {
    pub kind: RecordKind,
    /// The field named, or the `owner` keyword of a bare `allow(owner)`.
    pub field: syn::Ident,
    /// `allow(owner)`: the field `owner`, not written.
    pub implicit: bool,
}

impl RecordRule {
    /// The field's name without `r#`.
    pub fn field_name(&self) -> String {
        if self.implicit {
            OWNER.to_string()
        } else {
            crate::internals::names::unraw(&self.field)
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// `owner` / `owner = field` (Amplify's `owner`, `ownerDefinedIn`).
    Owner,
    /// `owners = field` (`ownersDefinedIn`).
    Owners,
    /// `group_defined_in = field` (`groupDefinedIn`).
    GroupDefinedIn,
    /// `groups_defined_in = field` (`groupsDefinedIn`).
    GroupsDefinedIn,
}

impl RecordKind {
    pub const KEYS: [(Symbol, RecordKind); 4] = [
        (OWNER, RecordKind::Owner),
        (OWNERS, RecordKind::Owners),
        (GROUP_DEFINED_IN, RecordKind::GroupDefinedIn),
        (GROUPS_DEFINED_IN, RecordKind::GroupsDefinedIn),
    ];

    pub fn key(self) -> Symbol {
        match self {
            RecordKind::Owner => OWNER,
            RecordKind::Owners => OWNERS,
            RecordKind::GroupDefinedIn => GROUP_DEFINED_IN,
            RecordKind::GroupsDefinedIn => GROUPS_DEFINED_IN,
        }
    }

    /// Whether the field names owners (`owner`, `owners`).
    pub fn is_owner(self) -> bool {
        matches!(self, RecordKind::Owner | RecordKind::Owners)
    }

    /// Whether the field holds a list (`owners`, `groups_defined_in`).
    pub fn is_list(self) -> bool {
        matches!(self, RecordKind::Owners | RecordKind::GroupsDefinedIn)
    }

    /// The same kind for the other shape of field.
    pub fn other_shape(self) -> RecordKind {
        match self {
            RecordKind::Owner => RecordKind::Owners,
            RecordKind::Owners => RecordKind::Owner,
            RecordKind::GroupDefinedIn => RecordKind::GroupsDefinedIn,
            RecordKind::GroupsDefinedIn => RecordKind::GroupDefinedIn,
        }
    }

    /// What the field holds, for messages: "an owner", "a group name".
    pub fn holds(self) -> &'static str {
        match self {
            RecordKind::Owner => "an owner",
            RecordKind::Owners => "a list of owners",
            RecordKind::GroupDefinedIn => "a group name",
            RecordKind::GroupsDefinedIn => "a list of group names",
        }
    }

    /// The runtime variant of `Who` and the `__private` function that checks it.
    pub fn runtime(self) -> (&'static str, &'static str) {
        match self {
            RecordKind::Owner => ("Owner", "owns"),
            RecordKind::Owners => ("Owners", "owns_any"),
            RecordKind::GroupDefinedIn => ("GroupDefinedIn", "in_group"),
            RecordKind::GroupsDefinedIn => ("GroupsDefinedIn", "in_any_group"),
        }
    }
}

impl Who {
    /// The principal kind in canonical source form.
    pub fn declaration(&self) -> String {
        match self {
            Who::Guest => GUEST.to_string(),
            Who::Authenticated => AUTHENTICATED.to_string(),
            Who::Groups(groups) => {
                format!(
                    "{GROUPS} = [{}]",
                    crate::internals::group::declaration(groups)
                )
            }
            Who::Record(rule) => {
                let field = rule.field_name();
                if rule.kind == RecordKind::Owner && field == OWNER {
                    OWNER.to_string()
                } else {
                    format!("{} = {field}", rule.kind.key())
                }
            }
        }
    }
}

/// An operation of a model rule (`groupguard::Op`).
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

impl Operation for Op {
    const KIND: &'static str = "operation";
    const LIST: &'static str = "rule";
    const ALL: &'static [(&'static str, Op)] = &[
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
    const READ: Op = Op::Read;
    const SYNONYMS: &'static [(&'static str, &'static [Op])] = &[
        ("edit", &[Op::Update]),
        ("write", &[Op::Update]),
        ("modify", &[Op::Update]),
        ("change", &[Op::Update]),
        ("remove", &[Op::Delete]),
        ("destroy", &[Op::Delete]),
        ("view", &[Op::Read, Op::Get]),
        ("add", &[Op::Create]),
        ("insert", &[Op::Create]),
    ];

    fn is_read_part(self) -> bool {
        matches!(
            self,
            Op::Get | Op::List | Op::Sync | Op::Listen | Op::Search
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Op;
    use crate::internals::ops::{assert_synonyms_are_sound, messages_of};

    #[test]
    fn words_for_an_operation_suggest_it() {
        assert_synonyms_are_sound::<Op>();
        let hint = |word: &str| {
            let found = messages_of::<Op>(word);
            found[0]
                .split_once(" (")
                .map(|(_, h)| h.to_owned())
                .unwrap_or_default()
        };
        for word in ["edit", "write", "modify"] {
            assert_eq!(hint(word), "did you mean `update`?)");
        }
        assert_eq!(hint("remove"), "did you mean `delete`?)");
        assert_eq!(hint("view"), "did you mean `read` or `get`?)");
    }
}
