//! The core shared by `#[groups]`, `#[model]` and `storage!` (after
//! `serde_derive`'s `internals`): what one macro knows, the others use from
//! here, so that no rule exists twice and the macros never import each other.
//!
//! - [`ctxt`]: error collection, so that every mistake is reported at once.
//! - [`private`]: the one path through which generated code reaches the runtime.
//! - [`companion`]: the protocol between the first stage of `#[model]` and
//!   `storage!`, the companion macro of a groups enum and the second stage.
//! - [`group`]: group references in rules, their checks and their tokens.
//! - [`ops`]: lists of operations (models) or actions (storage).
//! - [`names`]: naming rules (Cognito group names, role ARNs) and suggestions.
//! - [`hash`]: the compile-time lookup tables.
//! - [`symbol`]: every keyword of the DSL, written once.

pub mod companion;
pub mod ctxt;
pub mod group;
pub mod hash;
pub mod names;
pub mod ops;
pub mod private;
pub mod symbol;
