//! What [`IamPolicies`] and [`RolePolicy`] give: the storage, the bucket,
//! the roles and the warnings; each role's policy document, its statements
//! as CDK renders Amplify's ([`RolePolicy::document`]); and everything as
//! one JSON value ([`IamPolicies::to_json`], also their `Display`).

use std::fmt;

use serde_json::{Map, Value};

use super::{IamPolicies, IamRole, POLICY_VERSION, Prefixes, RolePolicy};
use crate::group::Groups;
use crate::storage::Access;

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
