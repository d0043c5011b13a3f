//! Amplify's own code as an oracle for storage: every declaration is handed
//! to `@aws-amplify/backend-storage`'s `StorageAccessOrchestrator` (the code
//! that turns `defineStorage({ access })` into the IAM policies of the guest,
//! authenticated and group roles; `orchestrate.mjs`), the policies it would
//! deploy are evaluated (`iam.rs`), and every decision is compared with
//! groupguard's: the reference interpreter of the differential tests on
//! random declarations, and the generated guards too on the differential
//! corpus.
//!
//! ```sh
//! scripts/amplify-oracle                          # a fresh seed, printed
//! GROUPGUARD_AMPLIFY_SEED=7 scripts/amplify-oracle
//! GROUPGUARD_AMPLIFY_DECLARATIONS=10000 scripts/amplify-oracle
//! ```
//!
//! What is compared, per declaration Amplify accepts and `storage!` accepts:
//! `get`, `list`, `write` and `delete` on valid keys around every path, for
//! a guest, signed-in users in no group (one owns the folders the keys
//! name), and members of each group; a principal's IAM answer is the union
//! of its roles (the authenticated role and each of its groups' roles),
//! which is groupguard's documented model (Amplify's identity pool gives a
//! group member one role; README "Differences from Amplify"). Malformed keys
//! are refused by groupguard before any rule and are not compared.
//!
//! Declarations `storage!` refuses (where Amplify's IAM contradicts its own
//! rule) are decided too, and the disagreements found on them are counted:
//! the reason for refusing them. Finally the comparison is run once more
//! with the interpreter broken on purpose (`{entity_id}` read as before),
//! which must disagree: an oracle that cannot fail proves nothing.
//!
//! Exits with 1 on any disagreement on an accepted declaration, or when
//! Amplify refuses a declaration `storage!` accepts.

#![allow(
    dead_code,
    reason = "the shared corpus, inputs and generator carry more than the oracle reads"
)]

mod iam;

#[path = "../../tests/tests/differential/case.rs"]
mod case;
#[path = "../../tests/tests/differential/data.rs"]
mod data;
#[path = "../../tests/build/differential.rs"]
mod generator;
#[path = "../../tests/tests/differential/reference.rs"]
mod reference;
#[path = "../../tests/build/rng.rs"]
mod rng;

pub use case::Case;
pub use data::{PrincipalData, RecordData, principal};

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::{Command, ExitCode, Stdio};

use groupguard::{Access, validate_key};
use serde_json::{Value, json};

use reference::{Acceptor, Entry, Mutation, Policy, Verdict};
use rng::Rng;

mod corpus {
    include!(concat!(env!("OUT_DIR"), "/differential.rs"));
}

/// Random declarations by default (besides the corpus).
const DEFAULT_DECLARATIONS: usize = 3000;
/// The groups of the random declarations: `(variant, claim value)`.
const GROUPS: [(&str, &str); 3] = [
    ("ADMINS", "ADMINS"),
    ("EDITORS", "EDITORS"),
    ("Reviewers", "content-reviewers"),
];
const ACTIONS: [&str; 5] = ["read", "get", "list", "write", "delete"];
const SIMPLE: [&str; 4] = ["get", "list", "write", "delete"];
/// Identity ids as Cognito's identity pool makes them (`region:uuid`), so
/// that none equals a literal path part (the one documented difference for
/// such a user is not what this oracle measures); one is a prefix of another.
const IDS: [&str; 3] = ["us-east-1:aaaa", "us-east-1:bbbb", "us-east-1:aa"];
const SEGMENTS: [&str; 5] = ["f.txt", "x", "common", "a", "deep/er/f"];

/// A declaration to decide: its entries, as data for the interpreter.
struct Declaration {
    /// Where it comes from, for messages.
    name: String,
    policy: &'static Policy,
    /// The corpus policy's generated guard, when it has one.
    guard: Option<fn(&PrincipalData, &str, Access) -> groupguard::Decision>,
    /// Whether `storage!` accepts it (the corpus is accepted by construction).
    accepted: bool,
}

#[derive(Default)]
struct Tally {
    declarations: usize,
    refused_by_amplify: Vec<String>,
    refused_here: usize,
    refused_here_disagreeing: usize,
    decisions: usize,
    allowed: usize,
    disagreements: Vec<String>,
    refused_decisions: usize,
    refused_disagreements: usize,
}

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

fn leak_str(value: String) -> &'static str {
    Box::leak(value.into_boxed_str())
}

/// A random declaration that passes Amplify's validation: the generator's
/// paths (`tests/build/differential.rs`), one to four entries per path.
fn random_declaration(rng: &mut Rng, index: usize) -> Declaration {
    let paths = generator::random_paths(rng);
    let mut entries = Vec::new();
    let mut kinds: Vec<(String, Vec<&str>)> = Vec::new();
    for path in &paths {
        let mut acceptors = vec!["guest", "authenticated", "groups", "groups"];
        if path.contains("{entity_id}") {
            acceptors.extend(["entity", "entity"]);
        }
        let mut used: Vec<&str> = Vec::new();
        let mut used_groups: Vec<&str> = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let kind = *rng.pick(&acceptors);
            let acceptor = match kind {
                "groups" => {
                    let free: Vec<&str> = GROUPS
                        .iter()
                        .map(|g| g.0)
                        .filter(|g| !used_groups.contains(g))
                        .collect();
                    if free.is_empty() {
                        continue;
                    }
                    let chosen: Vec<&'static str> = rng
                        .subset(free.len(), 2)
                        .into_iter()
                        .map(|i| GROUPS.iter().find(|g| g.0 == free[i]).map_or("", |g| g.0))
                        .collect();
                    used_groups.extend(&chosen);
                    Acceptor::Groups(leak(chosen).as_slice())
                }
                _ if used.contains(&kind) => continue,
                "guest" => Acceptor::Guest,
                "authenticated" => Acceptor::Authenticated,
                _ => Acceptor::Entity,
            };
            used.push(kind);
            let mut actions: Vec<&'static str> = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let action = *rng.pick(&ACTIONS);
                let clash = actions.contains(&action)
                    || (action == "read" && actions.iter().any(|a| *a == "get" || *a == "list"))
                    || ((action == "get" || action == "list") && actions.contains(&"read"));
                if !clash {
                    actions.push(action);
                }
            }
            entries.push(Entry {
                path: leak_str(path.clone()),
                acceptor,
                actions: leak(actions).as_slice(),
                declaration: leak_str(format!("{path:?} => {kind}")),
            });
        }
        kinds.push((
            path.clone(),
            used.iter()
                .map(|k| if *k == "entity" { "entity" } else { "other" })
                .collect(),
        ));
    }
    let accepted = generator::refused_path(&kinds).is_none();
    Declaration {
        name: format!("random declaration {index}"),
        policy: leak(Policy {
            groups: &GROUPS,
            models: &[],
            storage: leak(entries).as_slice(),
        }),
        guard: None,
        accepted,
    }
}

/// The declaration as `orchestrate.mjs` reads it: claim values for groups.
fn to_json(policy: &Policy) -> Value {
    let entries: Vec<Value> = policy
        .storage
        .iter()
        .map(|entry| {
            let (acceptor, groups): (&str, Vec<&str>) = match entry.acceptor {
                Acceptor::Guest => ("guest", vec![]),
                Acceptor::Authenticated => ("authenticated", vec![]),
                Acceptor::Entity => ("entity", vec![]),
                Acceptor::Groups(groups) => (
                    "groups",
                    groups
                        .iter()
                        .map(|variant| {
                            policy
                                .groups
                                .iter()
                                .find(|(v, _)| v == variant)
                                .map_or(*variant, |(_, claim)| *claim)
                        })
                        .collect(),
                ),
            };
            json!({ "path": entry.path, "acceptor": acceptor, "groups": groups, "actions": entry.actions })
        })
        .collect();
    Value::Array(entries)
}

/// Runs Amplify's orchestrator on every declaration at once.
fn orchestrate(declarations: &[Declaration]) -> Result<Vec<Value>, String> {
    let input = Value::Array(declarations.iter().map(|d| to_json(d.policy)).collect());
    let here = env!("CARGO_MANIFEST_DIR");
    let mut child = Command::new("node")
        .arg(format!("{here}/orchestrate.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("cannot run node ({e}): scripts/amplify-oracle installs what it needs")
        })?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(input.to_string().as_bytes())
        .map_err(|e| e.to_string())?;
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!("orchestrate.mjs failed: {}", output.status));
    }
    let results: Vec<Value> =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("orchestrate.mjs: {e}"))?;
    if results.len() != declarations.len() {
        return Err("orchestrate.mjs answered for another number of declarations".into());
    }
    Ok(results)
}

/// The roles of one Amplify result.
fn roles(result: &Value) -> BTreeMap<String, iam::Role> {
    let mut roles = BTreeMap::new();
    let Some(map) = result.get("roles").and_then(Value::as_object) else {
        return roles;
    };
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    for (role, actions) in map {
        let mut parsed = iam::Role::default();
        for (action, prefixes) in actions.as_object().into_iter().flatten() {
            parsed.actions.insert(
                action.clone(),
                iam::Prefixes {
                    allow: strings(&prefixes["allow"]),
                    deny: strings(&prefixes["deny"]),
                },
            );
        }
        roles.insert(role.clone(), parsed);
    }
    roles
}

/// The principals a declaration is decided for.
fn principals(policy: &Policy) -> Vec<PrincipalData> {
    let user = |id: &str, claims: Vec<String>| PrincipalData {
        authenticated: true,
        sub: format!("sub-{id}"),
        identity_id: Some(id.to_owned()),
        username: Some("user".to_owned()),
        claims,
    };
    let mut all = vec![
        PrincipalData {
            authenticated: false,
            sub: String::new(),
            identity_id: None,
            username: None,
            claims: Vec::new(),
        },
        user(IDS[0], Vec::new()),
    ];
    for (_, claim) in policy.groups {
        all.push(user(IDS[0], vec![(*claim).to_owned()]));
    }
    all.push(user(
        IDS[1],
        policy.groups.iter().map(|(_, c)| (*c).to_owned()).collect(),
    ));
    all
}

/// Valid keys around every declared path, with the ids of `IDS` in place of
/// `{entity_id}`, beside the folders, and one level deeper.
fn keys(policy: &Policy) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for entry in policy.storage {
        let template = entry.path.trim_end_matches('*');
        let mut bases = vec![template.replace("{entity_id}/", "")];
        if template.contains("{entity_id}") {
            bases.extend(IDS.iter().map(|id| template.replace("{entity_id}", id)));
        }
        for base in bases {
            keys.push(base.clone());
            keys.push(base.trim_end_matches('/').to_owned());
            for segment in SEGMENTS {
                keys.push(format!("{base}{segment}"));
                keys.push(format!("{base}{segment}/"));
            }
        }
    }
    keys.retain(|k| validate_key(k).is_ok());
    keys.sort();
    keys.dedup();
    keys
}

/// IAM's answer for `who`: the union of its roles.
fn iam_allows(
    roles: &BTreeMap<String, iam::Role>,
    policy: &Policy,
    who: &PrincipalData,
    action: &str,
    key: &str,
) -> bool {
    let mut names = Vec::new();
    if who.authenticated {
        names.push("authenticatedUserIamRole");
        for (_, claim) in policy.groups {
            if who.claims.iter().any(|c| c == claim) {
                names.push(claim);
            }
        }
    } else {
        names.push("unauthenticatedUserIamRole");
    }
    let identity = who.authenticated.then(|| who.entity_id()).flatten();
    names
        .iter()
        .filter_map(|name| roles.get(*name))
        .any(|role| role.allows(action, key, identity))
}

fn access(action: &str) -> Access {
    match action {
        "get" => Access::Get,
        "list" => Access::List,
        "write" => Access::Write,
        _ => Access::Delete,
    }
}

/// Compares every decision of one declaration; returns the disagreements.
fn compare(
    declaration: &Declaration,
    roles: &BTreeMap<String, iam::Role>,
    mutation: Mutation,
    decisions: &mut usize,
    allowed: &mut usize,
) -> Vec<String> {
    let mut found = Vec::new();
    let policy = declaration.policy;
    for who in principals(policy) {
        for key in keys(policy) {
            for action in SIMPLE {
                let amplify = iam_allows(roles, policy, &who, action, &key);
                let verdict = policy.decide_storage(&who, &key, action, mutation);
                let ours = matches!(verdict, Verdict::Allowed(_));
                *decisions += 1;
                *allowed += usize::from(ours);
                let who_text = || {
                    if who.authenticated {
                        format!("{} in {:?}", who.entity_id().unwrap_or(""), who.claims)
                    } else {
                        "a guest".to_owned()
                    }
                };
                if ours != amplify {
                    found.push(format!(
                        "{}: {action} {key:?} by {}: groupguard {verdict:?}, Amplify's IAM {}",
                        declaration.name,
                        who_text(),
                        if amplify { "allows" } else { "denies" }
                    ));
                }
                if let Some(guard) = declaration.guard {
                    let generated = guard(&who, &key, access(action)).is_allowed();
                    if generated != amplify {
                        found.push(format!(
                            "{}: {action} {key:?} by {}: the generated guard {}, Amplify's IAM {}",
                            declaration.name,
                            who_text(),
                            if generated { "allows" } else { "denies" },
                            if amplify { "allows" } else { "denies" }
                        ));
                    }
                }
            }
        }
    }
    found
}

fn main() -> ExitCode {
    let seed = std::env::var("GROUPGUARD_AMPLIFY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_secs())
        });
    let count = std::env::var("GROUPGUARD_AMPLIFY_DECLARATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_DECLARATIONS);
    println!("amplify-oracle: seed {seed} (replay with GROUPGUARD_AMPLIFY_SEED={seed})");

    let mut declarations: Vec<Declaration> = corpus::CASES
        .iter()
        .enumerate()
        .map(|(i, case)| Declaration {
            name: format!("corpus policy {i}"),
            policy: case.policy,
            guard: Some(case.storage),
            accepted: true,
        })
        .collect();
    let mut rng = Rng::new(seed);
    declarations.extend((0..count).map(|i| random_declaration(&mut rng, i)));

    let results = match orchestrate(&declarations) {
        Ok(results) => results,
        Err(error) => {
            eprintln!("amplify-oracle: {error}");
            return ExitCode::FAILURE;
        }
    };

    let mut tally = Tally::default();
    let mut accepted_with_roles = Vec::new();
    for (declaration, result) in declarations.iter().zip(&results) {
        tally.declarations += 1;
        if let Some(error) = result.get("error").and_then(Value::as_str) {
            tally
                .refused_by_amplify
                .push(format!("{}: {error}", declaration.name));
            continue;
        }
        let roles = roles(result);
        if declaration.accepted {
            let found = compare(
                declaration,
                &roles,
                Mutation::None,
                &mut tally.decisions,
                &mut tally.allowed,
            );
            tally.disagreements.extend(found);
            accepted_with_roles.push((declaration, roles));
        } else {
            tally.refused_here += 1;
            let mut allowed = 0;
            let found = compare(
                declaration,
                &roles,
                Mutation::None,
                &mut tally.refused_decisions,
                &mut allowed,
            );
            tally.refused_disagreements += found.len();
            tally.refused_here_disagreeing += usize::from(!found.is_empty());
        }
    }

    // The harness must notice an interpreter that reads `{entity_id}` as
    // groupguard did before (grants to others only under `p/<id>/`).
    let (mut broken_decisions, mut ignored) = (0, 0);
    let broken: usize = accepted_with_roles
        .iter()
        .map(|(d, roles)| {
            let plain = Declaration {
                name: d.name.clone(),
                policy: d.policy,
                guard: None,
                accepted: true,
            };
            compare(
                &plain,
                roles,
                Mutation::EntityPathNotWild,
                &mut broken_decisions,
                &mut ignored,
            )
            .len()
        })
        .sum();

    println!(
        "declarations: {} ({} from the differential corpus, {} random)",
        tally.declarations,
        corpus::CASES.len(),
        count
    );
    println!(
        "accepted by both: {} declarations, {} decisions compared ({} allowed), {} disagreements",
        accepted_with_roles.len(),
        tally.decisions,
        tally.allowed,
        tally.disagreements.len()
    );
    println!(
        "refused by storage! (Amplify's IAM against its own rule): {} declarations, {} of them with a disagreement found ({} of {} decisions)",
        tally.refused_here,
        tally.refused_here_disagreeing,
        tally.refused_disagreements,
        tally.refused_decisions
    );
    println!(
        "refused by Amplify but accepted by storage!: {}",
        tally.refused_by_amplify.len()
    );
    println!(
        "the broken interpreter ({{entity_id}} as before issue 21): {broken} disagreements in {broken_decisions} decisions"
    );
    for line in tally
        .disagreements
        .iter()
        .chain(&tally.refused_by_amplify)
        .take(40)
    {
        println!("  {line}");
    }
    let failed =
        !tally.disagreements.is_empty() || !tally.refused_by_amplify.is_empty() || broken == 0;
    if broken == 0 {
        println!("the broken interpreter went unnoticed: the oracle proves nothing");
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
