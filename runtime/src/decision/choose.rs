//! The one place where a deny reason is chosen: [`first_admitting`] over
//! the rules of one simple action, and [`decide_parts`] over the parts of a
//! composite one. Model and storage guards, record and field decisions and
//! the compiled model table all decide through them.

use super::{Decision, DenyReason, Outcome, Request};

/// The decision on a composite action (`read`) or a simple one: allowed when
/// `decide_part` allows every part; the first denied part names the denial,
/// and the first part's allowing rule names the allowance. Shared by model
/// and storage guards.
#[inline]
pub(crate) fn decide_parts<P: Copy>(
    request: Request,
    parts: &[P],
    part_name: impl Fn(P) -> &'static str,
    mut decide_part: impl FnMut(P) -> Result<&'static str, DenyReason>,
) -> Decision {
    let composite = parts.len() > 1;
    let mut first_rule = "";
    for (i, part) in parts.iter().enumerate() {
        match decide_part(*part) {
            Ok(rule) if i == 0 => first_rule = rule,
            Ok(_) => {}
            Err(reason) => {
                let request = if composite {
                    request.in_part(part_name(*part))
                } else {
                    request
                };
                return request.denied(reason);
            }
        }
    }
    request.decided(Outcome::Allowed { rule: first_rule })
}

/// What a deny reason needs to know of a rule or grant: whom it admits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admits {
    Guests,
    Authenticated,
    Groups,
    /// `entity(identity)`: the owner of the key's `{entity_id}`.
    Entity,
    /// `owner` and `owners`: an owner of the record.
    Owner,
}

/// What one rule says about a request, as the decision loop sees it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// The rule allows the request.
    Admits,
    /// The rule does not admit the principal.
    Rejects,
    /// The rule admits the principal but does not allow the request for
    /// this reason (`ConditionFailed`, `NeedsRecord`); the first such reason
    /// is the denial's when no rule allows.
    Unmet(DenyReason),
}

impl From<bool> for Check {
    #[inline]
    fn from(admits: bool) -> Self {
        if admits {
            Check::Admits
        } else {
            Check::Rejects
        }
    }
}

/// A model rule or a storage grant, as the decision loop sees it.
pub(crate) trait Rule {
    fn admits_kind(&self) -> Admits;
    fn declaration(&self) -> &'static str;
}

/// The declaration of the first of `candidates` (the rules that cover one
/// simple action, in declaration order) that `check` says admits the
/// request, or why none does. The one place where a deny reason is chosen.
#[inline]
pub(crate) fn first_admitting<'r, R: Rule + 'r>(
    candidates: impl IntoIterator<Item = &'r R>,
    authenticated: bool,
    check: impl Fn(&R) -> Check,
) -> Result<&'static str, DenyReason> {
    let mut covered = false;
    let mut for_guests_only = true;
    let mut for_entity = false;
    let mut for_owner = false;
    let mut unmet = None;
    for rule in candidates {
        match check(rule) {
            Check::Admits => return Ok(rule.declaration()),
            Check::Rejects => {}
            Check::Unmet(reason) => {
                unmet.get_or_insert(reason);
            }
        }
        let kind = rule.admits_kind();
        covered = true;
        for_guests_only &= kind == Admits::Guests;
        for_entity |= kind == Admits::Entity;
        for_owner |= kind == Admits::Owner;
    }
    Err(if !covered {
        DenyReason::NoRule
    } else if let Some(reason) = unmet {
        reason
    } else if !authenticated {
        DenyReason::Guest
    } else if for_guests_only {
        DenyReason::GuestsOnly
    } else if for_entity {
        DenyReason::NotOwner
    } else if for_owner {
        DenyReason::NotRecordOwner
    } else {
        DenyReason::NotInAllowedGroup
    })
}
