//! The groups enum contract ([`Groups`]) and the bitset of groups ([`GroupSet`]).

use core::fmt;
use core::hash::Hash;
use core::marker::PhantomData;

use crate::hash::probe;
use crate::text::shown;

/// A user-pool groups enum, implemented by [`#[groups]`](crate::groups).
///
/// Every item is also generated as an inherent item on the enum, so callers
/// rarely need to import this trait; generic code (such as [`GroupSet`] and
/// [`Principal`](crate::Principal)) is written against it.
///
/// Implementing it by hand is possible but not recommended: the macro keeps
/// `index` and `ALL` consistent and checks every Cognito limit at compile time.
///
/// ```
/// use groupguard::{groups, Groups};
///
/// #[groups]
/// pub enum Group { ADMINS, EDITORS }
///
/// fn claim_names<G: Groups>() -> Vec<&'static str> {
///     G::ALL.iter().map(|g| g.name()).collect()
/// }
/// assert_eq!(claim_names::<Group>(), ["ADMINS", "EDITORS"]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a groups enum",
    label = "not declared with `#[groups]`",
    note = "declare the enum with `#[groupguard::groups]`, or name it with `groups = path::To::Enum`"
)]
pub trait Groups:
    Copy + Eq + Hash + Ord + fmt::Debug + fmt::Display + Send + Sync + 'static
{
    /// The storage of a [`GroupSet`] of this enum: `[u64; N]` with one bit per group.
    ///
    /// ```
    /// # use groupguard::{groups, Groups};
    /// # #[groups] pub enum Group { ADMINS }
    /// let words: <Group as Groups>::Words = [0u64; 1];
    /// # let _ = words;
    /// ```
    type Words: Words;

    /// Every group, in declaration order.
    ///
    /// ```
    /// # use groupguard::{groups, Groups};
    /// # #[groups] pub enum Group { ADMINS, #[group(name = "content-editors", precedence = 5, role = "arn:aws:iam::123456789012:role/Editors", description = "editors")] EDITORS }
    /// assert_eq!(<Group as Groups>::ALL, &[Group::ADMINS, Group::EDITORS]);
    /// ```
    const ALL: &'static [Self];

    /// Position of the group in [`ALL`](Groups::ALL) (its bit in a [`GroupSet`]).
    ///
    /// ```
    /// # use groupguard::{groups, Groups};
    /// # #[groups] pub enum Group { ADMINS, #[group(name = "content-editors", precedence = 5, role = "arn:aws:iam::123456789012:role/Editors", description = "editors")] EDITORS }
    /// assert_eq!(Groups::index(Group::EDITORS), 1);
    /// ```
    fn index(self) -> usize;

    /// The claim value this group matches in `cognito:groups` (exact, case-sensitive).
    ///
    /// ```
    /// # use groupguard::{groups, Groups};
    /// # #[groups] pub enum Group { ADMINS, #[group(name = "content-editors", precedence = 5, role = "arn:aws:iam::123456789012:role/Editors", description = "editors")] EDITORS }
    /// assert_eq!(Groups::name(Group::EDITORS), "content-editors");
    /// ```
    fn name(self) -> &'static str;

    /// The group whose claim value is exactly `name`, if any.
    ///
    /// ```
    /// # use groupguard::{groups, Groups};
    /// # #[groups] pub enum Group { ADMINS, #[group(name = "content-editors", precedence = 5, role = "arn:aws:iam::123456789012:role/Editors", description = "editors")] EDITORS }
    /// assert_eq!(<Group as Groups>::from_name("content-editors"), Some(Group::EDITORS));
    /// assert_eq!(<Group as Groups>::from_name("EDITORS"), None);
    /// ```
    fn from_name(name: &str) -> Option<Self>;

    /// Cognito precedence: lower value, higher priority.
    ///
    /// ```
    /// # use groupguard::{groups, Groups};
    /// # #[groups] pub enum Group { ADMINS, #[group(name = "content-editors", precedence = 5, role = "arn:aws:iam::123456789012:role/Editors", description = "editors")] EDITORS }
    /// assert_eq!(Groups::precedence(Group::ADMINS), 0);
    /// assert_eq!(Groups::precedence(Group::EDITORS), 5);
    /// ```
    fn precedence(self) -> u32;

    /// IAM role ARN attached to the group, if declared.
    ///
    /// ```
    /// # use groupguard::{groups, Groups};
    /// # #[groups] pub enum Group { ADMINS, #[group(name = "content-editors", precedence = 5, role = "arn:aws:iam::123456789012:role/Editors", description = "editors")] EDITORS }
    /// assert_eq!(Groups::role(Group::ADMINS), None);
    /// assert_eq!(Groups::role(Group::EDITORS), Some("arn:aws:iam::123456789012:role/Editors"));
    /// ```
    fn role(self) -> Option<&'static str>;

    /// Human description of the group, if declared.
    ///
    /// ```
    /// # use groupguard::{groups, Groups};
    /// # #[groups] pub enum Group { ADMINS, #[group(name = "content-editors", precedence = 5, role = "arn:aws:iam::123456789012:role/Editors", description = "editors")] EDITORS }
    /// assert_eq!(Groups::description(Group::EDITORS), Some("editors"));
    /// ```
    fn description(self) -> Option<&'static str>;
}

mod sealed {
    pub trait Sealed {}
    impl<const N: usize> Sealed for [u64; N] {}
}

/// Fixed-size word storage of a [`GroupSet`]; implemented for `[u64; N]` only.
///
/// ```
/// use groupguard::Words;
/// let words = <[u64; 2] as Words>::ZERO;
/// assert_eq!(words.as_slice(), &[0, 0]);
/// ```
pub trait Words: sealed::Sealed + Copy + Eq + Hash + Ord + Send + Sync + 'static {
    /// All bits clear.
    ///
    /// ```
    /// use groupguard::Words;
    /// assert_eq!(<[u64; 3] as Words>::ZERO, [0, 0, 0]);
    /// ```
    const ZERO: Self;
    /// The words, lowest group index first.
    ///
    /// ```
    /// use groupguard::Words;
    /// assert_eq!([1u64, 2].as_slice(), &[1, 2]);
    /// ```
    fn as_slice(&self) -> &[u64];
    /// The words, mutably.
    ///
    /// ```
    /// use groupguard::Words;
    /// let mut words = [0u64; 2];
    /// Words::as_mut_slice(&mut words)[1] = 7;
    /// assert_eq!(words, [0, 7]);
    /// ```
    fn as_mut_slice(&mut self) -> &mut [u64];
}

impl<const N: usize> Words for [u64; N] {
    const ZERO: Self = [0; N];
    #[inline]
    fn as_slice(&self) -> &[u64] {
        self
    }
    #[inline]
    fn as_mut_slice(&mut self) -> &mut [u64] {
        self
    }
}

/// A set of groups of one enum, stored as a bitset with one bit per declared group.
///
/// All operations are word-wise: no allocation, no string comparison.
/// Iteration yields groups in declaration order.
///
/// ```
/// use groupguard::{groups, GroupSet};
///
/// #[groups]
/// pub enum Group { ADMINS, EDITORS, VIEWERS }
///
/// let mut set: GroupSet<Group> = [Group::VIEWERS, Group::ADMINS].into_iter().collect();
/// assert!(set.contains(Group::ADMINS));
/// assert_eq!(set.len(), 2);
/// set.insert(Group::EDITORS);
/// set.remove(Group::VIEWERS);
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Group::ADMINS, Group::EDITORS]);
/// let editors: GroupSet<Group> = [Group::EDITORS].into_iter().collect();
/// assert!(set.intersects(&editors));
/// ```
pub struct GroupSet<G: Groups> {
    words: G::Words,
    _group: PhantomData<fn() -> G>,
}

impl<G: Groups> GroupSet<G> {
    /// The empty set.
    ///
    /// ```
    /// # use groupguard::{groups, GroupSet};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert!(GroupSet::<Group>::EMPTY.is_empty());
    /// ```
    pub const EMPTY: Self = Self::__from_mask(G::Words::ZERO);

    /// The empty set.
    ///
    /// ```
    /// # use groupguard::{groups, GroupSet};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert!(GroupSet::<Group>::new().is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self::EMPTY
    }

    /// A set from its raw words (bit `i` = `G::ALL[i]`). Bits beyond the
    /// declared groups are cleared, so they never count.
    ///
    /// ```
    /// # use groupguard::{groups, GroupSet};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// let set = GroupSet::<Group>::from_words([0b110]); // bit 2 names no group
    /// assert!(set.contains(Group::EDITORS));
    /// assert_eq!(set.len(), 1);
    /// assert_eq!(set.words(), &[0b10]);
    /// ```
    #[must_use]
    pub fn from_words(mut words: G::Words) -> Self {
        let declared = G::ALL.len();
        for (i, word) in words.as_mut_slice().iter_mut().enumerate() {
            let first_bit = i * 64;
            *word &= match declared.saturating_sub(first_bit) {
                0 => 0,
                n if n >= 64 => u64::MAX,
                n => (1 << n) - 1,
            };
        }
        Self::__from_mask(words)
    }

    #[doc(hidden)] // used by generated code, not public API: `words` must name declared groups only
    #[must_use]
    pub const fn __from_mask(words: G::Words) -> Self {
        Self {
            words,
            _group: PhantomData,
        }
    }

    /// The raw words.
    ///
    /// ```
    /// # use groupguard::{groups, GroupSet};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// let set: GroupSet<Group> = [Group::EDITORS].into_iter().collect();
    /// assert_eq!(set.words(), &[0b10]);
    /// ```
    #[must_use]
    pub fn words(&self) -> &[u64] {
        self.words.as_slice()
    }

    /// Whether `group` is in the set.
    ///
    /// ```
    /// # use groupguard::{groups, GroupSet};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// let set: GroupSet<Group> = [Group::ADMINS].into_iter().collect();
    /// assert!(set.contains(Group::ADMINS) && !set.contains(Group::EDITORS));
    /// ```
    #[inline]
    #[must_use]
    pub fn contains(&self, group: G) -> bool {
        let i = group.index();
        self.words
            .as_slice()
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Adds `group`; returns whether it was newly inserted.
    ///
    /// ```
    /// # use groupguard::{groups, GroupSet};
    /// # #[groups] pub enum Group { ADMINS }
    /// let mut set = GroupSet::new();
    /// assert!(set.insert(Group::ADMINS));
    /// assert!(!set.insert(Group::ADMINS));
    /// ```
    #[inline]
    pub fn insert(&mut self, group: G) -> bool {
        let i = group.index();
        match self.words.as_mut_slice().get_mut(i / 64) {
            Some(w) => {
                let bit = 1 << (i % 64);
                let fresh = *w & bit == 0;
                *w |= bit;
                fresh
            }
            None => false,
        }
    }

    /// Removes `group`; returns whether it was present.
    ///
    /// ```
    /// # use groupguard::{groups, GroupSet};
    /// # #[groups] pub enum Group { ADMINS }
    /// let mut set: GroupSet<Group> = [Group::ADMINS].into_iter().collect();
    /// assert!(set.remove(Group::ADMINS));
    /// assert!(set.is_empty());
    /// ```
    #[inline]
    pub fn remove(&mut self, group: G) -> bool {
        let i = group.index();
        match self.words.as_mut_slice().get_mut(i / 64) {
            Some(w) => {
                let bit = 1 << (i % 64);
                let present = *w & bit != 0;
                *w &= !bit;
                present
            }
            None => false,
        }
    }

    /// Whether the two sets share at least one group.
    ///
    /// ```
    /// # use groupguard::{groups, GroupSet};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// let a: GroupSet<Group> = [Group::ADMINS].into_iter().collect();
    /// let b: GroupSet<Group> = [Group::EDITORS].into_iter().collect();
    /// assert!(!a.intersects(&b));
    /// ```
    #[inline]
    #[must_use]
    pub fn intersects(&self, other: &Self) -> bool {
        self.words
            .as_slice()
            .iter()
            .zip(other.words.as_slice())
            .any(|(a, b)| a & b != 0)
    }

    /// Whether the set holds no group.
    ///
    /// ```
    /// # use groupguard::{groups, GroupSet};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert!(GroupSet::<Group>::new().is_empty());
    /// ```
    #[inline]
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words.as_slice().iter().all(|w| *w == 0)
    }

    /// Number of groups in the set.
    ///
    /// ```
    /// # use groupguard::{groups, GroupSet};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// let set: GroupSet<Group> = [Group::ADMINS, Group::EDITORS, Group::ADMINS].into_iter().collect();
    /// assert_eq!(set.len(), 2);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.words
            .as_slice()
            .iter()
            .map(|w| w.count_ones() as usize)
            .sum()
    }

    /// The groups of the set, in declaration order.
    ///
    /// ```
    /// # use groupguard::{groups, GroupSet};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// let set: GroupSet<Group> = [Group::EDITORS, Group::ADMINS].into_iter().collect();
    /// assert_eq!(set.iter().collect::<Vec<_>>(), [Group::ADMINS, Group::EDITORS]);
    /// ```
    pub fn iter(&self) -> Iter<'_, G> {
        Iter {
            set: self,
            word: 0,
            bits: self.words.as_slice().first().copied().unwrap_or(0),
        }
    }
}

impl<G: Groups> Default for GroupSet<G> {
    fn default() -> Self {
        Self::EMPTY
    }
}

#[expect(
    clippy::expl_impl_clone_on_copy,
    reason = "GroupSet's impls are written out as `impl<G: Groups>`, so none shows a derive's extra bounds (`G: Clone`, `G::Words: Clone`)"
)]
impl<G: Groups> Clone for GroupSet<G> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<G: Groups> Copy for GroupSet<G> {}

impl<G: Groups> PartialEq for GroupSet<G> {
    fn eq(&self, other: &Self) -> bool {
        self.words == other.words
    }
}

impl<G: Groups> Eq for GroupSet<G> {}

impl<G: Groups> Hash for GroupSet<G> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.words.hash(state);
    }
}

impl<G: Groups> fmt::Debug for GroupSet<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<G: Groups> FromIterator<G> for GroupSet<G> {
    fn from_iter<I: IntoIterator<Item = G>>(iter: I) -> Self {
        let mut set = Self::EMPTY;
        set.extend(iter);
        set
    }
}

impl<G: Groups> Extend<G> for GroupSet<G> {
    fn extend<I: IntoIterator<Item = G>>(&mut self, iter: I) {
        for group in iter {
            self.insert(group);
        }
    }
}

impl<'a, G: Groups> IntoIterator for &'a GroupSet<G> {
    type Item = G;
    type IntoIter = Iter<'a, G>;
    fn into_iter(self) -> Iter<'a, G> {
        self.iter()
    }
}

/// Iterator over a [`GroupSet`], in declaration order; see [`GroupSet::iter`].
///
/// ```
/// # use groupguard::{groups, GroupSet};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// let set: GroupSet<Group> = Group::ALL.iter().copied().collect();
/// let mut iter = set.iter();
/// assert_eq!(iter.next(), Some(Group::ADMINS));
/// assert_eq!(iter.next(), Some(Group::EDITORS));
/// assert_eq!(iter.next(), None);
/// ```
pub struct Iter<'a, G: Groups> {
    set: &'a GroupSet<G>,
    word: usize,
    bits: u64,
}

impl<G: Groups> Iterator for Iter<'_, G> {
    type Item = G;

    fn next(&mut self) -> Option<G> {
        let words = self.set.words.as_slice();
        loop {
            if self.bits != 0 {
                let bit = self.bits.trailing_zeros() as usize;
                self.bits &= self.bits - 1;
                // Bits past the declared groups cannot be set through the API; skip them all the same.
                if let Some(group) = G::ALL.get(self.word * 64 + bit) {
                    return Some(*group);
                }
                continue;
            }
            self.word += 1;
            self.bits = *words.get(self.word)?;
        }
    }
}

/// The group whose claim value is `name`, through `#[groups]`'s table.
#[doc(hidden)] // used by generated code, not public API
#[inline]
pub fn lookup<G: Groups>(slots: &[u16], name: &str) -> Option<G> {
    let index = probe(slots, name, |i| G::ALL.get(i).map(|g| g.name()))?;
    G::ALL.get(index).copied()
}

/// Fails the build when a rule's groups enum type and the companion macro
/// that listed its groups describe different enums (their fingerprints
/// differ); `message` names both.
#[doc(hidden)] // used by generated code, not public API
#[expect(
    clippy::manual_assert,
    reason = "the compile error of a mismatched enum quotes this line (tests/ui/*/type-and-macro-name-different-enums.stderr); `panic!(message)` reads better there than an `assert!` of two fingerprints"
)]
pub const fn assert_same_groups(of_type: u64, of_macro: u64, message: &str) {
    if of_type != of_macro {
        panic!("{}", message);
    }
}

/// Whether the companion macro of the groups enum `Group` ran: the first
/// stage of `#[model]`, `storage!` and `group_set!` declares a marker type
/// and requires this trait of it, and the second stage, which only the
/// companion macro calls, implements it. When no `Group!` is in scope,
/// rustc's "cannot find macro `Group`" comes with this error, which names
/// both fixes.
#[doc(hidden)] // used by generated code, not public API
#[diagnostic::on_unimplemented(
    message = "no groups enum `Group` in scope: import it, or name the enum with `groups = path::To::Enum`",
    label = "here the groups enum is `Group`, and no `Group` is in scope",
    note = "import the enum declared with `#[groups]`: `use crate::path::to::Group;` (a `use` of the enum brings its companion macro `Group!` too)",
    note = "or name an enum with another name or path: `#[model(groups = crate::path::Role, allow(...))]`, `groups = crate::path::Role;` as the first line of `storage!`, `group_set![groups = crate::path::Role; ...]`"
)]
pub trait GroupsEnumFound {}

/// The first stage's check that the second stage ran (see [`GroupsEnumFound`]).
#[doc(hidden)] // used by generated code, not public API
pub const fn groups_enum_found<T: GroupsEnumFound>() {}

/// The error of parsing a groups enum from a name that is not declared.
///
/// ```
/// use groupguard::groups;
/// #[groups]
/// pub enum Group { ADMINS }
/// let err = "ADMIN".parse::<Group>().unwrap_err();
/// assert_eq!(err.to_string(), "unknown group `ADMIN`");
/// ```
///
/// Its message shows the name escaped and cut to 64 characters (it may come
/// from a token), so that a name holding a newline or a backtick cannot forge
/// a log line:
///
/// ```
/// # use groupguard::groups;
/// # #[groups] pub enum Group { ADMINS }
/// let err = "x`\nINFO forged".parse::<Group>().unwrap_err();
/// assert_eq!(err.to_string(), "unknown group `x\\`\\nINFO forged`");
/// assert_eq!(err.name(), "x`\nINFO forged");
/// ```
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[error("unknown group `{}`", shown(.0))]
pub struct UnknownGroup(String);

impl UnknownGroup {
    #[doc(hidden)] // used by generated code, not public API
    #[must_use]
    pub fn __new(name: &str) -> Self {
        Self(name.to_owned())
    }

    /// The name that matched no declared group.
    ///
    /// ```
    /// # use groupguard::groups;
    /// # #[groups] pub enum Group { ADMINS }
    /// assert_eq!("ADMIN".parse::<Group>().unwrap_err().name(), "ADMIN");
    /// ```
    #[must_use]
    pub fn name(&self) -> &str {
        &self.0
    }
}
