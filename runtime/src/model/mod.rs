//! Data-model authorization: [`Op`], the [`Model`] trait, its rules as
//! data, the record fields owner and group rules read, and list filters.

mod filter;
mod op;
mod record;
mod rule;
mod table;
mod update;

pub use filter::{FieldMatch, Filter, FilterTerm};
pub use op::{Op, OpSet, UnknownOp};
#[cfg(feature = "cedar")]
pub(crate) use record::identities;
pub use record::{ClaimText, RecordId, RecordIds, in_any_group, in_group, owns, owns_any};
pub use rule::{FieldRules, ModelRule, RuleSet, Who};
pub use table::Table;
pub use update::{Clearing, ComparedField, FieldUpdate};

use core::sync::atomic::{AtomicBool, Ordering};

use crate::decision::{Check, Decision, DenyReason, Request, decide_parts, first_admitting};
use crate::group::Groups;
use crate::principal::Principal;

/// A data model guarded by [`#[model]`](crate::model).
///
/// The macro also generates an inherent `authorize` with the same meaning, so
/// importing this trait is only needed for generic code and reports.
///
/// ```
/// use groupguard::{groups, model, Model, Op, Principal};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// #[model(allow(groups = [ADMINS]))]
/// pub struct Invoice;
///
/// fn may<M: Model>(p: &Principal<M::Group>, op: Op) -> bool {
///     M::authorize(p, op).is_allowed()
/// }
/// assert!(may::<Invoice>(&Principal::authenticated("s").with_groups([Group::ADMINS]), Op::Delete));
/// assert_eq!(Invoice::NAME, "Invoice");
/// ```
pub trait Model {
    /// The groups enum the rules name.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model, Op, OpSet, Who};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS], to = [update]))]
    /// pub struct Article;
    /// fn groups_of<M: Model>() -> &'static [M::Group] { <M::Group as groupguard::Groups>::ALL }
    /// assert_eq!(groups_of::<Article>().len(), 2);
    /// ```
    type Group: Groups;
    /// The model's name (the struct's identifier).
    ///
    /// ```
    /// # use groupguard::{groups, model, Model, Op, OpSet, Who};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS], to = [update]))]
    /// pub struct Article;
    /// assert_eq!(Article::NAME, "Article");
    /// ```
    const NAME: &'static str;
    /// The rules, in declaration order.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model, Op, OpSet, Who};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS], to = [update]))]
    /// pub struct Article;
    /// assert_eq!(Article::RULES.len(), 1);
    /// ```
    const RULES: &'static [ModelRule<Self::Group>];

    /// The rules of the fields that have their own (`#[field(allow(...))]`),
    /// in declaration order; empty when no field has.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS]))]
    /// pub struct Article { #[field(allow(groups = [ADMINS]))] pub notes: String }
    /// assert_eq!(Article::FIELDS[0].name(), "notes");
    /// ```
    const FIELDS: &'static [FieldRules<Self::Group>];

    /// [`RULES`](Model::RULES) decided per operation for
    /// [`authorize`](Model::authorize), computed at compile time.
    #[doc(hidden)] // derived from `RULES`, not public API
    const __TABLE: Table = Table::of(Self::RULES);

    /// Decides whether `principal` may perform `op`, without a record:
    /// allowed when a rule that needs no record admits the principal for
    /// the operation (for `Op::Read`, for each part). Rules that read the
    /// record (`owner`, `group_defined_in`, `when`...) never allow here; when
    /// one could, the denial says so ([`DenyReason::NeedsRecord`]).
    ///
    /// ```
    /// # use groupguard::{groups, model, Model, Op, OpSet, Who};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS], to = [update]))]
    /// pub struct Article;
    /// # use groupguard::Principal;
    /// let editor = Principal::authenticated("e").with_groups([Group::EDITORS]);
    /// assert!(<Article as Model>::authorize(&editor, Op::Update).is_allowed());
    /// ```
    #[inline]
    fn authorize(principal: &Principal<Self::Group>, op: Op) -> Decision {
        let decision = if crate::audit::may_record_any() {
            decide_and_record::<Self>(principal, op)
        } else {
            let table = const { &Self::__TABLE };
            table.decide_op(Self::NAME, Self::RULES, principal, op)
        };
        // A constant: models whose rules never read the record skip the check.
        if const { Self::__TABLE.may_need_record() }
            && let Some(DenyReason::NeedsRecord { rule }) = decision.deny_reason()
        {
            needs_record(Self::__needs_record_warning(), &decision, rule);
        }
        decision
    }

    /// Decides whether `principal` may perform `op` on this record, by
    /// every rule: owner and dynamic-group rules read the record's fields
    /// and `when` predicates run on it.
    ///
    /// ```
    /// use groupguard::{groups, model, Model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(owner, to = [update]))]
    /// pub struct Note { pub owner: String }
    ///
    /// let note = Note { owner: "ann".into() };
    /// assert!(note.authorize_record(&Principal::<Group>::authenticated("ann"), Op::Update).is_allowed());
    /// assert!(note.authorize_record(&Principal::<Group>::authenticated("bo"), Op::Update).is_denied());
    /// ```
    fn authorize_record(&self, principal: &Principal<Self::Group>, op: Op) -> Decision {
        let decision = decide_record(self, Self::NAME, Self::RULES, principal, op);
        crate::audit::model(principal, decision);
        decision
    }

    /// Decides whether `principal` may update this record, stored, into
    /// `proposed`, the record as it would be saved. Allowed only when, in
    /// this order (the first that denies names the denial,
    /// [`Decision::update_check`](crate::Decision::update_check)):
    ///
    /// 1. `update` is allowed on the stored record ([`UpdateCheck::Stored`]);
    /// 2. `update` is allowed on the record as it would be saved: an editor
    ///    may not publish a draft, an owner may not give the record away
    ///    ([`UpdateCheck::Saved`]);
    /// 3. for each field the update clears (an `Option` going from `Some`
    ///    to `None`), `delete` is allowed on that field, by its own rules
    ///    when it has some, else the model's, as Amplify requires to set a
    ///    field to null ([`UpdateCheck::Cleared`]);
    /// 4. for each field with rules of its own that the update changes,
    ///    `update` is allowed by those rules ([`UpdateCheck::Changed`]).
    ///
    /// Fields are taken in declaration order; checks 3 and 4 read the
    /// stored record, as Amplify's resolver does. An allowed update names
    /// the rule that allowed `update` on the stored record.
    ///
    /// ```
    /// use groupguard::{groups, model, Model, Principal, UpdateCheck};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(owner, to = [read, update]), allow(groups = [ADMINS]))]
    /// #[derive(Clone)]
    /// pub struct Note { pub owner: String, pub text: String, pub tag: Option<String> }
    ///
    /// let ann = Principal::<Group>::authenticated("ann");
    /// let note = Note { owner: "ann".into(), text: "hi".into(), tag: Some("x".into()) };
    /// let edited = Note { text: "hello".into(), ..note.clone() };
    /// assert!(note.authorize_update(&ann, &edited).is_allowed());
    /// // Clearing `tag` needs `delete`, which only admins have.
    /// let untagged = Note { tag: None, ..note.clone() };
    /// let decision = <Note as Model>::authorize_update(&note, &ann, &untagged);
    /// assert_eq!(decision.update_check(), Some(UpdateCheck::Cleared { field: "tag" }));
    /// ```
    ///
    /// [`UpdateCheck::Stored`]: crate::UpdateCheck::Stored
    /// [`UpdateCheck::Saved`]: crate::UpdateCheck::Saved
    /// [`UpdateCheck::Cleared`]: crate::UpdateCheck::Cleared
    /// [`UpdateCheck::Changed`]: crate::UpdateCheck::Changed
    fn authorize_update(&self, principal: &Principal<Self::Group>, proposed: &Self) -> Decision {
        let decision = update::decide(self, principal, proposed);
        crate::audit::model(principal, decision);
        decision
    }

    /// The records `principal` may perform `op` on, as a [`Filter`] for a
    /// query: what the rules that read the record require of it. A list
    /// endpoint puts it in its `WHERE` clause instead of loading every row.
    ///
    /// ```
    /// use groupguard::{groups, model, Model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(owner, to = [read]))]
    /// pub struct Note { pub owner: String }
    /// let filter = <Note as Model>::filter_for(&Principal::<Group>::authenticated("ann"), Op::List);
    /// assert_eq!(filter.to_string(), r#"owner in ["ann"]"#);
    /// ```
    fn filter_for(principal: &Principal<Self::Group>, op: Op) -> Filter {
        filter::filter(Self::RULES, principal, op)
    }

    /// The record checks of rule number `check` (`ModelRule` numbers them):
    /// whether the principal is who the rule's field names; an owner check
    /// takes the rule's [`ModelRule::legacy_username`].
    #[doc(hidden)] // implemented by generated code, not public API
    fn __record_who(
        &self,
        check: u16,
        principal: &Principal<Self::Group>,
        legacy_username: bool,
    ) -> bool {
        let _ = (check, principal, legacy_username);
        false
    }

    /// Whether the `when` predicate of rule number `check` holds.
    #[doc(hidden)] // implemented by generated code, not public API
    fn __record_when(&self, check: u16) -> bool {
        let _ = check;
        false
    }

    /// The model's flag for the warning that `authorize` was asked what
    /// only the record can decide (logged once per model).
    #[doc(hidden)] // implemented by generated code, not public API
    fn __needs_record_warning() -> &'static NeedsRecordWarning {
        // Models not made by `#[model]` share one flag.
        static SHARED: NeedsRecordWarning = NeedsRecordWarning::new();
        &SHARED
    }

    /// Reports to `each` every field that an update from `self` to
    /// `proposed` clears, and every field with rules of its own.
    #[doc(hidden)] // implemented by generated code, not public API
    fn __update_fields(&self, proposed: &Self, each: &mut dyn FnMut(FieldUpdate)) {
        let _ = (proposed, each);
    }
}

/// [`Model::authorize`] with its audit event, when a subscriber may
/// record it: out of line, so that the decision path without one stays a
/// few instructions.
#[cold]
#[inline(never)]
fn decide_and_record<M: Model + ?Sized>(principal: &Principal<M::Group>, op: Op) -> Decision {
    let table = const { &M::__TABLE };
    let decision = table.decide_op(M::NAME, M::RULES, principal, op);
    crate::audit::model(principal, decision);
    decision
}

/// The bound of the inherent `authorize` that `#[model]` generates for a
/// model whose every rule reads the record (an owner or dynamic-group rule,
/// or a `when`): such an `authorize` could never allow, so no type
/// implements this trait, and a call is a compile error that says what to
/// call instead. `<M as Model>::authorize` stays, for generic code (it
/// denies, with [`DenyReason::NeedsRecord`]). Used by generated code.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "every rule of `{M}` reads the record, so `authorize` without a record could never allow",
    label = "`authorize` has no record to decide with",
    note = "decide on the record: `record.authorize_record(&principal, op)`; for a new record, `authorize_record` on it with `Op::Create`; for a list query, `filter_for(&principal, op)`",
    note = "`<{M} as groupguard::Model>::authorize` stays for generic code, and denies with `DenyReason::NeedsRecord`"
)]
pub trait DecidesWithoutRecord<M: ?Sized> {
    /// The operation.
    fn op(self) -> Op;
}

/// Whether a model's `authorize` has warned that it was asked what only
/// the record can decide. Used by generated code (one per model).
#[doc(hidden)]
#[derive(Debug)]
pub struct NeedsRecordWarning(AtomicBool);

impl NeedsRecordWarning {
    #[doc(hidden)] // used by generated code, not public API
    #[must_use]
    pub const fn new() -> Self {
        NeedsRecordWarning(AtomicBool::new(false))
    }

    /// True the first time only.
    fn first(&self) -> bool {
        !self.0.swap(true, Ordering::Relaxed)
    }
}

impl Default for NeedsRecordWarning {
    fn default() -> Self {
        Self::new()
    }
}

/// `authorize` (without a record) denied a request that a rule reading the
/// record could allow: a call that is likely meant as `authorize_record`,
/// and that denies everyone. The denial's message says so; this also warns
/// once per model, at WARN on target `groupguard::audit`, or on stderr when
/// no `tracing` subscriber is installed (the denial itself is an INFO event,
/// which a new service may not show).
#[cold]
#[inline(never)]
fn needs_record(warning: &NeedsRecordWarning, decision: &Decision, rule: &'static str) {
    if !warning.first() {
        return;
    }
    let (resource, operation) = (decision.resource(), decision.action());
    #[cfg(feature = "audit")]
    {
        use tracing::subscriber::NoSubscriber;
        let logged = !tracing::dispatcher::get_default(tracing::Dispatch::is::<NoSubscriber>);
        tracing::warn!(
            target: "groupguard::audit",
            resource,
            operation,
            rule,
            "`{resource}::authorize` was asked for `{operation}`, which only a rule that reads the record can allow (`{rule}`), and it has no record, so it denied; decide with `authorize_record` on the record, or `filter_for` for a list (warned once per model)"
        );
        if logged {
            return;
        }
    }
    eprintln!(
        "groupguard warning: `{resource}::authorize` was asked for `{operation}`, which only a rule that reads the record can allow (`{rule}`), and it has no record, so it denied; decide with `authorize_record` on the record, or `filter_for` for a list (warned once per model; with a `tracing` subscriber installed, this is a WARN event on `groupguard::audit`)"
    );
}

/// The decision on `record` by `rules` (the model's, or a field's).
fn decide_record<M: Model + ?Sized>(
    record: &M,
    resource: &'static str,
    rules: &[ModelRule<M::Group>],
    principal: &Principal<M::Group>,
    op: Op,
) -> Decision {
    let request = Request::new(resource, op.name(), !principal.is_authenticated());
    decide_parts(request, op.parts(), Op::name, |part| {
        first_admitting(
            rules.iter().filter(|rule| rule.ops().contains(part)),
            principal.is_authenticated(),
            |rule| check_record(record, rule, principal),
        )
    })
}

/// What `rule` says about `principal` on `record`.
#[inline]
fn check_record<M: Model + ?Sized>(
    record: &M,
    rule: &ModelRule<M::Group>,
    principal: &Principal<M::Group>,
) -> Check {
    let admitted = if rule.who().reads_record() {
        record.__record_who(rule.check_number(), principal, rule.legacy_username())
    } else {
        rule.admits_principal(principal)
    };
    match rule.when() {
        _ if !admitted => Check::Rejects,
        None => Check::Admits,
        Some(_) if record.__record_when(rule.check_number()) => Check::Admits,
        Some(condition) => Check::Unmet(DenyReason::ConditionFailed { condition }),
    }
}

/// Whether `principal` may read field number `field` (of `M::FIELDS`) of
/// `record`, for `redacted_for`; not audited. Used by generated code.
#[doc(hidden)]
pub fn may_read_field<M: Model + ?Sized>(
    record: &M,
    principal: &Principal<M::Group>,
    field: usize,
) -> bool {
    M::FIELDS.get(field).is_some_and(|field| {
        decide_record(record, field.resource(), field.rules(), principal, Op::Read).is_allowed()
    })
}

/// `authorize_field`: the field's own rules when it has some (`field` is
/// its index in `M::FIELDS`), else the model's. Used by generated code.
#[doc(hidden)]
pub fn authorize_field<M: Model + ?Sized>(
    record: &M,
    principal: &Principal<M::Group>,
    field: Option<usize>,
    op: Op,
) -> Decision {
    let Some(index) = field else {
        return record.authorize_record(principal, op);
    };
    let decision = match M::FIELDS.get(index) {
        Some(field) => decide_record(record, field.resource(), field.rules(), principal, op),
        // Generated indices are always in range; deny rather than trust one that is not.
        None => Request::new(M::NAME, op.name(), !principal.is_authenticated())
            .denied(DenyReason::NoRule),
    };
    crate::audit::model(principal, decision);
    decision
}
