//! Storage authorization: [`Access`], the [`Storage`] trait with its path
//! metadata ([`StoragePath`], [`Grant`], [`Acceptor`]) and key validation
//! ([`validate_key`]).
//!
//! The decision walks a segment trie generated at compile time by
//! [`storage!`](crate::storage): one hash-table probe per key segment, so its
//! cost depends on the key's depth, not on how many paths are declared, and
//! it never allocates.

use core::fmt;

use crate::decision::{
    Admits, Check, Decision, DenyReason, KeyError, Request, Rule, decide_parts, first_admitting,
};
use crate::group::{GroupSet, Groups};
use crate::principal::Principal;

/// S3's limit on an object key, in bytes; longer keys are refused.
///
/// ```
/// use groupguard::{validate_key, KeyError, MAX_KEY_BYTES};
/// assert_eq!(validate_key(&"k".repeat(MAX_KEY_BYTES)), Ok(()));
/// assert_eq!(validate_key(&"k".repeat(MAX_KEY_BYTES + 1)), Err(KeyError::TooLong));
/// ```
pub const MAX_KEY_BYTES: usize = 1024;

/// The token of a storage path that stands for the caller's entity id.
const ENTITY_TOKEN: &str = "{entity_id}";

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
    const fn bits(self) -> u8 {
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

/// A set of actions, as granted by one [`Grant`].
///
/// ```
/// use groupguard::{Access, AccessSet};
/// let set = AccessSet::of(&[Access::Read, Access::Delete]);
/// assert!(set.contains(Access::Read) && set.contains(Access::List) && !set.contains(Access::Write));
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Access::Get, Access::List, Access::Delete]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AccessSet(u8);

impl AccessSet {
    /// The set of the given actions.
    ///
    /// ```
    /// # use groupguard::{Access, AccessSet};
    /// assert!(AccessSet::of(&[Access::Get]).contains(Access::Get));
    /// ```
    #[must_use]
    pub const fn of(actions: &[Access]) -> AccessSet {
        let mut bits = 0;
        let mut i = 0;
        while i < actions.len() {
            bits |= actions[i].bits();
            i += 1;
        }
        AccessSet(bits)
    }

    /// Whether every part of `access` is in the set.
    ///
    /// ```
    /// # use groupguard::{Access, AccessSet};
    /// assert!(!AccessSet::of(&[Access::Get]).contains(Access::Read));
    /// assert!(AccessSet::of(&[Access::Get, Access::List]).contains(Access::Read));
    /// ```
    #[must_use]
    pub const fn contains(self, access: Access) -> bool {
        self.0 & access.bits() == access.bits()
    }

    /// The simple actions of the set (never `Read`: its parts instead).
    ///
    /// ```
    /// # use groupguard::{Access, AccessSet};
    /// assert_eq!(AccessSet::of(&[Access::Read]).iter().collect::<Vec<_>>(), [Access::Get, Access::List]);
    /// ```
    pub fn iter(self) -> impl Iterator<Item = Access> {
        Access::ALL
            .into_iter()
            .filter(move |access| *access != Access::Read && self.contains(*access))
    }
}

impl fmt::Debug for AccessSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// Who a storage grant admits: Amplify's `allow.guest`, `allow.authenticated`,
/// `allow.groups([...])` and `allow.entity('identity')`.
///
/// ```
/// use groupguard::{groups, storage, Acceptor, Storage};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// storage! {
///     pub Files {
///         "docs/*" => groups(ADMINS, EDITORS): [read],
///         "docs/*" => guest: [get],
///         "home/{entity_id}/*" => entity(identity): [read, write],
///     }
/// }
/// let docs = &Files::PATHS[0];
/// assert_eq!(docs.grants()[0].acceptor(), Acceptor::Groups(&[Group::ADMINS, Group::EDITORS]));
/// assert_eq!(docs.grants()[1].acceptor(), Acceptor::Guest);
/// assert_eq!(Files::PATHS[1].grants()[0].acceptor(), Acceptor::Entity);
/// ```
#[non_exhaustive] // more Amplify rule kinds (owner, ...) may come
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Acceptor<G: 'static> {
    /// Unauthenticated principals only.
    Guest,
    /// Any authenticated principal.
    Authenticated,
    /// Members of any of these groups.
    Groups(&'static [G]),
    /// The authenticated principal whose entity id (identity id, else `sub`)
    /// is the key's `{entity_id}` segment.
    Entity,
}

/// One `PATH => ACCEPTOR: [ACTIONS]` entry of a [`storage!`](crate::storage),
/// as declared; for audit reports.
///
/// ```
/// use groupguard::{groups, storage, Access, Storage};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// storage! {
///     pub Articles {
///         "drafts/*" => groups(EDITORS): [read, write],
///     }
/// }
/// let grant = &Articles::PATHS[0].grants()[0];
/// assert!(grant.actions().contains(Access::Read));
/// assert!(!grant.actions().contains(Access::Delete));
/// assert_eq!(grant.declaration(), r#""drafts/*" => groups(EDITORS): [read, write]"#);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Grant<G: Groups> {
    acceptor: Acceptor<G>,
    mask: GroupSet<G>,
    actions: AccessSet,
    declaration: &'static str,
}

impl<G: Groups> Grant<G> {
    #[doc(hidden)] // used by generated code, not public API
    pub const fn __new(
        acceptor: Acceptor<G>,
        mask: GroupSet<G>,
        actions: AccessSet,
        declaration: &'static str,
    ) -> Self {
        Self {
            acceptor,
            mask,
            actions,
            declaration,
        }
    }

    /// Who the grant admits.
    ///
    /// ```
    /// # use groupguard::{groups, storage, Access, Acceptor, Storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// storage! {
    ///     pub Files { "drafts/*" => groups(EDITORS): [read, write] }
    /// }
    /// assert_eq!(Files::PATHS[0].grants()[0].acceptor(), Acceptor::Groups(&[Group::EDITORS]));
    /// ```
    #[must_use]
    pub const fn acceptor(&self) -> Acceptor<G> {
        self.acceptor
    }

    /// The actions it grants.
    ///
    /// ```
    /// # use groupguard::{groups, storage, Access, Acceptor, Storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// storage! {
    ///     pub Files { "drafts/*" => groups(EDITORS): [read, write] }
    /// }
    /// let actions = Files::PATHS[0].grants()[0].actions();
    /// assert_eq!(actions.iter().collect::<Vec<_>>(), [Access::Get, Access::List, Access::Write]);
    /// ```
    #[must_use]
    pub const fn actions(&self) -> AccessSet {
        self.actions
    }

    /// The entry in canonical source form, e.g.
    /// `"drafts/*" => groups(EDITORS): [read, write]`.
    ///
    /// ```
    /// # use groupguard::{groups, storage, Access, Acceptor, Storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// storage! {
    ///     pub Files { "drafts/*" => groups(EDITORS): [read, write] }
    /// }
    /// let grant = &Files::PATHS[0].grants()[0];
    /// assert_eq!(grant.declaration(), r#""drafts/*" => groups(EDITORS): [read, write]"#);
    /// ```
    #[must_use]
    pub const fn declaration(&self) -> &'static str {
        self.declaration
    }

    fn is_entity(&self) -> bool {
        matches!(self.acceptor, Acceptor::Entity)
    }

    /// Whether the grant admits `principal`; `owner` tells whether the key's
    /// `{entity_id}` segment is the principal's entity id.
    #[inline]
    fn admits(&self, principal: &Principal<G>, owner: bool) -> bool {
        match self.acceptor {
            Acceptor::Guest => !principal.is_authenticated(),
            Acceptor::Authenticated => principal.is_authenticated(),
            Acceptor::Groups(_) => principal.groups().intersects(&self.mask),
            Acceptor::Entity => owner,
        }
    }
}

/// A declared storage path (such as `drafts/*` or `profiles/{entity_id}/*`)
/// with its grants in declaration order; for audit reports.
///
/// ```
/// use groupguard::{groups, storage, Storage};
/// # #[groups] pub enum Group { ADMINS }
/// storage! {
///     pub Files {
///         "public/*" => guest: [read],
///         "public/*" => authenticated: [read, write],
///         "home/{entity_id}/*" => entity(identity): [read, write, delete],
///     }
/// }
/// let paths: Vec<&str> = Files::PATHS.iter().map(|p| p.path()).collect();
/// assert_eq!(paths, ["public/*", "home/{entity_id}/*"]);
/// assert_eq!(Files::PATHS[0].grants().len(), 2);
/// assert!(Files::PATHS[1].has_entity_id());
/// ```
#[derive(Clone, Copy, Debug)]
pub struct StoragePath<G: Groups> {
    path: &'static str,
    grants: &'static [Grant<G>],
}

impl<G: Groups> StoragePath<G> {
    #[doc(hidden)] // used by generated code, not public API
    pub const fn __new(path: &'static str, grants: &'static [Grant<G>]) -> Self {
        Self { path, grants }
    }

    /// The path as declared, ending in `/*`.
    ///
    /// ```
    /// # use groupguard::{groups, storage, Access, Acceptor, Storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// storage! {
    ///     pub Files { "drafts/*" => groups(EDITORS): [read, write] }
    /// }
    /// assert_eq!(Files::PATHS[0].path(), "drafts/*");
    /// ```
    #[must_use]
    pub const fn path(&self) -> &'static str {
        self.path
    }

    /// The grants of the path, in declaration order.
    ///
    /// ```
    /// # use groupguard::{groups, storage, Access, Acceptor, Storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// storage! {
    ///     pub Files { "drafts/*" => groups(EDITORS): [read, write] }
    /// }
    /// assert_eq!(Files::PATHS[0].grants().len(), 1);
    /// ```
    #[must_use]
    pub const fn grants(&self) -> &'static [Grant<G>] {
        self.grants
    }

    /// Whether the path holds the `{entity_id}` token.
    ///
    /// ```
    /// # use groupguard::{groups, storage, Access, Acceptor, Storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// storage! {
    ///     pub Files { "drafts/*" => groups(EDITORS): [read, write] }
    /// }
    /// assert!(!Files::PATHS[0].has_entity_id());
    /// ```
    #[must_use]
    pub fn has_entity_id(&self) -> bool {
        self.path.contains(ENTITY_TOKEN)
    }
}

/// Storage paths guarded by [`storage!`](crate::storage).
///
/// The macro also generates an inherent `authorize` with the same meaning, so
/// importing this trait is only needed for generic code and reports.
///
/// # How a request is decided
///
/// 1. The key is validated ([`validate_key`]); a malformed key is denied with
///    [`DenyReason::InvalidKey`].
/// 2. The most specific declared path that covers the key decides alone: a
///    sub-path's grants override its parent's, nothing is inherited. A path
///    `p/*` covers every key that starts with `p/` (including `p/` itself).
///    So does `p/{entity_id}/*` when it grants to guests, signed-in users or
///    groups: as in Amplify, which writes `*` for the token in every grant
///    but the owner's, those grants cover all of `p/*` (the listing of `p/`
///    and `p/avatar.png` included). An owner-only `{entity_id}` path covers
///    the folders `p/<id>/` alone. Where a literal path and an `{entity_id}`
///    path cover the key at the same depth (`p/lit/*` beside
///    `p/{entity_id}/*`), the literal one is more specific.
/// 3. The request is allowed when any grant of that path admits the principal
///    for the action (the union of its grants). `entity(identity)` admits only
///    the principal whose entity id (identity id, else `sub`) is the key's
///    segment after `p/` in a key `p/<id>/...` (its own folder); the other
///    acceptors on such a path apply to every key under `p/`.
///    [`Access::Read`] needs both `get` and `list`.
///
/// [`Access::List`] takes the listing prefix as its key: `List` on
/// `drafts/` lists the `drafts/` prefix. Like Amplify's `s3:prefix`
/// conditions, the listing is decided by the path covering the prefix, and S3
/// lists recursively: a listing of `drafts/` (or of `drafts/arch`) allowed by
/// `drafts/*` also returns the names of keys under a sub-path such as
/// `drafts/archive/*`, though not their contents. List with a delimiter to
/// stay on one level.
///
/// Unlike Amplify's IAM deployment, where a user in a group gets the group's
/// role *instead of* the authenticated role (so `authenticated` grants stop
/// applying to group members), groupguard grants the union of every acceptor
/// the principal satisfies.
///
/// ```
/// use groupguard::{groups, storage, Access, Principal, Storage};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// storage! {
///     pub Media {
///         "media/*" => authenticated: [read],
///         "media/private/*" => groups(ADMINS): [read, write],
///     }
/// }
///
/// fn may<S: Storage>(p: &Principal<S::Group>, key: &str, access: Access) -> bool {
///     S::authorize(p, key, access).is_allowed()
/// }
/// let alice = Principal::authenticated("alice");
/// assert!(may::<Media>(&alice, "media/cat.png", Access::Get));
/// // The sub-path decides alone: `media/*` readers cannot read it.
/// assert!(!may::<Media>(&alice, "media/private/plan.pdf", Access::Get));
/// assert_eq!(Media::NAME, "Media");
/// ```
pub trait Storage {
    /// The groups enum the grants name.
    ///
    /// ```
    /// # use groupguard::{groups, storage, Access, Acceptor, Storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// storage! {
    ///     pub Files { "drafts/*" => groups(EDITORS): [read, write] }
    /// }
    /// fn names<S: Storage>() -> Vec<&'static str> {
    ///     <S::Group as groupguard::Groups>::ALL.iter().map(|g| groupguard::Groups::name(*g)).collect()
    /// }
    /// assert_eq!(names::<Files>(), ["ADMINS", "EDITORS"]);
    /// ```
    type Group: Groups;
    /// The storage's name (the identifier given to `storage!`).
    ///
    /// ```
    /// # use groupguard::{groups, storage, Access, Acceptor, Storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// storage! {
    ///     pub Files { "drafts/*" => groups(EDITORS): [read, write] }
    /// }
    /// assert_eq!(Files::NAME, "Files");
    /// ```
    const NAME: &'static str;
    /// The declared paths, in order of first declaration, with their grants.
    ///
    /// ```
    /// # use groupguard::{groups, storage, Access, Acceptor, Storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// storage! {
    ///     pub Files { "drafts/*" => groups(EDITORS): [read, write] }
    /// }
    /// assert_eq!(Files::PATHS.len(), 1);
    /// ```
    const PATHS: &'static [StoragePath<Self::Group>];

    /// Decides whether `principal` may perform `access` on the object `key`
    /// (for [`Access::List`], on the listing prefix `key`).
    ///
    /// ```
    /// # use groupguard::{groups, storage, Access, Acceptor, Storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// storage! {
    ///     pub Files { "drafts/*" => groups(EDITORS): [read, write] }
    /// }
    /// # use groupguard::Principal;
    /// let editor = Principal::authenticated("e").with_groups([Group::EDITORS]);
    /// assert!(<Files as Storage>::authorize(&editor, "drafts/a", Access::Write).is_allowed());
    /// assert!(<Files as Storage>::authorize(&editor, "drafts/a", Access::Delete).is_denied());
    /// ```
    #[inline]
    fn authorize(principal: &Principal<Self::Group>, key: &str, access: Access) -> Decision {
        let decision = decide(
            Self::NAME,
            Self::PATHS,
            Self::__TRIE,
            principal,
            key,
            access,
        );
        crate::audit::storage(principal, key, &decision);
        decision
    }

    /// The segment trie of [`PATHS`](Storage::PATHS), built at compile time.
    #[doc(hidden)] // used by generated code, not public API
    const __TRIE: &'static [TrieNode];
}

/// Checks that `key` is a plain object key, which every storage guard does
/// first.
///
/// Keys are literal: they are never decoded or normalised (`%2e%2e` is just
/// a segment), so anything that could be read as a path trick is refused.
///
/// # Errors
///
/// The first failed check, in this order:
///
/// | key | error |
/// |-----|-------|
/// | empty | [`KeyError::Empty`] |
/// | longer than 1024 bytes | [`KeyError::TooLong`] |
/// | starts with `/` | [`KeyError::LeadingSlash`] |
/// | NUL or another control character | [`KeyError::ControlCharacter`] |
/// | a bidirectional control, U+2028 or U+2029 | [`KeyError::DisplayControl`] |
/// | a backslash | [`KeyError::Backslash`] |
/// | `//` | [`KeyError::EmptySegment`] |
/// | a `.` or `..` segment | [`KeyError::DotSegment`] |
///
/// A trailing `/` is allowed: it names a folder marker object or, for
/// [`Access::List`], a prefix.
///
/// ```
/// use groupguard::{validate_key, KeyError};
/// assert_eq!(validate_key("drafts/2024/a.md"), Ok(()));
/// assert_eq!(validate_key("drafts/"), Ok(()));
/// assert_eq!(validate_key("drafts/../admin/x"), Err(KeyError::DotSegment));
/// assert_eq!(validate_key("drafts//x"), Err(KeyError::EmptySegment));
/// assert_eq!(validate_key("/drafts/x"), Err(KeyError::LeadingSlash));
/// assert_eq!(validate_key("drafts/x\0"), Err(KeyError::ControlCharacter));
/// assert_eq!(validate_key("drafts/\u{202e}gpj.exe"), Err(KeyError::DisplayControl));
/// assert_eq!(validate_key("drafts/a\u{2028}b"), Err(KeyError::DisplayControl));
/// assert_eq!(validate_key("drafts\\x"), Err(KeyError::Backslash));
/// assert_eq!(validate_key(&"a".repeat(1025)), Err(KeyError::TooLong));
/// ```
pub fn validate_key(key: &str) -> Result<(), KeyError> {
    if key.is_empty() {
        return Err(KeyError::Empty);
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(KeyError::TooLong);
    }
    if key.starts_with('/') {
        return Err(KeyError::LeadingSlash);
    }
    // One pass over the bytes; the errors are then reported in the
    // documented order, whatever their positions.
    let bytes = key.as_bytes();
    let (mut control, mut display, mut backslash, mut empty_segment, mut dot_segment) =
        (false, false, false, false, false);
    let mut segment_start = 0;
    for (i, byte) in bytes.iter().enumerate() {
        match byte {
            // C0 and DEL; C1 (U+0080..=U+009F) is `C2 80..=C2 9F` in UTF-8.
            // All of them, not only NUL, can truncate or reshape a key in
            // logs and downstream tools.
            0x00..=0x1f | 0x7f => control = true,
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => control = true,
            // U+061C; U+200E, U+200F, U+2028 to U+202E; U+2066 to U+2069.
            0xd8 if bytes.get(i + 1) == Some(&0x9c) => display = true,
            0xe2 if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0x80), Some(0x8e | 0x8f | 0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
            ) =>
            {
                display = true;
            }
            b'\\' => backslash = true,
            b'/' => {
                let segment = bytes.get(segment_start..i).unwrap_or_default();
                empty_segment |= segment.is_empty();
                dot_segment |= is_dot_segment(segment);
                segment_start = i + 1;
            }
            _ => {}
        }
    }
    // The last segment may be empty: a trailing `/` names a folder or prefix.
    dot_segment |= is_dot_segment(bytes.get(segment_start..).unwrap_or_default());
    if control {
        Err(KeyError::ControlCharacter)
    } else if display {
        Err(KeyError::DisplayControl)
    } else if backslash {
        Err(KeyError::Backslash)
    } else if empty_segment {
        Err(KeyError::EmptySegment)
    } else if dot_segment {
        Err(KeyError::DotSegment)
    } else {
        Ok(())
    }
}

fn is_dot_segment(segment: &[u8]) -> bool {
    segment == b"." || segment == b".."
}

/// One node of the segment trie generated by `storage!`.
#[doc(hidden)] // used by generated code, not public API
#[derive(Clone, Copy, Debug)]
pub struct TrieNode {
    /// Literal child segments and their node indices.
    children: &'static [(&'static str, usize)],
    /// Open-addressing table over `children` (see `__private::probe`).
    slots: &'static [u16],
    /// The index (in `PATHS`) of the `{entity_id}` path right below this node.
    entity: Option<usize>,
    /// The index (in `PATHS`) of the path this node ends, if it is declared.
    path: Option<usize>,
}

impl TrieNode {
    #[doc(hidden)] // used by generated code, not public API
    pub const fn __new(
        children: &'static [(&'static str, usize)],
        slots: &'static [u16],
        entity: Option<usize>,
        path: Option<usize>,
    ) -> Self {
        Self {
            children,
            slots,
            entity,
            path,
        }
    }

    /// The node index of the literal child `segment`: one hash-table probe,
    /// whatever the number of children.
    #[inline]
    fn child(&self, segment: &str) -> Option<usize> {
        let found = crate::hash::probe(self.slots, segment, |i| self.children.get(i).map(|c| c.0))?;
        self.children.get(found).map(|c| c.1)
    }
}

/// The declared path that decides for a key.
struct Covering<'k> {
    path: usize,
    place: Place<'k>,
}

/// Where a key lies under the declared path that decides for it.
#[derive(Clone, Copy)]
enum Place<'k> {
    /// Under a literal path `p/*`.
    Literal,
    /// In the folder `p/<segment>/` of `p/{entity_id}/*`.
    Folder(&'k str),
    /// Beside the folders of `p/{entity_id}/*` (`p/x`, `p/`), which only
    /// the grants to others than the owner reach.
    BesideFolders,
}

/// The most specific path of `trie` (root at index 0) covering `key`.
///
/// Deeper paths are more specific; at equal depth a literal segment beats
/// `{entity_id}`. The walk only ever goes deeper and records a candidate at
/// each depth after the previous one, so the last candidate is the answer.
///
/// A node is reached once the key has a `/` after its segments, so a path
/// `p/*` covers the keys that reach its node. So does `p/{entity_id}/*`
/// (its grants to others than the owner are Amplify's `p/*`); its
/// `{entity_id}` segment is the key's next segment when a `/` follows it
/// (the owner's grants are Amplify's `p/<id>/*`).
#[inline]
fn covering<'k>(trie: &[TrieNode], key: &'k str) -> Option<Covering<'k>> {
    let mut node = trie.first()?;
    let mut best = None;
    let mut rest = key;
    loop {
        if let Some(path) = node.path {
            best = Some(Covering {
                path,
                place: Place::Literal,
            });
        }
        // `rest` is what follows the segments matched so far.
        let next = rest.split_once('/');
        if let Some(path) = node.entity {
            best = Some(Covering {
                path,
                place: next.map_or(Place::BesideFolders, |(segment, _)| Place::Folder(segment)),
            });
        }
        let Some((segment, after)) = next else {
            break;
        };
        match node.child(segment) {
            Some(child) => node = trie.get(child)?,
            None => break,
        }
        rest = after;
    }
    best
}

/// Whether `segment` is the principal's own `{entity_id}`: an entity id that
/// is empty or holds `/` could not be one key segment, so it never matches.
#[inline]
fn is_own_segment<G: Groups>(principal: &Principal<G>, segment: &str) -> bool {
    principal
        .entity_id()
        .is_some_and(|id| !id.is_empty() && !id.contains('/') && id == segment)
}

/// [`Storage::authorize`] without its audit event: for the per-object filter
/// of a guarded listing, whose listing itself was audited.
#[cfg(feature = "object-store")]
pub(crate) fn decide_unaudited<S: Storage + ?Sized>(
    principal: &Principal<S::Group>,
    key: &str,
    access: Access,
) -> Decision {
    decide(S::NAME, S::PATHS, S::__TRIE, principal, key, access)
}

/// The (audited) denial of a listing of the whole store: no storage path
/// can cover the root, as every path is `prefix/*`.
#[cfg(feature = "object-store")]
pub(crate) fn deny_root_listing<S: Storage + ?Sized>(principal: &Principal<S::Group>) -> Decision {
    let request = Request::new(S::NAME, Access::List.name(), !principal.is_authenticated());
    let decision = request.denied(DenyReason::NoMatchingPath);
    crate::audit::storage(principal, "", &decision);
    decision
}

/// Decides a storage request; the body of [`Storage::authorize`].
fn decide<G: Groups>(
    resource: &'static str,
    paths: &'static [StoragePath<G>],
    trie: &[TrieNode],
    principal: &Principal<G>,
    key: &str,
    access: Access,
) -> Decision {
    let request = Request::new(resource, access.name(), !principal.is_authenticated());
    if let Err(error) = validate_key(key) {
        return request.denied(DenyReason::InvalidKey(error));
    }
    let Some(found) = covering(trie, key) else {
        return request.denied(DenyReason::NoMatchingPath);
    };
    let Some(path) = paths.get(found.path) else {
        return request.denied(DenyReason::NoMatchingPath);
    };
    // Whether the key is in an owner's folder (`p/<id>/...` of
    // `p/{entity_id}/*`), and whether it is the principal's.
    let (in_folder, owner) = match found.place {
        Place::Literal => (true, false),
        Place::Folder(segment) => (true, is_own_segment(principal, segment)),
        // Beside the folders, an owner-only path covers nothing (Amplify
        // deploys it as `p/<id>/*` alone).
        Place::BesideFolders if path.grants.iter().all(Grant::is_entity) => {
            return request.denied(DenyReason::NoMatchingPath);
        }
        Place::BesideFolders => (false, false),
    };
    decide_parts(request, access.parts(), Access::name, |part| {
        let grants = path
            .grants
            .iter()
            .filter(|grant| in_folder || !grant.is_entity());
        decide_part(grants, principal, owner, part)
    })
}

/// The first grant that admits `principal` for the simple action `access`,
/// or why none does.
#[inline]
fn decide_part<'g, G: Groups>(
    grants: impl Iterator<Item = &'g Grant<G>>,
    principal: &Principal<G>,
    owner: bool,
    access: Access,
) -> Result<&'static str, DenyReason> {
    first_admitting(
        grants.filter(|grant| grant.actions.contains(access)),
        principal.is_authenticated(),
        |grant| Check::from(grant.admits(principal, owner)),
    )
}

impl<G: Groups> Rule for Grant<G> {
    fn admits_kind(&self) -> Admits {
        match self.acceptor {
            Acceptor::Guest => Admits::Guests,
            Acceptor::Authenticated => Admits::Authenticated,
            Acceptor::Groups(_) => Admits::Groups,
            Acceptor::Entity => Admits::Entity,
        }
    }

    fn declaration(&self) -> &'static str {
        self.declaration
    }
}
