//! `amplify_outputs.json`: reading it ([`AmplifyOutputs`]), exporting a
//! groups enum and a storage as Amplify writes them ([`export_groups`],
//! [`export_paths`]), and the drift between the Rust declarations and the
//! deployed pool and bucket ([`GroupDrift`], [`StorageDrift`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value, json};

use crate::group::Groups;
use crate::storage::{Acceptor, Storage};

/// The path part Amplify writes for an owner grant's `{entity_id}`: the
/// caller's Identity Pool identity id.
pub const IDENTITY_TOKEN: &str = "${cognito-identity.amazonaws.com:sub}";

/// Why an `amplify_outputs.json` could not be read or checked.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputsError {
    /// The text is not JSON.
    #[error("amplify_outputs.json is not JSON: {reason}")]
    NotJson {
        /// `serde_json`'s message.
        reason: String,
    },
    /// A member has the wrong type or is missing.
    #[error("amplify_outputs.json: `{member}` {problem}")]
    Shape {
        /// The member, as a path (`auth.groups[1]`).
        member: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The check needs the `auth` section, which the file lacks.
    #[error("amplify_outputs.json has no `auth` section (no user pool)")]
    NoAuth,
    /// No bucket of that name.
    #[error("amplify_outputs.json has no storage bucket named `{name}` (buckets: {known})")]
    NoBucket {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: String,
    },
}

/// The parts of `amplify_outputs.json` groupguard reads. Unknown members
/// are ignored, so any schema version from 1.1 on reads.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AmplifyOutputs {
    /// `version`, when present.
    pub version: Option<String>,
    /// `auth`, when present.
    pub auth: Option<AuthOutputs>,
    /// `storage.buckets`.
    pub buckets: Vec<BucketOutputs>,
}

/// The `auth` section: the user pool.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AuthOutputs {
    /// `aws_region`.
    pub aws_region: String,
    /// `user_pool_id`.
    pub user_pool_id: String,
    /// `user_pool_client_id`.
    pub user_pool_client_id: String,
    /// `groups`, in file order.
    pub groups: Vec<PoolGroup>,
}

/// One group of the pool.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PoolGroup {
    /// The group's name (the claim value).
    pub name: String,
    /// Its precedence, when given.
    pub precedence: Option<i64>,
}

/// One bucket of `storage.buckets`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BucketOutputs {
    /// `name`: the name given to `defineStorage`.
    pub name: String,
    /// `bucket_name`: the S3 bucket.
    pub bucket_name: String,
    /// `aws_region`.
    pub aws_region: String,
    /// `paths`: per path, per access key (`guest`, `authenticated`,
    /// `groupsNAME`, `entityidentity`), the actions, normalised (`read`
    /// expanded to `get` and `list`, in the order get, list, write, delete).
    pub paths: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

impl BucketOutputs {
    /// [`paths`](Self::paths) as the JSON object Amplify writes.
    pub fn paths_json(&self) -> Value {
        paths_to_json(&self.paths)
    }
}

fn shape(member: impl Into<String>, problem: &'static str) -> OutputsError {
    OutputsError::Shape {
        member: member.into(),
        problem,
    }
}

fn string(object: &Map<String, Value>, name: &str, at: &str) -> Result<String, OutputsError> {
    match object.get(name) {
        Some(Value::String(text)) => Ok(text.clone()),
        Some(_) => Err(shape(format!("{at}.{name}"), "is not a string")),
        None => Err(shape(format!("{at}.{name}"), "is missing")),
    }
}

/// The actions in Amplify's order, `read` expanded.
const ACTIONS: [&str; 4] = ["get", "list", "write", "delete"];

fn normalise_actions(value: &Value, at: &str) -> Result<Vec<String>, OutputsError> {
    let Value::Array(items) = value else {
        return Err(shape(at, "is not an array of actions"));
    };
    let mut set = BTreeSet::new();
    for item in items {
        match item.as_str() {
            Some("read") => {
                set.insert("get");
                set.insert("list");
            }
            Some(action) if ACTIONS.contains(&action) => {
                set.insert(
                    ACTIONS
                        .iter()
                        .find(|a| **a == action)
                        .copied()
                        .unwrap_or(""),
                );
            }
            Some(_) => {
                return Err(shape(
                    at,
                    "holds an action other than read, get, list, write, delete",
                ));
            }
            None => return Err(shape(at, "holds an action that is not a string")),
        }
    }
    Ok(ACTIONS
        .iter()
        .filter(|a| set.contains(*a))
        .map(|a| (*a).to_owned())
        .collect())
}

impl AmplifyOutputs {
    /// Reads `amplify_outputs.json`.
    ///
    /// # Errors
    ///
    /// [`OutputsError::NotJson`], or [`OutputsError::Shape`] naming the
    /// member that has the wrong type or is missing.
    pub fn from_json(text: &str) -> Result<Self, OutputsError> {
        let doc: Value = serde_json::from_str(text).map_err(|e| OutputsError::NotJson {
            reason: e.to_string(),
        })?;
        let Value::Object(doc) = doc else {
            return Err(shape("(top level)", "is not an object"));
        };
        let version = match doc.get("version") {
            None => None,
            Some(Value::String(v)) => Some(v.clone()),
            Some(_) => return Err(shape("version", "is not a string")),
        };
        let auth = match doc.get("auth") {
            None => None,
            Some(Value::Object(auth)) => Some(read_auth(auth)?),
            Some(_) => return Err(shape("auth", "is not an object")),
        };
        let buckets = match doc.get("storage") {
            None => Vec::new(),
            Some(Value::Object(storage)) => match storage.get("buckets") {
                None => Vec::new(),
                Some(Value::Array(buckets)) => buckets
                    .iter()
                    .enumerate()
                    .map(|(i, bucket)| read_bucket(bucket, &format!("storage.buckets[{i}]")))
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err(shape("storage.buckets", "is not an array")),
            },
            Some(_) => return Err(shape("storage", "is not an object")),
        };
        Ok(Self {
            version,
            auth,
            buckets,
        })
    }

    /// The bucket `name` (`defineStorage({ name })`).
    pub fn bucket(&self, name: &str) -> Option<&BucketOutputs> {
        self.buckets.iter().find(|b| b.name == name)
    }

    /// The differences between the groups enum `G` and the pool's groups.
    ///
    /// # Errors
    ///
    /// [`OutputsError::NoAuth`] when the file has no `auth` section.
    pub fn group_drift<G: Groups>(&self) -> Result<GroupDrift, OutputsError> {
        let auth = self.auth.as_ref().ok_or(OutputsError::NoAuth)?;
        let mut drift = GroupDrift::default();
        for group in G::ALL {
            match auth.groups.iter().find(|g| g.name == group.name()) {
                None => drift.missing_in_pool.push(group.name()),
                Some(pool) => {
                    if let Some(precedence) = pool.precedence
                        && precedence != i64::from(group.precedence())
                    {
                        drift.precedence.push(PrecedenceDrift {
                            group: group.name(),
                            rust: group.precedence(),
                            pool: precedence,
                        });
                    }
                }
            }
        }
        for pool in &auth.groups {
            if !G::ALL.iter().any(|g| g.name() == pool.name) {
                drift.unknown_to_rust.push(pool.name.clone());
            }
        }
        Ok(drift)
    }

    /// The differences between the storage `S` and the bucket `bucket`.
    ///
    /// # Errors
    ///
    /// [`OutputsError::NoBucket`] when there is no bucket of that name.
    pub fn storage_drift<S: Storage>(&self, bucket: &str) -> Result<StorageDrift, OutputsError> {
        let Some(outputs) = self.bucket(bucket) else {
            return Err(OutputsError::NoBucket {
                name: bucket.to_owned(),
                known: self
                    .buckets
                    .iter()
                    .map(|b| format!("`{}`", b.name))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        let ours = rust_paths::<S>();
        let mut drift = StorageDrift {
            bucket: bucket.to_owned(),
            ..StorageDrift::default()
        };
        for (path, grants) in &ours {
            let Some(theirs) = outputs.paths.get(path) else {
                drift.only_in_rust.push(path.clone());
                continue;
            };
            let keys: BTreeSet<&String> = grants.keys().chain(theirs.keys()).collect();
            for key in keys {
                let rust = grants.get(key).cloned().unwrap_or_default();
                let pool = theirs.get(key).cloned().unwrap_or_default();
                if rust != pool && key != "resource" {
                    drift.grants.push(GrantDrift {
                        path: path.clone(),
                        key: key.clone(),
                        rust,
                        bucket: pool,
                    });
                }
            }
        }
        for path in outputs.paths.keys() {
            if !ours.contains_key(path) {
                drift.only_in_bucket.push(path.clone());
            }
        }
        Ok(drift)
    }
}

fn read_auth(auth: &Map<String, Value>) -> Result<AuthOutputs, OutputsError> {
    let groups = match auth.get("groups") {
        None => Vec::new(),
        Some(Value::Array(items)) => {
            let mut groups = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let at = format!("auth.groups[{i}]");
                let Value::Object(entry) = item else {
                    return Err(shape(at, "is not an object"));
                };
                for (name, config) in entry {
                    let precedence = match config.get("precedence") {
                        None => None,
                        Some(p) => Some(p.as_i64().ok_or_else(|| {
                            shape(format!("{at}.{name}.precedence"), "is not an integer")
                        })?),
                    };
                    groups.push(PoolGroup {
                        name: name.clone(),
                        precedence,
                    });
                }
            }
            groups
        }
        Some(_) => return Err(shape("auth.groups", "is not an array")),
    };
    Ok(AuthOutputs {
        aws_region: string(auth, "aws_region", "auth")?,
        user_pool_id: string(auth, "user_pool_id", "auth")?,
        user_pool_client_id: string(auth, "user_pool_client_id", "auth")?,
        groups,
    })
}

fn read_bucket(bucket: &Value, at: &str) -> Result<BucketOutputs, OutputsError> {
    let Value::Object(bucket) = bucket else {
        return Err(shape(at, "is not an object"));
    };
    let mut paths = BTreeMap::new();
    match bucket.get("paths") {
        None => {}
        Some(Value::Object(entries)) => {
            for (path, rule) in entries {
                let Value::Object(rule) = rule else {
                    return Err(shape(format!("{at}.paths.{path}"), "is not an object"));
                };
                let mut grants = BTreeMap::new();
                for (key, actions) in rule {
                    let actions = normalise_actions(actions, &format!("{at}.paths.{path}.{key}"))?;
                    grants.insert(key.clone(), actions);
                }
                paths.insert(path.clone(), grants);
            }
        }
        Some(_) => return Err(shape(format!("{at}.paths"), "is not an object")),
    }
    Ok(BucketOutputs {
        name: string(bucket, "name", at)?,
        bucket_name: string(bucket, "bucket_name", at)?,
        aws_region: string(bucket, "aws_region", at)?,
        paths,
    })
}

/// The groups of `G` as Amplify writes `auth.groups`:
/// `[{"ADMINS": {"precedence": 0}}, ...]`.
///
/// ```
/// # use groupguard::groups;
/// #[groups]
/// pub enum Group { ADMINS, #[group(name = "content-editors")] EDITORS }
/// assert_eq!(
///     groupguard::amplify::export_groups::<Group>().to_string(),
///     r#"[{"ADMINS":{"precedence":0}},{"content-editors":{"precedence":1}}]"#
/// );
/// ```
pub fn export_groups<G: Groups>() -> Value {
    Value::Array(
        G::ALL
            .iter()
            .map(|g| json!({ g.name(): { "precedence": g.precedence() } }))
            .collect(),
    )
}

/// The paths of `S` as Amplify writes a bucket's `paths`: `read` expanded,
/// `{entity_id}` written as `*` for the grants to others (a trailing
/// `/*/*` trimmed to `/*`) and as [`IDENTITY_TOKEN`] for the owner's.
pub fn export_paths<S: Storage>() -> Value {
    paths_to_json(&rust_paths::<S>())
}

fn paths_to_json(paths: &BTreeMap<String, BTreeMap<String, Vec<String>>>) -> Value {
    Value::Object(
        paths
            .iter()
            .map(|(path, grants)| {
                let grants: Map<String, Value> = grants
                    .iter()
                    .map(|(key, actions)| (key.clone(), json!(actions)))
                    .collect();
                (path.clone(), Value::Object(grants))
            })
            .collect(),
    )
}

/// The storage's grants in the outputs' form.
fn rust_paths<S: Storage>() -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut paths: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for path in S::PATHS {
        for grant in path.grants() {
            let actions: Vec<String> = grant.actions().iter().map(|a| a.to_string()).collect();
            let written = super::written_path(path.path(), grant.acceptor());
            let keys = match grant.acceptor() {
                Acceptor::Guest => vec!["guest".to_owned()],
                Acceptor::Authenticated => vec!["authenticated".to_owned()],
                Acceptor::Groups(groups) => groups
                    .iter()
                    .map(|g| format!("groups{}", g.name()))
                    .collect(),
                Acceptor::Entity => vec!["entityidentity".to_owned()],
            };
            let entry = paths.entry(written).or_default();
            for key in keys {
                entry.insert(key, actions.clone());
            }
        }
    }
    paths
}

/// How the groups enum and the pool differ.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct GroupDrift {
    /// Declared in Rust, absent from the pool: the rules naming them match
    /// no one (the worst case).
    pub missing_in_pool: Vec<&'static str>,
    /// In the pool, unknown to Rust: their members get nothing from Rust.
    pub unknown_to_rust: Vec<String>,
    /// Both sides have the group, with different precedences.
    pub precedence: Vec<PrecedenceDrift>,
}

/// A group whose precedence differs.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PrecedenceDrift {
    /// The group's claim value.
    pub group: &'static str,
    /// Its precedence in Rust.
    pub rust: u32,
    /// Its precedence in the pool.
    pub pool: i64,
}

impl GroupDrift {
    /// Whether the two agree.
    pub fn is_empty(&self) -> bool {
        self.missing_in_pool.is_empty()
            && self.unknown_to_rust.is_empty()
            && self.precedence.is_empty()
    }
}

impl fmt::Display for GroupDrift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("the groups agree with the user pool");
        }
        for group in &self.missing_in_pool {
            writeln!(
                f,
                "- `{group}` is declared in Rust but not in the user pool: rules naming it match no one"
            )?;
        }
        for group in &self.unknown_to_rust {
            writeln!(
                f,
                "- `{group}` is in the user pool but not declared in Rust: its members get nothing from Rust rules"
            )?;
        }
        for p in &self.precedence {
            writeln!(
                f,
                "- `{}` has precedence {} in Rust and {} in the user pool",
                p.group, p.rust, p.pool
            )?;
        }
        Ok(())
    }
}

/// How a storage and a bucket differ.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct StorageDrift {
    /// The bucket's name.
    pub bucket: String,
    /// Paths (as Amplify writes them) only the Rust storage has.
    pub only_in_rust: Vec<String>,
    /// Paths only the bucket has.
    pub only_in_bucket: Vec<String>,
    /// Grants of a path both have that differ.
    pub grants: Vec<GrantDrift>,
}

/// One access key of one path whose actions differ.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct GrantDrift {
    /// The path, as Amplify writes it.
    pub path: String,
    /// The access key (`guest`, `authenticated`, `groupsNAME`, `entityidentity`).
    pub key: String,
    /// The actions in Rust (empty: none).
    pub rust: Vec<String>,
    /// The actions in the bucket (empty: none).
    pub bucket: Vec<String>,
}

impl StorageDrift {
    /// Whether the two agree.
    pub fn is_empty(&self) -> bool {
        self.only_in_rust.is_empty() && self.only_in_bucket.is_empty() && self.grants.is_empty()
    }
}

impl fmt::Display for StorageDrift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return write!(f, "the storage agrees with bucket `{}`", self.bucket);
        }
        for path in &self.only_in_rust {
            writeln!(
                f,
                "- `{path}` is declared in Rust but not in bucket `{}`",
                self.bucket
            )?;
        }
        for path in &self.only_in_bucket {
            writeln!(
                f,
                "- `{path}` is in bucket `{}` but not declared in Rust",
                self.bucket
            )?;
        }
        let list = |actions: &[String]| {
            if actions.is_empty() {
                "nothing".to_owned()
            } else {
                actions.join(", ")
            }
        };
        for g in &self.grants {
            writeln!(
                f,
                "- `{}` `{}`: Rust grants {}, the bucket {}",
                g.path,
                g.key,
                list(&g.rust),
                list(&g.bucket)
            )?;
        }
        Ok(())
    }
}

#[cfg(feature = "jwt")]
impl AuthOutputs {
    /// A verifier builder for this pool and app client, for tokens of
    /// `token_use`: `Verifier::cognito(user_pool_id).client_id(..).token_use(..)`
    /// (add the key set, or `.fetch_jwks()`, then `build`).
    ///
    /// # Errors
    ///
    /// The pool id's [`ConfigError`](crate::ConfigError), or
    /// `InvalidValue` when `aws_region` is not the pool id's region.
    pub fn verifier<G: Groups>(
        &self,
        token_use: crate::TokenUse,
    ) -> Result<crate::VerifierBuilder<G>, crate::ConfigError> {
        let region = self.user_pool_id.split('_').next().unwrap_or_default();
        if region != self.aws_region {
            return Err(crate::ConfigError::InvalidValue {
                method: "AuthOutputs::verifier",
                reason: "auth.aws_region is not the region of auth.user_pool_id",
            });
        }
        Ok(crate::Verifier::<G>::cognito(&self.user_pool_id)?
            .client_id(self.user_pool_client_id.clone())
            .token_use(token_use))
    }
}
