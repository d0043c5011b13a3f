//! Amplify's `amplify_outputs.json` (cargo feature `amplify`): read it,
//! export a groups enum and a storage as Amplify writes them, and check the
//! Rust declarations against the deployed pool and bucket (drift).
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

mod outputs;

pub use outputs::{
    AmplifyOutputs, AuthOutputs, BucketOutputs, GrantDrift, GroupDrift, IDENTITY_TOKEN,
    OutputsError, PoolGroup, PrecedenceDrift, StorageDrift, export_groups, export_paths,
};
