//! The IAM policies Amplify deploys for a storage, per role
//! ([`iam_policies`]): the statements `@aws-amplify/backend-storage`'s
//! orchestrator and `StorageAccessPolicyFactory` write for the same access
//! definition, computed the way they compute them.
//!
//! This file holds the types, [`iam_policies`] and the bucket-name check;
//! `statements` computes each role's statements (Amplify's orchestrator),
//! `policies` holds what the policies give (their parts, the policy
//! documents, the JSON) and `warnings` says where IAM will not decide as
//! `authorize` does.

mod policies;
mod statements;
mod warnings;

use self::statements::orchestrate;
use self::warnings::warnings;
use super::ExportError;
use crate::group::Groups;
use crate::storage::{Access, Storage, StoragePath};

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
}
