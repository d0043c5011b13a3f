//! Procedural macros of [groupguard](https://docs.rs/groupguard). Depend on
//! `groupguard`, which re-exports them with their documentation; this crate's
//! items are not meant to be used directly.
//!
//! Layout (parse -> check -> expand): `ctxt` collects errors, `names` holds
//! the naming rules, `hash` the compile-time lookup tables, `groups` is
//! `#[groups]`, `model/` is `#[model]`, `storage/` is `storage!`, and
//! `callback` is the second stage that sees the declared groups.

mod callback;
mod ctxt;
mod groups;
mod hash;
mod model;
mod names;
mod storage;

use proc_macro::TokenStream;

/// Declares the user-pool groups on a fieldless enum. See `groupguard::groups`.
#[proc_macro_attribute]
pub fn groups(args: TokenStream, input: TokenStream) -> TokenStream {
    groups::expand(args.into(), input.into()).into()
}

/// Guards a data model with Amplify-style rules. See `groupguard::model`.
#[proc_macro_attribute]
pub fn model(args: TokenStream, input: TokenStream) -> TokenStream {
    model::first_stage(args.into(), input.into()).into()
}

/// Declares storage paths with Amplify-style access rules. See `groupguard::storage`.
#[proc_macro]
pub fn storage(input: TokenStream) -> TokenStream {
    storage::first_stage(input.into()).into()
}

/// Second stage of `#[model]` and `storage!`, called by the companion macro
/// of a groups enum. Not public API.
#[doc(hidden)]
#[proc_macro]
pub fn __with_groups(input: TokenStream) -> TokenStream {
    callback::second_stage(input.into()).into()
}
