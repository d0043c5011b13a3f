//! The IAM policies Amplify deploys for a storage, per role
//! ([`iam_policies`]): the statements `@aws-amplify/backend-storage`'s
//! orchestrator and `StorageAccessPolicyFactory` write for the same access
//! definition, computed the way they compute them.

use std::fmt;

use serde_json::{Map, Value};

use super::{ExportError, IDENTITY_TOKEN};
use crate::group::Groups;
use crate::storage::{Acceptor, Access, Storage, StoragePath};

/// The identifier Amplify gives the guests' role (the identity pool's
/// unauthenticated role).
///
/// ```
/// # use groupguard::{groups, storage};
/// # #[groups] pub enum Group { ADMINS }
/// # storage! { pub Files { "public/*" => guest: [get] } }
/// use groupguard::amplify::{self, GUEST_ROLE};
///
/// let json = amplify::iam_policies::<Files>("files")?.to_json();
/// assert_eq!(json["roles"][0]["role"], GUEST_ROLE);
/// # Ok::<(), amplify::ExportError>(())
/// ```
pub const GUEST_ROLE: &str = "unauthenticatedUserIamRole";

/// The identifier Amplify gives the signed-in users' role (the identity
/// pool's authenticated role); the owners' `{entity_id}` statements are
/// attached to it.
///
/// ```
/// # use groupguard::{groups, storage};
/// # #[groups] pub enum Group { ADMINS }
/// # storage! { pub Homes { "home/{entity_id}/*" => entity(identity): [read] } }
/// use groupguard::amplify::{self, AUTHENTICATED_ROLE};
///
/// let json = amplify::iam_policies::<Homes>("homes")?.to_json();
/// assert_eq!(json["roles"][0]["role"], AUTHENTICATED_ROLE); // the owners' folders
/// # Ok::<(), amplify::ExportError>(())
/// ```
pub const AUTHENTICATED_ROLE: &str = "authenticatedUserIamRole";

/// The policy language version Amplify's policies (and CDK's) declare; the
/// one in which `${...}` policy variables are read.
const POLICY_VERSION: &str = "2012-10-17";

/// A role a storage policy is attached to.
///
/// ```
/// use groupguard::amplify::{AUTHENTICATED_ROLE, IamRole};
/// use groupguard::groups;
///
/// #[groups]
/// pub enum Group {
///     #[group(role = "arn:aws:iam::123456789012:role/Admins")]
///     ADMINS,
///     #[group(name = "content-editors")]
///     EDITORS,
/// }
/// assert_eq!(IamRole::<Group>::Authenticated.identifier(), AUTHENTICATED_ROLE);
/// assert_eq!(IamRole::Group(Group::EDITORS).identifier(), "content-editors");
/// assert_eq!(IamRole::Group(Group::ADMINS).arn(), Some("arn:aws:iam::123456789012:role/Admins"));
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum IamRole<G: 'static> {
    /// The identity pool's unauthenticated role: guests.
    Guest,
    /// The identity pool's authenticated role: signed-in users that no
    /// group role applies to, and the owners of `{entity_id}` folders.
    Authenticated,
    /// The role of a user-pool group (`defineAuth` creates one per group).
    Group(G),
}

impl<G: Groups> IamRole<G> {
    /// The identifier Amplify's storage orchestrator uses for the role:
    /// [`GUEST_ROLE`], [`AUTHENTICATED_ROLE`], or the group's name (its
    /// claim value).
    ///
    /// ```
    /// # use groupguard::amplify::IamRole;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// assert_eq!(IamRole::<Group>::Guest.identifier(), "unauthenticatedUserIamRole");
    /// assert_eq!(IamRole::Group(Group::ADMINS).identifier(), "ADMINS");
    /// ```
    #[must_use]
    pub fn identifier(self) -> &'static str {
        match self {
            IamRole::Guest => GUEST_ROLE,
            IamRole::Authenticated => AUTHENTICATED_ROLE,
            IamRole::Group(group) => group.name(),
        }
    }

    /// The role's ARN when the Rust declarations name it: a group's
    /// `#[group(role = "...")]`. The identity pool's roles, and the roles
    /// `defineAuth` creates, have deployment-specific ARNs.
    ///
    /// ```
    /// # use groupguard::amplify::IamRole;
    /// # #[groupguard::groups] pub enum Group { #[group(role = "arn:aws:iam::123456789012:role/A")] ADMINS, EDITORS }
    /// assert_eq!(IamRole::Group(Group::ADMINS).arn(), Some("arn:aws:iam::123456789012:role/A"));
    /// assert_eq!(IamRole::Group(Group::EDITORS).arn(), None);
    /// assert_eq!(IamRole::<Group>::Guest.arn(), None);
    /// ```
    #[must_use]
    pub fn arn(self) -> Option<&'static str> {
        match self {
            IamRole::Group(group) => group.role(),
            IamRole::Guest | IamRole::Authenticated => None,
        }
    }

    fn kind(self) -> &'static str {
        match self {
            IamRole::Guest => "guest",
            IamRole::Authenticated => "authenticated",
            IamRole::Group(_) => "group",
        }
    }
}

/// The IAM policies of one storage in one bucket, per role: what
/// `defineStorage({ access })` deploys for the same declaration. Built by
/// [`iam_policies`].
///
/// ```
/// use groupguard::amplify::{self, IamRole};
/// use groupguard::{groups, storage};
///
/// #[groups]
/// pub enum Group { ADMINS, EDITORS }
///
/// storage! {
///     pub Articles {
///         "drafts/*" => groups(EDITORS): [read, write],
///         "drafts/archive/*" => groups(ADMINS): [read],
///     }
/// }
///
/// let policies = amplify::iam_policies::<Articles>("articles-bucket")?;
/// let editors = policies.role(IamRole::Group(Group::EDITORS)).unwrap();
/// let json = editors.document().to_string();
/// assert!(json.contains(r#""Resource":"arn:aws:s3:::articles-bucket/drafts/*""#));
/// // The sub-path overrides its parent: an explicit deny for the editors.
/// assert!(json.contains(r#""Effect":"Deny","Resource":"arn:aws:s3:::articles-bucket/drafts/archive/*""#));
/// assert_eq!(policies.roles().len(), 2);
/// # Ok::<(), groupguard::amplify::ExportError>(())
/// ```
#[derive(Clone, Debug)]
pub struct IamPolicies<G: Groups> {
    storage: &'static str,
    bucket: String,
    roles: Vec<RolePolicy<G>>,
    warnings: Vec<String>,
}

/// One role's policy: its statements, in the order Amplify writes them.
///
/// ```
/// # use groupguard::amplify::{self, IamRole};
/// # use groupguard::{groups, storage};
/// # #[groups] pub enum Group { ADMINS }
/// storage! {
///     pub Files { "public/*" => guest: [get] }
/// }
/// let policies = amplify::iam_policies::<Files>("files")?;
/// let guests = &policies.roles()[0];
/// assert_eq!(guests.role(), IamRole::Guest);
/// assert_eq!(
///     guests.document().to_string(),
///     r#"{"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:aws:s3:::files/public/*"}],"Version":"2012-10-17"}"#
/// );
/// # Ok::<(), groupguard::amplify::ExportError>(())
/// ```
#[derive(Clone, Debug)]
pub struct RolePolicy<G: Groups> {
    role: IamRole<G>,
    bucket_arn: String,
    /// Per action, in the order the role first got it: the allowed and the
    /// denied prefixes, each in the order Amplify adds them.
    actions: Vec<Prefixes>,
}

#[derive(Clone, Debug)]
struct Prefixes {
    action: Access,
    s3_action: &'static str,
    allow: Vec<String>,
    deny: Vec<String>,
}

/// The IAM policies Amplify deploys for the storage `S` in the bucket
/// `bucket`, per role: the guest role, the authenticated role (which also
/// carries the owners' statements, written with
/// `${cognito-identity.amazonaws.com:sub}`), and one role per group that
/// has a grant. Roles without a grant get no policy, as in Amplify.
///
/// The statements are those `@aws-amplify/backend-storage` 1.6
/// (`StorageAccessOrchestrator`, `StorageAccessPolicyFactory`) writes for
/// the same access definition, computed the same way:
///
/// - `get`, `write` and `delete` are `s3:GetObject`, `s3:PutObject` and
///   `s3:DeleteObject` on `arn:aws:s3:::BUCKET/PATH`;
/// - `list` is `s3:ListBucket` on `arn:aws:s3:::BUCKET` with a `StringLike`
///   condition on `s3:prefix`: `PATH` and `PATH` without its final `*`;
/// - an `{entity_id}` path is written `P/${cognito-identity.amazonaws.com:sub}/*`
///   for `entity(identity)` and `P/*` for every other acceptor;
/// - a role that may do an action on a path but not on a declared sub-path
///   gets a `Deny` of that action on the sub-path: the sub-path overrides
///   its parent (except under an owner's folder, as in Amplify);
/// - a path under another allowed path of the same role and action is
///   left out of the allow statement (the parent covers it).
///
/// Rendered as CDK renders Amplify's statements: one statement per action
/// and effect, `Action` as a string, `Resource` as a string when there is
/// one and an array otherwise; the ARNs are in the `aws` partition.
///
/// **One role at a time.** IAM decides for the one role a session holds.
/// Amplify's identity pool gives a member of a group that group's role
/// instead of the authenticated role, and a member of several groups the
/// role of the one with the lowest precedence (`cognito:preferred_role`;
/// the authenticated role when groups of that precedence have different
/// roles). groupguard's `authorize` grants the union of every grant the
/// principal satisfies. [`IamPolicies::warnings`] says where this storage
/// is affected.
///
/// **Roles.** Attach each policy to the role its [`IamRole`] names: the
/// identity pool's unauthenticated and authenticated roles, and for a group
/// the role the user-pool group carries (its `RoleArn`): with Amplify, the
/// role `defineAuth` creates for the group
/// (`backend.auth.resources.groups['NAME'].role`); with
/// `#[group(role = "...")]`, that role ([`IamRole::arn`]).
///
/// ```
/// use groupguard::amplify;
/// use groupguard::{groups, storage};
///
/// #[groups]
/// pub enum Group { ADMINS }
///
/// storage! {
///     pub Profiles {
///         "profiles/{entity_id}/*" => entity(identity): [read, write],
///         "profiles/{entity_id}/*" => guest: [get],
///     }
/// }
///
/// let policies = amplify::iam_policies::<Profiles>("my-bucket")?;
/// let json = policies.to_json();
/// let roles = json["roles"].as_array().unwrap();
/// assert_eq!(roles[0]["role"], "unauthenticatedUserIamRole");
/// assert_eq!(roles[0]["policy"]["Statement"][0]["Resource"], "arn:aws:s3:::my-bucket/profiles/*");
/// assert_eq!(roles[1]["role"], "authenticatedUserIamRole");
/// assert_eq!(
///     roles[1]["policy"]["Statement"][1]["Condition"]["StringLike"]["s3:prefix"],
///     serde_json::json!([
///         "profiles/${cognito-identity.amazonaws.com:sub}/*",
///         "profiles/${cognito-identity.amazonaws.com:sub}/"
///     ])
/// );
///
/// // A bucket name that is not one is refused (it would widen the ARNs).
/// assert!(amplify::iam_policies::<Profiles>("my-bucket/*").is_err());
/// # Ok::<(), groupguard::amplify::ExportError>(())
/// ```
///
/// # Errors
///
/// [`ExportError::BucketName`] when `bucket` is not a valid S3 bucket name;
/// [`ExportError::ReservedGroupName`] when a grant names a group called
/// like one of Amplify's two role identifiers.
pub fn iam_policies<S: Storage>(bucket: &str) -> Result<IamPolicies<S::Group>, ExportError> {
    __iam_policies_of(S::NAME, S::PATHS, bucket)
}

/// [`iam_policies`] for paths given as data rather than by a `storage!`
/// type: for Amplify's own code as an oracle (`amplify-oracle/`), which
/// compares the export with Amplify's policies for random declarations it
/// cannot compile. The paths are taken as they are, unchecked: a
/// declaration `storage!` would refuse gets the policies Amplify would
/// write for it.
#[doc(hidden)] // for the oracle, not public API
pub fn __iam_policies_of<G: Groups>(
    storage: &'static str,
    paths: &[StoragePath<G>],
    bucket: &str,
) -> Result<IamPolicies<G>, ExportError> {
    if let Some(reason) = bucket_name_problem(bucket) {
        return Err(ExportError::BucketName {
            bucket: bucket.to_owned(),
            reason,
        });
    }
    super::check_group_names(paths)?;
    let bucket_arn = format!("arn:aws:s3:::{bucket}");
    let mut roles = orchestrate(paths, &bucket_arn);
    // Amplify keeps the roles in the order of their first grant; list them
    // as a reader expects them instead: guests, signed-in users, groups in
    // declaration order.
    roles.sort_by_key(|policy| match policy.role {
        IamRole::Guest => 0,
        IamRole::Authenticated => 1,
        IamRole::Group(group) => 2 + group.index(),
    });
    let warnings = warnings::<G>(paths, &roles);
    Ok(IamPolicies {
        storage,
        bucket: bucket.to_owned(),
        roles,
        warnings,
    })
}

impl<G: Groups> IamPolicies<G> {
    /// The storage's name.
    ///
    /// ```
    /// # use groupguard::{groups, storage};
    /// # #[groups] pub enum Group { ADMINS }
    /// # storage! { pub Files { "public/*" => guest: [get] } }
    /// assert_eq!(groupguard::amplify::iam_policies::<Files>("b-1")?.storage(), "Files");
    /// # Ok::<(), groupguard::amplify::ExportError>(())
    /// ```
    #[must_use]
    pub fn storage(&self) -> &'static str {
        self.storage
    }

    /// The bucket's name.
    ///
    /// ```
    /// # use groupguard::{groups, storage};
    /// # #[groups] pub enum Group { ADMINS }
    /// # storage! { pub Files { "public/*" => guest: [get] } }
    /// assert_eq!(groupguard::amplify::iam_policies::<Files>("b-1")?.bucket(), "b-1");
    /// # Ok::<(), groupguard::amplify::ExportError>(())
    /// ```
    #[must_use]
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The roles with a policy: the guest role, the authenticated role,
    /// then the groups in declaration order.
    ///
    /// ```
    /// # use groupguard::amplify::IamRole;
    /// # use groupguard::{groups, storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// storage! {
    ///     pub Files {
    ///         "a/*" => groups(EDITORS, ADMINS): [read],
    ///         "b/*" => guest: [get],
    ///     }
    /// }
    /// let policies = groupguard::amplify::iam_policies::<Files>("b-1")?;
    /// let roles: Vec<_> = policies.roles().iter().map(|p| p.role()).collect();
    /// assert_eq!(roles, [IamRole::Guest, IamRole::Group(Group::ADMINS), IamRole::Group(Group::EDITORS)]);
    /// # Ok::<(), groupguard::amplify::ExportError>(())
    /// ```
    #[must_use]
    pub fn roles(&self) -> &[RolePolicy<G>] {
        &self.roles
    }

    /// The policy of `role`, if it has one.
    ///
    /// ```
    /// # use groupguard::amplify::IamRole;
    /// # use groupguard::{groups, storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// # storage! { pub Files { "a/*" => groups(EDITORS): [read] } }
    /// let policies = groupguard::amplify::iam_policies::<Files>("b-1")?;
    /// assert!(policies.role(IamRole::Group(Group::EDITORS)).is_some());
    /// assert!(policies.role(IamRole::Group(Group::ADMINS)).is_none());
    /// # Ok::<(), groupguard::amplify::ExportError>(())
    /// ```
    #[must_use]
    pub fn role(&self, role: IamRole<G>) -> Option<&RolePolicy<G>> {
        self.roles.iter().find(|policy| policy.role == role)
    }

    /// Where IAM, deciding for one role at a time, will not decide as
    /// groupguard's `authorize` does for this storage: one sentence each,
    /// naming the groups and paths concerned. Empty when the two agree.
    ///
    /// ```
    /// # use groupguard::{groups, storage};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// storage! {
    ///     pub Files {
    ///         "public/*" => authenticated: [read],
    ///         "drafts/*" => groups(EDITORS): [read],
    ///     }
    /// }
    /// let policies = groupguard::amplify::iam_policies::<Files>("b-1")?;
    /// assert!(policies.warnings()[0].contains("do not reach members of ADMINS, EDITORS"));
    /// # Ok::<(), groupguard::amplify::ExportError>(())
    /// ```
    #[must_use]
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Everything as one JSON value: `storage`, `bucket`, `roles` (each with
    /// `role`, the identifier of [`IamRole::identifier`], `kind` (`guest`,
    /// `authenticated` or `group`), for a group `group`, `precedence` and
    /// `role_arn` (null unless declared), and `policy`, the IAM policy
    /// document) and `warnings`.
    ///
    /// ```
    /// # use groupguard::{groups, storage};
    /// # #[groups] pub enum Group { #[group(role = "arn:aws:iam::123456789012:role/A")] ADMINS }
    /// # storage! { pub Files { "a/*" => groups(ADMINS): [delete] } }
    /// let json = groupguard::amplify::iam_policies::<Files>("b-1")?.to_json();
    /// assert_eq!(json["roles"][0]["role"], "ADMINS");
    /// assert_eq!(json["roles"][0]["kind"], "group");
    /// assert_eq!(json["roles"][0]["role_arn"], "arn:aws:iam::123456789012:role/A");
    /// assert_eq!(json["roles"][0]["policy"]["Statement"][0]["Action"], "s3:DeleteObject");
    /// assert_eq!(json["warnings"], serde_json::json!([]));
    /// # Ok::<(), groupguard::amplify::ExportError>(())
    /// ```
    #[must_use]
    pub fn to_json(&self) -> Value {
        let roles = self
            .roles
            .iter()
            .map(|policy| {
                let mut role = Map::new();
                // Keys in sorted order, so the text is the same with or
                // without serde_json's `preserve_order`.
                if let IamRole::Group(group) = policy.role {
                    role.insert("group".into(), group.name().into());
                }
                role.insert("kind".into(), policy.role.kind().into());
                role.insert("policy".into(), policy.document());
                if let IamRole::Group(group) = policy.role {
                    role.insert("precedence".into(), group.precedence().into());
                }
                role.insert("role".into(), policy.role.identifier().into());
                if let IamRole::Group(group) = policy.role {
                    role.insert("role_arn".into(), group.role().into());
                }
                Value::Object(role)
            })
            .collect();
        let mut json = Map::new();
        json.insert("bucket".into(), self.bucket.clone().into());
        json.insert("roles".into(), Value::Array(roles));
        json.insert("storage".into(), self.storage.into());
        json.insert("warnings".into(), self.warnings.clone().into());
        Value::Object(json)
    }
}

impl<G: Groups> fmt::Display for IamPolicies<G> {
    /// The JSON of [`IamPolicies::to_json`], pretty-printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string_pretty(&self.to_json()).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl<G: Groups> RolePolicy<G> {
    /// The role the policy is for.
    ///
    /// ```
    /// # use groupguard::amplify::IamRole;
    /// # use groupguard::{groups, storage};
    /// # #[groups] pub enum Group { ADMINS }
    /// # storage! { pub Files { "a/*" => authenticated: [read] } }
    /// let policies = groupguard::amplify::iam_policies::<Files>("b-1")?;
    /// assert_eq!(policies.roles()[0].role(), IamRole::Authenticated);
    /// # Ok::<(), groupguard::amplify::ExportError>(())
    /// ```
    #[must_use]
    pub fn role(&self) -> IamRole<G> {
        self.role
    }

    /// The IAM policy document: `{"Statement": [...], "Version": "2012-10-17"}`,
    /// for each action the role has, in the order it first got it, an
    /// `Allow` statement and, when a sub-path overrides, a `Deny` one.
    ///
    /// ```
    /// # use groupguard::{groups, storage};
    /// # #[groups] pub enum Group { ADMINS }
    /// storage! {
    ///     pub Files {
    ///         "media/*" => authenticated: [list],
    ///         "media/private/*" => groups(ADMINS): [read],
    ///     }
    /// }
    /// let policies = groupguard::amplify::iam_policies::<Files>("b-1")?;
    /// assert_eq!(
    ///     policies.roles()[0].document()["Statement"],
    ///     serde_json::json!([
    ///         {"Action": "s3:ListBucket", "Effect": "Allow", "Resource": "arn:aws:s3:::b-1",
    ///          "Condition": {"StringLike": {"s3:prefix": ["media/*", "media/"]}}},
    ///         {"Action": "s3:ListBucket", "Effect": "Deny", "Resource": "arn:aws:s3:::b-1",
    ///          "Condition": {"StringLike": {"s3:prefix": ["media/private/*", "media/private/"]}}},
    ///     ])
    /// );
    /// # Ok::<(), groupguard::amplify::ExportError>(())
    /// ```
    #[must_use]
    pub fn document(&self) -> Value {
        let mut statements = Vec::new();
        for prefixes in &self.actions {
            for (effect, paths) in [("Allow", &prefixes.allow), ("Deny", &prefixes.deny)] {
                if !paths.is_empty() {
                    statements.push(self.statement(prefixes, effect, paths));
                }
            }
        }
        let mut document = Map::new();
        document.insert("Statement".into(), Value::Array(statements));
        document.insert("Version".into(), POLICY_VERSION.into());
        Value::Object(document)
    }

    /// One statement as `StorageAccessPolicyFactory.getStatement` builds it
    /// and CDK renders it.
    fn statement(&self, prefixes: &Prefixes, effect: &str, paths: &[String]) -> Value {
        let mut statement = Map::new();
        statement.insert("Action".into(), prefixes.s3_action.into());
        let resource = if prefixes.action == Access::List {
            let prefixes: Vec<Value> = paths
                .iter()
                .flat_map(|path| {
                    let bare = path.strip_suffix('*').unwrap_or(path);
                    [Value::from(path.as_str()), Value::from(bare)]
                })
                .collect();
            let mut like = Map::new();
            like.insert("s3:prefix".into(), Value::Array(prefixes));
            let mut condition = Map::new();
            condition.insert("StringLike".into(), Value::Object(like));
            statement.insert("Condition".into(), Value::Object(condition));
            Value::from(self.bucket_arn.as_str())
        } else {
            let mut resources: Vec<Value> = paths
                .iter()
                .map(|path| Value::from(format!("{}/{path}", self.bucket_arn)))
                .collect();
            if resources.len() == 1 {
                resources.swap_remove(0)
            } else {
                Value::Array(resources)
            }
        };
        statement.insert("Effect".into(), effect.into());
        statement.insert("Resource".into(), resource);
        Value::Object(statement)
    }
}

/// The storage actions a grant holds and the S3 action Amplify maps each
/// to (`actionMap`); `read` is `get` and `list`.
const S3_ACTIONS: [(Access, &str); 4] = [
    (Access::Get, "s3:GetObject"),
    (Access::List, "s3:ListBucket"),
    (Access::Write, "s3:PutObject"),
    (Access::Delete, "s3:DeleteObject"),
];

/// Why `bucket` is not an S3 general-purpose bucket name, if it is not:
/// 3 to 63 characters, lowercase letters, digits, `.` and `-`, beginning
/// and ending with a letter or digit, no `..`. Anything else could change
/// what the ARNs match (`*`, `?`, `/`).
fn bucket_name_problem(bucket: &str) -> Option<&'static str> {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !(3..=63).contains(&bucket.len()) {
        Some("a bucket name has 3 to 63 characters")
    } else if !bucket.bytes().all(|b| alnum(b) || b == b'.' || b == b'-') {
        Some("a bucket name holds only lowercase letters, digits, `.` and `-`")
    } else if !bucket.bytes().next().is_some_and(alnum) || !bucket.bytes().last().is_some_and(alnum)
    {
        Some("a bucket name begins and ends with a letter or a digit")
    } else if bucket.contains("..") {
        Some("a bucket name has no `..`")
    } else {
        None
    }
}

/// The roles a grant's statements go to.
fn roles_of<G: Groups>(acceptor: Acceptor<G>) -> Vec<IamRole<G>> {
    match acceptor {
        Acceptor::Guest => vec![IamRole::Guest],
        Acceptor::Authenticated | Acceptor::Entity => vec![IamRole::Authenticated],
        Acceptor::Groups(groups) => groups.iter().map(|g| IamRole::Group(*g)).collect(),
    }
}

/// The first of `paths` other than `path` that `path` starts with once its
/// `*` are removed: Amplify's `findParent`.
fn find_parent<'a>(path: &str, paths: impl IntoIterator<Item = &'a String>) -> Option<&'a String> {
    paths
        .into_iter()
        .find(|p| p.as_str() != path && path.starts_with(&p.replace('*', "")))
}

fn insert(set: &mut Vec<String>, path: &str) {
    if !set.iter().any(|p| p == path) {
        set.push(path.to_owned());
    }
}

/// `StorageAccessOrchestrator.orchestrateStorageAccess`, step by step:
/// collect each role's allowed prefixes per action, deny the sub-paths of
/// an allowed prefix that the same role and action are not allowed on,
/// then drop the allowed prefixes a parent covers.
fn orchestrate<G: Groups>(paths: &[StoragePath<G>], bucket_arn: &str) -> Vec<RolePolicy<G>> {
    let mut roles: Vec<RolePolicy<G>> = Vec::new();
    // Per written prefix, in order of first use, the (role, action) entries
    // allowed on it: whose deny sets its sub-paths go to
    // (`prefixDenyMap`).
    let mut allowed_on: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    for path in paths {
        for grant in path.grants() {
            let prefix = super::written_path(path.path(), grant.acceptor());
            for role in roles_of(grant.acceptor()) {
                let r = match roles.iter().position(|p| p.role == role) {
                    Some(r) => r,
                    None => {
                        roles.push(RolePolicy {
                            role,
                            bucket_arn: bucket_arn.to_owned(),
                            actions: Vec::new(),
                        });
                        roles.len() - 1
                    }
                };
                for (action, s3_action) in S3_ACTIONS {
                    if !grant.actions().contains(action) {
                        continue;
                    }
                    let actions = &mut roles[r].actions;
                    let a = match actions.iter().position(|p| p.action == action) {
                        Some(a) => a,
                        None => {
                            actions.push(Prefixes {
                                action,
                                s3_action,
                                allow: Vec::new(),
                                deny: Vec::new(),
                            });
                            actions.len() - 1
                        }
                    };
                    insert(&mut actions[a].allow, &prefix);
                    match allowed_on.iter_mut().find(|(p, _)| *p == prefix) {
                        Some((_, entries)) => entries.push((r, a)),
                        None => allowed_on.push((prefix.clone(), vec![(r, a)])),
                    }
                }
            }
        }
    }
    // `attachPolicies`: a sub-path is denied to every (role, action) allowed
    // on its parent but not on it; an owner's folder under the `P/*` its
    // own path writes for others is not a sub-path.
    let all: Vec<String> = allowed_on.iter().map(|(p, _)| p.clone()).collect();
    for path in &all {
        let Some(parent) = find_parent(path, &all) else {
            continue;
        };
        if *parent == path.replace(&format!("{IDENTITY_TOKEN}/"), "") {
            continue;
        }
        let entries = allowed_on
            .iter()
            .find(|(p, _)| p == parent)
            .map(|(_, entries)| entries.clone())
            .unwrap_or_default();
        for (r, a) in entries {
            let prefixes = &mut roles[r].actions[a];
            if !prefixes.allow.contains(path) {
                insert(&mut prefixes.deny, path);
            }
        }
    }
    // `removeSubPathsFromSet`: in order, each prefix that has a parent
    // among those still in the set goes.
    for role in &mut roles {
        for prefixes in &mut role.actions {
            for path in prefixes.allow.clone() {
                if find_parent(&path, &prefixes.allow).is_some() {
                    prefixes.allow.retain(|p| *p != path);
                }
            }
        }
    }
    roles
}

/// The warnings of [`IamPolicies::warnings`].
fn warnings<G: Groups>(paths: &[StoragePath<G>], roles: &[RolePolicy<G>]) -> Vec<String> {
    let quoted = |items: &[String]| {
        items
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let all_groups: Vec<String> = G::ALL.iter().map(|g| g.name().to_owned()).collect();
    let mut warnings = Vec::new();

    // Grants to signed-in users and owners live in the authenticated role,
    // which a group member does not get.
    let mut signed_in: Vec<String> = Vec::new();
    for path in paths {
        let named = path
            .grants()
            .iter()
            .any(|g| matches!(g.acceptor(), Acceptor::Authenticated | Acceptor::Entity));
        if named && !signed_in.iter().any(|p| p == path.path()) {
            signed_in.push(path.path().to_owned());
        }
    }
    if !signed_in.is_empty() && !all_groups.is_empty() {
        warnings.push(format!(
            "IAM gives a signed-in user one role, and Amplify's identity pool gives a member of a group the group's role instead of {AUTHENTICATED_ROLE}: the grants to `authenticated` and `entity(identity)` on {} do not reach members of {} under IAM; groupguard's `authorize` grants them (the union of every grant the principal satisfies)",
            quoted(&signed_in),
            all_groups.join(", ")
        ));
    }

    // A member of several groups gets the role of one of them.
    let with_policy = roles.iter().any(|r| matches!(r.role, IamRole::Group(_)));
    if with_policy && all_groups.len() > 1 {
        let precedences: Vec<String> = G::ALL
            .iter()
            .map(|g| format!("{} {}", g.name(), g.precedence()))
            .collect();
        warnings.push(format!(
            "a user in several groups gets one of their roles from the identity pool, never their union: the role of the group with the lowest precedence ({}), or {AUTHENTICATED_ROLE} when groups of that precedence have different roles; groupguard's `authorize` grants the union of the groups' grants",
            precedences.join(", ")
        ));
    }

    // The owner's folder is named by the identity pool's identity id.
    let owned: Vec<String> = paths
        .iter()
        .filter(|p| {
            p.grants()
                .iter()
                .any(|g| matches!(g.acceptor(), Acceptor::Entity))
        })
        .map(|p| p.path().to_owned())
        .collect();
    if !owned.is_empty() {
        warnings.push(format!(
            "under IAM the `{{entity_id}}` of {} is the caller's identity-pool identity id (`{IDENTITY_TOKEN}`), not the user-pool `sub`: give the principal that id (`Principal::with_identity_id`) for `authorize` to decide the same folders",
            quoted(&owned)
        ));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names() {
        for good in ["abc", "my-bucket.v2", "a1b", &"a".repeat(63)] {
            assert_eq!(bucket_name_problem(good), None, "{good}");
        }
        for bad in [
            "ab",
            &"a".repeat(64),
            "My-Bucket",
            "a*b",
            "a?b",
            "a/b",
            "-ab",
            "ab-",
            "a..b",
            "caf\u{e9}",
        ] {
            assert!(bucket_name_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn parents_are_string_prefixes_without_the_wildcard() {
        let paths = ["a/*".to_owned(), "a/b/*".to_owned(), "ab/*".to_owned()];
        assert_eq!(find_parent("a/b/*", &paths), Some(&paths[0]));
        assert_eq!(find_parent("ab/*", &paths), None);
        assert_eq!(find_parent("a/*", &paths), None);
    }
}
