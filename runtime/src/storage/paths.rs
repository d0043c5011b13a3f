//! The declared paths of a storage and their grants ([`StoragePath`],
//! [`Grant`], [`Acceptor`]), as the macro emits them: for decisions and for
//! audit reports.

use crate::decision::{Admits, Rule};
use crate::group::{GroupSet, Groups};
use crate::principal::Principal;
use crate::storage::AccessSet;

/// The token of a storage path that stands for the caller's entity id.
const ENTITY_TOKEN: &str = "{entity_id}";

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

    pub(super) fn is_entity(&self) -> bool {
        matches!(self.acceptor, Acceptor::Entity)
    }

    /// Whether the grant admits `principal`; `owner` tells whether the key's
    /// `{entity_id}` segment is the principal's entity id.
    #[inline]
    pub(super) fn admits(&self, principal: &Principal<G>, owner: bool) -> bool {
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
