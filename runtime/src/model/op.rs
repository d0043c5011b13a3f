//! Model operations: [`Op`] and [`OpSet`].

use core::fmt;

use crate::action::{Action, ActionSet, set_of};

/// An operation on a data model, as in Amplify's `allow.*().to([...])`.
///
/// `Read` is the composite `get + list + sync + listen + search`: a guard
/// allows `Op::Read` only when every one of those parts is allowed.
///
/// ```
/// use groupguard::Op;
/// assert_eq!(Op::Read.parts(), &[Op::Get, Op::List, Op::Sync, Op::Listen, Op::Search]);
/// assert_eq!(Op::Update.parts(), &[Op::Update]);
/// assert_eq!(Op::Listen.to_string(), "listen");
/// assert_eq!("search".parse::<Op>(), Ok(Op::Search));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Op {
    /// Create a record.
    Create,
    /// Update a record.
    Update,
    /// Delete a record.
    Delete,
    /// Every read part: get, list, sync, listen and search.
    Read,
    /// Read one record.
    Get,
    /// List records.
    List,
    /// Sync records (DataStore).
    Sync,
    /// Subscribe to changes.
    Listen,
    /// Search records.
    Search,
}

impl Op {
    /// Every operation, in the order of the documentation.
    ///
    /// ```
    /// assert_eq!(groupguard::Op::ALL.len(), 9);
    /// ```
    pub const ALL: [Op; 9] = [
        Op::Create,
        Op::Update,
        Op::Delete,
        Op::Read,
        Op::Get,
        Op::List,
        Op::Sync,
        Op::Listen,
        Op::Search,
    ];

    /// The name used in rules (`create`, `read`...).
    ///
    /// ```
    /// assert_eq!(groupguard::Op::Create.name(), "create");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Update => "update",
            Op::Delete => "delete",
            Op::Read => "read",
            Op::Get => "get",
            Op::List => "list",
            Op::Sync => "sync",
            Op::Listen => "listen",
            Op::Search => "search",
        }
    }

    /// The simple operations this one stands for: itself, or the five read parts.
    ///
    /// ```
    /// assert_eq!(groupguard::Op::Read.parts().len(), 5);
    /// ```
    #[must_use]
    pub const fn parts(self) -> &'static [Op] {
        match self {
            Op::Create => &[Op::Create],
            Op::Update => &[Op::Update],
            Op::Delete => &[Op::Delete],
            Op::Read => &[Op::Get, Op::List, Op::Sync, Op::Listen, Op::Search],
            Op::Get => &[Op::Get],
            Op::List => &[Op::List],
            Op::Sync => &[Op::Sync],
            Op::Listen => &[Op::Listen],
            Op::Search => &[Op::Search],
        }
    }

    /// The bits of [`OpSet`] this operation covers.
    /// The operation's bits in an [`OpSet`]: one for a simple operation,
    /// its parts' for `read`.
    pub(crate) const fn mask(self) -> u16 {
        match self {
            Op::Create => 1 << 0,
            Op::Update => 1 << 1,
            Op::Delete => 1 << 2,
            Op::Get => 1 << 3,
            Op::List => 1 << 4,
            Op::Sync => 1 << 5,
            Op::Listen => 1 << 6,
            Op::Search => 1 << 7,
            Op::Read => 0b1111_1000,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an [`Op`] from an unknown name.
///
/// ```
/// let err = "publish".parse::<groupguard::Op>().unwrap_err();
/// assert!(err.to_string().starts_with("unknown operation `publish`"));
/// // The name comes from a request: it is escaped (a newline, a backtick,
/// // a bidi control show as escapes) and cut to 64 characters.
/// let err = "get`\nINFO forged\u{202e}".parse::<groupguard::Op>().unwrap_err();
/// assert!(err.to_string().starts_with(r"unknown operation `get\`\nINFO forged\u{202e}`;"));
/// ```
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[error(
    "unknown operation `{0}`; expected one of `create`, `update`, `delete`, `read`, `get`, `list`, `sync`, `listen`, `search`"
)]
pub struct UnknownOp(String);

impl core::str::FromStr for Op {
    type Err = UnknownOp;
    fn from_str(s: &str) -> Result<Self, UnknownOp> {
        Op::ALL
            .into_iter()
            .find(|op| op.name() == s)
            // Request text: escaped before any message shows it.
            .ok_or_else(|| UnknownOp(crate::text::shown(s)))
    }
}

impl Action for Op {
    const ALL: &'static [Op] = &Op::ALL;

    fn name(self) -> &'static str {
        Op::name(self)
    }

    fn parts(self) -> &'static [Op] {
        Op::parts(self)
    }

    #[inline]
    fn bits(self) -> u16 {
        self.mask()
    }
}

/// A set of operations, as granted by one rule.
///
/// ```
/// use groupguard::{Op, OpSet};
/// let set = OpSet::of(&[Op::Read, Op::Update]);
/// assert!(set.contains(Op::Read) && set.contains(Op::Listen) && !set.contains(Op::Delete));
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Op::Update, Op::Get, Op::List, Op::Sync, Op::Listen, Op::Search]);
/// ```
pub type OpSet = ActionSet<Op>;

impl ActionSet<Op> {
    /// Every operation.
    ///
    /// ```
    /// use groupguard::{Op, OpSet};
    /// assert!(Op::ALL.iter().all(|op| OpSet::ALL.contains(*op)));
    /// ```
    pub const ALL: OpSet = set_of!(OpSet, &Op::ALL);

    /// The set of the given operations.
    ///
    /// ```
    /// # use groupguard::{Op, OpSet};
    /// assert!(OpSet::of(&[Op::Get]).contains(Op::Get));
    /// assert!(!OpSet::of(&[Op::Get]).contains(Op::Read));
    /// ```
    #[must_use]
    pub const fn of(ops: &[Op]) -> OpSet {
        set_of!(OpSet, ops)
    }
}
