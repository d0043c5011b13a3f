//! Updates: the checks of [`Model::authorize_update`](super::Model::authorize_update),
//! and what the generated code tells them about each field.
//!
//! Which fields are `Option` and which a model's field rules cover is known
//! only to `#[model]`; it generates `Model::__update_fields`, which reports
//! each field the update clears or that has rules of its own, by name
//! ([`FieldUpdate`]). Whether a field is an `Option` is decided by its type,
//! not its spelling ([`Clearing`]); whether a field with rules of its own
//! changed, by its `PartialEq` ([`ComparedField`]).

use super::{Model, Op, decide_record};
use crate::decision::{Decision, DenyReason, Outcome, Request, UpdateCheck};
use crate::principal::Principal;

/// What an update does to one field: reported by generated code for each
/// field it clears and each field with rules of its own. Used by generated
/// code, not public API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct FieldUpdate {
    name: &'static str,
    /// The field's index in `Model::FIELDS` when it has rules of its own.
    rules: Option<usize>,
    cleared: bool,
    changed: bool,
}

impl FieldUpdate {
    #[doc(hidden)] // used by generated code, not public API
    #[must_use]
    pub const fn __new(
        name: &'static str,
        rules: Option<usize>,
        cleared: bool,
        changed: bool,
    ) -> Self {
        Self {
            name,
            rules,
            cleared,
            changed,
        }
    }
}

/// A field before and after an update, to ask whether the update clears it:
/// `Clearing::new(&before, &after).__cleared()` is `before.is_some() &&
/// after.is_none()` when the field's type is `core::option::Option<_>`
/// however it is spelled (an alias, `std::option::Option`, a renamed
/// import), and `false` for any other type, a generic parameter included.
///
/// The choice is rustc's method resolution, not the macro's reading of the
/// type's spelling: the inherent method of `Clearing<Option<T>>` is found
/// before the one of the type it dereferences to, [`NotAnOption`]. Used by
/// generated code, not public API.
#[doc(hidden)]
pub struct Clearing<'a, T: ?Sized>(NotAnOption<'a, T>);

/// What [`Clearing`] dereferences to, for a field that is not an `Option`.
#[doc(hidden)]
pub struct NotAnOption<'a, T: ?Sized> {
    before: &'a T,
    after: &'a T,
}

impl<'a, T: ?Sized> Clearing<'a, T> {
    #[doc(hidden)] // used by generated code, not public API
    #[inline]
    pub const fn new(before: &'a T, after: &'a T) -> Self {
        Clearing(NotAnOption { before, after })
    }
}

impl<T> Clearing<'_, Option<T>> {
    /// Whether the field goes from `Some` to `None`.
    #[doc(hidden)] // used by generated code, not public API
    #[inline]
    #[must_use]
    pub const fn __cleared(&self) -> bool {
        self.0.before.is_some() && self.0.after.is_none()
    }
}

impl<T: ?Sized> NotAnOption<'_, T> {
    /// A field that is not an `Option` is never cleared.
    #[doc(hidden)] // used by generated code, not public API
    #[inline]
    #[must_use]
    #[expect(
        clippy::unused_self,
        reason = "a method, so that method resolution finds it after `Clearing<Option<T>>`'s"
    )]
    pub const fn __cleared(&self) -> bool {
        false
    }
}

impl<'a, T: ?Sized> core::ops::Deref for Clearing<'a, T> {
    type Target = NotAnOption<'a, T>;

    #[inline]
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// A field with rules of its own is compared to know whether an update
/// changes it, so its type implements `PartialEq`. Generated code calls
/// `ComparedField::__differs` by path, so that a type that is not
/// comparable is reported at the field's type. Used by generated code, not
/// public API.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared, so `authorize_update` cannot tell whether an update changes this field",
    label = "this field has rules of its own (`#[field(allow(...))]`) and its type does not implement `PartialEq`",
    note = "derive or implement `PartialEq` for `{Self}`: an update is checked against a field's own rules only when it changes the field"
)]
pub trait ComparedField {
    /// Whether `self` and `other` differ.
    fn __differs(&self, other: &Self) -> bool;
}

impl<T: PartialEq + ?Sized> ComparedField for T {
    #[inline]
    fn __differs(&self, other: &Self) -> bool {
        self != other
    }
}

/// A decision's allowing rule, or its deny reason.
fn outcome(decision: Decision) -> Result<&'static str, DenyReason> {
    match decision.outcome() {
        Outcome::Allowed { rule } => Ok(rule),
        Outcome::Denied(reason) => Err(reason),
    }
}

/// `op` on one field of `record`: by its own rules (`rules` is its index
/// in `M::FIELDS`), else by the model's.
fn on_field<M: Model + ?Sized>(
    record: &M,
    principal: &Principal<M::Group>,
    rules: Option<usize>,
    op: Op,
) -> Result<&'static str, DenyReason> {
    let Some(index) = rules else {
        return outcome(decide_record(record, M::NAME, M::RULES, principal, op));
    };
    match M::FIELDS.get(index) {
        Some(field) => outcome(decide_record(
            record,
            field.resource(),
            field.rules(),
            principal,
            op,
        )),
        // Generated indices are always in range; deny rather than trust one that is not.
        None => Err(DenyReason::NoRule),
    }
}

/// The decision of `authorize_update`: `update` on `stored`, then on
/// `proposed`, then `delete` on each field the update clears, then `update`
/// by the rules of each field with rules of its own that it changes (fields
/// in declaration order); the first check that denies names the denial.
/// Field checks read the stored record, as Amplify's resolver does.
pub(crate) fn decide<M: Model + ?Sized>(
    stored: &M,
    principal: &Principal<M::Group>,
    proposed: &M,
) -> Decision {
    let request = Request::new(M::NAME, Op::Update.name(), !principal.is_authenticated());
    let rule = match outcome(decide_record(
        stored,
        M::NAME,
        M::RULES,
        principal,
        Op::Update,
    )) {
        Ok(rule) => rule,
        Err(reason) => return request.checking(UpdateCheck::Stored).denied(reason),
    };
    if let Err(reason) = outcome(decide_record(
        proposed,
        M::NAME,
        M::RULES,
        principal,
        Op::Update,
    )) {
        return request.checking(UpdateCheck::Saved).denied(reason);
    }
    let mut cleared: Option<(UpdateCheck, DenyReason)> = None;
    let mut changed: Option<(UpdateCheck, DenyReason)> = None;
    stored.__update_fields(proposed, &mut |field| {
        if field.cleared
            && cleared.is_none()
            && let Err(reason) = on_field(stored, principal, field.rules, Op::Delete)
        {
            cleared = Some((UpdateCheck::Cleared { field: field.name }, reason));
        }
        // A clearing denied decides the denial: later checks cannot change it.
        if field.changed
            && cleared.is_none()
            && changed.is_none()
            && field.rules.is_some()
            && let Err(reason) = on_field(stored, principal, field.rules, Op::Update)
        {
            changed = Some((UpdateCheck::Changed { field: field.name }, reason));
        }
    });
    match cleared.or(changed) {
        Some((check, reason)) => request.checking(check).denied(reason),
        None => request.decided(Outcome::Allowed { rule }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::GroupSet;
    use crate::model::{ModelRule, OpSet, Who};
    use crate::{FieldRules, groups};

    #[groups]
    pub enum Group {
        ADMINS,
    }

    /// A model written by hand, whose `__update_fields` reports a field
    /// with rules of its own at an index `FIELDS` does not have.
    struct Odd;

    impl Model for Odd {
        type Group = Group;
        const NAME: &'static str = "Odd";
        const RULES: &'static [ModelRule<Group>] = &[ModelRule::__new(
            Who::Authenticated,
            GroupSet::EMPTY,
            OpSet::ALL,
            "allow(authenticated)",
        )];
        const FIELDS: &'static [FieldRules<Group>] = &[];

        fn __update_fields(&self, _: &Self, each: &mut dyn FnMut(FieldUpdate)) {
            each(FieldUpdate::__new("ghost", Some(7), false, true));
        }
    }

    #[test]
    fn a_field_index_out_of_range_denies_instead_of_panicking() {
        let decision = Odd.authorize_update(&Principal::authenticated("u"), &Odd);
        assert_eq!(
            decision.update_check(),
            Some(UpdateCheck::Changed { field: "ghost" })
        );
        assert_eq!(decision.deny_reason(), Some(DenyReason::NoRule));
    }

    #[test]
    fn only_an_option_is_cleared() {
        assert!(Clearing::new(&Some(1), &None).__cleared());
        assert!(!Clearing::new(&None::<u8>, &None).__cleared());
        assert!(!Clearing::new(&Some(1), &Some(2)).__cleared());
        assert!(!Clearing::new(&1, &0).__cleared());
        assert!(!Clearing::new("a", "").__cleared());
        let (some, none) = (Some(1), None);
        assert!(!Clearing::new(&&some, &&none).__cleared());
    }
}
