//! The typed model of a `#[model(...)]` input; keeps spans for messages.

pub use crate::internals::group::GroupRef;
use crate::internals::ops::{OpRef, Operation};

/// One `allow(...)`.
pub struct Rule {
    pub who: Option<Who>,
    /// `None`: no `to`, every operation.
    pub ops: Option<Vec<OpRef<Op>>>,
}

pub enum Who {
    Guest,
    Authenticated,
    Groups(Vec<GroupRef>),
}

impl Who {
    /// The principal kind in canonical source form.
    pub fn declaration(&self) -> String {
        match self {
            Who::Guest => "guest".to_owned(),
            Who::Authenticated => "authenticated".to_owned(),
            Who::Groups(groups) => {
                format!(
                    "groups = [{}]",
                    crate::internals::group::declaration(groups)
                )
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

    fn is_read_part(self) -> bool {
        matches!(
            self,
            Op::Get | Op::List | Op::Sync | Op::Listen | Op::Search
        )
    }
}
