//! What record fields hold for owner and dynamic-group rules: [`RecordId`]
//! and [`RecordIds`], and how a principal matches them.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use crate::group::Groups;
use crate::principal::Principal;

/// A record field that holds one owner or one group name, for
/// `allow(owner = field)` and `allow(group_defined_in = field)`.
///
/// Implemented for `String`, `str`, `Box<str>`, `Cow<str>`, `Rc<str>`,
/// `Arc<str>`, references to those and `Option` of those (`None` matches no
/// one). Implement it for your own id type:
///
/// ```
/// use groupguard::{groups, model, Op, Principal, RecordId};
/// # #[groups] pub enum Group { ADMINS }
/// pub struct UserId(String);
///
/// impl RecordId for UserId {
///     fn record_id(&self) -> Option<&str> {
///         Some(&self.0)
///     }
/// }
///
/// #[model(allow(owner = author, to = [update]))]
/// pub struct Post { pub author: UserId }
///
/// let post = Post { author: UserId("sub-1".into()) };
/// assert!(post.authorize_record(&Principal::<Group>::authenticated("sub-1"), Op::Update).is_allowed());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold an owner or a group name",
    label = "this field's type is not a string or a `groupguard::RecordId`",
    note = "owner and group fields are `String`, `&str`, `Option<String>` or a type implementing `groupguard::RecordId`; list fields (`owners`, `groups_defined_in`) are `Vec<String>` or slices"
)]
pub trait RecordId {
    /// The owner identity or group claim value held, if any. An empty
    /// string matches no one.
    fn record_id(&self) -> Option<&str>;
}

/// A record field that holds a list of owners or group names, for
/// `allow(owners = field)` and `allow(groups_defined_in = field)`.
///
/// Implemented for `Vec`, slices, arrays, `Box<[T]>`, `BTreeSet`, `HashSet`,
/// references to those and `Option` of those, of any [`RecordId`].
///
/// ```
/// use groupguard::RecordIds;
/// let editors = vec!["ann".to_string(), "bo".to_string()];
/// assert!(editors.any_record_id(&mut |id| id == "bo"));
/// assert!(!None::<Vec<String>>.any_record_id(&mut |_| true));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a list of owners or group names",
    label = "this field's type is not a list of strings or of `groupguard::RecordId`",
    note = "list fields (`owners`, `groups_defined_in`) are `Vec<String>`, slices, arrays or sets of a `groupguard::RecordId`; a single owner or group is `owner = field` or `group_defined_in = field`"
)]
pub trait RecordIds {
    /// Whether `matches` holds for any id held (ids that are `None` skipped).
    fn any_record_id(&self, matches: &mut dyn FnMut(&str) -> bool) -> bool;
}

impl RecordId for str {
    fn record_id(&self) -> Option<&str> {
        Some(self)
    }
}

macro_rules! record_id_as_str {
    ($($ty:ty),*) => {$(
        impl RecordId for $ty {
            fn record_id(&self) -> Option<&str> {
                Some(self)
            }
        }
    )*};
}
record_id_as_str!(String, Box<str>, Cow<'_, str>, Rc<str>, Arc<str>);

impl<T: RecordId + ?Sized> RecordId for &T {
    fn record_id(&self) -> Option<&str> {
        T::record_id(self)
    }
}

impl<T: RecordId> RecordId for Option<T> {
    fn record_id(&self) -> Option<&str> {
        self.as_ref().and_then(T::record_id)
    }
}

impl<T: RecordId> RecordIds for [T] {
    fn any_record_id(&self, matches: &mut dyn FnMut(&str) -> bool) -> bool {
        self.iter().filter_map(T::record_id).any(matches)
    }
}

macro_rules! record_ids_as_slice {
    ($($ty:ty),*) => {$(
        impl<T: RecordId> RecordIds for $ty {
            fn any_record_id(&self, matches: &mut dyn FnMut(&str) -> bool) -> bool {
                self.iter().filter_map(T::record_id).any(matches)
            }
        }
    )*};
}
record_ids_as_slice!(Vec<T>, Box<[T]>, BTreeSet<T>);

impl<T: RecordId, const N: usize> RecordIds for [T; N] {
    fn any_record_id(&self, matches: &mut dyn FnMut(&str) -> bool) -> bool {
        self.iter().filter_map(T::record_id).any(matches)
    }
}

impl<T: RecordId, S> RecordIds for HashSet<T, S> {
    fn any_record_id(&self, matches: &mut dyn FnMut(&str) -> bool) -> bool {
        self.iter().filter_map(T::record_id).any(matches)
    }
}

impl<T: RecordIds + ?Sized> RecordIds for &T {
    fn any_record_id(&self, matches: &mut dyn FnMut(&str) -> bool) -> bool {
        T::any_record_id(self, matches)
    }
}

impl<T: RecordIds> RecordIds for Option<T> {
    fn any_record_id(&self, matches: &mut dyn FnMut(&str) -> bool) -> bool {
        self.as_ref().is_some_and(|ids| ids.any_record_id(matches))
    }
}

/// Whether `stored` names the principal for an owner rule: its `sub`, or
/// Amplify's stored form `sub::username`, each only when non-empty; with
/// `legacy_username`, also its bare user name, unless that holds `::`.
/// Guests and empty strings match nothing.
///
/// The bare user name is not an identity by default: where users choose
/// their own user names, one could pick a victim's stored value
/// (`<sub>::<username>`, or a bare `<sub>`) and own the victim's records
/// (issue 22). Even by opt-in, a value holding `::` is someone's
/// `sub::username`, never a user name of the legacy kind.
pub(crate) fn is_identity<G: Groups>(
    principal: &Principal<G>,
    stored: &str,
    legacy_username: bool,
) -> bool {
    let Some(sub) = principal.sub() else {
        return false; // a guest
    };
    if stored.is_empty() {
        return false;
    }
    let Some(username) = principal.username().filter(|name| !name.is_empty()) else {
        return stored == sub;
    };
    if legacy_username && stored == username && !stored.contains("::") {
        return true;
    }
    !sub.is_empty()
        && (stored == sub
            || stored
                .strip_prefix(sub)
                .and_then(|rest| rest.strip_prefix("::"))
                == Some(username))
}

/// Whether `stored` is a group claim value the principal holds: a declared
/// group it is in, or one of its unknown group names. Guests hold none.
pub(crate) fn holds_group<G: Groups>(principal: &Principal<G>, stored: &str) -> bool {
    if !principal.is_authenticated() || stored.is_empty() {
        return false;
    }
    match G::from_name(stored) {
        Some(group) if principal.is_in(group) => true,
        _ => principal.unknown_groups().iter().any(|name| name == stored),
    }
}

/// `allow(owner = field)`: whether the principal owns the record, with the
/// rule's `legacy_username`. Used by generated code.
#[doc(hidden)]
#[inline]
pub fn owns<G: Groups, T: RecordId + ?Sized>(
    principal: &Principal<G>,
    field: &T,
    legacy_username: bool,
) -> bool {
    field
        .record_id()
        .is_some_and(|stored| is_identity(principal, stored, legacy_username))
}

/// `allow(owners = field)`. Used by generated code.
#[doc(hidden)]
#[inline]
pub fn owns_any<G: Groups, T: RecordIds + ?Sized>(
    principal: &Principal<G>,
    field: &T,
    legacy_username: bool,
) -> bool {
    principal.is_authenticated()
        && field.any_record_id(&mut |stored| is_identity(principal, stored, legacy_username))
}

/// `allow(group_defined_in = field)`. Used by generated code.
#[doc(hidden)]
#[inline]
pub fn in_group<G: Groups, T: RecordId + ?Sized>(principal: &Principal<G>, field: &T) -> bool {
    field
        .record_id()
        .is_some_and(|stored| holds_group(principal, stored))
}

/// `allow(groups_defined_in = field)`. Used by generated code.
#[doc(hidden)]
#[inline]
pub fn in_any_group<G: Groups, T: RecordIds + ?Sized>(principal: &Principal<G>, field: &T) -> bool {
    principal.is_authenticated()
        && field.any_record_id(&mut |stored| holds_group(principal, stored))
}

/// The ids an owner field may hold for the principal, as [`is_identity`]
/// matches them: `sub`, with `legacy_username` the bare user name unless it
/// holds `::`, and `sub::username`, each when non-empty; none for a guest.
pub(crate) fn identities<G: Groups>(
    principal: &Principal<G>,
    legacy_username: bool,
) -> Vec<String> {
    let Some(sub) = principal.sub() else {
        return Vec::new();
    };
    let username = principal.username().filter(|name| !name.is_empty());
    let mut ids = Vec::with_capacity(3);
    if !sub.is_empty() {
        ids.push(sub.to_owned());
    }
    if let Some(username) = username
        && legacy_username
        && username != sub
        && !username.contains("::")
    {
        ids.push(username.to_owned());
    }
    if let Some(username) = username
        && !sub.is_empty()
    {
        ids.push(format!("{sub}::{username}"));
    }
    ids
}

/// The group claim values the principal holds: its declared groups' and
/// its unknown names, without the empty string; none for a guest.
pub(crate) fn group_names<G: Groups>(principal: &Principal<G>) -> Vec<String> {
    if !principal.is_authenticated() {
        return Vec::new();
    }
    let mut names: Vec<String> = principal
        .groups()
        .iter()
        .map(|group| group.name().to_owned())
        .collect();
    // Unknown names are not declared claim values, so no name repeats
    // (a repeat would only be a redundant value in the filter).
    names.extend(
        principal
            .unknown_groups()
            .iter()
            .filter(|name| !name.is_empty())
            .cloned(),
    );
    names
}
