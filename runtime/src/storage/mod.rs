//! Storage authorization: the [`Storage`] trait, its actions
//! ([`Access`], `access.rs`), its path metadata ([`StoragePath`], [`Grant`],
//! [`Acceptor`], `paths.rs`), key validation ([`validate_key`], `key.rs`) and
//! the segment trie that finds the deciding path (`trie.rs`).
//!
//! The decision walks a segment trie generated at compile time by
//! [`storage!`](crate::storage): one hash-table probe per key segment, so its
//! cost depends on the key's depth, not on how many paths are declared, and
//! it never allocates.

mod access;
mod key;
mod paths;
mod trie;

pub use access::{Access, AccessSet, UnknownAccess};
pub use key::{MAX_KEY_BYTES, validate_key};
pub use paths::{Acceptor, Grant, StoragePath};
pub use trie::TrieNode;

use crate::decision::{Check, Decision, DenyReason, Request, decide_parts, first_admitting};
use crate::group::Groups;
use crate::principal::Principal;
use trie::{Place, covering, is_own_segment};

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
        crate::audit::storage(principal, key, decision);
        decision
    }

    /// The segment trie of [`PATHS`](Storage::PATHS), built at compile time.
    #[doc(hidden)] // used by generated code, not public API
    const __TRIE: &'static [TrieNode];
}

/// Decides a storage request; the body of [`Storage::authorize`] (and,
/// unaudited, of a guarded listing's per-object filter).
pub(crate) fn decide<G: Groups>(
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
        Place::BesideFolders if path.grants().iter().all(Grant::is_entity) => {
            return request.denied(DenyReason::NoMatchingPath);
        }
        Place::BesideFolders => (false, false),
    };
    decide_parts(request, access.parts(), Access::name, |part| {
        let grants = path
            .grants()
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
        grants.filter(|grant| grant.actions().contains(access)),
        principal.is_authenticated(),
        |grant| Check::from(grant.admits(principal, owner)),
    )
}
