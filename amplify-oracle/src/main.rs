//! Amplify's own code as an oracle for storage: every declaration is handed
//! to `@aws-amplify/backend-storage`'s `StorageAccessOrchestrator` and
//! `StorageAccessPolicyFactory` (the code that turns
//! `defineStorage({ access })` into the IAM policies of the guest,
//! authenticated and group roles; `orchestrate.mjs`), and what Amplify would
//! deploy is compared with groupguard.
//!
//! ```sh
//! scripts/amplify-oracle                          # a fresh seed, printed
//! GROUPGUARD_AMPLIFY_SEED=7 scripts/amplify-oracle
//! GROUPGUARD_AMPLIFY_DECLARATIONS=10000 scripts/amplify-oracle
//! ```
//!
//! **Compiled declarations** (the differential corpus's storages, the
//! tour's, and the declaration with awkward names of the amplify tests):
//! groupguard writes their `amplify/auth/resource.ts` and
//! `amplify/storage/resource.ts` (`groupguard::amplify::define_auth`,
//! `define_storage`), and Amplify's orchestrator runs the `access` callback
//! of that very file. Then:
//! - `defineAuth`'s groups are the enum's claim values, in order, and the
//!   `amplify_outputs.json` paths Amplify writes equal
//!   `groupguard::amplify::export_paths`, with no drift
//!   (`AmplifyOutputs::storage_drift`);
//! - the IAM policies per role `groupguard::amplify::iam_policies` exports
//!   equal the ones Amplify's policy factory builds, statement for
//!   statement, order aside (effect, action, resources, `s3:prefix`
//!   conditions), and the export without its deny statements must not;
//! - decisions: Amplify's statements, and the export's, decided by the IAM
//!   evaluator the tests share (`tests/tests/support/iam.rs`) against the
//!   generated guards (and the reference interpreter, on the corpus).
//!
//! **Random declarations** (3,000 by default), as data: decisions of
//! Amplify's statements against the reference interpreter; and
//! groupguard's IAM export of each (its paths as `storage!` would emit them,
//! given to `groupguard::amplify::__iam_policies_of`, the function behind
//! `iam_policies`) against the statements Amplify's policy factory built,
//! statement for statement, order aside, whether `storage!` accepts the
//! declaration or not.
//!
//! What is decided: `get`, `list`, `write` and `delete` on valid keys
//! around every path, for a guest, signed-in users in no group (one owns
//! the folders the keys name), and members of each group; a principal's IAM
//! answer is the union of its roles (the authenticated role and each of its
//! groups' roles), which is groupguard's documented model (Amplify's
//! identity pool gives a group member one role; README "Differences from
//! Amplify"). Malformed keys are refused by groupguard before any rule and
//! are not compared.
//!
//! Declarations `storage!` refuses (where Amplify's IAM contradicts its own
//! rule) are decided too, and the disagreements found on them are counted:
//! the reason for refusing them. Finally the comparison is run once more
//! with the interpreter broken on purpose (`{entity_id}` read as before),
//! which must disagree: an oracle that cannot fail proves nothing.
//!
//! Exits with 1 on any difference on an accepted declaration, when Amplify
//! refuses a declaration `storage!` accepts, or when a broken interpreter
//! or an export without its denies goes unnoticed.

#![allow(
    dead_code,
    reason = "the shared corpus, inputs and generator carry more than the oracle reads"
)]

#[path = "../../tests/tests/differential/amplify_case.rs"]
mod amplify_case;
#[path = "../../tests/tests/amplify/awkward.rs"]
mod awkward;
#[path = "../../tests/tests/differential/case.rs"]
mod case;
#[path = "../../tests/tests/differential/data.rs"]
mod data;
#[path = "../../tests/build/differential.rs"]
mod generator;
#[path = "../../tests/tests/support/iam.rs"]
mod iam;
#[path = "../../tests/tests/differential/reference.rs"]
mod reference;
#[path = "../../tests/build/rng.rs"]
mod rng;
#[path = "../../examples/tour_policy.rs"]
mod tour;

pub use amplify_case::AmplifyCase;
pub use case::Case;
pub use data::{PrincipalData, RecordData, principal};

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use groupguard::amplify::{self, AUTH_RESOURCE, AmplifyOutputs, STORAGE_RESOURCE};
use groupguard::{
    Acceptor as Grantee, Access, AccessSet, Decision, Grant, GroupSet, Groups, Storage,
    StoragePath, validate_key,
};
use serde_json::{Value, json};

use reference::{Acceptor, Entry, Mutation, Policy, Verdict};
use rng::Rng;

mod corpus {
    include!(concat!(env!("OUT_DIR"), "/differential.rs"));
    include!(concat!(env!("OUT_DIR"), "/differential_amplify.rs"));
}

/// Random declarations by default (besides the compiled ones).
const DEFAULT_DECLARATIONS: usize = 3000;
/// The bucket every declaration is deployed to.
const BUCKET: &str = "oracle-bucket";
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

type Guard = fn(&PrincipalData, &str, Access) -> Decision;

/// The groups of the random declarations (`GROUPS`) as a `#[groups]` enum:
/// groupguard's IAM export of a declaration given as data names them.
#[groupguard::groups]
pub enum RandomGroup {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    Reviewers,
}

fn random_group(variant: &str) -> RandomGroup {
    match variant {
        "ADMINS" => RandomGroup::ADMINS,
        "EDITORS" => RandomGroup::EDITORS,
        _ => RandomGroup::Reviewers,
    }
}

/// A random declaration's paths as `storage!` would emit them, for
/// groupguard's IAM export (`groupguard::amplify::__iam_policies_of`).
fn storage_paths(policy: &Policy) -> &'static [StoragePath<RandomGroup>] {
    let mut paths = Vec::new();
    for path in distinct_paths(policy) {
        let grants: Vec<Grant<RandomGroup>> = policy
            .storage
            .iter()
            .filter(|entry| entry.path == path)
            .map(|entry| {
                let acceptor = match entry.acceptor {
                    Acceptor::Guest => Grantee::Guest,
                    Acceptor::Authenticated => Grantee::Authenticated,
                    Acceptor::Entity => Grantee::Entity,
                    Acceptor::Groups(groups) => Grantee::Groups(
                        leak(groups.iter().map(|g| random_group(g)).collect::<Vec<_>>()).as_slice(),
                    ),
                };
                let actions: Vec<Access> = entry
                    .actions
                    .iter()
                    .map(|a| {
                        if *a == "read" {
                            Access::Read
                        } else {
                            access(a)
                        }
                    })
                    .collect();
                Grant::__new(
                    acceptor,
                    GroupSet::new(),
                    AccessSet::of(&actions),
                    entry.declaration,
                )
            })
            .collect();
        paths.push(StoragePath::__new(path, leak(grants).as_slice()));
    }
    leak(paths).as_slice()
}

/// A declaration to decide.
struct Declaration {
    /// Where it comes from, for messages.
    name: String,
    /// Its groups' claim values, in declaration order.
    claims: Vec<&'static str>,
    /// Its distinct paths, in declaration order.
    paths: Vec<&'static str>,
    /// Its entries as data for the reference interpreter, when it has them.
    policy: Option<&'static Policy>,
    /// Its generated guard, when it is compiled.
    guard: Option<Guard>,
    /// Its Amplify exports and the storage name they are written with, when
    /// it is compiled.
    exports: Option<(&'static AmplifyCase, &'static str)>,
    /// Whether `storage!` accepts it.
    accepted: bool,
}

/// What Amplify made of one declaration.
struct Deployed {
    /// Per role identifier: the statements, as JSON, and as read by the
    /// evaluator.
    roles: BTreeMap<String, (Vec<Value>, iam::Policy)>,
    outputs: Value,
    groups: Option<Vec<String>>,
    name: Option<String>,
}

#[derive(Default)]
struct Tally {
    declarations: usize,
    accepted: usize,
    refused_by_amplify: Vec<String>,
    refused_here: usize,
    refused_here_disagreeing: usize,
    decisions: usize,
    allowed: usize,
    disagreements: Vec<String>,
    refused_decisions: usize,
    refused_disagreements: usize,
    /// Compiled declarations deployed from their TypeScript.
    deployed: usize,
    /// Differences between Amplify's deployment and groupguard's exports.
    export_differences: Vec<String>,
    /// Declarations whose IAM export was compared with Amplify's policies:
    /// all, and the random ones `storage!` accepts and refuses.
    iam_declarations: usize,
    iam_random_accepted: usize,
    iam_random_refused: usize,
    roles: usize,
    roles_in_order: usize,
    statements: usize,
    export_decisions: usize,
    /// The export without its denies: roles that then differ from
    /// Amplify's, declarations with such a role, and decisions that differ
    /// from the guards'.
    undenied_roles: usize,
    undenied_declarations: usize,
    undenied_disagreements: usize,
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
    let policy: &'static Policy = leak(Policy {
        groups: &GROUPS,
        models: &[],
        storage: leak(entries).as_slice(),
    });
    Declaration {
        name: format!("random declaration {index}"),
        claims: GROUPS.iter().map(|g| g.1).collect(),
        paths: distinct_paths(policy),
        policy: Some(policy),
        guard: None,
        exports: None,
        accepted,
    }
}

fn distinct_paths(policy: &Policy) -> Vec<&'static str> {
    let mut paths: Vec<&'static str> = Vec::new();
    for entry in policy.storage {
        if !paths.contains(&entry.path) {
            paths.push(entry.path);
        }
    }
    paths
}

/// A compiled storage outside the corpus (the tour's, the awkward one).
fn compiled<S: Storage>(
    name: &str,
    guard: Guard,
    exports: &'static AmplifyCase,
    storage_name: &'static str,
) -> Declaration {
    Declaration {
        name: name.to_owned(),
        claims: <S::Group as Groups>::ALL.iter().map(|g| g.name()).collect(),
        paths: S::PATHS.iter().map(|p| p.path()).collect(),
        policy: None,
        guard: Some(guard),
        exports: Some((exports, storage_name)),
        accepted: true,
    }
}

fn tour_guard(data: &PrincipalData, key: &str, access: Access) -> Decision {
    <tour::Articles as Storage>::authorize(&principal::<tour::Group>(data), key, access)
}

fn awkward_guard(data: &PrincipalData, key: &str, access: Access) -> Decision {
    <awkward::Awkward as Storage>::authorize(&principal::<awkward::Group>(data), key, access)
}

const TOUR: AmplifyCase = AmplifyCase {
    iam: |bucket| amplify::iam_policies::<tour::Articles>(bucket).map(|p| p.to_json()),
    define_auth: amplify::define_auth::<tour::Group>,
    define_storage: amplify::define_storage::<tour::Articles>,
    export_paths: amplify::export_paths::<tour::Articles>,
    storage_drift: |outputs, bucket| outputs.storage_drift::<tour::Articles>(bucket),
};

const AWKWARD: AmplifyCase = AmplifyCase {
    iam: |bucket| amplify::iam_policies::<awkward::Awkward>(bucket).map(|p| p.to_json()),
    define_auth: amplify::define_auth::<awkward::Group>,
    define_storage: amplify::define_storage::<awkward::Awkward>,
    export_paths: amplify::export_paths::<awkward::Awkward>,
    storage_drift: |outputs, bucket| outputs.storage_drift::<awkward::Awkward>(bucket),
};

/// A declaration given as data, as `orchestrate.mjs` reads it: claim values
/// for groups.
fn entries_json(policy: &Policy) -> Value {
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

/// The job for one declaration: its TypeScript files (written under `dir`)
/// when it is compiled, else its entries.
fn job(declaration: &Declaration, index: usize, dir: &Path) -> Result<Value, String> {
    if let Some((exports, storage_name)) = declaration.exports {
        let root = dir.join(index.to_string());
        let auth = root.join(AUTH_RESOURCE);
        let storage = root.join(STORAGE_RESOURCE);
        let storage_ts = (exports.define_storage)(storage_name)
            .map_err(|e| format!("{}: define_storage: {e}", declaration.name))?;
        for (path, text) in [(&auth, (exports.define_auth)()), (&storage, storage_ts)] {
            path.parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(path, text))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(json!({ "bucket": BUCKET, "auth_ts": auth, "storage_ts": storage }))
    } else {
        let policy = declaration.policy.ok_or("a declaration without data")?;
        Ok(json!({ "bucket": BUCKET, "entries": entries_json(policy) }))
    }
}

/// Runs Amplify's orchestrator on every job at once.
fn orchestrate(jobs: Vec<Value>) -> Result<Vec<Value>, String> {
    let count = jobs.len();
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
        .write_all(Value::Array(jobs).to_string().as_bytes())
        .map_err(|e| e.to_string())?;
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!("orchestrate.mjs failed: {}", output.status));
    }
    let results: Vec<Value> =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("orchestrate.mjs: {e}"))?;
    if results.len() != count {
        return Err("orchestrate.mjs answered for another number of declarations".into());
    }
    Ok(results)
}

/// A policy document's statements, read by the evaluator.
fn read_policy(statements: &[Value], whose: &str) -> Result<iam::Policy, String> {
    iam::Policy::from_json(&json!({"Version": "2012-10-17", "Statement": statements}))
        .map_err(|e| format!("{whose}: {e}"))
}

/// What Amplify deployed for one job.
fn deployed(result: &Value) -> Result<Deployed, String> {
    let mut roles = BTreeMap::new();
    for (role, policy) in result["roles"].as_object().into_iter().flatten() {
        let statements = policy["statements"]
            .as_array()
            .cloned()
            .ok_or_else(|| format!("no statements for {role}"))?;
        let read = read_policy(&statements, role)?;
        roles.insert(role.clone(), (statements, read));
    }
    let strings = |v: &Value| -> Option<Vec<String>> {
        v.as_array().map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
    };
    Ok(Deployed {
        roles,
        outputs: result["outputs"].clone(),
        groups: strings(&result["groups"]),
        name: result["name"].as_str().map(str::to_owned),
    })
}

/// The roles of one of groupguard's IAM exports: statements and policies.
fn exported(export: &Value) -> Result<BTreeMap<String, (Vec<Value>, iam::Policy)>, String> {
    let mut roles = BTreeMap::new();
    for role in export["roles"]
        .as_array()
        .ok_or("the export lists no roles")?
    {
        let name = role["role"].as_str().ok_or("a role without identifier")?;
        let document = &role["policy"];
        let statements = document["Statement"]
            .as_array()
            .cloned()
            .ok_or("a policy without statements")?;
        let policy = iam::Policy::from_json(document).map_err(|e| format!("{name}: {e}"))?;
        roles.insert(name.to_owned(), (statements, policy));
    }
    Ok(roles)
}

/// A statement with every list as a list (CDK writes one element as a
/// scalar); `sort` also sorts them (order aside).
fn normal(statement: &Value, sort: bool) -> String {
    let list = |v: &Value| -> Vec<String> {
        let mut items: Vec<String> = match v {
            Value::Array(a) => a
                .iter()
                .map(|x| x.as_str().unwrap_or("?").to_owned())
                .collect(),
            Value::String(s) => vec![s.clone()],
            Value::Null => Vec::new(),
            other => vec![other.to_string()],
        };
        if sort {
            items.sort();
        }
        items
    };
    let mut condition = BTreeMap::new();
    for (operator, keys) in statement["Condition"].as_object().into_iter().flatten() {
        for (key, values) in keys.as_object().into_iter().flatten() {
            condition.insert(format!("{operator} {key}"), list(values));
        }
    }
    json!({
        "Effect": statement["Effect"].as_str().unwrap_or("Allow"),
        "Action": list(&statement["Action"]),
        "Resource": list(&statement["Resource"]),
        "Condition": condition,
    })
    .to_string()
}

/// Whether two roles' statements are the same, order aside; and whether
/// also in the same order.
fn same_statements(ours: &[Value], theirs: &[Value]) -> (bool, bool) {
    let sorted = |s: &[Value]| {
        let mut v: Vec<String> = s.iter().map(|x| normal(x, true)).collect();
        v.sort();
        v
    };
    let ordered = |s: &[Value]| s.iter().map(|x| normal(x, false)).collect::<Vec<_>>();
    (
        sorted(ours) == sorted(theirs),
        ordered(ours) == ordered(theirs),
    )
}

/// Compares groupguard's exports of a compiled declaration with what
/// Amplify deployed from its TypeScript; returns the differences.
fn compare_exports(
    declaration: &Declaration,
    exports: &AmplifyCase,
    storage_name: &str,
    amplify: &Deployed,
    tally: &mut Tally,
) -> Vec<String> {
    let name = &declaration.name;
    let mut found = Vec::new();
    let claims: Vec<String> = declaration.claims.iter().map(|c| (*c).to_owned()).collect();
    if amplify.groups.as_ref() != Some(&claims) {
        found.push(format!(
            "{name}: defineAuth's groups are {:?}, the enum's {claims:?}",
            amplify.groups
        ));
    }
    if amplify.name.as_deref() != Some(storage_name) {
        found.push(format!(
            "{name}: defineStorage's name is {:?}",
            amplify.name
        ));
    }
    let paths = (exports.export_paths)();
    if amplify.outputs != paths {
        found.push(format!(
            "{name}: Amplify's outputs paths {} differ from export_paths {paths}",
            amplify.outputs
        ));
    }
    let outputs = json!({"version": "1.5", "storage": {"aws_region": "us-east-1", "bucket_name": BUCKET,
        "buckets": [{"name": storage_name, "bucket_name": BUCKET, "aws_region": "us-east-1",
                     "paths": amplify.outputs}]}});
    match AmplifyOutputs::from_json(&outputs.to_string())
        .map_err(|e| e.to_string())
        .and_then(|o| (exports.storage_drift)(&o, storage_name).map_err(|e| e.to_string()))
    {
        Ok(drift) if drift.is_empty() => {}
        Ok(drift) => found.push(format!("{name}: drift against Amplify's outputs: {drift}")),
        Err(error) => found.push(format!("{name}: the outputs do not read: {error}")),
    }

    match (exports.iam)(BUCKET)
        .map_err(|e| e.to_string())
        .and_then(|json| exported(&json))
    {
        Ok(ours) => found.extend(compare_iam(name, &ours, amplify, tally)),
        Err(error) => found.push(format!("{name}: the IAM export fails: {error}")),
    }
    found
}

/// Compares groupguard's IAM export of a declaration (`ours`) with the
/// policies Amplify's factory built for it, statement for statement, order
/// aside; also without the export's denies, which must then differ
/// somewhere. Returns the differences.
fn compare_iam(
    name: &str,
    ours: &BTreeMap<String, (Vec<Value>, iam::Policy)>,
    amplify: &Deployed,
    tally: &mut Tally,
) -> Vec<String> {
    let mut found = Vec::new();
    tally.iam_declarations += 1;
    if ours.keys().ne(amplify.roles.keys()) {
        found.push(format!(
            "{name}: roles {:?} exported, Amplify's {:?}",
            ours.keys().collect::<Vec<_>>(),
            amplify.roles.keys().collect::<Vec<_>>()
        ));
    }
    let mut undenied = false;
    for (role, (theirs, _)) in &amplify.roles {
        let Some((statements, _)) = ours.get(role) else {
            continue;
        };
        tally.roles += 1;
        tally.statements += theirs.len();
        let (same, in_order) = same_statements(statements, theirs);
        tally.roles_in_order += usize::from(in_order);
        if !same {
            found.push(format!(
                "{name}: role {role}: the export's statements {} differ from Amplify's {}",
                Value::Array(statements.clone()),
                Value::Array(theirs.clone())
            ));
        }
        // Without its denies, the export must differ wherever Amplify denies.
        let allows: Vec<Value> = statements
            .iter()
            .filter(|s| s["Effect"] != "Deny")
            .cloned()
            .collect();
        if !same_statements(&allows, theirs).0 {
            tally.undenied_roles += 1;
            undenied = true;
        }
    }
    tally.undenied_declarations += usize::from(undenied);
    found
}

/// The principals a declaration is decided for.
fn principals(claims: &[&str]) -> Vec<PrincipalData> {
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
    for claim in claims {
        all.push(user(IDS[0], vec![(*claim).to_owned()]));
    }
    all.push(user(
        IDS[1],
        claims.iter().map(|c| (*c).to_owned()).collect(),
    ));
    all
}

/// Valid keys around every declared path, with the ids of `IDS` in place of
/// `{entity_id}`, beside the folders, and one level deeper.
fn keys(paths: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for path in paths {
        let template = path.trim_end_matches('*');
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
    roles: &BTreeMap<String, (Vec<Value>, iam::Policy)>,
    claims: &[&str],
    who: &PrincipalData,
    action: &str,
    key: &str,
    undenied: bool,
) -> bool {
    let mut names = Vec::new();
    if who.authenticated {
        names.push(amplify::AUTHENTICATED_ROLE);
        names.extend(claims.iter().filter(|c| who.claims.iter().any(|w| w == *c)));
    } else {
        names.push(amplify::GUEST_ROLE);
    }
    let identity = who.authenticated.then(|| who.entity_id()).flatten();
    let request = iam::s3_request(BUCKET, action, key, identity);
    names
        .iter()
        .filter_map(|name| roles.get(*name))
        .any(|(_, policy)| {
            if undenied {
                policy.without_denies().allows(&request)
            } else {
                policy.allows(&request)
            }
        })
}

fn access(action: &str) -> Access {
    match action {
        "get" => Access::Get,
        "list" => Access::List,
        "write" => Access::Write,
        _ => Access::Delete,
    }
}

fn allows(yes: bool) -> &'static str {
    if yes { "allows" } else { "denies" }
}

/// Decides one declaration every way it can be: Amplify's statements against
/// the reference interpreter (read with `mutation`) and the generated guard,
/// and, given the export's roles, those against the guard (also without
/// their denies). Returns the disagreements.
fn compare(
    declaration: &Declaration,
    roles: &BTreeMap<String, (Vec<Value>, iam::Policy)>,
    ours: Option<&BTreeMap<String, (Vec<Value>, iam::Policy)>>,
    mutation: Mutation,
    decisions: &mut usize,
    allowed: &mut usize,
    tally: &mut Tally,
) -> Vec<String> {
    let mut found = Vec::new();
    let claims = &declaration.claims;
    for who in principals(claims) {
        let who_text = || {
            if who.authenticated {
                format!("{} in {:?}", who.entity_id().unwrap_or(""), who.claims)
            } else {
                "a guest".to_owned()
            }
        };
        for key in keys(&declaration.paths) {
            for action in SIMPLE {
                let amplify = iam_allows(roles, claims, &who, action, &key, false);
                *decisions += 1;
                if let Some(policy) = declaration.policy {
                    let verdict = policy.decide_storage(&who, &key, action, mutation);
                    let ours = matches!(verdict, Verdict::Allowed(_));
                    *allowed += usize::from(ours);
                    if ours != amplify {
                        found.push(format!(
                            "{}: {action} {key:?} by {}: groupguard {verdict:?}, Amplify's IAM {}",
                            declaration.name,
                            who_text(),
                            allows(amplify)
                        ));
                    }
                }
                let Some(guard) = declaration.guard else {
                    continue;
                };
                let generated = guard(&who, &key, access(action)).is_allowed();
                if declaration.policy.is_none() {
                    *allowed += usize::from(generated);
                }
                if generated != amplify {
                    found.push(format!(
                        "{}: {action} {key:?} by {}: the generated guard {}, Amplify's IAM {}",
                        declaration.name,
                        who_text(),
                        allows(generated),
                        allows(amplify)
                    ));
                }
                if let Some(ours) = ours {
                    tally.export_decisions += 1;
                    let exported = iam_allows(ours, claims, &who, action, &key, false);
                    if exported != generated {
                        found.push(format!(
                            "{}: {action} {key:?} by {}: the generated guard {}, the exported IAM {}",
                            declaration.name,
                            who_text(),
                            allows(generated),
                            allows(exported)
                        ));
                    }
                    let undenied = iam_allows(ours, claims, &who, action, &key, true);
                    tally.undenied_disagreements += usize::from(undenied != generated);
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
        .zip(corpus::AMPLIFY)
        .enumerate()
        .map(|(i, (case, exports))| Declaration {
            name: format!("corpus policy {i}"),
            claims: case.policy.groups.iter().map(|g| g.1).collect(),
            paths: distinct_paths(case.policy),
            policy: Some(case.policy),
            guard: Some(case.storage),
            exports: Some((exports, "corpus")),
            accepted: true,
        })
        .collect();
    declarations.push(compiled::<tour::Articles>(
        "the tour's storage",
        tour_guard,
        &TOUR,
        "articles",
    ));
    declarations.push(compiled::<awkward::Awkward>(
        "the awkward declaration",
        awkward_guard,
        &AWKWARD,
        "awkward files",
    ));
    let compiled_count = declarations.len();
    let mut rng = Rng::new(seed);
    declarations.extend((0..count).map(|i| random_declaration(&mut rng, i)));

    let dir: PathBuf =
        std::env::temp_dir().join(format!("groupguard-amplify-oracle-{}", std::process::id()));
    let jobs: Result<Vec<Value>, String> = declarations
        .iter()
        .enumerate()
        .map(|(i, d)| job(d, i, &dir))
        .collect();
    let results = jobs.and_then(orchestrate);
    let _ = std::fs::remove_dir_all(&dir);
    let results = match results {
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
        let amplify = match deployed(result) {
            Ok(amplify) => amplify,
            Err(error) => {
                tally
                    .export_differences
                    .push(format!("{}: {error}", declaration.name));
                continue;
            }
        };
        let mut ours = None;
        if let Some((exports, storage_name)) = declaration.exports {
            tally.deployed += 1;
            let found = compare_exports(declaration, exports, storage_name, &amplify, &mut tally);
            tally.export_differences.extend(found);
            ours = (exports.iam)(BUCKET)
                .ok()
                .and_then(|json| exported(&json).ok());
        } else if let Some(policy) = declaration.policy {
            // A random declaration: groupguard's export of it as data.
            let export = amplify::__iam_policies_of("random", storage_paths(policy), BUCKET)
                .map_err(|e| e.to_string())
                .and_then(|policies| exported(&policies.to_json()));
            match export {
                Ok(ours) => {
                    if declaration.accepted {
                        tally.iam_random_accepted += 1;
                    } else {
                        tally.iam_random_refused += 1;
                    }
                    let found = compare_iam(&declaration.name, &ours, &amplify, &mut tally);
                    tally.export_differences.extend(found);
                }
                Err(error) => tally.export_differences.push(format!(
                    "{}: the IAM export fails: {error}",
                    declaration.name
                )),
            }
        }
        if declaration.accepted {
            tally.accepted += 1;
            let (mut decisions, mut allowed) = (0, 0);
            let found = compare(
                declaration,
                &amplify.roles,
                ours.as_ref(),
                Mutation::None,
                &mut decisions,
                &mut allowed,
                &mut tally,
            );
            tally.decisions += decisions;
            tally.allowed += allowed;
            tally.disagreements.extend(found);
            if declaration.policy.is_some() {
                accepted_with_roles.push((declaration, amplify.roles));
            }
        } else {
            tally.refused_here += 1;
            let (mut decisions, mut allowed) = (0, 0);
            let found = compare(
                declaration,
                &amplify.roles,
                None,
                Mutation::None,
                &mut decisions,
                &mut allowed,
                &mut tally,
            );
            tally.refused_decisions += decisions;
            tally.refused_disagreements += found.len();
            tally.refused_here_disagreeing += usize::from(!found.is_empty());
        }
    }

    // The harness must notice an interpreter that reads `{entity_id}` as
    // groupguard did before (grants to others only under `p/<id>/`).
    let (mut broken_decisions, mut ignored) = (0, 0);
    let mut scratch = Tally::default();
    let broken: usize = accepted_with_roles
        .iter()
        .map(|(d, roles)| {
            let plain = Declaration {
                name: d.name.clone(),
                claims: d.claims.clone(),
                paths: d.paths.clone(),
                policy: d.policy,
                guard: None,
                exports: None,
                accepted: true,
            };
            compare(
                &plain,
                roles,
                None,
                Mutation::EntityPathNotWild,
                &mut broken_decisions,
                &mut ignored,
                &mut scratch,
            )
            .len()
        })
        .sum();

    println!(
        "declarations: {} ({} from the differential corpus, the tour's, the awkward one, {} random)",
        tally.declarations,
        corpus::CASES.len(),
        count
    );
    println!(
        "compiled declarations deployed by Amplify from the TypeScript groupguard writes: {} of {compiled_count} \
         (defineAuth's groups, the outputs' paths against export_paths, storage drift: checked)",
        tally.deployed
    );
    println!(
        "the IAM export against Amplify's policies: {} roles, {} statements, {} differences \
         (statement for statement, order aside; {} of the roles also in Amplify's order)",
        tally.roles,
        tally.statements,
        tally.export_differences.len(),
        tally.roles_in_order
    );
    println!(
        "IAM export compared for {} declarations ({} random that storage! accepts, {} random that it refuses, \
         the rest compiled)",
        tally.iam_declarations, tally.iam_random_accepted, tally.iam_random_refused
    );
    println!(
        "the export without its deny statements: {} roles of {} declarations differ from Amplify's, \
         {} of {} decisions from the guards'",
        tally.undenied_roles,
        tally.undenied_declarations,
        tally.undenied_disagreements,
        tally.export_decisions
    );
    println!(
        "accepted by both: {} declarations, {} decisions compared ({} allowed), {} disagreements \
         (Amplify's IAM against the reference interpreter and the guards; the export's IAM against the guards: {} decisions)",
        tally.accepted,
        tally.decisions,
        tally.allowed,
        tally.disagreements.len(),
        tally.export_decisions
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
        .export_differences
        .iter()
        .chain(&tally.disagreements)
        .chain(&tally.refused_by_amplify)
        .take(40)
    {
        println!("  {line}");
    }
    let unnoticed = tally.undenied_roles == 0 || tally.undenied_disagreements == 0;
    if broken == 0 {
        println!("the broken interpreter went unnoticed: the oracle proves nothing");
    }
    if unnoticed {
        println!("the export without its denies went unnoticed: the oracle proves nothing");
    }
    let failed = !tally.disagreements.is_empty()
        || !tally.export_differences.is_empty()
        || !tally.refused_by_amplify.is_empty()
        || tally.deployed != compiled_count
        || broken == 0
        || unnoticed;
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
