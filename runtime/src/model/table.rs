//! A model's decision without a record, read from a table the compiler
//! computes from its rules ([`Table::of`], a `const fn`): the same answers
//! as [`first_admitting`] over the rules (the reference), with the work that
//! depends only on the rules done once, at compile time.
//!
//! For each simple operation the table holds:
//!
//! - the answer to every guest: a guest has no groups, so only the rules
//!   decide it;
//! - for an authenticated principal, when no rule of the operation reads
//!   the record (no owner, no dynamic group, no `when`): which rules can
//!   admit (a bit per rule) and the reason of a denial. The decision then
//!   tests those rules' groups in declaration order and nothing else.
//!
//! Any other case (a rule that reads the record, a model of more than 64
//! rules) runs [`first_admitting`] itself.

use crate::decision::{Decision, DenyReason, Outcome, Request, decide_parts, first_admitting};
use crate::group::Groups;
use crate::model::{ModelRule, Op, Who};
use crate::principal::Principal;

/// The simple operations, by their bit in an [`OpSet`](crate::OpSet).
const SIMPLE: [Op; 8] = [
    Op::Create,
    Op::Update,
    Op::Delete,
    Op::Get,
    Op::List,
    Op::Sync,
    Op::Listen,
    Op::Search,
];

/// The entry of each operation (in `Op`'s order): its position in
/// [`SIMPLE`], `get`'s for `read`.
const ENTRY: [u8; 9] = {
    let mut entry = [0; 9];
    let mut i = 0;
    while i < SIMPLE.len() {
        entry[SIMPLE[i] as usize] = i as u8;
        i += 1;
    }
    entry[Op::Read as usize] = entry[Op::Get as usize];
    entry
};

/// A model's rules, decided per simple operation.
#[doc(hidden)] // computed for generated code, not public API
#[derive(Clone, Copy, Debug)]
pub struct Table {
    ops: [OpEntry; 8],
    /// Whether `read`'s five parts have the same entry, as they have when
    /// every rule grants `read` whole or none of it: then `read` is decided
    /// as its first part, `get`, and denied there.
    read_uniform: bool,
    /// Whether a decision without a record can be denied for the want of
    /// one ([`DenyReason::NeedsRecord`]): whether any rule reads the record.
    /// When none does, `authorize` skips its check for that denial.
    may_need_record: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct OpEntry {
    /// The answer to every guest.
    guest: Result<&'static str, DenyReason>,
    /// How an authenticated principal is decided.
    authenticated: Authenticated,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Authenticated {
    /// By the rules of bits `rules` (indices into the model's rules, in
    /// declaration order) that may admit a signed-in principal: the first
    /// that admits allows; none denies for `denied`.
    Plain { rules: u64, denied: DenyReason },
    /// By [`first_admitting`] over the rules.
    Interpret,
}

impl Table {
    /// The table of `rules`.
    #[must_use]
    pub const fn of<G: Groups>(rules: &[ModelRule<G>]) -> Table {
        let mut ops = [OpEntry {
            guest: Err(DenyReason::NoRule),
            authenticated: Authenticated::Interpret,
        }; 8];
        let mut i = 0;
        while i < SIMPLE.len() {
            ops[i] = OpEntry::of(rules, SIMPLE[i]);
            i += 1;
        }
        let get = ENTRY[Op::Get as usize] as usize;
        let mut read_uniform = true;
        let mut part = get + 1;
        while part < ops.len() {
            read_uniform &= ops[part].same_as(&ops[get]);
            part += 1;
        }
        let mut may_need_record = false;
        let mut rule = 0;
        while rule < rules.len() {
            may_need_record |= rules[rule].needs_record() || rules[rule].who().reads_record();
            rule += 1;
        }
        Table {
            ops,
            read_uniform,
            may_need_record,
        }
    }

    /// Whether a decision by this table can be denied with
    /// [`DenyReason::NeedsRecord`]: `false` when no rule reads the record.
    #[must_use]
    pub(crate) const fn may_need_record(&self) -> bool {
        self.may_need_record
    }

    /// The decision of `op` on `resource` for `principal` by `rules`, the
    /// rules this table was computed from: as
    /// [`decide_parts`] over [`first_admitting`] decides it.
    #[inline(always)]
    #[allow(clippy::inline_always)] // every `authorize` runs it: measured 10% fewer instructions than `#[inline]`
    pub(crate) fn decide_op<G: Groups>(
        &self,
        resource: &'static str,
        rules: &'static [ModelRule<G>],
        principal: &Principal<G>,
        op: Op,
    ) -> Decision {
        let request = Request::new(resource, op.name(), !principal.is_authenticated());
        if op == Op::Read && !self.read_uniform {
            return decide_parts(request, op.parts(), Op::name, |part| {
                self.decide(rules, principal, part)
            });
        }
        // `read` is decided as `get` when its parts decide alike.
        let entry = usize::from(ENTRY[op as usize]);
        let part = SIMPLE[entry];
        match self.decide_entry(entry, rules, principal, part) {
            Ok(rule) => request.decided(Outcome::Allowed { rule }),
            Err(reason) if op == Op::Read => request.in_part(part.name()).denied(reason),
            Err(reason) => request.denied(reason),
        }
    }

    /// The decision of `op` (a simple one) for `principal` by `rules`, the
    /// rules this table was computed from.
    #[inline]
    pub(crate) fn decide<G: Groups>(
        &self,
        rules: &'static [ModelRule<G>],
        principal: &Principal<G>,
        op: Op,
    ) -> Result<&'static str, DenyReason> {
        self.decide_entry(usize::from(ENTRY[op as usize]), rules, principal, op)
    }

    /// [`decide`](Table::decide) by the entry of `op`, number `entry`.
    #[inline(always)]
    #[allow(clippy::inline_always)] // as `decide_op`
    fn decide_entry<G: Groups>(
        &self,
        entry: usize,
        rules: &'static [ModelRule<G>],
        principal: &Principal<G>,
        op: Op,
    ) -> Result<&'static str, DenyReason> {
        let entry = &self.ops[entry];
        if !principal.is_authenticated() {
            return entry.guest;
        }
        match entry.authenticated {
            Authenticated::Plain {
                rules: mut bits,
                denied,
            } => {
                while bits != 0 {
                    let index = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    if let Some(rule) = rules.get(index)
                        && rule.admits_principal(principal)
                    {
                        return Ok(rule.declaration());
                    }
                }
                Err(denied)
            }
            Authenticated::Interpret => first_admitting(
                rules.iter().filter(|rule| rule.ops().contains(op)),
                true,
                |rule| rule.check_without_record(principal),
            ),
        }
    }
}

impl OpEntry {
    /// Whether two entries decide alike (`==` is not `const`).
    const fn same_as(&self, other: &OpEntry) -> bool {
        let guest = match (self.guest, other.guest) {
            (Ok(a), Ok(b)) => str_eq(a, b),
            (Err(a), Err(b)) => same_reason(a, b),
            _ => false,
        };
        let authenticated = match (self.authenticated, other.authenticated) {
            (
                Authenticated::Plain {
                    rules: a,
                    denied: x,
                },
                Authenticated::Plain {
                    rules: b,
                    denied: y,
                },
            ) => a == b && same_reason(x, y),
            // The parts' rules may differ: `read` is decided part by part.
            _ => false,
        };
        guest && authenticated
    }

    /// `op`'s entry: what [`first_admitting`] answers with the checks of
    /// `check_without_record`, worked out for a guest and, where no rule
    /// reads the record, for a signed-in principal.
    const fn of<G: Groups>(rules: &[ModelRule<G>], op: Op) -> OpEntry {
        let mut covered = false;
        let mut for_guests_only = true;
        // A guest: admitted by guest rules only; one with a record check
        // (`when`) leaves its reason, and the first such is the denial's.
        let mut guest = None;
        let mut guest_unmet = None;
        // A signed-in principal: the rules that may admit one.
        let mut plain = rules.len() <= 64;
        let mut admitting: u64 = 0;
        let mut i = 0;
        while i < rules.len() {
            let rule = &rules[i];
            if rule.ops().bits() & op.mask() == op.mask() {
                covered = true;
                let is_guest = matches!(rule.who(), Who::Guest);
                for_guests_only &= is_guest;
                if rule.needs_record() || rule.who().reads_record() {
                    plain = false;
                }
                if is_guest {
                    if guest.is_none() && guest_unmet.is_none() && rule.needs_record() {
                        guest_unmet = Some(DenyReason::NeedsRecord {
                            rule: rule.declaration(),
                        });
                    } else if guest.is_none() && !rule.needs_record() {
                        guest = Some(rule.declaration());
                    }
                } else if plain {
                    admitting |= 1 << i;
                }
            }
            i += 1;
        }
        let guest = match (guest, guest_unmet) {
            (Some(rule), _) => Ok(rule),
            (None, _) if !covered => Err(DenyReason::NoRule),
            (None, Some(reason)) => Err(reason),
            (None, None) => Err(DenyReason::Guest),
        };
        let authenticated = if plain {
            Authenticated::Plain {
                rules: admitting,
                denied: if !covered {
                    DenyReason::NoRule
                } else if for_guests_only {
                    DenyReason::GuestsOnly
                } else {
                    DenyReason::NotInAllowedGroup
                },
            }
        } else {
            Authenticated::Interpret
        };
        OpEntry {
            guest,
            authenticated,
        }
    }
}

/// `a == b`, in a `const fn`.
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether two of the reasons a table holds are the same (`==` is not
/// `const`); any other reason is never the same, which only costs `read`
/// its shortcut.
const fn same_reason(a: DenyReason, b: DenyReason) -> bool {
    match (a, b) {
        (DenyReason::NoRule, DenyReason::NoRule)
        | (DenyReason::Guest, DenyReason::Guest)
        | (DenyReason::GuestsOnly, DenyReason::GuestsOnly)
        | (DenyReason::NotInAllowedGroup, DenyReason::NotInAllowedGroup) => true,
        (DenyReason::NeedsRecord { rule: a }, DenyReason::NeedsRecord { rule: b }) => str_eq(a, b),
        _ => false,
    }
}
