//! Differential tests: every guard that the real macros generate for a
//! corpus of random policies (written by `tests/build/differential.rs`)
//! against the naive reference interpreter of `reference.rs`, on random
//! principals, operations and keys.
//!
//! The corpus is fixed (its seed is in the generated file; rebuild with
//! `GROUPGUARD_DIFF_POLICY_SEED=N` for another); the inputs are drawn
//! afresh at every run from a seed that a failure prints. Replay one with
//! `GROUPGUARD_DIFF_SEED=N cargo test -p groupguard-tests --test differential`.

mod inputs;
mod reference;

use groupguard::{Access, Decision, Groups, Op, Outcome, Principal};

use reference::{Mutation, Policy, Verdict};

/// A principal as data, for both sides.
#[derive(Clone, Debug)]
pub struct PrincipalData {
    pub authenticated: bool,
    pub sub: String,
    pub identity_id: Option<String>,
    pub username: Option<String>,
    /// Group claim values, declared or not.
    pub claims: Vec<String>,
}

/// A record as data, for both sides: every generated model has exactly
/// these fields (and `is_a`, `is_b` reading `a`, `b`).
#[derive(Clone, Debug, Default)]
pub struct RecordData {
    pub owner: String,
    pub author: Option<String>,
    pub editors: Vec<String>,
    pub team: String,
    pub teams: Vec<String>,
    pub a: bool,
    pub b: bool,
    pub secret: Option<String>,
    pub note: String,
}

impl PrincipalData {
    /// The id that fills `{entity_id}`: the identity id, else `sub`; none for a guest.
    pub fn entity_id(&self) -> Option<&str> {
        if !self.authenticated {
            return None;
        }
        Some(self.identity_id.as_deref().unwrap_or(&self.sub))
    }
}

/// The runtime principal of `data`, for the groups enum `G`.
pub fn principal<G: Groups>(data: &PrincipalData) -> Principal<G> {
    let mut principal = if data.authenticated {
        Principal::authenticated(data.sub.clone())
    } else {
        Principal::guest()
    };
    if let Some(id) = &data.identity_id {
        principal = principal.with_identity_id(id.clone());
    }
    if let Some(username) = &data.username {
        principal = principal.with_username(username.clone());
    }
    let known = data.claims.iter().filter_map(|c| G::from_name(c));
    let unknown = data
        .claims
        .iter()
        .filter(|c| G::from_name(c).is_none())
        .cloned();
    principal.with_groups(known).with_unknown_groups(unknown)
}

/// One compiled policy: its data and its generated guards.
pub struct Case {
    pub policy: &'static Policy,
    pub model: fn(&PrincipalData, usize, Op) -> Decision,
    pub storage: fn(&PrincipalData, &str, Access) -> Decision,
}

mod corpus {
    include!(concat!(env!("OUT_DIR"), "/differential.rs"));
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

/// The outcome of comparing the whole corpus on one seed's inputs.
struct Report {
    decisions: usize,
    disagreements: usize,
    /// The first few, described.
    examples: Vec<String>,
}

impl Report {
    fn record(
        &mut self,
        expected: (Verdict, bool),
        actual: (Verdict, bool),
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

fn compare(seed: u64, mutation: Mutation) -> Report {
    let mut report = Report {
        decisions: 0,
        disagreements: 0,
        examples: Vec::new(),
    };
    let mut rng = inputs::Rng::new(seed);
    for (index, case) in corpus::CASES.iter().enumerate() {
        let policy = case.policy;
        for _ in 0..inputs::PRINCIPALS_PER_POLICY {
            let who = inputs::principal(&mut rng, policy);
            for (m, model) in policy.models.iter().enumerate() {
                for op in Op::ALL {
                    let expected = (
                        policy.decide_model(m, &who, op.name(), mutation),
                        !who.authenticated,
                    );
                    let actual = observed(&(case.model)(&who, m, op));
                    report.record(expected, actual, || {
                        format!("p{index}::{} {op} by {who:?}", model.name)
                    });
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
    }
}

/// The corpus covers what it is meant to: group enums across the bitset's
/// word boundary, renamed claims, raw identifiers, nested and `{entity_id}`
/// paths, and a literal beside `{entity_id}` at the same depth.
#[test]
fn the_corpus_covers_the_edges() {
    let policies: Vec<&Policy> = corpus::CASES.iter().map(|c| c.policy).collect();
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
}
