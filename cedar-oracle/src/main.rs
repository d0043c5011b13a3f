//! Cedar as an oracle no one here wrote: every decision groupguard's
//! generated guards make on the tour's policy (`examples/tour_policy.rs`)
//! and on the differential tests' random corpus (`tests/build`) is asked
//! again of `cedar-policy`'s `is_authorized`, on the policies and schema
//! that `groupguard::cedar` exports (validated first, in strict mode).
//!
//! Prints the number of decisions compared and every disagreement; exits
//! with 1 when there is one (or when the export does not validate).
//!
//! ```sh
//! scripts/cedar-oracle                 # a fresh input seed, printed
//! GROUPGUARD_ORACLE_SEED=7 scripts/cedar-oracle
//! ```
//!
//! What is compared, per policy:
//! - `Model::authorize` (no record: Cedar gets no resource entity),
//!   `authorize_record` and `authorize_field` (the record as the resource,
//!   `context.field` for a field), for every operation; `read` is decided by
//!   Cedar as the conjunction of its parts, and the requests where asking
//!   Cedar for the action group `"read"` itself would answer otherwise are
//!   counted apart (a documented difference, not a disagreement);
//! - storage decisions for every action on keys around every declared path
//!   (malformed keys are refused by groupguard before any engine: checked,
//!   not sent to Cedar);
//! - for an allowed request, that the rule groupguard names is among the
//!   policies Cedar says allowed it (`@groupguard` annotation);
//! - on the tour, that `Cedar::principal_entity` and `Cedar::object_entity`
//!   build the entities this oracle writes itself (`engine.rs`).

#![allow(
    dead_code,
    reason = "the shared corpus and inputs carry more than the oracle reads"
)]

mod engine;
mod tour;

#[path = "../../tests/tests/differential/case.rs"]
mod case;
#[path = "../../tests/tests/differential/data.rs"]
mod data;
#[path = "../../tests/tests/differential/inputs.rs"]
mod inputs;
#[path = "../../tests/tests/differential/reference.rs"]
mod reference;

pub use case::Case;
pub use data::{PrincipalData, RecordData, principal};

use std::process::ExitCode;

use groupguard::{Access, Decision, Op, Outcome};

use engine::{Engine, Resource};

mod corpus {
    include!(concat!(env!("OUT_DIR"), "/differential.rs"));
}

/// The running tally.
#[derive(Default)]
pub struct Tally {
    pub decisions: usize,
    pub allowed: usize,
    pub disagreements: Vec<String>,
    /// Composite `read` requests where Cedar asked for `"read"` itself
    /// answers otherwise than the conjunction of the parts.
    pub read_direct_differs: usize,
    pub read_requests: usize,
    /// Malformed keys, refused by groupguard and not sent to Cedar.
    pub malformed_keys: usize,
    pub policies: usize,
    pub warnings: usize,
}

impl Tally {
    /// Compares one decision: groupguard's `decision` with Cedar's answer
    /// (`allowed`, and the declarations of the policies that allowed).
    pub fn compare(&mut self, what: impl FnOnce() -> String, decision: &Decision, cedar: &Answer) {
        self.decisions += 1;
        let ours = decision.is_allowed();
        if ours {
            self.allowed += 1;
        }
        if let Some(direct) = cedar.read_direct {
            self.read_requests += 1;
            if direct != cedar.allowed {
                self.read_direct_differs += 1;
            }
        }
        if ours != cedar.allowed {
            self.disagreements.push(format!(
                "{}: groupguard {}, Cedar {}",
                what(),
                describe(decision),
                if cedar.allowed { "allowed" } else { "denied" }
            ));
        } else if let Outcome::Allowed { rule } = decision.outcome()
            && !cedar.first_reasons.iter().any(|r| r == rule)
        {
            self.disagreements.push(format!(
                "{}: groupguard allowed by `{rule}`, Cedar by {:?}",
                what(),
                cedar.first_reasons
            ));
        }
    }
}

/// Cedar's answer to a request.
pub struct Answer {
    pub allowed: bool,
    /// The `@groupguard` declarations of the policies that allowed the
    /// first part.
    pub first_reasons: Vec<String>,
    /// For a composite `read`: Cedar's answer when asked for `"read"` itself.
    pub read_direct: Option<bool>,
}

fn describe(decision: &Decision) -> String {
    match decision.outcome() {
        Outcome::Allowed { rule } => format!("allowed by `{rule}`"),
        Outcome::Denied(reason) => format!("denied ({reason:?})"),
    }
}

/// The simple model operations of `op`, by Cedar action name.
pub fn model_parts(op: Op) -> Vec<&'static str> {
    op.parts().iter().map(|p| p.name()).collect()
}

/// Compares one corpus policy on `principals` random principals.
fn compare_case(index: usize, case: &Case, rng: &mut inputs::Rng, tally: &mut Tally) {
    let cedar = match (case.cedar)("Corpus") {
        Ok(cedar) => cedar,
        Err(error) => {
            tally
                .disagreements
                .push(format!("policy {index}: the export failed: {error}"));
            return;
        }
    };
    let engine = match Engine::new(&cedar, "Corpus") {
        Ok(engine) => engine,
        Err(error) => {
            tally.disagreements.push(format!(
                "policy {index}: {error}\n--- schema\n{}\n--- policies\n{}",
                cedar.schema(),
                cedar.policies()
            ));
            return;
        }
    };
    tally.policies += cedar.policy_count();
    tally.warnings += engine.warnings;
    let policy = case.policy;
    let paths: Vec<&str> = {
        let mut paths: Vec<&str> = policy.storage.iter().map(|e| e.path).collect();
        paths.dedup();
        paths
    };
    for _ in 0..inputs::PRINCIPALS_PER_POLICY {
        let who = inputs::principal(rng, policy);
        let principal = engine.principal(&who, &[("S", &paths)]);
        for (m, model) in policy.models.iter().enumerate() {
            let attributes = engine::record_attributes(model);
            for op in Op::ALL {
                let decision = (case.model)(&who, m, op);
                let answer = engine.decide_model(&principal, model.name, None, None, op);
                tally.compare(
                    || format!("policy {index} {}::authorize({who:?}, {op})", model.name),
                    &decision,
                    &answer,
                );
            }
            for record in inputs::records(rng, policy, &who) {
                let resource = Resource::record(model.name, &record, &attributes);
                for op in Op::ALL {
                    let decision = (case.record)(&who, m, &record, op);
                    let answer =
                        engine.decide_model(&principal, model.name, Some(&resource), None, op);
                    tally.compare(
                        || {
                            format!(
                                "policy {index} {}({record:?}).authorize_record({who:?}, {op})",
                                model.name
                            )
                        },
                        &decision,
                        &answer,
                    );
                    for field in ["secret", "note"] {
                        let decision = (case.field)(&who, m, &record, field, op);
                        let answer = engine.decide_model(
                            &principal,
                            model.name,
                            Some(&resource),
                            Some(field),
                            op,
                        );
                        tally.compare(
                            || format!("policy {index} {}({record:?}).authorize_field({who:?}, {field}, {op})", model.name),
                            &decision,
                            &answer,
                        );
                    }
                }
            }
        }
        for key in inputs::keys(rng, policy, &who) {
            for access in Access::ALL {
                let decision = (case.storage)(&who, &key, access);
                if groupguard::validate_key(&key).is_err() {
                    tally.malformed_keys += 1;
                    if decision.is_allowed() {
                        tally.disagreements.push(format!(
                            "policy {index}: the malformed key {key:?} was allowed ({access})"
                        ));
                    }
                    continue;
                }
                let answer = engine.decide_storage(&principal, "S", &key, access);
                tally.compare(
                    || format!("policy {index} S::authorize({who:?}, {key:?}, {access})"),
                    &decision,
                    &answer,
                );
            }
        }
    }
}

fn main() -> ExitCode {
    let seed = std::env::var("GROUPGUARD_ORACLE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_secs())
        });
    println!("cedar oracle: input seed {seed} (GROUPGUARD_ORACLE_SEED={seed} replays it)");
    let mut rng = inputs::Rng::new(seed);

    let mut tour = Tally::default();
    tour::compare(&mut rng, &mut tour, None);
    tour::compare(&mut rng, &mut tour, Some("us-east-1_AbC123"));
    let mut random = Tally::default();
    for (index, case) in corpus::CASES.iter().enumerate() {
        compare_case(index, case, &mut rng, &mut random);
    }

    let mut failed = false;
    for (name, tally) in [
        (
            "the tour's policy (twice: plain, and with Verified Permissions' entity prefix)",
            &tour,
        ),
        (
            "the random corpus (policy seed in tests/build/differential.rs)",
            &random,
        ),
    ] {
        println!(
            "{name}: {} policies exported and validated (strict, {} warnings); {} decisions compared \
             ({} allowed), {} disagreements; {} malformed keys refused before Cedar; composite `read`: \
             {} of {} would differ if Cedar were asked for the action group `read` itself",
            tally.policies,
            tally.warnings,
            tally.decisions,
            tally.allowed,
            tally.disagreements.len(),
            tally.malformed_keys,
            tally.read_direct_differs,
            tally.read_requests,
        );
        for disagreement in &tally.disagreements {
            println!("  DISAGREEMENT {disagreement}");
        }
        failed |= !tally.disagreements.is_empty() || tally.decisions == 0;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
