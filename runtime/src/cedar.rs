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

use core::fmt::{self, Write as _};
use core::marker::PhantomData;

use crate::decision::KeyError;
use crate::group::Groups;
use crate::model::{FieldRules, Model, ModelRule, Op, OpSet, Who, identities};
use crate::principal::Principal;
use crate::storage::{Acceptor, Access, Grant, Storage, StoragePath, validate_key};

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
const RESERVED: [&str; 13] = [
    "true", "false", "if", "then", "else", "in", "is", "like", "has", "permit", "forbid", "when",
    "unless",
];

/// The names the export gives its own entity types, and Cedar's `Action`.
const OWN_TYPES: [&str; 4] = ["User", "Guest", "Group", "Action"];

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && !RESERVED.contains(&name)
        && !name.starts_with("__cedar")
}

/// `s` as a Cedar string literal.
fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` as a `like` pattern that matches exactly `s` (`*` and `\` escaped).
fn pattern_literal(s: &str) -> String {
    literal(s).replace('*', "\\*")
}

/// `expr.name`, or `expr["name"]` when `name` is not an identifier.
fn attribute(expr: &str, name: &str) -> String {
    if is_identifier(name) {
        format!("{expr}.{name}")
    } else {
        format!("{expr}[{}]", literal(name))
    }
}

/// `expr has name`.
fn has(expr: &str, name: &str) -> String {
    if is_identifier(name) {
        format!("{expr} has {name}")
    } else {
        format!("{expr} has {}", literal(name))
    }
}

/// The name of an attribute in a schema.
fn schema_name(name: &str) -> String {
    if is_identifier(name) {
        name.to_owned()
    } else {
        literal(name)
    }
}

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

    fn group(&self, group: G) -> String {
        format!(
            "{}::Group::{}",
            self.namespace,
            literal(&prefixed(self.prefix.as_deref(), group.name()))
        )
    }

    /// The scope's principal clause and the condition, if any, of `who`
    /// (an owner rule's with its `legacy_username`).
    fn principal(&self, who: Who<G>, legacy_username: bool) -> (String, Option<String>) {
        let ns = &self.namespace;
        let user = format!("principal is {ns}::User");
        match who {
            Who::Guest => (format!("principal is {ns}::Guest"), None),
            Who::Authenticated => (user, None),
            Who::Groups([group]) => (format!("{user} in {}", self.group(*group)), None),
            Who::Groups(groups) => {
                let set: Vec<String> = groups.iter().map(|g| self.group(*g)).collect();
                let condition = if set.is_empty() {
                    "false".to_owned()
                } else {
                    format!("principal in [{}]", set.join(", "))
                };
                (user, Some(condition))
            }
            Who::Owner(field) => (user, Some(owner(field, false, legacy_username))),
            Who::Owners(field) => (user, Some(owner(field, true, legacy_username))),
            Who::GroupDefinedIn(field) => (user, Some(contains("group_names", field, "contains"))),
            Who::GroupsDefinedIn(field) => {
                (user, Some(contains("group_names", field, "containsAny")))
            }
        }
    }

    /// The action clause of a model rule granting `ops`.
    fn model_actions(&self, rule: &ModelRule<G>) -> String {
        let ops = rule.ops();
        let mut names: Vec<&str> = Vec::new();
        if ops.contains(Op::Read) {
            names.push("read");
        }
        for op in OpSet::ALL.iter() {
            if ops.contains(op) && !(ops.contains(Op::Read) && Op::Read.parts().contains(&op)) {
                names.push(op.name());
            }
        }
        let ns = &self.namespace;
        let actions: Vec<String> = names
            .iter()
            .map(|n| format!("{ns}::Action::{}", literal(n)))
            .collect();
        format!("action in [{}]", actions.join(", "))
    }

    fn model_policies(&self, model: &ModelData<G>, out: &mut Policies) {
        let ns = &self.namespace;
        let resource = format!("resource is {ns}::{}", model.name);
        // The model's rules decide for the record and for fields without rules.
        let ruled: Vec<String> = model.fields.iter().map(|f| literal(f.name())).collect();
        let not_a_ruled_field = (!ruled.is_empty()).then(|| {
            format!(
                "unless {{ context has field && [{}].contains(context.field) }}",
                ruled.join(", ")
            )
        });
        for (i, rule) in model.rules.iter().enumerate() {
            let id = format!("{}.rules[{i}]", model.name);
            let conditions: Vec<String> = not_a_ruled_field.iter().cloned().collect();
            self.rule_policy(&id, rule, &resource, conditions, out);
        }
        for field in model.fields {
            for (i, rule) in field.rules().iter().enumerate() {
                let id = format!("{}.{}.rules[{i}]", model.name, field.name());
                let conditions = vec![format!(
                    "when {{ context has field && context.field == {} }}",
                    literal(field.name())
                )];
                self.rule_policy(&id, rule, &resource, conditions, out);
            }
        }
    }

    fn rule_policy(
        &self,
        id: &str,
        rule: &ModelRule<G>,
        resource: &str,
        mut conditions: Vec<String>,
        out: &mut Policies,
    ) {
        let (principal, who) = self.principal(rule.who(), rule.legacy_username());
        let mut own: Vec<String> = who.into_iter().collect();
        if let Some(condition) = rule.when() {
            own.push(format!("resource[{}]", literal(condition)));
        }
        if !own.is_empty() {
            conditions.insert(0, format!("when {{ {} }}", own.join(" && ")));
        }
        let whens = conditions;
        out.push(
            id,
            rule.declaration(),
            &principal,
            &self.model_actions(rule),
            resource,
            &whens,
        );
    }

    fn storage_policies(&self, storage: &StorageData<G>, out: &mut Policies) {
        let space = format!("{}::{}", self.namespace, storage.name);
        for (p, path) in storage.paths.iter().enumerate() {
            let shape = PathShape::of(path);
            let resource = format!("resource in {space}::Dir::{}", literal(&shape.directory()));
            let overrides: Vec<String> = storage
                .paths
                .iter()
                .map(PathShape::of)
                .filter(|other| other.overrides(&shape))
                .map(|other| format!("unless {{ {} }}", other.covers(&space)))
                .collect();
            for (g, grant) in path.grants().iter().enumerate() {
                let id = format!("{}.paths[{p}].grants[{g}]", storage.name);
                let mut whens = Vec::new();
                let principal = self.acceptor(grant, storage.name, path.path(), &mut whens);
                whens.extend(overrides.iter().cloned());
                let actions = storage_actions(&space, grant);
                out.push(
                    &id,
                    grant.declaration(),
                    &principal,
                    &actions,
                    &resource,
                    &whens,
                );
            }
        }
    }

    /// The principal clause of a grant, pushing its conditions on `whens`.
    fn acceptor(
        &self,
        grant: &Grant<G>,
        storage: &str,
        path: &str,
        whens: &mut Vec<String>,
    ) -> String {
        let ns = &self.namespace;
        match grant.acceptor() {
            Acceptor::Guest => format!("principal is {ns}::Guest"),
            Acceptor::Authenticated => format!("principal is {ns}::User"),
            Acceptor::Groups(groups) => {
                let (principal, condition) = self.principal(Who::Groups(groups), false);
                whens.extend(condition.map(|c| format!("when {{ {c} }}")));
                principal
            }
            Acceptor::Entity => {
                let home = literal(&format!("{storage}:{path}"));
                whens.push(format!(
                    "when {{ principal has homes && principal.homes has {home} && resource in principal.homes[{home}] }}"
                ));
                format!("principal is {ns}::User")
            }
        }
    }

    fn schema(&self) -> String {
        let ns = &self.namespace;
        let mut out = format!(
            "// The entity types and actions of groupguard's Cedar export (see\n\
             // `groupguard::cedar`): principals, groups, models and storages.\n\
             namespace {ns} {{\n    entity Group;\n"
        );
        let homes: Vec<String> = self
            .homes()
            .into_iter()
            .map(|(storage, path)| {
                format!(
                    "{}?: {ns}::{storage}::Dir",
                    literal(&format!("{storage}:{path}"))
                )
            })
            .collect();
        let homes = if homes.is_empty() {
            "{}".to_owned()
        } else {
            format!("{{ {} }}", homes.join(", "))
        };
        let _ = writeln!(
            out,
            "    entity User in [Group] {{\n        identities?: Set<String>,\n        username?: String,\n        group_names?: Set<String>,\n        homes?: {homes},\n    }};\n    entity Guest;"
        );
        for model in &self.models {
            let attributes: Vec<String> = model
                .attributes
                .iter()
                .map(|(name, ty)| match ty {
                    AttrType::One => format!("{}?: String", schema_name(name)),
                    AttrType::List => format!("{}?: Set<String>", schema_name(name)),
                    AttrType::Condition => format!("{}: Bool", literal(name)),
                })
                .collect();
            if attributes.is_empty() {
                let _ = writeln!(out, "    entity {};", model.name);
            } else {
                let _ = writeln!(
                    out,
                    "    entity {} {{ {} }};",
                    model.name,
                    attributes.join(", ")
                );
            }
        }
        if !self.models.is_empty() {
            let resources: Vec<&str> = self.models.iter().map(|m| m.name).collect();
            let applies = format!(
                "appliesTo {{ principal: [User, Guest], resource: [{}], context: {{ field?: String }} }}",
                resources.join(", ")
            );
            let read: Vec<String> = Op::Read
                .parts()
                .iter()
                .map(|op| literal(op.name()))
                .collect();
            let _ = writeln!(out, "    action \"read\" {applies};");
            let _ = writeln!(
                out,
                "    action {} in [\"read\"] {applies};",
                read.join(", ")
            );
            let _ = writeln!(
                out,
                "    action \"create\", \"update\", \"delete\" {applies};"
            );
        }
        out.push_str("}\n");
        for storage in &self.storages {
            let applies =
                format!("appliesTo {{ principal: [{ns}::User, {ns}::Guest], resource: [Object] }}");
            let _ = write!(
                out,
                "\nnamespace {ns}::{} {{\n    entity Dir in [Dir];\n    entity Object in [Dir] {{ key: String }};\n    \
                 action \"read\" {applies};\n    action \"get\", \"list\" in [\"read\"] {applies};\n    \
                 action \"write\", \"delete\" {applies};\n}}\n",
                storage.name
            );
        }
        out
    }
}

/// `resource has f && principal has <set> && principal.<set>.<method>(resource.f)`:
/// the principal's attributes are optional, so that a principal Verified
/// Permissions derives from a token (which has none of them) conforms.
fn contains(set: &str, field: &str, method: &str) -> String {
    format!(
        "{} && principal has {set} && principal.{set}.{method}({})",
        has("resource", field),
        attribute("resource", field)
    )
}

/// The condition of an owner rule on `field` (a list when `list`): one of
/// the principal's `identities`; with `legacy_username`, also its
/// `username`, unless that holds `::` (then a stored value equal to it is
/// someone's `sub::username`).
fn owner(field: &str, list: bool, legacy_username: bool) -> String {
    let method = if list { "containsAny" } else { "contains" };
    if !legacy_username {
        return contains("identities", field, method);
    }
    let stored = attribute("resource", field);
    let named = if list {
        format!("{stored}.contains(principal.username)")
    } else {
        format!("{stored} == principal.username")
    };
    format!(
        "{} && ((principal has identities && principal.identities.{method}({stored})) || \
         (principal has username && !(principal.username like \"*::*\") && {named}))",
        has("resource", field)
    )
}

/// The action clause of a storage grant.
fn storage_actions<G: Groups>(space: &str, grant: &Grant<G>) -> String {
    let actions = grant.actions();
    let mut names = Vec::new();
    if actions.contains(Access::Read) {
        names.push("read");
    }
    for access in [Access::Get, Access::List, Access::Write, Access::Delete] {
        let in_read = actions.contains(Access::Read) && Access::Read.parts().contains(&access);
        if actions.contains(access) && !in_read {
            names.push(access.name());
        }
    }
    let names: Vec<String> = names
        .iter()
        .map(|n| format!("{space}::Action::{}", literal(n)))
        .collect();
    format!("action in [{}]", names.join(", "))
}

/// A declared path's parts: `a/b/*` is `[a, b]`; `{entity_id}` is only ever
/// the last part.
struct PathShape {
    /// The literal parts (without the `{entity_id}` part).
    literal: Vec<String>,
    /// Whether the path ends in `{entity_id}/*`.
    entity: bool,
    /// For an `{entity_id}` path, whether it grants to others than the
    /// owner, and so covers all of `p/*` (not only the owners' folders).
    wide: bool,
}

impl PathShape {
    fn of<G: Groups>(path: &StoragePath<G>) -> Self {
        let wide = path
            .grants()
            .iter()
            .any(|g| !matches!(g.acceptor(), Acceptor::Entity));
        Self::new(path.path(), wide)
    }

    fn new(path: &str, wide: bool) -> Self {
        let mut parts: Vec<String> = path
            .strip_suffix("/*")
            .unwrap_or(path)
            .split('/')
            .map(str::to_owned)
            .collect();
        let entity = parts.last().is_some_and(|p| p == "{entity_id}");
        if entity {
            parts.pop();
        }
        Self {
            literal: parts,
            entity,
            wide,
        }
    }

    fn depth(&self) -> usize {
        self.literal.len() + usize::from(self.entity)
    }

    /// The directory of the literal parts, `a/b/`.
    fn directory(&self) -> String {
        self.literal.iter().map(|p| format!("{p}/")).collect()
    }

    /// `like` pattern of the owners' folders of an `{entity_id}` path: `a/*/*`.
    fn like_pattern(&self) -> String {
        let prefix = pattern_literal(&self.directory());
        format!("{}*/*\"", prefix.trim_end_matches('"'))
    }

    /// The condition under which `self` covers the resource: its directory,
    /// or for an owner-only `{entity_id}` path, the owners' folders in it.
    fn covers(&self, space: &str) -> String {
        if self.entity && !self.wide {
            format!("resource.key like {}", self.like_pattern())
        } else {
            format!("resource in {space}::Dir::{}", literal(&self.directory()))
        }
    }

    /// The part at `depth`, `None` for an `{entity_id}` part (any segment).
    fn part(&self, depth: usize) -> Option<&str> {
        self.literal.get(depth).map(String::as_str)
    }

    /// Whether `self` decides instead of `other` for some key both cover:
    /// it is deeper, or as deep and literal where `other` ends in
    /// `{entity_id}`.
    fn overrides(&self, other: &PathShape) -> bool {
        let more_specific = self.depth() > other.depth()
            || (self.depth() == other.depth() && !self.entity && other.entity);
        let compatible = (0..self.depth().min(other.depth())).all(|d| {
            match (self.part(d), other.part(d)) {
                (Some(a), Some(b)) => a == b,
                _ => true, // an `{entity_id}` part matches any segment
            }
        });
        more_specific && compatible
    }
}

/// Policies being written, and how many.
#[derive(Default)]
struct Policies {
    text: String,
    count: usize,
}

impl Policies {
    fn push(
        &mut self,
        id: &str,
        declaration: &str,
        principal: &str,
        action: &str,
        resource: &str,
        clauses: &[String],
    ) {
        if self.count > 0 {
            self.text.push('\n');
        }
        let _ = write!(
            self.text,
            "@id({})\n@groupguard({})\npermit (\n    {principal},\n    {action},\n    {resource}\n)",
            literal(id),
            literal(declaration),
        );
        for clause in clauses {
            let _ = write!(self.text, "\n{clause}");
        }
        self.text.push_str(";\n");
        self.count += 1;
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

impl Cedar {
    /// The principal's entity, as the policies read it: a `Guest`, or a
    /// `User` (its id the `sub`) with its `identities`, `username`,
    /// `group_names` and `homes`, child of the `Group` entities of its group
    /// claims (declared or not).
    ///
    /// ```
    /// use groupguard::cedar::CedarExport;
    /// use groupguard::Principal;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// groupguard::storage! { pub Files { "home/{entity_id}/*" => entity(identity): [read] } }
    /// let cedar = CedarExport::<Group>::new("App")?.storage::<Files>().build()?;
    ///
    /// let ann = Principal::authenticated("u-1").with_username("ann").with_groups([Group::ADMINS]);
    /// let entity = cedar.principal_entity(&ann);
    /// assert_eq!(entity.uid(), r#"App::User::"u-1""#);
    /// assert_eq!(
    ///     entity.json(),
    ///     r#"[{"uid":{"type":"App::User","id":"u-1"},"attrs":{"identities":["u-1","u-1::ann"],"username":"ann","group_names":["ADMINS"],"homes":{"Files:home/{entity_id}/*":{"__entity":{"type":"App::Files::Dir","id":"home/u-1/"}}}},"parents":[{"type":"App::Group","id":"ADMINS"}]}]"#
    /// );
    /// assert_eq!(cedar.principal_entity(&Principal::<Group>::guest()).uid(), r#"App::Guest::"guest""#);
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    #[must_use]
    pub fn principal_entity<G: Groups>(&self, principal: &Principal<G>) -> EntityData {
        let ns = &self.namespace;
        let Some(sub) = principal.sub() else {
            let ty = format!("{ns}::Guest");
            return EntityData::new(&ty, "guest", "{}", "[]");
        };
        let identities = identities(principal, false);
        // Only the owner rules with `legacy_username` read it.
        let username = principal
            .username()
            .filter(|name| !name.is_empty())
            .map(|name| format!("\"username\":{},", json_string(name)))
            .unwrap_or_default();
        let names: Vec<&str> = principal
            .groups()
            .iter()
            .map(|group| -> &str { group.name() })
            .chain(principal.unknown_groups().iter().map(String::as_str))
            .filter(|name| !name.is_empty())
            .collect();
        let group = format!("{ns}::Group");
        let prefix = self.prefix.as_deref();
        let parents: Vec<String> = names
            .iter()
            .map(|n| reference(&group, &prefixed(prefix, n)))
            .collect();
        let homes: Vec<String> = match principal.entity_id() {
            Some(id) if !id.is_empty() && !id.contains('/') => self
                .homes
                .iter()
                .map(|(storage, path)| {
                    let dir = path.trim_end_matches('*').replace("{entity_id}", id);
                    format!(
                        "{}:{{\"__entity\":{}}}",
                        json_string(&format!("{storage}:{path}")),
                        reference(&format!("{ns}::{storage}::Dir"), &dir)
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        let attrs = format!(
            "{{\"identities\":{},{username}\"group_names\":{},\"homes\":{{{}}}}}",
            json_strings(identities.iter().map(String::as_str)),
            json_strings(names.iter().copied()),
            homes.join(",")
        );
        EntityData::new(
            &format!("{ns}::User"),
            &prefixed(prefix, sub),
            &attrs,
            &format!("[{}]", parents.join(",")),
        )
    }

    /// The object `key` of storage `S`, with its chain of directories
    /// (`a/b/c` in `a/b/` in `a/`), after the key is validated as
    /// [`authorize`](crate::Storage::authorize) validates it.
    ///
    /// # Errors
    ///
    /// The [`KeyError`] of a malformed key, which no policy may decide.
    ///
    /// ```
    /// use groupguard::cedar::CedarExport;
    /// use groupguard::KeyError;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// groupguard::storage! { pub Files { "a/*" => groups(ADMINS): [read] } }
    /// let cedar = CedarExport::<Group>::new("App")?.storage::<Files>().build()?;
    /// let object = cedar.object_entity::<Files>("a/b/c.txt").unwrap();
    /// assert_eq!(object.uid(), r#"App::Files::Object::"a/b/c.txt""#);
    /// assert!(object.json().contains(r#"{"uid":{"type":"App::Files::Dir","id":"a/b/"},"attrs":{},"parents":[{"type":"App::Files::Dir","id":"a/"}]}"#));
    /// assert_eq!(cedar.object_entity::<Files>("a/../b").unwrap_err(), KeyError::DotSegment);
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    pub fn object_entity<S: Storage>(&self, key: &str) -> Result<EntityData, KeyError> {
        validate_key(key)?;
        let space = format!("{}::{}", self.namespace, S::NAME);
        let dir = format!("{space}::Dir");
        let dirs: Vec<&str> = key.match_indices('/').map(|(i, _)| &key[..=i]).collect();
        let mut entities: Vec<String> = dirs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let parent = i.checked_sub(1).map(|p| reference(&dir, dirs[p]));
                format!(
                    "{{\"uid\":{},\"attrs\":{{}},\"parents\":[{}]}}",
                    reference(&dir, d),
                    parent.unwrap_or_default()
                )
            })
            .collect();
        let ty = format!("{space}::Object");
        let parents = dirs.last().map(|d| reference(&dir, d)).unwrap_or_default();
        entities.push(entity_json(
            &ty,
            key,
            &format!("{{\"key\":{}}}", json_string(key)),
            &format!("[{parents}]"),
        ));
        Ok(EntityData {
            uid: format!("{ty}::{}", literal(key)),
            json: format!("[{}]", entities.join(",")),
        })
    }
}

/// An entity for a Cedar request: its uid (`App::User::"u-1"`, for the
/// request) and the entities it brings, as Cedar's entity JSON (an array,
/// for `cedar_policy::Entities::from_json_str`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityData {
    uid: String,
    json: String,
}

impl EntityData {
    fn new(ty: &str, id: &str, attrs: &str, parents: &str) -> Self {
        Self {
            uid: format!("{ty}::{}", literal(id)),
            json: format!("[{}]", entity_json(ty, id, attrs, parents)),
        }
    }

    /// The entity's uid, in Cedar's syntax.
    ///
    /// ```
    /// # use groupguard::cedar::CedarExport;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// # let cedar = CedarExport::<Group>::new("App")?.build()?;
    /// let guest = cedar.principal_entity(&groupguard::Principal::<Group>::guest());
    /// assert_eq!(guest.uid(), r#"App::Guest::"guest""#);
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    #[must_use]
    pub fn uid(&self) -> &str {
        &self.uid
    }

    /// The entities, as a JSON array.
    ///
    /// ```
    /// # use groupguard::cedar::CedarExport;
    /// # #[groupguard::groups] pub enum Group { ADMINS }
    /// # let cedar = CedarExport::<Group>::new("App")?.build()?;
    /// let guest = cedar.principal_entity(&groupguard::Principal::<Group>::guest());
    /// assert_eq!(guest.json(), r#"[{"uid":{"type":"App::Guest","id":"guest"},"attrs":{},"parents":[]}]"#);
    /// # Ok::<(), groupguard::cedar::CedarError>(())
    /// ```
    #[must_use]
    pub fn json(&self) -> &str {
        &self.json
    }
}

/// `s` as a JSON string.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_strings<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(json_string).collect();
    format!("[{}]", items.join(","))
}

/// `name` behind Verified Permissions' entity prefix, if any: `prefix|name`.
fn prefixed(prefix: Option<&str>, name: &str) -> String {
    match prefix {
        Some(prefix) => format!("{prefix}|{name}"),
        None => name.to_owned(),
    }
}

/// One entity: `{"uid": .., "attrs": attrs, "parents": parents}`.
fn entity_json(ty: &str, id: &str, attrs: &str, parents: &str) -> String {
    format!(
        "{{\"uid\":{},\"attrs\":{attrs},\"parents\":{parents}}}",
        reference(ty, id)
    )
}

/// `{"type": ty, "id": id}`.
fn reference(ty: &str, id: &str) -> String {
    format!(
        "{{\"type\":{},\"id\":{}}}",
        json_string(ty),
        json_string(id)
    )
}

#[cfg(test)]
mod tests {
    use super::{PathShape, is_identifier, json_string, literal, pattern_literal};

    #[test]
    fn json_strings_escape() {
        assert_eq!(json_string("a\"b\\c\u{1}é"), r#""a\"b\\c\u0001é""#);
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("Blog_2"));
        assert!(is_identifier("_x"));
        for bad in ["", "2a", "a-b", "if", "like", "Café", "__cedar_x", "a b"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn literals_escape() {
        assert_eq!(literal(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(literal("x\ny\u{1}"), r#""x\ny\u{1}""#);
        assert_eq!(pattern_literal("a*b/"), r#""a\*b/""#);
    }

    #[test]
    fn path_shapes() {
        let entity = PathShape::new("home/{entity_id}/*", false);
        assert_eq!(entity.directory(), "home/");
        assert_eq!(entity.like_pattern(), r#""home/*/*""#);
        assert_eq!(entity.covers("S"), r#"resource.key like "home/*/*""#);
        let wide = PathShape::new("home/{entity_id}/*", true);
        assert_eq!(wide.covers("S"), r#"resource in S::Dir::"home/""#);
        let literal = PathShape::new("home/shared/*", false);
        let parent = PathShape::new("home/*", false);
        let other = PathShape::new("other/x/*", false);
        let nested = PathShape::new("home/x/{entity_id}/*", true);
        // Deeper, or literal beside `{entity_id}` at the same depth.
        assert!(literal.overrides(&entity) && !entity.overrides(&literal));
        assert!(literal.overrides(&wide) && !wide.overrides(&literal));
        assert!(literal.overrides(&parent) && !parent.overrides(&literal));
        assert!(nested.overrides(&wide) && !wide.overrides(&nested));
        assert!(!other.overrides(&parent));
        assert!(!parent.overrides(&parent));
    }
}
