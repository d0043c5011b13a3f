//! Storage actions: [`Access`] and [`AccessSet`].

use core::fmt;

use crate::action::{Action, ActionSet, set_of};

/// An action on stored objects, as in Amplify's `allow.*.to([...])` of
/// `defineStorage`.
///
/// `Read` is the composite `get + list`: a guard allows `Access::Read` only
/// when both parts are allowed.
///
/// ```
/// use groupguard::Access;
/// assert_eq!(Access::Read.parts(), &[Access::Get, Access::List]);
/// assert_eq!(Access::Write.parts(), &[Access::Write]);
/// assert_eq!(Access::Delete.to_string(), "delete");
/// assert_eq!("list".parse::<Access>(), Ok(Access::List));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Access {
    /// Both read parts: get and list.
    Read,
    /// Download an object (`s3:GetObject`).
    Get,
    /// List the keys under a prefix (`s3:ListBucket`); the key is the prefix.
    List,
    /// Upload or overwrite an object (`s3:PutObject`).
    Write,
    /// Delete an object (`s3:DeleteObject`).
    Delete,
}

impl Access {
    /// Every action, in the order of the documentation.
    ///
    /// ```
    /// assert_eq!(groupguard::Access::ALL.len(), 5);
    /// ```
    pub const ALL: [Access; 5] = [
        Access::Read,
        Access::Get,
        Access::List,
        Access::Write,
        Access::Delete,
    ];

    /// The name used in grants (`read`, `get`...).
    ///
    /// ```
    /// assert_eq!(groupguard::Access::Write.name(), "write");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Get => "get",
            Access::List => "list",
            Access::Write => "write",
            Access::Delete => "delete",
        }
    }

    /// The simple actions this one stands for: itself, or `get` and `list`.
    ///
    /// ```
    /// assert_eq!(groupguard::Access::Read.parts().len(), 2);
    /// ```
    #[must_use]
    pub const fn parts(self) -> &'static [Access] {
        match self {
            Access::Read => &[Access::Get, Access::List],
            Access::Get => &[Access::Get],
            Access::List => &[Access::List],
            Access::Write => &[Access::Write],
            Access::Delete => &[Access::Delete],
        }
    }

    /// The bits of [`AccessSet`] this action covers.
    const fn mask(self) -> u16 {
        match self {
            Access::Get => 1 << 0,
            Access::List => 1 << 1,
            Access::Write => 1 << 2,
            Access::Delete => 1 << 3,
            Access::Read => 0b0011,
        }
    }
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an [`Access`] from an unknown name.
///
/// ```
/// let err = "upload".parse::<groupguard::Access>().unwrap_err();
/// assert!(err.to_string().starts_with("unknown action `upload`"));
/// // The name comes from a request: it is escaped (a newline, a backtick,
/// // a bidi control show as escapes) and cut to 64 characters.
/// let err = "get`\nINFO forged\u{202e}".parse::<groupguard::Access>().unwrap_err();
/// assert!(err.to_string().starts_with(r"unknown action `get\`\nINFO forged\u{202e}`;"));
/// ```
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[error("unknown action `{0}`; expected one of `read`, `get`, `list`, `write`, `delete`")]
pub struct UnknownAccess(String);

impl core::str::FromStr for Access {
    type Err = UnknownAccess;
    fn from_str(s: &str) -> Result<Self, UnknownAccess> {
        Access::ALL
            .into_iter()
            .find(|access| access.name() == s)
            // Request text: escaped before any message shows it.
            .ok_or_else(|| UnknownAccess(crate::text::shown(s)))
    }
}

impl Action for Access {
    const ALL: &'static [Access] = &Access::ALL;

    fn name(self) -> &'static str {
        Access::name(self)
    }

    fn parts(self) -> &'static [Access] {
        Access::parts(self)
    }

    #[inline]
    fn bits(self) -> u16 {
        self.mask()
    }
}

/// A set of actions, as granted by one [`Grant`](crate::Grant).
///
/// ```
/// use groupguard::{Access, AccessSet};
/// let set = AccessSet::of(&[Access::Read, Access::Delete]);
/// assert!(set.contains(Access::Read) && set.contains(Access::List) && !set.contains(Access::Write));
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Access::Get, Access::List, Access::Delete]);
/// ```
pub type AccessSet = ActionSet<Access>;

impl ActionSet<Access> {
    /// Every action.
    ///
    /// ```
    /// use groupguard::{Access, AccessSet};
    /// assert!(Access::ALL.iter().all(|a| AccessSet::ALL.contains(*a)));
    /// assert_eq!(AccessSet::ALL.iter().count(), 4);
    /// ```
    pub const ALL: AccessSet = set_of!(AccessSet, &Access::ALL);

    /// The set of the given actions.
    ///
    /// ```
    /// # use groupguard::{Access, AccessSet};
    /// assert!(AccessSet::of(&[Access::Get]).contains(Access::Get));
    /// assert!(!AccessSet::of(&[Access::Get]).contains(Access::Read));
    /// assert!(AccessSet::of(&[Access::Get, Access::List]).contains(Access::Read));
    /// ```
    #[must_use]
    pub const fn of(actions: &[Access]) -> AccessSet {
        set_of!(AccessSet, actions)
    }
}
