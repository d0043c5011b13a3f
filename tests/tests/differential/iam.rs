//! The IAM policies `groupguard::amplify::iam_policies` exports for every
//! storage of the corpus, decided by a small IAM evaluator
//! (`tests/tests/support/iam.rs`) on this run's principals and keys, against
//! the generated guards: on every decision IAM can express, they agree.
//!
//! What IAM can express: `get`, `list`, `write` and `delete` (`read` is two
//! IAM actions) on valid keys (`validate_key` refuses the others before any
//! rule), for guests and for signed-in users whose entity id is what an
//! identity pool makes (never empty, never with `/`, never equal to a
//! literal path part, the one difference the README documents). A
//! principal's IAM answer is the union of its roles (the authenticated role
//! and one per declared group it claims), which is groupguard's model;
//! IAM's one role at a time is the export's documented warning.

#[path = "../support/iam.rs"]
mod evaluator;

use groupguard::amplify::{AUTHENTICATED_ROLE, GUEST_ROLE};
use groupguard::{Access, validate_key};
use serde_json::Value;

use crate::reference::Policy;
use crate::{PrincipalData, corpus, inputs};

const BUCKET: &str = "corpus-bucket";
const ACTIONS: [(&str, Access); 4] = [
    ("get", Access::Get),
    ("list", Access::List),
    ("write", Access::Write),
    ("delete", Access::Delete),
];

/// The policies of one export, by role identifier.
fn roles(export: &Value) -> Vec<(String, evaluator::Policy)> {
    export["roles"]
        .as_array()
        .expect("the export lists roles")
        .iter()
        .map(|role| {
            let name = role["role"].as_str().expect("a role has an identifier");
            let policy = evaluator::Policy::from_json(&role["policy"])
                .unwrap_or_else(|e| panic!("the policy of {name} does not read: {e}"));
            (name.to_owned(), policy)
        })
        .collect()
}

/// Whether IAM can express decisions for `who` (see the module's comment).
fn expressible(policy: &Policy, who: &PrincipalData) -> bool {
    let Some(id) = who.entity_id() else {
        return true; // a guest
    };
    !id.is_empty()
        && !id.contains('/')
        && !policy
            .storage
            .iter()
            .any(|entry| entry.path.split('/').any(|part| part == id))
}

/// IAM's answer for `who`: the union of its roles.
fn iam_allows(
    roles: &[(String, evaluator::Policy)],
    policy: &Policy,
    who: &PrincipalData,
    action: &str,
    key: &str,
) -> bool {
    let mut names = Vec::new();
    if who.authenticated {
        names.push(AUTHENTICATED_ROLE);
        names.extend(
            policy
                .groups
                .iter()
                .map(|(_, claim)| *claim)
                .filter(|claim| who.claims.iter().any(|c| c == claim)),
        );
    } else {
        names.push(GUEST_ROLE);
    }
    let request = evaluator::s3_request(BUCKET, action, key, who.entity_id());
    roles
        .iter()
        .filter(|(name, _)| names.contains(&name.as_str()))
        .any(|(_, role)| role.allows(&request))
}

struct Tally {
    decisions: usize,
    allowed: usize,
    differing: usize,
    /// The first few, described.
    disagreements: Vec<String>,
}

/// Decides the corpus on the inputs of `seed`, with the exported policies
/// passed through `edit`.
fn compare(seed: u64, edit: fn(&evaluator::Policy) -> evaluator::Policy) -> Tally {
    let mut rng = inputs::Rng::new(seed);
    let mut tally = Tally {
        decisions: 0,
        allowed: 0,
        differing: 0,
        disagreements: Vec::new(),
    };
    for (index, (case, amplify)) in corpus::CASES.iter().zip(corpus::AMPLIFY).enumerate() {
        let export = (amplify.iam)(BUCKET).unwrap_or_else(|e| panic!("policy {index}: {e}"));
        let roles: Vec<_> = roles(&export)
            .into_iter()
            .map(|(name, policy)| (name, edit(&policy)))
            .collect();
        for _ in 0..inputs::PRINCIPALS_PER_POLICY {
            let who = inputs::principal(&mut rng, case.policy);
            if !expressible(case.policy, &who) {
                continue;
            }
            for key in inputs::keys(&mut rng, case.policy, &who) {
                if validate_key(&key).is_err() {
                    continue;
                }
                for (action, access) in ACTIONS {
                    let guard = (case.storage)(&who, &key, access).is_allowed();
                    let iam = iam_allows(&roles, case.policy, &who, action, &key);
                    tally.decisions += 1;
                    tally.allowed += usize::from(guard);
                    tally.differing += usize::from(guard != iam);
                    if guard != iam && tally.disagreements.len() < 8 {
                        tally.disagreements.push(format!(
                            "policy {index}: {action} {key:?} by {who:?}: the guard {}, IAM {}",
                            if guard { "allows" } else { "denies" },
                            if iam { "allows" } else { "denies" },
                        ));
                    }
                }
            }
        }
    }
    tally
}

#[test]
fn exported_iam_policies_agree_with_the_guards() {
    let seed = crate::seed();
    let tally = compare(seed, evaluator::Policy::clone);
    assert!(
        tally.differing == 0,
        "the exported IAM policies and the guards disagree on {} of {} decisions (inputs seed \
         {seed}; replay with GROUPGUARD_DIFF_SEED={seed}):\n{}",
        tally.differing,
        tally.decisions,
        tally.disagreements.join("\n")
    );
    // Enough decisions, and both answers among them.
    assert!(
        tally.decisions > 20_000,
        "only {} decisions",
        tally.decisions
    );
    assert!(
        tally.allowed > tally.decisions / 20,
        "{} allowed",
        tally.allowed
    );
    assert!(tally.allowed < tally.decisions, "everything allowed");
    eprintln!(
        "{} decisions compared ({} allowed), all equal (inputs seed {seed})",
        tally.decisions, tally.allowed
    );
}

/// The comparison notices an export without its deny statements (a sub-path
/// that no longer overrides its parent).
#[test]
fn an_export_without_its_denies_disagrees() {
    let seed = crate::seed();
    let tally = compare(seed, evaluator::Policy::without_denies);
    assert!(
        tally.differing > 0,
        "the missing denies went unnoticed (inputs seed {seed})"
    );
    eprintln!(
        "without its denies, the export differs on {} of {} decisions (inputs seed {seed})",
        tally.differing, tally.decisions
    );
}

/// Every exported document reads, and names only the roles Amplify has.
#[test]
fn every_storage_exports_its_iam_policies() {
    for (index, amplify) in corpus::AMPLIFY.iter().enumerate() {
        let export = (amplify.iam)(BUCKET).unwrap_or_else(|e| panic!("policy {index}: {e}"));
        let case = &corpus::CASES[index];
        for (name, policy) in roles(&export) {
            assert!(
                name == GUEST_ROLE
                    || name == AUTHENTICATED_ROLE
                    || case.policy.groups.iter().any(|(_, claim)| *claim == name),
                "policy {index}: unknown role {name}"
            );
            assert!(policy.len() > 0, "policy {index}: {name} has no statement");
        }
    }
}
