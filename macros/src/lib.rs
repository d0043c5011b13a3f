//! Procedural macros of [groupguard](https://docs.rs/groupguard). Depend on
//! `groupguard`, which re-exports them with their documentation; this crate's
//! items are not meant to be used directly.
//!
//! Layout: each macro is parse -> check -> expand in its own folder
//! (`groups/`, `model/`, `storage/`; `group_set` is one small file), over the shared core in `internals/`
//! (error collection, the runtime path, the companion protocol, group and
//! operation lists, naming rules, hash tables). `second_stage` is
//! `__with_groups!`, which the companion macro of a groups enum calls with the
//! declared groups. The macros never import each other.
#![forbid(unsafe_code)]

mod group_set;
mod groups;
mod internals;
mod model;
mod second_stage;
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

/// A `GroupSet` of the groups enum, names checked at compile time. See
/// `groupguard::group_set`.
#[proc_macro]
pub fn group_set(input: TokenStream) -> TokenStream {
    group_set::first_stage(input.into()).into()
}

/// Second stage of `#[model]`, `storage!` and `group_set!`, called by the companion macro
/// of a groups enum. Not public API.
#[doc(hidden)]
#[proc_macro]
pub fn __with_groups(input: TokenStream) -> TokenStream {
    second_stage::expand(input.into()).into()
}
