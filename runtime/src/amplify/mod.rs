//! Amplify (cargo feature `amplify`): read `amplify_outputs.json`, export a
//! groups enum and a storage as Amplify writes them, and check the Rust
//! declarations against the deployed pool and bucket (drift); deploy the
//! same rules: the IAM policies per role Amplify's storage generator writes
//! for them ([`iam_policies`]), and the Amplify Gen 2 definitions
//! `amplify/auth/resource.ts` ([`define_auth`]) and
//! `amplify/storage/resource.ts` ([`define_storage`]).
//!
//! Reading and drift:
//!
//! ```
//! use groupguard::amplify::{self, AmplifyOutputs};
//! use groupguard::{groups, storage};
//!
//! #[groups]
//! pub enum Group { ADMINS, EDITORS }
//!
//! storage! {
//!     pub Articles {
//!         "drafts/*" => groups(EDITORS): [read, write],
//!         "profiles/{entity_id}/*" => entity(identity): [read, write, delete],
//!     }
//! }
//!
//! let outputs = AmplifyOutputs::from_json(r#"{
//!     "version": "1.5",
//!     "auth": {
//!         "aws_region": "us-east-1", "user_pool_id": "us-east-1_AbC123",
//!         "user_pool_client_id": "client",
//!         "groups": [{"ADMINS": {"precedence": 0}}, {"EDITOR": {"precedence": 1}}]
//!     },
//!     "storage": {"aws_region": "us-east-1", "bucket_name": "b", "buckets": [{
//!         "name": "articles", "bucket_name": "b", "aws_region": "us-east-1",
//!         "paths": {
//!             "drafts/*": {"groupsEDITORS": ["get", "list", "write"]},
//!             "profiles/${cognito-identity.amazonaws.com:sub}/*": {"entityidentity": ["get", "list", "write", "delete"]}
//!         }
//!     }]}
//! }"#)?;
//!
//! // `EDITORS` was renamed `EDITOR` in `defineAuth`: every rule naming it
//! // would match no one.
//! let drift = outputs.group_drift::<Group>()?;
//! assert_eq!(drift.missing_in_pool, ["EDITORS"]);
//! assert_eq!(drift.unknown_to_rust, ["EDITOR"]);
//! assert!(drift.to_string().contains("`EDITORS` is declared in Rust but not in the user pool"));
//!
//! // The storage matches the bucket.
//! assert!(outputs.storage_drift::<Articles>("articles")?.is_empty());
//! assert_eq!(amplify::export_paths::<Articles>(), outputs.bucket("articles").unwrap().paths_json());
//! # Ok::<(), groupguard::amplify::OutputsError>(())
//! ```

//!
//! Deploying the same rules: a team that declares its rules in Rust deploys
//! them with Amplify (the two files), or attaches the policies to the roles
//! itself, and the drift check compares what was deployed with the Rust
//! declarations.
//!
//! ```
//! use groupguard::amplify::{self, IamRole};
//! use groupguard::{groups, storage};
//!
//! #[groups]
//! pub enum Group { ADMINS, EDITORS }
//!
//! storage! {
//!     pub Articles {
//!         "drafts/*" => groups(EDITORS): [read, write],
//!         "drafts/archive/*" => groups(ADMINS): [read],
//!     }
//! }
//!
//! let auth_ts = amplify::define_auth::<Group>();           // amplify/auth/resource.ts
//! let storage_ts = amplify::define_storage::<Articles>("articles")?; // amplify/storage/resource.ts
//! assert!(auth_ts.contains("groups: ['ADMINS', 'EDITORS'],"));
//! assert!(storage_ts.contains("'drafts/archive/*': [\n      allow.groups(['ADMINS']).to(['read']),"));
//!
//! let policies = amplify::iam_policies::<Articles>("articles-bucket")?;
//! let editors = policies.role(IamRole::Group(Group::EDITORS)).unwrap().document();
//! assert_eq!(editors["Statement"][1]["Effect"], "Deny"); // drafts/archive/* overrides drafts/*
//! println!("{policies}"); // every role's policy document, as JSON
//! # Ok::<(), amplify::ExportError>(())
//! ```
//!
//! IAM decides for one role at a time, groupguard for the union of every
//! grant: see [`iam_policies`] and [`IamPolicies::warnings`]. The guide
//! [Deploying the same rules](deploying) walks through both exports.

mod backend;
mod iam;
mod outputs;

#[doc = include_str!("../../docs/deploying.md")]
pub mod deploying {}

pub use backend::{AUTH_RESOURCE, STORAGE_RESOURCE, define_auth, define_storage};
#[doc(hidden)] // for the oracle, not public API
pub use iam::__iam_policies_of;
pub use iam::{AUTHENTICATED_ROLE, GUEST_ROLE, IamPolicies, IamRole, RolePolicy, iam_policies};
pub use outputs::{
    AmplifyOutputs, AuthOutputs, BucketOutputs, GrantDrift, GroupDrift, IDENTITY_TOKEN,
    OutputsError, PoolGroup, PrecedenceDrift, StorageDrift, export_groups, export_paths,
};

use crate::group::Groups;
use crate::storage::{Acceptor, StoragePath};

/// Why a storage or a group could not be exported for deployment.
///
/// ```
/// use groupguard::amplify::{self, ExportError};
/// # use groupguard::{groups, storage};
/// # #[groups] pub enum Group { ADMINS }
/// # storage! { pub Files { "a/*" => guest: [get] } }
/// let error = amplify::iam_policies::<Files>("Files").unwrap_err();
/// assert!(matches!(error, ExportError::BucketName { .. }));
/// assert_eq!(
///     error.to_string(),
///     "`Files` is not an S3 bucket name: a bucket name holds only lowercase letters, digits, `.` and `-`"
/// );
/// ```
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The bucket name is not one S3 accepts; as it is written into every
    /// ARN, a `*`, `?` or `/` would change what the policies grant.
    #[error("`{bucket}` is not an S3 bucket name: {reason}")]
    BucketName {
        /// The name given.
        bucket: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// The name given to `defineStorage` is not one Amplify accepts.
    #[error(
        "`{name}` is not a name Amplify accepts for a storage: a letter, then letters, digits, `-`, `_` and spaces"
    )]
    StorageName {
        /// The name given.
        name: String,
    },
    /// A grant names a group whose name is one of the identifiers Amplify
    /// gives the identity pool's roles: Amplify resolves
    /// `allow.groups(['authenticatedUserIamRole'])` to the authenticated
    /// role (every signed-in user), and `'unauthenticatedUserIamRole'` to
    /// the guests' role.
    #[error(
        "the group `{group}` has the name Amplify gives the {role} role: Amplify would attach its grants to that role, which every {who} gets; rename the group (`#[group(name = \"...\")]`)"
    )]
    ReservedGroupName {
        /// The group's name.
        group: &'static str,
        /// The role Amplify would take it for (`authenticated` or `guest`).
        role: &'static str,
        /// Who holds that role.
        who: &'static str,
    },
}

/// The prefix Amplify writes for a grant to `acceptor` on `path`
/// (`placeholderSubstitution`): `{entity_id}` becomes the identity variable
/// for the owner and `*` for everyone else, and a `/*/*` ending is cut to
/// `/*`.
fn written_path<G>(path: &str, acceptor: Acceptor<G>) -> String {
    let substitution = match acceptor {
        Acceptor::Entity => IDENTITY_TOKEN,
        Acceptor::Guest | Acceptor::Authenticated | Acceptor::Groups(_) => "*",
    };
    let written = path.replace("{entity_id}", substitution);
    match written.strip_suffix("/*/*") {
        Some(stem) => format!("{stem}/*"),
        None => written,
    }
}

/// Refuses a grant to a group named like one of Amplify's role identifiers.
fn check_group_names<G: Groups>(paths: &[StoragePath<G>]) -> Result<(), ExportError> {
    for path in paths {
        for grant in path.grants() {
            let Acceptor::Groups(groups) = grant.acceptor() else {
                continue;
            };
            for group in groups {
                let (role, who) = match group.name() {
                    AUTHENTICATED_ROLE => ("authenticated", "signed-in user"),
                    GUEST_ROLE => ("guest", "guest"),
                    _ => continue,
                };
                return Err(ExportError::ReservedGroupName {
                    group: group.name(),
                    role,
                    who,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_paths() {
        type A = Acceptor<()>;
        assert_eq!(written_path("p/{entity_id}/*", A::Guest), "p/*");
        assert_eq!(
            written_path("p/{entity_id}/*", A::Entity),
            "p/${cognito-identity.amazonaws.com:sub}/*"
        );
        assert_eq!(written_path("p/q/*", A::Authenticated), "p/q/*");
    }
}
