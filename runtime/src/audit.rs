//! Audit events: every decision of a generated guard as a `tracing` event on
//! target `groupguard::audit`, without code at the call sites. Allowed
//! requests at `DEBUG`, denied ones at `INFO`, with the subject, the groups,
//! the resource (and key), the operation, the outcome and the rule or reason
//! that decided (for an update, also the check that denied it). The fields are formatted only when a subscriber records the
//! event; with none, an event costs a check of a static flag. The default
//! cargo feature `audit` turns them on; without it they compile to nothing.
//!
//! ```
//! use groupguard::{groups, model, Op, Principal};
//! # #[groups] pub enum Group { ADMINS }
//! #[model(allow(groups = [ADMINS]))]
//! pub struct Report;
//!
//! // With a subscriber installed (tracing-subscriber's `fmt()`, say), this
//! // logs at INFO on target `groupguard::audit`:
//! // denied: subject="u-1" groups="" resource="Report" operation="delete" reason="the principal is in none of the allowed groups"
//! let _ = Report::authorize(&Principal::authenticated("u-1"), Op::Delete);
//! ```

#[cfg(feature = "audit")]
use core::fmt;

use crate::decision::Decision;
use crate::group::Groups;
use crate::principal::Principal;

/// The principal's declared groups as their claim values, `"A,B"`: one
/// quoted field (a claim value may hold a comma or a quote; each is escaped).
#[cfg(feature = "audit")]
struct ClaimNames<'p, G: Groups>(&'p Principal<G>);

#[cfg(feature = "audit")]
impl<G: Groups> fmt::Display for ClaimNames<'_, G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self
            .0
            .groups()
            .iter()
            .map(|g| g.name().replace('\\', "\\\\").replace(',', "\\,"))
            .collect();
        crate::text::Quoted(&names.join(",")).fmt(f)
    }
}

/// The event of a model decision.
#[inline]
#[cfg_attr(not(feature = "audit"), allow(unused_variables))]
pub(crate) fn model<G: Groups>(principal: &Principal<G>, decision: Decision) {
    #[cfg(feature = "audit")]
    if may_be_recorded(decision.is_allowed()) {
        event(principal, decision, None);
    }
}

/// Whether a subscriber may record some audit event: `INFO`, the level of
/// a denial, is the least verbose of the two. One load of a static flag;
/// a guard's hot path checks it first and, when no event may be recorded,
/// decides exactly as with the feature off.
#[inline(always)]
#[allow(clippy::inline_always)] // one load and one compare before every decision
pub(crate) fn may_record_any() -> bool {
    #[cfg(feature = "audit")]
    {
        use tracing::Level;
        use tracing::level_filters::{LevelFilter, STATIC_MAX_LEVEL};
        Level::INFO <= STATIC_MAX_LEVEL && Level::INFO <= LevelFilter::current()
    }
    #[cfg(not(feature = "audit"))]
    false
}

/// The event of a storage decision on `key`.
#[inline]
#[cfg_attr(not(feature = "audit"), allow(unused_variables))]
pub(crate) fn storage<G: Groups>(principal: &Principal<G>, key: &str, decision: Decision) {
    #[cfg(feature = "audit")]
    if may_be_recorded(decision.is_allowed()) {
        event(principal, decision, Some(key));
    }
}

/// Whether any subscriber could record the event of a decision, allowed or
/// not: the one check on the hot path (a relaxed atomic load), so that with
/// no subscriber, or one above the event's level, a decision costs a few
/// instructions more. The decision is passed by value to the events, so
/// that it is written to memory only when one is recorded.
#[cfg(feature = "audit")]
#[inline]
fn may_be_recorded(allowed: bool) -> bool {
    use tracing::Level;
    use tracing::level_filters::{LevelFilter, STATIC_MAX_LEVEL};
    let level = if allowed { Level::DEBUG } else { Level::INFO };
    level <= STATIC_MAX_LEVEL && level <= LevelFilter::current()
}

#[cfg(feature = "audit")]
#[cold]
#[inline(never)]
#[allow(clippy::needless_pass_by_value)] // by value: see `may_be_recorded`
fn event<G: Groups>(principal: &Principal<G>, decision: Decision, key: Option<&str>) {
    use crate::decision::Outcome;
    use crate::text::Quoted;
    use tracing::field::display;

    // Values from a token or a request are quoted and escaped: they could
    // hold a newline, quotes or ` field=value` text meant to forge a log
    // line, or fields of its own.
    let subject = display(Quoted(principal.sub().unwrap_or("guest")));
    let groups = display(ClaimNames(principal));
    let key = key.map(|key| display(Quoted(key)));
    // For an update, the check that denied it (trusted text, quoted so that
    // the line stays one field per value).
    let check = decision.update_check().map(|check| check.to_string());
    match decision.outcome() {
        Outcome::Allowed { rule } => tracing::debug!(
            target: "groupguard::audit",
            subject,
            groups,
            resource = decision.resource(),
            key,
            operation = decision.action(),
            rule,
            "allowed"
        ),
        Outcome::Denied(reason) => tracing::info!(
            target: "groupguard::audit",
            subject,
            groups,
            resource = decision.resource(),
            key,
            operation = decision.action(),
            part = decision.part(),
            check = check.as_deref().map(|check| display(Quoted(check))),
            reason = display(Quoted(&reason.to_string())),
            "denied"
        ),
    }
}
