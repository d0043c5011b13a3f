//! One policy of the corpus's Amplify exports (feature `amplify`), as
//! `tests/build/differential.rs` writes them into `differential_amplify.rs`
//! (shared with the Amplify oracle, `amplify-oracle/`).

use groupguard::amplify::{AmplifyOutputs, ExportError, OutputsError, StorageDrift};
use serde_json::Value;

/// The exports of one compiled policy, type-erased.
pub struct AmplifyCase {
    /// `iam_policies::<S>(bucket)`, as its JSON.
    pub iam: fn(&str) -> Result<Value, ExportError>,
    /// `define_auth::<Group>()`.
    pub define_auth: fn() -> String,
    /// `define_storage::<S>(name)`.
    pub define_storage: fn(&str) -> Result<String, ExportError>,
    /// `export_paths::<S>()`.
    pub export_paths: fn() -> Value,
    /// `outputs.storage_drift::<S>(bucket)`.
    pub storage_drift: fn(&AmplifyOutputs, &str) -> Result<StorageDrift, OutputsError>,
}
