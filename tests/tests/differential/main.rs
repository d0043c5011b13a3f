//! Differential tests: every guard that the real macros generate for a
//! corpus of random policies (written by `tests/build/differential.rs`)
//! against the naive reference interpreter of `reference.rs`, on random
//! principals, operations, keys and records: decisions without and with
//! the record, field decisions, list filters (evaluated here on the record
//! and compared with the interpreter's decision on it), redaction, and
//! updates of each record into others (`authorize_update`); and the IAM
//! policies each storage exports (`iam.rs`), decided by a small IAM
//! evaluator, against the guards.
//!
//! The corpus is fixed (its seed is in the generated file; rebuild with
//! `GROUPGUARD_DIFF_POLICY_SEED=N` for another); the inputs are drawn
//! afresh at every run from a seed that a failure prints. Replay one with
//! `GROUPGUARD_DIFF_SEED=N cargo test -p groupguard-tests --test differential`.

mod amplify_case;
mod case;
mod data;
mod iam;
mod inputs;
mod reference;

pub use amplify_case::AmplifyCase;
pub use case::Case;
pub use data::{PrincipalData, RecordData, principal};

use std::fmt::Debug;

use groupguard::{Access, Decision, DenyReason, Filter, Op, Outcome, UpdateCheck};

use reference::{Acceptor, Mutation, Policy, Rule, Verdict, Who};

impl RecordData {
    /// The values the field `name` holds, and whether it is a list: what a
    /// query would compare a filter's match with.
    fn values(&self, name: &str) -> (Vec<&str>, bool) {
        match name {
            "owner" => (vec![self.owner.as_str()], false),
            "author" => (self.author.iter().map(String::as_str).collect(), false),
            "editors" => (self.editors.iter().map(String::as_str).collect(), true),
            "team" => (vec![self.team.as_str()], false),
            "teams" => (self.teams.iter().map(String::as_str).collect(), true),
            _ => panic!("a filter matches the unknown field {name}"),
        }
    }
}

/// Whether `filter` keeps `record`, evaluated as a query would: some term
/// whose every match holds (a scalar's value is one of the match's, a
/// list's element is) and whose every condition does.
fn keeps(filter: &Filter, record: &RecordData) -> bool {
    filter.terms().iter().any(|term| {
        term.matches().iter().all(|m| {
            let (values, is_list) = record.values(m.field());
            assert_eq!(
                m.is_list(),
                is_list,
                "the filter's match on {} has the wrong shape: {filter:?}",
                m.field()
            );
            values.iter().any(|v| m.values().iter().any(|w| w == v))
        }) && term.conditions().iter().all(|c| match *c {
            "Self::is_a" => record.a,
            "Self::is_b" => record.b,
            _ => panic!("a filter names the unknown condition {c}"),
        })
    })
}

/// Whether the filter's summaries agree with its terms.
fn consistent(filter: &Filter) -> bool {
    let terms = filter.terms();
    filter.keeps_nothing() == terms.is_empty()
        && filter.keeps_everything()
            == terms
                .iter()
                .any(|t| t.matches().is_empty() && t.conditions().is_empty())
        && filter.needs_check() == terms.iter().any(|t| !t.conditions().is_empty())
}

mod corpus {
    include!(concat!(env!("OUT_DIR"), "/differential.rs"));
    include!(concat!(env!("OUT_DIR"), "/differential_amplify.rs"));
}

/// What the runtime decided, in the interpreter's terms, and whether it
/// took the principal for a guest.
fn observed(decision: &Decision) -> (Verdict, bool) {
    let verdict = match decision.outcome() {
        Outcome::Allowed { rule } => Verdict::Allowed(rule),
        Outcome::Denied(reason) => Verdict::Denied {
            part: decision.part(),
            reason,
        },
    };
    (verdict, decision.is_guest())
}

/// [`observed`], with the resource named.
fn observed_on(decision: &Decision) -> (Verdict, bool, String) {
    let (verdict, guest) = observed(decision);
    (verdict, guest, decision.resource().to_owned())
}

/// The outcome of comparing the whole corpus on one seed's inputs.
struct Report {
    decisions: usize,
    disagreements: usize,
    /// The first few, described.
    examples: Vec<String>,
    /// Stop at the first disagreement (a mutation needs only one).
    stop_at_first: bool,
    /// The outcomes the interpreter came to, by [`Seen`].
    seen: u64,
}

/// The outcomes a run should come to, each on its bit of [`Report::seen`].
#[derive(Clone, Copy, Debug)]
enum Seen {
    /// A verdict of `Model::authorize` (plus [`verdict_index`]).
    Model = 0,
    /// Of `authorize_record`.
    Record = 10,
    /// Of `authorize_field` on a field with rules of its own.
    Field = 20,
    FilterKeeps = 30,
    FilterDrops = 31,
    SecretHidden = 32,
    SecretShown = 33,
    NoteHidden = 34,
    /// An update's outcome (plus [`update_index`]).
    Update = 40,
}

/// An update's outcome's offset from [`Seen::Update`]: allowed, or the
/// check that denied it (a cleared field with rules of its own apart).
fn update_index(check: Option<UpdateCheck>, policy: &Policy, model: usize) -> u64 {
    let ruled = |field| policy.models[model].fields.iter().any(|f| f.field == field);
    match check {
        None => 0,
        Some(UpdateCheck::Stored) => 1,
        Some(UpdateCheck::Saved) => 2,
        Some(UpdateCheck::Cleared { field }) if ruled(field) => 5,
        Some(UpdateCheck::Cleared { .. }) => 3,
        Some(UpdateCheck::Changed { .. }) => 4,
        Some(_) => 6,
    }
}

/// The outcome's offset from its surface's [`Seen`] bit.
fn verdict_index(verdict: &Verdict) -> u64 {
    match verdict {
        Verdict::Allowed(_) => 0,
        Verdict::Denied { reason, .. } => match reason {
            DenyReason::NoRule => 1,
            DenyReason::Guest => 2,
            DenyReason::GuestsOnly => 3,
            DenyReason::NotInAllowedGroup => 4,
            DenyReason::NotRecordOwner => 5,
            DenyReason::NeedsRecord { .. } => 6,
            DenyReason::ConditionFailed { .. } => 7,
            _ => 8,
        },
    }
}

impl Report {
    fn new(stop_at_first: bool) -> Self {
        Report {
            decisions: 0,
            disagreements: 0,
            examples: Vec::new(),
            stop_at_first,
            seen: 0,
        }
    }

    fn saw(&mut self, surface: Seen, verdict: Option<&Verdict>) {
        self.seen |= 1 << (surface as u64 + verdict.map_or(0, verdict_index));
    }

    fn has_seen(&self, surface: Seen, index: u64) -> bool {
        self.seen & (1 << (surface as u64 + index)) != 0
    }

    /// Whether the run may stop.
    fn done(&self) -> bool {
        self.stop_at_first && self.disagreements > 0
    }

    fn record<T: PartialEq + Debug>(
        &mut self,
        expected: T,
        actual: T,
        what: impl FnOnce() -> String,
    ) {
        self.decisions += 1;
        if expected != actual {
            self.disagreements += 1;
            if self.examples.len() < 8 {
                self.examples.push(format!(
                    "{}\n    interpreter: {expected:?}\n    runtime:     {actual:?}",
                    what()
                ));
            }
        }
    }
}

/// Compares the corpus on the inputs of `seed`, the interpreter reading
/// the rules with `mutation`.
fn compare(seed: u64, mutation: Mutation) -> Report {
    let mut report = Report::new(mutation != Mutation::None);
    let mut rng = inputs::Rng::new(seed);
    for (index, case) in corpus::CASES.iter().enumerate() {
        let policy = case.policy;
        for _ in 0..inputs::PRINCIPALS_PER_POLICY {
            if report.done() {
                return report;
            }
            let who = inputs::principal(&mut rng, policy);
            for (m, model) in policy.models.iter().enumerate() {
                let guest = !who.authenticated;
                let mut filters = Vec::new();
                for op in Op::ALL {
                    let verdict = policy.decide_model(m, &who, op.name(), mutation);
                    report.saw(Seen::Model, Some(&verdict));
                    let expected = (verdict, guest, policy.resource(m, None));
                    let actual = observed_on(&(case.model)(&who, m, op));
                    report.record(expected, actual, || {
                        format!("p{index}::{} {op} by {who:?}", model.name)
                    });
                    let filter = (case.filter)(&who, m, op);
                    report.record(true, consistent(&filter), || {
                        format!(
                            "p{index}::{} filter for {op} by {who:?}: {filter:?}",
                            model.name
                        )
                    });
                    filters.push((op, filter));
                }
                for record in inputs::records(&mut rng, policy, &who) {
                    compare_record(
                        &mut report,
                        case,
                        index,
                        m,
                        &who,
                        &record,
                        &filters,
                        mutation,
                    );
                    for proposed in inputs::proposals(&mut rng, policy, &who, &record) {
                        compare_update(
                            &mut report,
                            case,
                            index,
                            m,
                            &who,
                            (&record, &proposed),
                            mutation,
                        );
                    }
                }
            }
            for key in inputs::keys(&mut rng, policy, &who) {
                for access in Access::ALL {
                    let expected = (
                        policy.decide_storage(&who, &key, access.name(), mutation),
                        !who.authenticated,
                    );
                    let actual = observed(&(case.storage)(&who, &key, access));
                    report.record(expected, actual, || {
                        format!("p{index}::S {access} {key:?} by {who:?}")
                    });
                }
            }
        }
    }
    report
}

/// Every decision on one record: with the record, on each field, by the
/// filters (`filters` are `filter_for` of every operation), and its
/// redaction.
#[allow(clippy::too_many_arguments)] // reason: the loop's state, passed down once
fn compare_record(
    report: &mut Report,
    case: &Case,
    index: usize,
    m: usize,
    who: &PrincipalData,
    record: &RecordData,
    filters: &[(Op, Filter)],
    mutation: Mutation,
) {
    let policy = case.policy;
    let name = policy.models[m].name;
    let guest = !who.authenticated;
    for (op, filter) in filters {
        let op = *op;
        let verdict = policy.decide_record(m, who, record, op.name(), mutation);
        report.saw(Seen::Record, Some(&verdict));
        let kept = matches!(verdict, Verdict::Allowed(_));
        report.saw(
            if kept {
                Seen::FilterKeeps
            } else {
                Seen::FilterDrops
            },
            None,
        );
        let expected = (verdict, guest, policy.resource(m, None));
        let actual = observed_on(&(case.record)(who, m, record, op));
        report.record(expected, actual, || {
            format!("p{index}::{name} {op} on {record:?} by {who:?}")
        });
        for field in ["secret", "note"] {
            let verdict = policy.decide_field(m, who, record, field, op.name(), mutation);
            if policy.models[m].fields.iter().any(|f| f.field == field) {
                report.saw(Seen::Field, Some(&verdict));
            }
            let expected = (verdict, guest, policy.resource(m, Some(field)));
            let actual = observed_on(&(case.field)(who, m, record, field, op));
            report.record(expected, actual, || {
                format!("p{index}::{name}.{field} {op} on {record:?} by {who:?}")
            });
        }
        report.record(
            policy.filter_keeps(m, who, record, op.name(), mutation),
            keeps(filter, record),
            || format!("p{index}::{name} filter for {op} ({filter:?}) on {record:?} by {who:?}"),
        );
    }
    let redacted = policy.redacted(m, who, record, mutation);
    if record.secret.is_some() {
        report.saw(
            if redacted.0.is_none() {
                Seen::SecretHidden
            } else {
                Seen::SecretShown
            },
            None,
        );
    }
    if redacted.1.is_empty() {
        report.saw(Seen::NoteHidden, None);
    }
    report.record(redacted, (case.redacted)(who, m, record), || {
        format!("p{index}::{name} redacted {record:?} for {who:?}")
    });
}

/// The update of a record into another (`authorize_update`): the verdict,
/// the check that denied it, whether the principal was a guest, the
/// resource.
fn compare_update(
    report: &mut Report,
    case: &Case,
    index: usize,
    m: usize,
    who: &PrincipalData,
    (stored, proposed): (&RecordData, &RecordData),
    mutation: Mutation,
) {
    let policy = case.policy;
    let (verdict, check) = policy.decide_update(m, who, stored, proposed, mutation);
    report.seen |= 1 << (Seen::Update as u64 + update_index(check, policy, m));
    let expected = (verdict, check, !who.authenticated, policy.resource(m, None));
    let decision = (case.update)(who, m, stored, proposed);
    let (verdict, guest, resource) = observed_on(&decision);
    let actual = (verdict, decision.update_check(), guest, resource);
    report.record(expected, actual, || {
        format!(
            "p{index}::{} update of {stored:?} into {proposed:?} by {who:?}",
            policy.models[m].name
        )
    });
}

/// The inputs' seed: `GROUPGUARD_DIFF_SEED`, else a fresh one.
fn seed() -> u64 {
    if let Ok(seed) = std::env::var("GROUPGUARD_DIFF_SEED") {
        return seed.parse().expect("GROUPGUARD_DIFF_SEED is a decimal u64");
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    now.as_secs() ^ u64::from(now.subsec_nanos()).rotate_left(32)
}

#[test]
fn generated_guards_agree_with_the_reference_interpreter() {
    let seed = seed();
    let report = compare(seed, Mutation::None);
    assert!(
        report.disagreements == 0,
        "{} of {} decisions differ (inputs seed {seed}, policy seed {}; replay with \
         GROUPGUARD_DIFF_SEED={seed}):\n{}",
        report.disagreements,
        report.decisions,
        corpus::POLICY_SEED,
        report.examples.join("\n")
    );
    assert!(
        report.decisions >= 100_000,
        "only {} decisions compared",
        report.decisions
    );
    // Every outcome came up: the comparison is not between two sides that
    // both always deny, say.
    let wanted = [
        (Seen::Model, [0, 1, 2, 3, 4, 6].as_slice()),
        (Seen::Record, &[0, 1, 2, 3, 4, 5, 7]),
        (Seen::Field, &[0, 2, 4, 5, 7]),
        (Seen::FilterKeeps, &[0]),
        (Seen::FilterDrops, &[0]),
        (Seen::SecretHidden, &[0]),
        (Seen::SecretShown, &[0]),
        (Seen::NoteHidden, &[0]),
        (Seen::Update, &[0, 1, 2, 3, 4, 5]),
    ];
    for (surface, indices) in wanted {
        for &index in indices {
            assert!(
                report.has_seen(surface, index),
                "no {surface:?} outcome number {index} in the run (inputs seed {seed})"
            );
        }
    }
    println!(
        "{} decisions compared, all equal (inputs seed {seed}, policy seed {})",
        report.decisions,
        corpus::POLICY_SEED
    );
}

/// The harness can fail: each deliberately wrong reading of a rule in the
/// interpreter is caught on the corpus.
#[test]
fn the_harness_catches_a_broken_interpreter() {
    let seed = seed();
    for mutation in Mutation::BROKEN {
        let report = compare(seed, mutation);
        assert!(
            report.disagreements > 0,
            "{mutation:?} went unnoticed in {} decisions (inputs seed {seed})",
            report.decisions
        );
        println!(
            "{mutation:?} caught after {} decisions:\n{}",
            report.decisions, report.examples[0]
        );
    }
}

/// Whether a rule's `who` is of some kind.
type IsKind = fn(&Who) -> bool;

/// The corpus covers what it is meant to: group enums across the bitset's
/// word boundary, renamed claims, raw identifiers, nested and `{entity_id}`
/// paths, a literal beside `{entity_id}` at the same depth, every kind of
/// model rule, `when` predicates, and field rules (of record kinds too).
#[test]
fn the_corpus_covers_the_edges() {
    let policies: Vec<&Policy> = corpus::CASES.iter().map(|c| c.policy).collect();
    let models = || policies.iter().flat_map(|p| p.models);
    let model_rules: Vec<&Rule> = models().flat_map(|m| m.rules).collect();
    let field_rules: Vec<&Rule> = models()
        .flat_map(|m| m.fields)
        .flat_map(|f| f.rules)
        .collect();
    let kinds: [(&str, IsKind); 8] = [
        ("guest", |w| matches!(w, Who::Guest)),
        ("authenticated", |w| matches!(w, Who::Authenticated)),
        ("groups", |w| matches!(w, Who::Groups(_))),
        ("owner", |w| matches!(w, Who::Owner("owner"))),
        ("owner = author", |w| matches!(w, Who::Owner("author"))),
        ("owners", |w| matches!(w, Who::Owners(_))),
        ("group_defined_in", |w| matches!(w, Who::GroupIn(_))),
        ("groups_defined_in", |w| matches!(w, Who::GroupsIn(_))),
    ];
    for (kind, is) in kinds {
        assert!(
            model_rules.iter().any(|r| is(&r.who) && r.when.is_none()),
            "no model rule of kind {kind} without `when`"
        );
        assert!(
            model_rules.iter().any(|r| is(&r.who) && r.when.is_some()),
            "no model rule of kind {kind} with `when`"
        );
    }
    // Owner rules of both shapes with and without `legacy_username`, and
    // one on a field; no other kind takes it.
    let owner_kinds: [(&str, IsKind); 2] = [
        ("owner", |w| matches!(w, Who::Owner(_))),
        ("owners", |w| matches!(w, Who::Owners(_))),
    ];
    for (kind, is) in owner_kinds {
        for legacy in [false, true] {
            assert!(
                model_rules
                    .iter()
                    .any(|r| is(&r.who) && r.legacy_username == legacy),
                "no model rule of kind {kind} with legacy_username = {legacy}"
            );
        }
    }
    assert!(
        field_rules.iter().any(|r| r.legacy_username),
        "no field rule with legacy_username"
    );
    assert!(
        model_rules
            .iter()
            .chain(&field_rules)
            .all(|r| { !r.legacy_username || matches!(r.who, Who::Owner(_) | Who::Owners(_)) })
    );
    for path in ["Self::is_a", "Self::is_b"] {
        assert!(model_rules.iter().any(|r| r.when == Some(path)));
        assert!(field_rules.iter().any(|r| r.when == Some(path)));
    }
    for field in ["secret", "note"] {
        assert!(models().any(|m| m.fields.iter().any(|f| f.field == field)));
    }
    assert!(
        models().any(|m| m.fields.is_empty()),
        "every model has field rules"
    );
    assert!(
        models().any(|m| m.fields.len() == 2),
        "no model with rules on both fields"
    );
    assert!(
        field_rules
            .iter()
            .any(|r| matches!(r.who, Who::Owner(_) | Who::Owners(_))),
        "no owner rule on a field"
    );
    assert!(
        field_rules
            .iter()
            .any(|r| matches!(r.who, Who::GroupIn(_) | Who::GroupsIn(_))),
        "no dynamic group rule on a field"
    );
    assert!(
        model_rules
            .iter()
            .any(|r| r.declaration.starts_with("allow(owner,") || r.declaration == "allow(owner)"),
        "no bare `owner` rule"
    );
    assert!(policies.iter().any(|p| p.groups.len() > 64));
    assert!(policies.iter().any(|p| (63..=66).contains(&p.groups.len())));
    assert!(
        policies
            .iter()
            .any(|p| p.groups.iter().any(|(v, c)| v != c))
    );
    assert!(policies.iter().any(|p| {
        p.groups
            .iter()
            .any(|(v, _)| *v == "type" || *v == "match" || *v == "loop")
    }));
    let paths: Vec<&str> = policies
        .iter()
        .flat_map(|p| p.storage.iter().map(|e| e.path))
        .collect();
    assert!(paths.iter().any(|p| p.contains("{entity_id}")));
    let nested = policies.iter().any(|p| {
        p.storage.iter().any(|a| {
            p.storage
                .iter()
                .any(|b| a.path != b.path && b.path.starts_with(a.path.trim_end_matches('*')))
        })
    });
    assert!(nested, "no nested paths in the corpus");
    let literal_beside_entity = paths.iter().any(|entity| {
        entity.contains("{entity_id}")
            && paths.iter().any(|literal| {
                let (before, after) = entity.split_once("{entity_id}").unwrap_or_default();
                literal != entity
                    && literal.starts_with(before)
                    && literal.ends_with(after)
                    && !literal[before.len()..literal.len() - after.len()].contains('/')
            })
    });
    assert!(
        literal_beside_entity,
        "no literal path beside an {{entity_id}} path"
    );
    // Paths nested under the `p/*` that `p/{entity_id}/*` covers for others
    // than the owner: a literal one, and another `{entity_id}` path.
    let under_wide = |entity_nested: bool| {
        policies.iter().any(|p| {
            p.storage.iter().any(|outer| {
                let Some(base) = outer.path.strip_suffix("{entity_id}/*") else {
                    return false;
                };
                !matches!(outer.acceptor, Acceptor::Entity)
                    && p.storage.iter().any(|inner| {
                        inner.path != outer.path
                            && inner.path.starts_with(base)
                            && inner.path.ends_with("{entity_id}/*") == entity_nested
                    })
            })
        })
    };
    assert!(
        under_wide(false),
        "no literal path under a wide {{entity_id}} path"
    );
    assert!(under_wide(true), "no {{entity_id}} path under a wide one");
}

/// Every policy of the corpus exports to Cedar: one policy per rule of each
/// model and field and per storage entry (counted on the interpreter's data),
/// each named by its `@id`. What the policies decide is compared with
/// groupguard by the Cedar oracle (`scripts/cedar-oracle`), which needs
/// `cedar-policy` and so lives outside the workspace.
#[test]
fn every_policy_exports_to_cedar() {
    for (index, case) in corpus::CASES.iter().enumerate() {
        let cedar = (case.cedar)("Corpus").unwrap_or_else(|e| panic!("policy {index}: {e}"));
        let rules: usize = case
            .policy
            .models
            .iter()
            .map(|m| m.rules.len() + m.fields.iter().map(|f| f.rules.len()).sum::<usize>())
            .sum();
        let expected = rules + case.policy.storage.len();
        assert_eq!(cedar.policy_count(), expected, "policy {index}");
        assert_eq!(
            cedar.policies().matches("\npermit (").count(),
            expected,
            "policy {index}"
        );
        for (m, model) in case.policy.models.iter().enumerate() {
            for r in 0..model.rules.len() {
                let id = format!("@id(\"M{m}.rules[{r}]\")");
                assert!(cedar.policies().contains(&id), "policy {index}: no {id}");
            }
        }
    }
}
