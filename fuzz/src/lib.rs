//! What the fuzz targets share: the groups enum, the `TEST_ONLY` keys and
//! the verifiers built from them (`keys`), the tokens they start from, an
//! independent model of the claim rules (`model`) and the checks every error
//! message must pass (`text`).
//!
//! The keys are the throwaway fixtures of `tests/tests/fixtures/`; they
//! protect nothing.

pub mod keys;
pub mod model;
pub mod text;

use groupguard::groups;

/// The groups of every target: a renamed group (`content-reviewers`) and a
/// raw-identifier variant (`r#type`, claim value `type`) beside two plain ones.
#[groups]
#[allow(
    non_camel_case_types,
    reason = "`r#type` is the raw-identifier variant the targets exercise"
)]
pub enum Group {
    ADMINS,
    EDITORS,
    #[group(name = "content-reviewers")]
    Reviewers,
    r#type,
}
