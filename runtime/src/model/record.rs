//! What record fields hold for owner and dynamic-group rules: [`RecordId`]
//! and [`RecordIds`], and how a principal matches them.

use core::fmt;
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
/// one). An id is compared with the principal's claims as text (its `sub`,
/// Amplify's `sub::username`, its group names: [`ClaimText`]), so any type
/// whose text can be compared without allocating can be one: implement it
/// for your own id type, a newtype over a string:
///
/// ```
/// use groupguard::{groups, model, ClaimText, Op, Principal, RecordId};
/// # #[groups] pub enum Group { ADMINS }
/// pub struct UserId(String);
///
/// impl RecordId for UserId {
///     fn matches_claim(&self, claim: ClaimText<'_>) -> bool {
///         claim.is(&self.0)
///     }
/// }
///
/// #[model(allow(owner = author, to = [update]))]
/// pub struct Post { pub author: UserId }
///
/// let post = Post { author: UserId("sub-1".into()) };
/// assert!(post.authorize_record(&Principal::<Group>::authenticated("sub-1"), Op::Update).is_allowed());
/// ```
///
/// or an id that is not a string, such as a UUID (Cognito's `sub`) kept as
/// 16 bytes, by the text it displays as ([`ClaimText::is_display_of`]
/// compares as it is written, without a `String`):
///
/// ```
/// use std::fmt;
/// use groupguard::{groups, model, ClaimText, Op, Principal, RecordId};
/// # #[groups] pub enum Group { ADMINS }
/// /// A UUID, shown in its hyphenated lowercase form, as Cognito writes a `sub`.
/// pub struct Sub([u8; 16]);
///
/// impl fmt::Display for Sub {
///     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
///         for (i, byte) in self.0.iter().enumerate() {
///             if matches!(i, 4 | 6 | 8 | 10) {
///                 f.write_str("-")?;
///             }
///             write!(f, "{byte:02x}")?;
///         }
///         Ok(())
///     }
/// }
///
/// impl RecordId for Sub {
///     fn matches_claim(&self, claim: ClaimText<'_>) -> bool {
///         claim.is_display_of(self)
///     }
/// }
///
/// #[model(allow(owner, to = [read, update]))]
/// pub struct Note { pub owner: Sub }
///
/// let note = Note { owner: Sub([0x7d; 16]) };
/// let owner = Principal::<Group>::authenticated("7d7d7d7d-7d7d-7d7d-7d7d-7d7d7d7d7d7d");
/// assert!(note.authorize_record(&owner, Op::Update).is_allowed());
/// assert!(note.authorize_record(&Principal::authenticated("7D7D7D7D-7D7D-7D7D-7D7D-7D7D7D7D7D7D"), Op::Get).is_denied());
/// // A list query matches the same text: the filter holds the claims' text.
/// assert_eq!(Note::filter_for(&owner, Op::Get).to_string(), r#"owner in ["7d7d7d7d-7d7d-7d7d-7d7d-7d7d7d7d7d7d"]"#);
/// ```
///
/// Comparison is exact, by text: the filter of a list query
/// (`filter_for`) holds the same claim texts, so a database column must
/// hold the id as that text (or the query must convert it the same way).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold an owner or a group name",
    label = "this field's type is not a string or a `groupguard::RecordId`",
    note = "owner and group fields are `String`, `&str`, `Option<String>` or a type implementing `groupguard::RecordId` (a newtype, a UUID: one method that compares the id with a claim's text); list fields (`owners`, `groups_defined_in`) are `Vec<String>` or slices"
)]
pub trait RecordId {
    /// Whether the id held is `claim`, exactly, as text. An absent id
    /// (`None`) matches no claim, and an empty one matches none either (a
    /// claim is never empty).
    ///
    /// ```
    /// use groupguard::{ClaimText, RecordId};
    /// assert!("ann".matches_claim(ClaimText::new("ann")));
    /// assert!(!Some("ann").matches_claim(ClaimText::new("Ann")));
    /// assert!(!None::<String>.matches_claim(ClaimText::new("ann")));
    /// ```
    fn matches_claim(&self, claim: ClaimText<'_>) -> bool;
}

/// A record field that holds a list of owners or group names, for
/// `allow(owners = field)` and `allow(groups_defined_in = field)`.
///
/// Implemented for `Vec`, slices, arrays, `Box<[T]>`, `BTreeSet`, `HashSet`,
/// references to those and `Option` of those, of any [`RecordId`].
///
/// ```
/// use groupguard::{ClaimText, RecordIds};
/// let editors = vec!["ann".to_string(), "bo".to_string()];
/// assert!(editors.any_matches_claim(ClaimText::new("bo")));
/// assert!(!None::<Vec<String>>.any_matches_claim(ClaimText::new("bo")));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a list of owners or group names",
    label = "this field's type is not a list of strings or of `groupguard::RecordId`",
    note = "list fields (`owners`, `groups_defined_in`) are `Vec<String>`, slices, arrays or sets of a `groupguard::RecordId`; a single owner or group is `owner = field` or `group_defined_in = field`"
)]
pub trait RecordIds {
    /// Whether any id held matches `claim` ([`RecordId::matches_claim`]).
    ///
    /// ```
    /// use groupguard::{ClaimText, RecordIds};
    /// assert!(["ann", "bo"].any_matches_claim(ClaimText::new("ann")));
    /// ```
    fn any_matches_claim(&self, claim: ClaimText<'_>) -> bool;
}

/// The text a record's id is compared with: one of the principal's
/// identities (its `sub`, Amplify's stored form `sub::username`, with
/// `legacy_username` its user name) or one of its group claim values;
/// never empty. It is held in pieces (`sub`, `::`, `username`), so that a
/// comparison allocates nothing.
///
/// ```
/// use groupguard::ClaimText;
/// let claim = ClaimText::new("ann-sub");
/// assert!(claim.is("ann-sub"));
/// assert!(!claim.is("ann"));
/// assert!(claim.is_display_of(&format_args!("ann-{}", "sub")));
/// assert_eq!(claim.to_string(), "ann-sub");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ClaimText<'a> {
    parts: [&'a str; 3],
}

impl<'a> ClaimText<'a> {
    /// The claim `text`, in one piece.
    ///
    /// ```
    /// use groupguard::ClaimText;
    /// assert_eq!(ClaimText::new("EDITORS").len(), 7);
    /// ```
    #[must_use]
    pub const fn new(text: &'a str) -> Self {
        ClaimText {
            parts: [text, "", ""],
        }
    }

    /// `sub::username`, Amplify's stored form of an owner.
    pub(crate) const fn sub_username(sub: &'a str, username: &'a str) -> Self {
        ClaimText {
            parts: [sub, "::", username],
        }
    }

    /// Its length in bytes.
    ///
    /// ```
    /// use groupguard::ClaimText;
    /// assert_eq!(ClaimText::new("ann").len(), 3);
    /// ```
    #[must_use]
    pub const fn len(&self) -> usize {
        self.parts[0].len() + self.parts[1].len() + self.parts[2].len()
    }

    /// Whether it is empty (a claim that groupguard compares never is).
    ///
    /// ```
    /// use groupguard::ClaimText;
    /// assert!(ClaimText::new("").is_empty());
    /// ```
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `id` is this text, exactly.
    ///
    /// ```
    /// use groupguard::ClaimText;
    /// assert!(ClaimText::new("bo").is("bo"));
    /// assert!(!ClaimText::new("bo").is("bob"));
    /// ```
    #[must_use]
    pub fn is(&self, id: &str) -> bool {
        if id.len() != self.len() {
            return false;
        }
        let mut rest = id.as_bytes();
        for part in self.parts {
            let Some(after) = rest.strip_prefix(part.as_bytes()) else {
                return false;
            };
            rest = after;
        }
        rest.is_empty()
    }

    /// Whether `id` displays as this text, exactly: its `Display` output
    /// is compared as it is written, piece by piece, and the writing stops
    /// at the first difference. No `String` is made.
    ///
    /// ```
    /// use groupguard::ClaimText;
    /// assert!(ClaimText::new("42").is_display_of(&42));
    /// assert!(!ClaimText::new("42").is_display_of(&420));
    /// assert!(!ClaimText::new("42").is_display_of(&4));
    /// ```
    #[must_use]
    pub fn is_display_of<T: fmt::Display + ?Sized>(&self, id: &T) -> bool {
        let mut compare = Comparing {
            parts: self.parts,
            part: 0,
            at: 0,
        };
        fmt::write(&mut compare, format_args!("{id}")).is_ok() && compare.finished()
    }
}

/// A writer that compares what is written with the pieces of a claim.
struct Comparing<'a> {
    parts: [&'a str; 3],
    /// The piece compared next, and the bytes of it already matched.
    part: usize,
    at: usize,
}

impl Comparing<'_> {
    fn finished(&self) -> bool {
        self.parts[self.part.min(2)..]
            .iter()
            .enumerate()
            .all(|(i, part)| {
                if i == 0 {
                    self.at == part.len()
                } else {
                    part.is_empty()
                }
            })
    }
}

impl fmt::Write for Comparing<'_> {
    fn write_str(&mut self, written: &str) -> fmt::Result {
        let mut written = written.as_bytes();
        while !written.is_empty() {
            let Some(part) = self.parts.get(self.part) else {
                return Err(fmt::Error); // longer than the claim
            };
            let pending = &part.as_bytes()[self.at..];
            if pending.is_empty() {
                self.part += 1;
                self.at = 0;
                continue;
            }
            let n = pending.len().min(written.len());
            if pending[..n] != written[..n] {
                return Err(fmt::Error); // differs: stop writing
            }
            self.at += n;
            written = &written[n..];
        }
        Ok(())
    }
}

impl fmt::Display for ClaimText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.parts.iter().try_for_each(|part| f.write_str(part))
    }
}

impl PartialEq<str> for ClaimText<'_> {
    fn eq(&self, other: &str) -> bool {
        self.is(other)
    }
}

impl PartialEq<&str> for ClaimText<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.is(other)
    }
}

impl RecordId for str {
    fn matches_claim(&self, claim: ClaimText<'_>) -> bool {
        claim.is(self)
    }
}

macro_rules! record_id_as_str {
    ($($ty:ty),*) => {$(
        impl RecordId for $ty {
            fn matches_claim(&self, claim: ClaimText<'_>) -> bool {
                claim.is(self)
            }
        }
    )*};
}
record_id_as_str!(String, Box<str>, Cow<'_, str>, Rc<str>, Arc<str>);

impl<T: RecordId + ?Sized> RecordId for &T {
    fn matches_claim(&self, claim: ClaimText<'_>) -> bool {
        T::matches_claim(self, claim)
    }
}

impl<T: RecordId> RecordId for Option<T> {
    fn matches_claim(&self, claim: ClaimText<'_>) -> bool {
        self.as_ref().is_some_and(|id| id.matches_claim(claim))
    }
}

impl<T: RecordId> RecordIds for [T] {
    fn any_matches_claim(&self, claim: ClaimText<'_>) -> bool {
        self.iter().any(|id| id.matches_claim(claim))
    }
}

macro_rules! record_ids_as_slice {
    ($($ty:ty),*) => {$(
        impl<T: RecordId> RecordIds for $ty {
            fn any_matches_claim(&self, claim: ClaimText<'_>) -> bool {
                self.iter().any(|id| id.matches_claim(claim))
            }
        }
    )*};
}
record_ids_as_slice!(Vec<T>, Box<[T]>, BTreeSet<T>);

impl<T: RecordId, const N: usize> RecordIds for [T; N] {
    fn any_matches_claim(&self, claim: ClaimText<'_>) -> bool {
        self.iter().any(|id| id.matches_claim(claim))
    }
}

impl<T: RecordId, S> RecordIds for HashSet<T, S> {
    fn any_matches_claim(&self, claim: ClaimText<'_>) -> bool {
        self.iter().any(|id| id.matches_claim(claim))
    }
}

impl<T: RecordIds + ?Sized> RecordIds for &T {
    fn any_matches_claim(&self, claim: ClaimText<'_>) -> bool {
        T::any_matches_claim(self, claim)
    }
}

impl<T: RecordIds> RecordIds for Option<T> {
    fn any_matches_claim(&self, claim: ClaimText<'_>) -> bool {
        self.as_ref()
            .is_some_and(|ids| ids.any_matches_claim(claim))
    }
}

/// The texts an owner field may hold for the principal: its `sub`, with
/// `legacy_username` its bare user name unless that holds `::`, and
/// Amplify's `sub::username`, each when non-empty; none for a guest. The
/// one list that decisions (`owns`) and list filters (`identities`) both
/// read, so that a query keeps exactly the records a decision allows.
///
/// The bare user name is not an identity by default: where users choose
/// their own user names, one could pick a victim's stored value
/// (`<sub>::<username>`, or a bare `<sub>`) and own the victim's records
/// (issue 22). Even by opt-in, a value holding `::` is someone's
/// `sub::username`, never a user name of the legacy kind.
fn identity_claims<G: Groups>(
    principal: &Principal<G>,
    legacy_username: bool,
) -> impl Iterator<Item = ClaimText<'_>> {
    let sub = principal.sub();
    let username = principal.username().filter(|name| !name.is_empty());
    let bare_sub = sub.filter(|sub| !sub.is_empty());
    let legacy = username.filter(|name| {
        legacy_username && sub.is_some() && Some(*name) != sub && !name.contains("::")
    });
    let amplify = bare_sub.zip(username);
    [
        bare_sub.map(ClaimText::new),
        legacy.map(ClaimText::new),
        amplify.map(|(sub, name)| ClaimText::sub_username(sub, name)),
    ]
    .into_iter()
    .flatten()
}

/// The group claim values the principal holds: its declared groups' and
/// its unknown names, without the empty string; none for a guest. The one
/// list that decisions and list filters both read.
fn group_claims<G: Groups>(principal: &Principal<G>) -> impl Iterator<Item = ClaimText<'_>> {
    let authenticated = principal.is_authenticated();
    let declared = principal
        .groups()
        .iter()
        .map(|group| ClaimText::new(group.name()));
    // Unknown names are not declared claim values, so no name repeats.
    let unknown = principal
        .unknown_groups()
        .iter()
        .filter(|name| !name.is_empty())
        .map(|name| ClaimText::new(name));
    declared.chain(unknown).filter(move |_| authenticated)
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
    identity_claims(principal, legacy_username).any(|claim| field.matches_claim(claim))
}

/// `allow(owners = field)`. Used by generated code.
#[doc(hidden)]
#[inline]
pub fn owns_any<G: Groups, T: RecordIds + ?Sized>(
    principal: &Principal<G>,
    field: &T,
    legacy_username: bool,
) -> bool {
    identity_claims(principal, legacy_username).any(|claim| field.any_matches_claim(claim))
}

/// `allow(group_defined_in = field)`. Used by generated code.
#[doc(hidden)]
#[inline]
pub fn in_group<G: Groups, T: RecordId + ?Sized>(principal: &Principal<G>, field: &T) -> bool {
    group_claims(principal).any(|claim| field.matches_claim(claim))
}

/// `allow(groups_defined_in = field)`. Used by generated code.
#[doc(hidden)]
#[inline]
pub fn in_any_group<G: Groups, T: RecordIds + ?Sized>(principal: &Principal<G>, field: &T) -> bool {
    group_claims(principal).any(|claim| field.any_matches_claim(claim))
}

/// The ids an owner field may hold for the principal, as text, for list
/// filters: the texts [`owns`] compares with.
pub(crate) fn identities<G: Groups>(
    principal: &Principal<G>,
    legacy_username: bool,
) -> Vec<String> {
    identity_claims(principal, legacy_username)
        .map(|claim| claim.to_string())
        .collect()
}

/// The group claim values the principal holds, as text, for list filters:
/// the texts [`in_group`] compares with.
pub(crate) fn group_names<G: Groups>(principal: &Principal<G>) -> Vec<String> {
    group_claims(principal)
        .map(|claim| claim.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ClaimText;

    /// Every way of cutting `text` into pieces for `is_display_of`.
    struct Pieces<'a>(&'a [&'a str]);

    impl core::fmt::Display for Pieces<'_> {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            self.0.iter().try_for_each(|piece| f.write_str(piece))
        }
    }

    #[test]
    fn a_claim_in_pieces_is_its_joined_text_however_it_is_written() {
        let claims = [
            ClaimText::new("ab::cd"),
            ClaimText::sub_username("ab", "cd"),
        ];
        let candidates = [
            "ab::cd", "ab::c", "ab::cde", "ab:cd", "", "ab", "abcd", "xb::cd", "ab::cx",
        ];
        for claim in claims {
            assert_eq!(claim.to_string(), "ab::cd");
            for candidate in candidates {
                let expected = candidate == "ab::cd";
                assert_eq!(claim.is(candidate), expected, "{candidate}");
                assert_eq!(claim.is_display_of(candidate), expected, "{candidate}");
                // Written in every split into two or three pieces.
                for i in 0..=candidate.len() {
                    for j in i..=candidate.len() {
                        let pieces = [&candidate[..i], &candidate[i..j], &candidate[j..]];
                        assert_eq!(
                            claim.is_display_of(&Pieces(&pieces)),
                            expected,
                            "{pieces:?}"
                        );
                    }
                }
            }
        }
        assert!(ClaimText::new("").is_display_of(""));
        assert!(!ClaimText::new("").is_display_of("a"));
    }
}
