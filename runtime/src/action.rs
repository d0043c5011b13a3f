//! What a rule grants: an [`Action`] (a model [`Op`](crate::Op) or a
//! storage [`Access`](crate::Access)) and a set of them, [`ActionSet`].
//!
//! Both kinds have one composite, `read`, which stands for its parts (five
//! for a model, `get` and `list` for a storage) and is allowed only when
//! every part is. A set holds simple actions only; adding `read` adds its
//! parts.

use core::fmt;
use core::hash::{Hash, Hasher};
use core::marker::PhantomData;

/// An action a rule can grant: [`Op`](crate::Op) for models,
/// [`Access`](crate::Access) for storages.
///
/// ```
/// use groupguard::{Access, Action, Op};
/// fn names<A: Action>() -> Vec<&'static str> {
///     A::ALL.iter().map(|a| a.name()).collect()
/// }
/// assert_eq!(names::<Access>(), ["read", "get", "list", "write", "delete"]);
/// assert_eq!(names::<Op>().len(), 9);
/// ```
pub trait Action: Copy + Eq + fmt::Debug + fmt::Display + Sized + 'static {
    /// Every action, in the order of the documentation, the composite
    /// `read` included: the one list every table, report and export
    /// iterates.
    const ALL: &'static [Self];

    /// The name used in rules (`create`, `read`, `write`...).
    fn name(self) -> &'static str;

    /// The simple actions this one stands for: itself, or `read`'s parts.
    fn parts(self) -> &'static [Self];

    /// The bits of an [`ActionSet`] this action covers (all of its parts').
    #[doc(hidden)] // the set's representation, not public API
    fn bits(self) -> u16;
}

/// A set of simple actions of one kind, as granted by one rule:
/// [`OpSet`](crate::OpSet) for models, [`AccessSet`](crate::AccessSet) for
/// storages. Build one with `OpSet::of` or `AccessSet::of`.
///
/// ```
/// use groupguard::{Access, AccessSet, Op, OpSet};
/// let ops = OpSet::of(&[Op::Read, Op::Update]);
/// assert!(ops.contains(Op::Read) && ops.contains(Op::Listen) && !ops.contains(Op::Delete));
/// let actions = AccessSet::of(&[Access::Get, Access::Write]);
/// assert!(!actions.contains(Access::Read));
/// assert_eq!(actions.iter().collect::<Vec<_>>(), [Access::Get, Access::Write]);
/// ```
pub struct ActionSet<A> {
    bits: u16,
    _actions: PhantomData<fn() -> A>,
}

impl<A> ActionSet<A> {
    /// The set of the given bits; the typed constructors (`OpSet::of`,
    /// `AccessSet::of`, which are `const`) compute them.
    pub(crate) const fn from_bits(bits: u16) -> Self {
        Self {
            bits,
            _actions: PhantomData,
        }
    }

    /// Whether the set holds no action.
    ///
    /// ```
    /// use groupguard::{Access, AccessSet};
    /// assert!(AccessSet::default().is_empty());
    /// assert!(!AccessSet::of(&[Access::Delete]).is_empty());
    /// ```
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.bits == 0
    }

    /// The set's bits (one per simple action).
    pub(crate) const fn bits(self) -> u16 {
        self.bits
    }
}

impl<A: Action> ActionSet<A> {
    /// Whether every part of `action` is in the set.
    ///
    /// ```
    /// use groupguard::{Op, OpSet};
    /// assert!(!OpSet::of(&[Op::Get]).contains(Op::Read));
    /// assert!(OpSet::of(&[Op::Get, Op::List, Op::Sync, Op::Listen, Op::Search]).contains(Op::Read));
    /// ```
    #[inline]
    #[must_use]
    pub fn contains(self, action: A) -> bool {
        let bits = action.bits();
        self.bits & bits == bits
    }

    /// The simple actions of the set, in the documentation's order (never
    /// `read`: its parts instead).
    ///
    /// ```
    /// use groupguard::{Access, AccessSet};
    /// assert_eq!(AccessSet::of(&[Access::Read]).iter().collect::<Vec<_>>(), [Access::Get, Access::List]);
    /// ```
    pub fn iter(self) -> impl Iterator<Item = A> {
        A::ALL
            .iter()
            .copied()
            .filter(move |action| action.parts() == [*action] && self.contains(*action))
    }
}

// Written out rather than derived: a derive would ask the same of `A`.
impl<A> Clone for ActionSet<A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A> Copy for ActionSet<A> {}

impl<A> PartialEq for ActionSet<A> {
    fn eq(&self, other: &Self) -> bool {
        self.bits == other.bits
    }
}

impl<A> Eq for ActionSet<A> {}

impl<A> Hash for ActionSet<A> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.bits.hash(state);
    }
}

impl<A> Default for ActionSet<A> {
    fn default() -> Self {
        Self::from_bits(0)
    }
}

impl<A: Action> fmt::Debug for ActionSet<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// The masks (`const fn mask`, each kind's own) of `actions`, or-ed: the body of the
/// typed `const fn of`s (a generic one cannot call a trait method in a
/// `const` context). Written as a macro so that each kind keeps its own
/// `const` constructor and the loop is still written once.
macro_rules! set_of {
    ($set:ty, $actions:expr) => {{
        let actions = $actions;
        let mut bits = 0;
        let mut i = 0;
        while i < actions.len() {
            bits |= actions[i].mask();
            i += 1;
        }
        <$set>::from_bits(bits)
    }};
}
pub(crate) use set_of;
