//! Amplify-style group authorization for Rust, checked at compile time.
//!
//! groupguard brings the group-based authorization of AWS Amplify (Cognito
//! user-pool groups, `allow.groups([...]).to([...])` on data models) to Rust,
//! with one difference that matters: a misspelled group or operation does not
//! compile.
//!
//! ```
//! use groupguard::{groups, model, Op, Principal};
//!
//! #[groups]
//! pub enum Group {
//!     #[group(role = "arn:aws:iam::123456789012:role/Admins")]
//!     ADMINS,
//!     EDITORS,
//! }
//!
//! #[model(allow(groups = ["EDITORS"], to = [read, update]), allow(groups = [ADMINS]))]
//! pub struct Article {
//!     pub title: String,
//! }
//!
//! let bob = Principal::authenticated("bob").with_groups([Group::EDITORS]);
//! assert!(Article::authorize(&bob, Op::Update).is_allowed());
//! assert!(Article::authorize(&bob, Op::Delete).is_denied());
//! ```
//!
//! A typo is a compile error that points at it:
//!
//! ```compile_fail
//! use groupguard::{groups, model};
//!
//! #[groups]
//! pub enum Group { ADMINS, EDITORS }
//!
//! #[model(allow(groups = ["EDITOR"], to = [read]))] // error: unknown group `EDITOR`
//! pub struct Article;
//! # fn main() {}
//! ```
//!
//! The [`guide`] has the full tour, one topic each: groups, models and
//! records, storage, tokens, live keys, axum, Lambda, object stores, Cedar,
//! Amplify outputs, access reports, performance and internals; the README
//! has the quick start and the differences from Amplify.
//!
//! # Features
//!
//! - `jwt` (default): the token [`Verifier`] and `Principal::from_claims`,
//!   on `jsonwebtoken` and exactly one crypto backend:
//!   - `aws-lc-rs` (default): AWS-LC, the library rustls and the AWS SDK use;
//!     keys are parsed once, when the key set is loaded;
//!   - `rust-crypto`: the pure-Rust RustCrypto crates, for targets where C
//!     does not build (`default-features = false, features = ["jwt",
//!     "rust-crypto"]`).
//!
//!   Both at once, or `jwt` with neither, is a compile error. Turn default
//!   features off (without `jwt`) to keep only the compile-time guards and
//!   their runtime (no crypto, no `serde_json`).
//! - `audit` (default): every guard decision as a `tracing` event on target
//!   `groupguard::audit` (allowed at DEBUG, denied at INFO); off, the
//!   events compile to nothing.
//! - `axum`: the axum 0.8 integration ([`axum`]): `Principal`
//!   and `Authenticated` extractors, RFC 6750 responses, and layers that
//!   require a group or a model operation.
//! - `lambda`: AWS Lambda ([`lambda`], `lambda_http` 1.x):
//!   `Principal::from_lambda` reads the claims of API Gateway's authorizers
//!   (REST API, HTTP API) with the verifier's issuer, token-use and client
//!   checks, or verifies the token of a function URL or ALB request; and
//!   answers refusals with the axum integration's status table.
//! - `amplify`: [`amplify`]: read `amplify_outputs.json`,
//!   export a groups enum and a storage as Amplify writes them, and report
//!   where the Rust declarations and the deployed pool and bucket differ;
//!   deploy the same rules: the IAM policies per role that Amplify's
//!   storage generator writes for a storage, and the Amplify Gen 2
//!   definitions (`defineAuth`, `defineStorage`) as TypeScript.
//! - `cedar`: [`cedar`], the rules as Cedar policies and schema (Amazon
//!   Verified Permissions, any Cedar engine) and the entity data a request
//!   needs. No dependency.
//! - `report`: [`report`], access reports (who may do what, as Markdown or
//!   HTML) and the snapshot check that fails a test when access changed.
//!   No dependency.
//! - `object-store-signer`: with `object-store`, presigned URLs of a
//!   guarded store, checked before signing (turns on `object_store`'s
//!   `cloud-base`).
//! - `object-store`: the `object_store` 0.14 integration
//!   ([`object_store`]): `GuardedStore`, an
//!   `ObjectStore` that enforces a `storage!` declaration for one principal
//!   on any inner store (local disk, in memory, S3, GCS, Azure).
//! - `test-issuer`: `test_issuer::TestIssuer`, **for tests only**: a fake
//!   Cognito pool that generates its key at run time and mints access and ID
//!   tokens (good ones and the usual bad ones). Enable it in
//!   `[dev-dependencies]`, never in production. With `fetch`, also
//!   `test_issuer::JwksServer`, which serves its key set on 127.0.0.1.
//! - `fetch`: live key sets. `.fetch_jwks()` and `.jwks_url(..)` make a
//!   verifier fetch its JWK Set over HTTPS (reqwest, rustls with the
//!   aws-lc-rs provider, tokio) and keep it fresh; verify with
//!   [`Verifier::verify_async`]. Cached per URL, refreshed in the
//!   background, refetched once for an unknown `kid` and then not for a
//!   cool-down. See [`guide::live_keys`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// docs.rs (nightly) marks each item with the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The macros' expansions name `::groupguard`; unit tests use them here.
#[cfg(test)]
extern crate self as groupguard;

mod action;
#[cfg(feature = "amplify")]
pub mod amplify;
mod audit;
#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "cedar")]
pub mod cedar;
#[cfg(feature = "jwt")]
mod claims;
mod decision;
mod group;
mod group_serde;
mod hash;
#[cfg(any(feature = "axum", feature = "lambda"))]
mod http;
#[cfg(feature = "lambda")]
pub mod lambda;
mod model;
#[cfg(feature = "object-store")]
pub mod object_store;
mod principal;
#[cfg(feature = "report")]
pub mod report;
mod storage;
#[cfg(feature = "test-issuer")]
pub mod test_issuer;
mod text;
#[cfg(feature = "jwt")]
mod verify;

pub use action::{Action, ActionSet};
pub use decision::{Decision, Denied, DenyReason, KeyError, Outcome, UpdateCheck};
pub use group::{GroupSet, Groups, Iter, UnknownGroup, Words};
pub use model::{
    ClaimText, FieldMatch, FieldRules, Filter, FilterTerm, Model, ModelRule, Op, OpSet, RecordId,
    RecordIds, UnknownOp, Who,
};
pub use principal::{MAX_GROUPS_PER_USER, Principal};
pub use storage::{
    Acceptor, Access, AccessSet, Grant, MAX_KEY_BYTES, Storage, StoragePath, UnknownAccess,
    validate_key,
};
#[cfg(feature = "fetch")]
pub use verify::JwksClock;
#[cfg(feature = "jwt")]
pub use verify::{
    ClaimChecks, ConfigError, KeySet, TokenUse, Verifier, VerifierBuilder, VerifyError,
};

// The README's examples, compiled and run as doctests (`cargo test --doc`)
// when the features they show are on (as in `cargo test --workspace`).
#[cfg(all(doctest, feature = "axum", feature = "fetch", feature = "test-issuer"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// One guide: `runtime/docs/$file`, rendered whatever the features (docs.rs
/// shows them all); its examples run as doctests when the features they
/// need are on (as in `cargo test --workspace`).
macro_rules! guide {
    ($(#[$attr:meta])* $name:ident = $file:literal $(, needs $($feature:literal),+)?) => {
        $(#[$attr])*
        #[cfg_attr(
            any(not(doctest), all($($(feature = $feature),+)?)),
            doc = include_str!(concat!("../docs/", $file))
        )]
        #[cfg_attr(doctest, doc = "")]
        pub mod $name {}
    };
}

pub mod guide {
    //! The guides: everything the README leaves out, one topic each
    //! (`runtime/docs/*.md` in the repository).
    //!
    //! - [`groups`]: `#[groups]`, the user-pool groups.
    //! - [`models`]: `#[model]`: rules, records, field rules, updates, list
    //!   filters.
    //! - [`storage`]: `storage!`, Amplify's path rules, how a key is decided.
    //! - [`object_stores`]: `GuardedStore` on any `object_store` backend.
    //! - [`tokens`]: the verifier, what it checks in order, the differences
    //!   from aws-jwt-verify.
    //! - [`live_keys`]: key sets fetched and kept fresh (feature `fetch`).
    //! - [`test_issuer`]: tokens for your tests.
    //! - [`axum`]: extractors, layers, responses, audit events.
    //! - [`lambda`]: AWS Lambda behind API Gateway, a function URL or an ALB.
    //! - [`amplify`]: `amplify_outputs.json`: drift reports and export.
    //! - [`cedar`]: the rules as Cedar policies (Amazon Verified
    //!   Permissions).
    //! - [`reports`]: who may do what, and the access snapshot.
    //! - [`performance`]: the measured costs.
    //! - [`examples`]: the repository's runnable examples.
    //! - [`internals`]: how it works, how it is tested, the repository's
    //!   layout.
    //!
    //! Deploying the same rules (IAM policies per role, Amplify Gen 2
    //! definitions) is `groupguard::amplify::deploying` (feature `amplify`).

    guide!(groups = "groups.md");
    guide!(models = "models.md");
    guide!(storage = "storage.md");
    guide!(object_stores = "object_stores.md", needs "object-store");
    guide!(tokens = "tokens.md", needs "jwt");
    guide!(live_keys = "live_keys.md", needs "fetch");
    guide!(test_issuer = "test_issuer.md", needs "test-issuer", "fetch");
    guide!(axum = "axum.md", needs "axum", "fetch");
    guide!(lambda = "lambda.md", needs "lambda");
    guide!(amplify = "amplify.md", needs "amplify");
    guide!(cedar = "cedar.md", needs "cedar");
    guide!(reports = "reports.md", needs "report");
    guide!(performance = "performance.md");
    guide!(examples = "examples.md");
    guide!(internals = "internals.md");
    // `deploying.md` ("Deploying the same rules": IAM policies and the
    // Amplify TypeScript export) is rendered and doctested as
    // `amplify::deploying`; TODO: move it here once `amplify` can link it:
    // guide!(deploying = "deploying.md", needs "amplify");
}

/// Declares the user-pool groups: put it on a fieldless enum.
///
/// `#[groups(amplify_outputs = "amplify_outputs.json")]` also checks the
/// groups against the user pool's in Amplify's outputs file (the path is
/// relative to the crate's `Cargo.toml`): any difference fails the build,
/// listed on the argument, and the build reruns when the file changes.
///
/// Each variant is a group. Its claim value (the string in `cognito:groups`)
/// is the variant name unless `#[group(name = "...")]` says otherwise;
/// precedence follows declaration order (0, 1, ...) unless
/// `#[group(precedence = N)]` sets it; `role` and `description` are optional.
/// Every Cognito limit is checked at compile time.
///
/// ```
/// use groupguard::groups;
///
/// #[groups]
/// pub enum Group {
///     #[group(role = "arn:aws:iam::123456789012:role/Admins", description = "site admins")]
///     ADMINS,
///     EDITORS,
///     #[group(name = "content-reviewers", precedence = 7)]
///     Reviewers,
/// }
///
/// assert_eq!(Group::ALL, &[Group::ADMINS, Group::EDITORS, Group::Reviewers]);
/// assert_eq!(Group::Reviewers.name(), "content-reviewers");
/// assert_eq!(Group::from_name("content-reviewers"), Some(Group::Reviewers));
/// assert_eq!(Group::from_name("Reviewers"), None);
/// assert_eq!(Group::EDITORS.precedence(), 1);
/// assert_eq!(Group::ADMINS.role(), Some("arn:aws:iam::123456789012:role/Admins"));
/// assert_eq!(Group::ADMINS.to_string(), "ADMINS");
/// ```
///
/// A claim name Cognito would reject does not compile:
///
/// ```compile_fail
/// #[groupguard::groups]
/// pub enum Group {
///     #[group(name = "content reviewers")] // error: whitespace
///     Reviewers,
/// }
/// # fn main() {}
/// ```
pub use groupguard_macros::groups;

/// Guards a data model with Amplify-style rules; put it on a struct.
///
/// ```
/// use groupguard::{groups, model, Op, Principal};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
///
/// #[model(
///     allow(groups = ["EDITORS"], to = [read, update]),
///     allow(groups = [ADMINS]),            // no `to`: every operation
///     allow(authenticated, to = [read]),
///     allow(guest, to = [list]),
/// )]
/// pub struct Article { pub title: String }
///
/// assert!(Article::authorize(&Principal::guest(), Op::List).is_allowed());
/// assert!(Article::authorize(&Principal::guest(), Op::Get).is_denied());
/// ```
///
/// Rules are OR-ed and everything not granted is denied. Operations are
/// `create, update, delete, read, get, list, sync, listen, search`, where
/// `read` stands for `get, list, sync, listen, search`. The groups enum is
/// found as `Group` in scope; `groups = path::To::Enum` as the first argument
/// names another one. Group names may be identifiers or string literals and
/// name the enum's variants.
///
/// # Rules that read the record
///
/// `owner` (the field `owner`), `owner = field`, `owners = field` (a list),
/// `group_defined_in = field` and `groups_defined_in = field` admit the
/// principal the record names. A stored owner is the principal's `sub` or
/// Amplify's `sub::username`, never its bare user name (users may choose
/// one equal to another's stored value), unless the owner rule says
/// `legacy_username`: then the bare user name matches too, for records
/// stored with it, but never a value holding `::`
/// ([`ModelRule::legacy_username`]). `when = path` adds a `fn(&self) -> bool`
/// that must hold, to any rule. They decide with `authorize_record`; the
/// record-free `authorize` never lets them allow. `#[field(allow(...))]` on
/// a field gives it rules that replace the model's for that field, and
/// generates a `{Model}Field` enum, `authorize_field` and `redacted_for`.
/// `filter_for` turns the rules into a [`Filter`] for a list query.
/// `stored.authorize_update(principal, &proposed)` decides an update in one
/// call: `update` on the record as stored and as it would be saved, `delete`
/// on each `Option` field it clears, the rules of each field with rules of
/// its own that it changes (such a field's type implements `PartialEq`);
/// the denial names the check ([`UpdateCheck`]). See [`guide::models`].
///
/// ```
/// use groupguard::{groups, model, Op, Principal};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// #[model(allow(owner), allow(groups = [EDITORS], to = [update], when = Self::is_draft))]
/// pub struct Post { pub owner: String, pub draft: bool }
/// impl Post { fn is_draft(&self) -> bool { self.draft } }
///
/// let post = Post { owner: "ann".into(), draft: false };
/// let editor = Principal::authenticated("ed").with_groups([Group::EDITORS]);
/// assert!(post.authorize_record(&Principal::authenticated("ann"), Op::Delete).is_allowed());
/// // The bare user name is no owner (see `legacy_username`).
/// let named_ann = Principal::authenticated("eve-sub").with_username("ann");
/// assert!(post.authorize_record(&named_ann, Op::Delete).is_denied());
/// assert!(post.authorize_record(&editor, Op::Update).is_denied()); // not a draft
///
/// // An editor may update a draft, but not into a published post.
/// let draft = Post { owner: "ann".into(), draft: true };
/// let published = Post { owner: "ann".into(), draft: false };
/// let decision = draft.authorize_update(&editor, &published);
/// assert_eq!(decision.update_check(), Some(groupguard::UpdateCheck::Saved));
/// ```
///
/// ```compile_fail
/// # use groupguard::{groups, model};
/// # #[groups] pub enum Group { ADMINS }
/// #[model(allow(owner = athor))] // error: `Post` has no field `athor` (did you mean `author`?)
/// pub struct Post { pub author: String }
/// # fn main() {}
/// ```
///
/// ```compile_fail
/// # use groupguard::{groups, model};
/// # #[groups] pub enum Group { ADMINS }
/// #[model(allow(groups = [ADMINS], legacy_username))] // error: `legacy_username` qualifies owner rules
/// pub struct Post;
/// # fn main() {}
/// ```
///
/// ```compile_fail
/// # use groupguard::{groups, model};
/// # #[groups] pub enum Group { ADMINS }
/// #[model(allow(groups = [ADMINS], to = [publish]))] // error: unknown operation
/// pub struct Article;
/// # fn main() {}
/// ```
///
/// # Finding the groups enum
///
/// A model in a module that does not see `Group` gets rustc's "cannot find
/// macro `Group`" and "cannot find type `Group`", and "no groups enum `Group`
/// in scope", which names both fixes, all at the model (and nothing at its
/// callers: the model's items exist, denying everything). Fix it by
/// importing the enum, which also imports its hidden companion macro:
///
/// ```standalone_crate
/// mod auth {
///     #[groupguard::groups]
///     pub enum Group { ADMINS, EDITORS }
/// }
///
/// mod posts {
///     use crate::auth::Group;
///
///     #[groupguard::model(allow(groups = [EDITORS]))]
///     pub struct Post;
/// }
/// # fn main() {}
/// ```
///
/// or by naming it, which is also how an enum with another name is used:
///
/// ```
/// mod auth {
///     #[groupguard::groups]
///     pub enum Role { ADMINS, EDITORS }
/// }
///
/// #[groupguard::model(groups = auth::Role, allow(groups = [ADMINS]))]
/// pub struct Post;
/// # fn main() {}
/// ```
///
/// The type and the macro of that name must be one enum's: a `type Group =
/// other::Group;` that shadows only the type is a compile error naming both.
pub use groupguard_macros::model;

/// Declares storage paths with Amplify-style access rules (`defineStorage`),
/// every path rule checked at compile time.
///
/// ```
/// use groupguard::{groups, storage, Access, Principal};
///
/// #[groups]
/// pub enum Group { ADMINS, EDITORS }
///
/// storage! {
///     /// Article files.
///     pub Articles {
///         "drafts/*" => groups(EDITORS): [read, write],
///         "drafts/*" => groups(ADMINS): [read, write, delete],
///         "drafts/archive/*" => groups(ADMINS): [read],
///         "public/*" => guest: [read],
///         "public/*" => authenticated: [read, write],
///         "profiles/{entity_id}/*" => entity(identity): [read, write, delete],
///         "profiles/{entity_id}/*" => groups("ADMINS"): [read],
///     }
/// }
///
/// let bob = Principal::authenticated("bob").with_groups([Group::EDITORS]);
/// assert!(Articles::authorize(&bob, "drafts/2024/launch.md", Access::Write).is_allowed());
/// // A sub-path decides alone: editors have no grant on `drafts/archive/*`.
/// assert!(Articles::authorize(&bob, "drafts/archive/old.md", Access::Get).is_denied());
/// // `{entity_id}` is the caller's identity id (else `sub`).
/// assert!(Articles::authorize(&bob, "profiles/bob/avatar.png", Access::Write).is_allowed());
/// assert!(Articles::authorize(&bob, "profiles/eve/avatar.png", Access::Get).is_denied());
/// // Traversal is refused before any rule is read.
/// assert!(Articles::authorize(&bob, "drafts/../profiles/eve/a", Access::Get).is_denied());
///
/// let d = Articles::authorize(&bob, "drafts/a.md", Access::Read);
/// assert_eq!(
///     d.to_string(),
///     r#"`read` on `Articles` allowed by `"drafts/*" => groups(EDITORS): [read, write]`"#
/// );
/// ```
///
/// # Syntax
///
/// ```text
/// storage! {
///     groups = path::To::Enum;          // optional, first: the groups enum
///     /// docs and attributes of the struct
///     VIS Name {
///         "path/*" => ACCEPTOR: [ACTION, ...],
///         ...
///     }
/// }
/// ```
///
/// The macro declares the unit struct `Name` and implements [`Storage`] for
/// it, plus an inherent `Name::authorize(principal, key, access)`. The groups
/// enum is found as `Group` in scope, as for [`model`] (import it with
/// `use crate::auth::Group;`); a first line `groups = path::To::Enum;` names
/// another one:
///
/// ```
/// mod auth {
///     #[groupguard::groups]
///     pub enum Role { ADMINS, EDITORS }
/// }
///
/// groupguard::storage! {
///     groups = auth::Role;
///     pub Files { "drafts/*" => groups(EDITORS): [read, write] }
/// }
/// # fn main() {}
/// ```
///
/// - A path may appear in several entries; its grants are their union.
/// - Acceptors: `guest`, `authenticated`, `groups(A, B, ...)` (variant names,
///   as identifiers or strings) and `entity(identity)`. Each acceptor, and
///   each group, may have one entry per path.
/// - Actions: `read` (= `get` + `list`), `get`, `list`, `write`, `delete`;
///   naming `read` with `get` or `list` is an error.
/// - Path rules (Amplify's, numbered as the messages cite them): (1) a path
///   does not start with `/`, (2) ends with `/*`, (3) has no `//`, (4) has
///   `*` only as its last character; (5) at most one other path is its prefix
///   (one level of nesting); (6) `{entity_id}` appears at most once, as the
///   whole part right before the final `/*`, never as the first part, and no
///   other path is a prefix of a path holding it. A fix that a message
///   suggests passes every rule itself.
///
/// # Decisions
///
/// The most specific declared path covering a key decides alone, and the
/// request is allowed when any of its grants admits the principal; see
/// [`Storage`] for the details and [`validate_key`] for the keys refused
/// outright (`..`, `//`, control characters...).
///
/// **Difference from Amplify:** in Amplify's IAM deployment a user in a group
/// assumes the group's role *instead of* the authenticated role, so
/// `authenticated` grants stop applying to group members. groupguard grants
/// the union of every acceptor the principal satisfies: an editor above is
/// also `authenticated` and may write `public/*`.
///
/// A path rule broken, or a group misspelled, does not compile:
///
/// ```compile_fail
/// use groupguard::{groups, storage};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// storage! {
///     pub Articles {
///         "drafts" => groups(EDITOR): [read], // errors: no final `/*`; unknown group `EDITOR`
///     }
/// }
/// # fn main() {}
/// ```
pub use groupguard_macros::storage;

/// A [`GroupSet`] of the groups enum in scope, its names checked at compile
/// time like a rule's: for guards written by hand, such as a router that
/// requires a group.
///
/// ```
/// use groupguard::{group_set, groups, GroupSet, Principal};
///
/// #[groups]
/// pub enum Group { ADMINS, EDITORS, #[group(name = "content-reviewers")] Reviewers }
///
/// const STAFF: GroupSet<Group> = group_set![ADMINS, "Reviewers"];
/// let reviewer = Principal::authenticated("r").with_groups([Group::Reviewers]);
/// assert!(reviewer.groups().intersects(&STAFF));
/// assert!(!STAFF.contains(Group::EDITORS));
///
/// mod auth {
///     #[groupguard::groups]
///     pub enum Role { OWNER }
/// }
/// let owners = group_set![groups = auth::Role; OWNER];
/// assert_eq!(owners.len(), 1);
/// ```
///
/// A misspelled group does not compile:
///
/// ```compile_fail
/// # use groupguard::{group_set, groups, GroupSet};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// const STAFF: GroupSet<Group> = group_set![ADMIN]; // error: unknown group `ADMIN`
/// # fn main() {}
/// ```
pub use groupguard_macros::group_set;

#[doc(hidden)]
/// Used by generated code, not public API: no stability guarantees.
/// Re-exports only; each item lives in the module it belongs to.
pub mod __private {
    pub use crate::decision::{Decision, Outcome};
    pub use crate::group::{
        GroupSet, Groups, GroupsEnumFound, UnknownGroup, assert_same_groups, groups_enum_found,
        lookup,
    };
    pub use crate::group_serde::{deserialize, serialize};
    pub use crate::model::{
        Clearing, ComparedField, DecidesWithoutRecord, FieldRules, FieldUpdate, Filter, Model,
        ModelRule, NeedsRecordWarning, Op, OpSet, RecordId, RecordIds, RuleSet, Who,
        authorize_field, in_any_group, in_group, may_read_field, owns, owns_any,
    };
    pub use crate::principal::Principal;
    pub use crate::storage::{Acceptor, Access, AccessSet, Grant, Storage, StoragePath, TrieNode};
    pub use groupguard_macros::__with_groups as with_groups;
    pub use serde;
}
