//! Export to [Cedar](https://www.cedarpolicy.com/), the policy language of
//! Amazon Verified Permissions: a groups enum, models and storages as Cedar
//! policies plus the schema (entity types and actions) they are written
//! against, for teams that move from token-carried groups to a policy
//! service, and for auditors who read Cedar.
//!
//! ```
//! use groupguard::cedar::CedarExport;
//! use groupguard::{groups, model, storage};
//!
//! #[groups]
//! pub enum Group { ADMINS, EDITORS }
//!
//! #[model(allow(groups = [EDITORS], to = [read, update]), allow(owner))]
//! pub struct Article { pub owner: String }
//!
//! storage! {
//!     pub Files {
//!         "drafts/*" => groups(EDITORS): [read, write],
//!         "drafts/archive/*" => groups(ADMINS): [read],
//!     }
//! }
//!
//! let cedar = CedarExport::<Group>::new("Blog")?
//!     .model::<Article>()
//!     .storage::<Files>()
//!     .build()?;
//! assert!(cedar.schema().contains("entity User in [Group]"));
//! assert!(cedar.policies().contains(r#"principal is Blog::User in Blog::Group::"EDITORS""#));
//! // A sub-path's grants override its parent's: nothing is inherited.
//! assert!(cedar.policies().contains(r#"unless { resource in Blog::Files::Dir::"drafts/archive/" }"#));
//! assert_eq!(cedar.policy_count(), 4);
//! # Ok::<(), groupguard::cedar::CedarError>(())
//! ```
//!
//! The policies are tested against `cedar-policy` (validated against the
//! schema, and every decision compared with groupguard's on the tour's
//! policy and on random ones) by `scripts/cedar-oracle`.
//!
//! # The encoding
//!
//! Every rule and every grant becomes one `permit` policy, annotated with
//! `@id` (`Article.rules[0]`, `Article.notes.rules[1]`,
//! `Files.paths[0].grants[1]`) and `@groupguard` (the rule as declared).
//! There is no `forbid`: as in groupguard and Amplify, what no rule allows is
//! denied.
//!
//! Entity types, in the namespace given to [`CedarExport::new`] (`N`):
//!
//! | groupguard | Cedar |
//! |---|---|
//! | a signed-in principal | `N::User`, member of `N::Group::"<claim value>"` for each group claim value it holds |
//! | a guest | `N::Guest` |
//! | `allow(guest)` / `allow(authenticated)` | `principal is N::Guest` / `principal is N::User` |
//! | `allow(groups = [A])`, `[A, B]` | `principal is N::User in N::Group::"a"`; `principal in [N::Group::"a", N::Group::"b"]` |
//! | a record of model `M` | `N::M`, with the fields owner and group rules read (optional attributes) and one `Bool` attribute per `when` condition, named by the condition's path (`resource["Self::is_draft"]`) |
//! | `allow(owner = f)` / `allow(owners = f)` | `principal.identities.contains(resource.f)` / `.containsAny(resource.f)` |
//! | the same with `legacy_username` | that, or `principal.username` when it holds no `::`: `!(principal.username like "*::*") && resource.f == principal.username` / `resource.f.contains(principal.username)` |
//! | `group_defined_in = f` / `groups_defined_in = f` | `principal.group_names.contains(resource.f)` / `.containsAny(resource.f)` |
//! | `#[field(allow(...))]` on `f` | the record's resource, with `context.field == "f"`; the model's own rules apply when `context.field` is absent or names a field without rules |
//! | operations | `N::Action::"create"`, `"update"`, `"delete"`, and `"get"`, `"list"`, `"sync"`, `"listen"`, `"search"` in the action group `"read"` |
//! | a key of storage `S` | `N::S::Object::"<key>"` with attribute `key`, child of `N::S::Dir::"<its directory>/"`, each directory a child of its parent (`Dir::"a/b/"` in `Dir::"a/"`) |
//! | path `p/*` | `resource in N::S::Dir::"p/"` |
//! | path `p/{entity_id}/*`, grants to others than the owner | `resource in N::S::Dir::"p/"` (Amplify writes `*` for the token in those grants: all of `p/*`) |
//! | `entity(identity)` on it | `resource in principal.homes["S:p/{entity_id}/*"]` |
//! | storage actions | `N::S::Action::"get"`, `"list"` in the group `"read"`, `"write"`, `"delete"` |
//!
//! The entity data a request needs (what an application, or Verified
//! Permissions' identity source, supplies; [`Cedar::principal_entity`] and
//! [`Cedar::object_entity`] build it as Cedar's entity JSON) is therefore:
//! - for a signed-in principal, `identities`: its `sub` when not empty, and
//!   `sub::username` when both are not (the values an owner field may hold
//!   for it; never the bare user name); `username`: its user name when not
//!   empty (read only by owner rules with `legacy_username`);
//!   `group_names`: every group claim value it holds, declared or not, but
//!   `""`; `homes`: for each `{entity_id}` path, the directory with
//!   the principal's entity id (identity id, else `sub`) in place of the
//!   token, as a `Dir` entity, omitted when that id is empty or holds a `/`
//!   (Amplify's IAM policies substitute `${cognito-identity.amazonaws.com:sub}`
//!   the same way); and its parents, the `Group` entities of its claims.
//!   The four attributes are optional (the policies test them with
//!   `has`), so that a principal without them, such as the one Verified
//!   Permissions derives from a token, conforms and is simply not an owner;
//! - for a record, its attributes; for a decision without a record
//!   (`Model::authorize`), no resource entity at all, so that rules reading
//!   the record fail to evaluate and do not allow, as in groupguard;
//! - for an object, its `key` and its directory chain. Keys are validated
//!   (`groupguard::validate_key`) before they reach Cedar, which has no
//!   notion of a malformed key.
//!
//! # Where Amplify and a faithful Cedar encoding differ
//!
//! - **Sub-paths override their parent.** Cedar's `in` is inherited down the
//!   hierarchy, Amplify's paths are not: a grant on `media/*` does not reach
//!   `media/private/x` when `media/private/*` is declared. Each grant of a
//!   path therefore carries one `unless` per declared path that is more
//!   specific for some of its keys (deeper, or a literal path beside an
//!   `{entity_id}` one at the same depth).
//! - **`{entity_id}`.** Cedar has no string concatenation, so the policy
//!   cannot build `p/<id>/` from the principal; the principal's `homes`
//!   carries that directory, computed once per principal.
//! - **Owner identities.** Amplify stores `sub::username` and its resolvers
//!   accept `sub`, `username` or `sub::username`; groupguard accepts `sub`
//!   and `sub::username`, and the bare user name only in rules with
//!   `legacy_username` and never when it holds `::` (a user name can be
//!   chosen to equal another user's stored value). With no concatenation
//!   either, the principal's `identities` lists the two, and `username`
//!   stands apart for the rules that opt in.
//! - **Composite `read`.** groupguard allows `read` when every part is
//!   allowed, by whichever rules. In Cedar, a request for the action group
//!   `"read"` itself is allowed only by a policy naming `read`, so ask Cedar
//!   for the simple actions (`get`, `list`, ...) and combine: that is how
//!   the oracle compares, and it also counts the requests where asking for
//!   `"read"` directly would differ.
//! - **`when` conditions** are Rust functions; Cedar sees their results as
//!   `Bool` attributes of the record, computed by the application.
//! - Deny reasons (`NoRule`, `NotOwner`...) have no Cedar counterpart;
//!   Cedar's diagnostics name the policies (`@id`) that allowed.

mod entities;
mod paths;
mod policies;
mod schema;
mod text;

pub use entities::EntityData;

use core::fmt;
use core::marker::PhantomData;

use crate::group::Groups;
use crate::model::{FieldRules, Model, ModelRule, Who};
use crate::storage::{Storage, StoragePath};
use policies::Policies;
use text::{OWN_TYPES, is_identifier};

/// Why an export could not be built.
///
/// ```
/// use groupguard::cedar::{CedarError, CedarExport};
/// # #[groupguard::groups] pub enum Group { ADMINS }
/// let err = CedarExport::<Group>::new("my-app").unwrap_err();
/// assert_eq!(err, CedarError::InvalidNamespace("my-app".to_owned()));
/// assert!(err.to_string().contains("not a Cedar namespace"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CedarError {
    /// The namespace is not `Ident` or `Ident::Ident...` with Cedar's
    /// identifiers (ASCII letters, digits, `_`, not a reserved word).
    #[error(
        "`{0}` is not a Cedar namespace: expected identifiers (ASCII letters, digits and `_`, \
         not starting with a digit, not a reserved word) joined by `::`"
    )]
    InvalidNamespace(String),
    /// A model or storage name is not a Cedar identifier.
    #[error("the {what} `{name}` is not a Cedar identifier (ASCII letters, digits and `_`)")]
    InvalidName {
        /// `model` or `storage`.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// Two exported things would have the same Cedar name (a model named
    /// `User`, `Guest` or `Group`, a model added twice, a model and a
    /// storage of the same name).
    #[error(
        "`{0}` is exported twice, or is one of the names the export reserves (`User`, `Guest`, `Group`)"
    )]
    NameTaken(String),
    /// A field that rules read both as one value and as a list (Cedar needs
    /// one type per attribute).
    #[error(
        "the field `{field}` of `{model}` is read both as one value and as a list, or shares its name with a `when` condition"
    )]
    FieldShape {
        /// The model.
        model: &'static str,
        /// The field.
        field: &'static str,
    },
}

/// Cedar's reserved identifiers, which cannot name a type or namespace.
/// What a model's record must hold for its rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AttrType {
    /// A field read as one id (`owner`, `group_defined_in`): optional `String`.
    One,
    /// A field read as a list (`owners`, `groups_defined_in`): optional `Set<String>`.
    List,
    /// A `when` condition: `Bool`.
    Condition,
}

/// One exported model.
struct ModelData<G: Groups> {
    name: &'static str,
    rules: &'static [ModelRule<G>],
    fields: &'static [FieldRules<G>],
    attributes: Vec<(&'static str, AttrType)>,
}

/// One exported storage.
struct StorageData<G: Groups> {
    name: &'static str,
    paths: &'static [StoragePath<G>],
}

/// A builder of a Cedar export for the groups enum `G`: add models and
/// storages, then [`build`](Self::build).
///
/// ```
/// use groupguard::cedar::CedarExport;
/// # #[groupguard::groups] pub enum Group { ADMINS }
/// # #[groupguard::model(allow(groups = [ADMINS]))] pub struct Note;
/// let cedar = CedarExport::<Group>::new("App")?.model::<Note>().build()?;
/// assert!(cedar.policies().starts_with("@id(\"Note.rules[0]\")"));
/// # Ok::<(), groupguard::cedar::CedarError>(())
/// ```
pub struct CedarExport<G: Groups> {
    namespace: String,
    /// Verified Permissions' entity prefix (the user pool id), if any.
    prefix: Option<String>,
    models: Vec<ModelData<G>>,
    storages: Vec<StorageData<G>>,
    error: Option<CedarError>,
    groups: PhantomData<G>,
}

impl<G: Groups> fmt::Debug for CedarExport<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CedarExport")
            .field("namespace", &self.namespace)
            .field(
                "models",
                &self.models.iter().map(|m| m.name).collect::<Vec<_>>(),
            )
            .field(
                "storages",
                &self.storages.iter().map(|s| s.name).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl<G: Groups> CedarExport<G> {
    /// An export into the Cedar namespace `namespace` (such as `Blog` or
    /// `Acme::Blog`).
    ///
    /// # Errors
    ///
    /// [`CedarError::InvalidNamespace`] when `namespace` is not one.
    ///
    /// ```
    /// use groupguard::cedar::CedarExport;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// assert!(CedarExport::<Group>::new("Acme::Blog").is_ok());
    /// assert!(CedarExport::<Group>::new("Acme::").is_err());
    /// assert!(CedarExport::<Group>::new("if").is_err());
    /// ```
    pub fn new(namespace: &str) -> Result<Self, CedarError> {
        if !namespace.split("::").all(is_identifier) {
            return Err(CedarError::InvalidNamespace(namespace.to_owned()));
        }
        Ok(Self {
            namespace: namespace.to_owned(),
            prefix: None,
            models: Vec::new(),
            storages: Vec::new(),
            error: None,
            groups: PhantomData,
        })
    }

    /// Names users and groups as Verified Permissions' Cognito identity
    /// source does: `"<prefix>|<sub>"` and `"<prefix>|<group>"`, the prefix
    /// being the user pool id. Configure the identity source with the
    /// principal type `N::User` and the group type `N::Group`; then the
    /// rules that only name groups, `guest` and `authenticated` hold for
    /// the principal it derives from a token (`IsAuthorizedWithToken`). The
    /// owner, dynamic-group and `{entity_id}` rules read `identities`,
    /// `username`, `group_names` and `homes`, which a token does not carry:
    /// decide those with `IsAuthorized` and [`Cedar::principal_entity`].
    ///
    /// ```
    /// use groupguard::cedar::CedarExport;
    /// use groupguard::Principal;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// # #[groupguard::model(allow(groups = [ADMINS]))] pub struct Note;
    /// let cedar = CedarExport::<Group>::new("App")?
    ///     .entity_prefix("us-east-1_AbC123")
    ///     .model::<Note>()
    ///     .build()?;
    /// assert!(cedar.policies().contains(r#"App::Group::"us-east-1_AbC123|ADMINS""#));
    /// let ann = Principal::authenticated("u-1").with_groups([Group::ADMINS]);
    /// assert_eq!(cedar.principal_entity(&ann).uid(), r#"App::User::"us-east-1_AbC123|u-1""#);
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    #[must_use]
    pub fn entity_prefix(mut self, user_pool_id: &str) -> Self {
        self.prefix = Some(user_pool_id.to_owned());
        self
    }

    /// Records the first error, which [`build`](Self::build) returns.
    fn fail(&mut self, error: CedarError) {
        self.error.get_or_insert(error);
    }

    /// Checks that `name` may name a new model or storage.
    fn claim(&mut self, what: &'static str, name: &'static str) -> bool {
        if !is_identifier(name) {
            self.fail(CedarError::InvalidName {
                what,
                name: name.to_owned(),
            });
            return false;
        }
        let taken = OWN_TYPES.contains(&name)
            || self.models.iter().any(|m| m.name == name)
            || self.storages.iter().any(|s| s.name == name);
        if taken {
            self.fail(CedarError::NameTaken(name.to_owned()));
        }
        !taken
    }

    /// Adds the rules of model `M` (its own and its fields').
    ///
    /// ```
    /// use groupguard::cedar::CedarExport;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// #[groupguard::model(allow(owner, when = Self::is_open), allow(groups = [ADMINS]))]
    /// pub struct Doc { pub owner: String, pub open: bool }
    /// impl Doc { fn is_open(&self) -> bool { self.open } }
    ///
    /// let cedar = CedarExport::<Group>::new("App")?.model::<Doc>().build()?;
    /// assert!(cedar.schema().contains(r#"entity Doc { owner?: String, "Self::is_open": Bool };"#));
    /// assert!(cedar.policies().contains(r#"principal.identities.contains(resource.owner) && resource["Self::is_open"]"#));
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    #[must_use]
    pub fn model<M: Model<Group = G>>(mut self) -> Self {
        if !self.claim("model", M::NAME) {
            return self;
        }
        let mut attributes: Vec<(&'static str, AttrType)> = Vec::new();
        let all = M::RULES
            .iter()
            .chain(M::FIELDS.iter().flat_map(|f| f.rules().iter()));
        for rule in all {
            let mut needs = Vec::new();
            match rule.who() {
                Who::Owner(field) | Who::GroupDefinedIn(field) => {
                    needs.push((field, AttrType::One));
                }
                Who::Owners(field) | Who::GroupsDefinedIn(field) => {
                    needs.push((field, AttrType::List));
                }
                Who::Guest | Who::Authenticated | Who::Groups(_) => {}
            }
            if let Some(condition) = rule.when() {
                needs.push((condition, AttrType::Condition));
            }
            for (name, ty) in needs {
                match attributes.iter().find(|(n, _)| *n == name) {
                    Some((_, seen)) if *seen != ty => {
                        self.fail(CedarError::FieldShape {
                            model: M::NAME,
                            field: name,
                        });
                        return self;
                    }
                    Some(_) => {}
                    None => attributes.push((name, ty)),
                }
            }
        }
        self.models.push(ModelData {
            name: M::NAME,
            rules: M::RULES,
            fields: M::FIELDS,
            attributes,
        });
        self
    }

    /// Adds the paths of storage `S`.
    ///
    /// ```
    /// use groupguard::cedar::CedarExport;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// groupguard::storage! {
    ///     pub Files { "home/{entity_id}/*" => entity(identity): [read, write] }
    /// }
    /// let cedar = CedarExport::<Group>::new("App")?.storage::<Files>().build()?;
    /// assert!(cedar.schema().contains(r#"homes?: { "Files:home/{entity_id}/*"?: App::Files::Dir }"#));
    /// assert!(cedar.policies().contains(r#"resource in principal.homes["Files:home/{entity_id}/*"]"#));
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    #[must_use]
    pub fn storage<S: Storage<Group = G>>(mut self) -> Self {
        if self.claim("storage", S::NAME) {
            self.storages.push(StorageData {
                name: S::NAME,
                paths: S::PATHS,
            });
        }
        self
    }

    /// The schema and policies.
    ///
    /// # Errors
    ///
    /// The first [`CedarError`] met while adding models and storages.
    pub fn build(self) -> Result<Cedar, CedarError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let mut policies = Policies::default();
        for model in &self.models {
            self.model_policies(model, &mut policies);
        }
        for storage in &self.storages {
            self.storage_policies(storage, &mut policies);
        }
        let homes = self.homes();
        Ok(Cedar {
            schema: self.schema(),
            policies: policies.text,
            count: policies.count,
            namespace: self.namespace,
            prefix: self.prefix,
            homes,
        })
    }

    /// `(storage, path)` of every `{entity_id}` path: the principal's homes.
    fn homes(&self) -> Vec<(&'static str, &'static str)> {
        self.storages
            .iter()
            .flat_map(|s| {
                s.paths
                    .iter()
                    .filter(|p| p.has_entity_id())
                    .map(move |p| (s.name, p.path()))
            })
            .collect()
    }
}

/// An export: the Cedar schema and policies of some models and storages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cedar {
    namespace: String,
    prefix: Option<String>,
    schema: String,
    policies: String,
    count: usize,
    /// `(storage, path)` of each `{entity_id}` path: the principal's homes.
    homes: Vec<(&'static str, &'static str)>,
}

impl Cedar {
    /// The schema, in Cedar's schema syntax (a `.cedarschema` file).
    ///
    /// ```
    /// # use groupguard::cedar::CedarExport;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// # #[groupguard::model(allow(groups = [ADMINS]))] pub struct Note;
    /// let cedar = CedarExport::<Group>::new("App")?.model::<Note>().build()?;
    /// assert!(cedar.schema().contains(r#"action "get", "list", "sync", "listen", "search" in ["read"]"#));
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    #[must_use]
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The policies, one `permit` per rule and grant, in Cedar's policy
    /// syntax (a `.cedar` file).
    ///
    /// ```
    /// # use groupguard::cedar::CedarExport;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// # #[groupguard::model(allow(groups = [ADMINS]))] pub struct Note;
    /// let cedar = CedarExport::<Group>::new("App")?.model::<Note>().build()?;
    /// assert!(cedar.policies().contains("@groupguard(\"allow(groups = [ADMINS])\")"));
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    #[must_use]
    pub fn policies(&self) -> &str {
        &self.policies
    }

    /// How many policies [`policies`](Self::policies) holds.
    ///
    /// ```
    /// # use groupguard::cedar::CedarExport;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// # #[groupguard::model(allow(groups = [ADMINS]), allow(guest, to = [get]))] pub struct Note;
    /// let cedar = CedarExport::<Group>::new("App")?.model::<Note>().build()?;
    /// assert_eq!(cedar.policy_count(), 2);
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    #[must_use]
    pub fn policy_count(&self) -> usize {
        self.count
    }
}
