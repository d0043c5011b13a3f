//! The Cedar export (`groupguard::cedar`): the tour's policy as checked-in
//! Cedar files (rewrite them with `GROUPGUARD_BLESS=1 cargo test -p
//! groupguard-tests --test cedar`, then review the diff), the encoding of
//! each rule kind, and the errors. What the policies *decide* is compared
//! with groupguard by `scripts/cedar-oracle`, which runs cedar-policy.

#![allow(dead_code, reason = "the models' fields are data the rules read")]

#[path = "../../examples/tour_policy.rs"]
mod policy;

use groupguard::cedar::{CedarError, CedarExport};
use groupguard::{Principal, groups, model, storage};

fn check_in(file: &str, current: &str) {
    let path = format!(
        "{}/tests/fixtures/cedar/tour/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("GROUPGUARD_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, current).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
        return;
    }
    let saved = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {path} ({e}): run with GROUPGUARD_BLESS=1"));
    assert!(
        saved == current,
        "the Cedar export of the tour changed; review and rerun with GROUPGUARD_BLESS=1.\n--- {path}\n{saved}\n--- now\n{current}"
    );
}

#[test]
fn the_tours_export_is_checked_in() {
    let cedar = CedarExport::<policy::Group>::new("Tour")
        .unwrap()
        .model::<policy::Article>()
        .model::<policy::Post>()
        .storage::<policy::Articles>()
        .build()
        .unwrap();
    assert_eq!(cedar.policy_count(), 11);
    check_in("policies.cedar", cedar.policies());
    check_in("schema.cedarschema", cedar.schema());
}

#[groups]
pub enum Group {
    ADMINS,
    #[group(name = "content\"reviewers\"")]
    REVIEWERS,
    EDITORS,
}

/// Every record rule kind, a `when`, and a field with rules of its own.
#[model(
    allow(owner, to = [read, update]),
    allow(owners = editors, to = [update]),
    allow(group_defined_in = team, to = [get], when = Self::is_open),
    allow(groups_defined_in = teams, to = [list]),
    allow(groups = [ADMINS, REVIEWERS]),
)]
pub struct Doc {
    pub owner: String,
    pub editors: Vec<String>,
    pub team: Option<String>,
    pub teams: Vec<String>,
    pub open: bool,
    #[field(allow(groups = [ADMINS], to = [read]))]
    pub secret: String,
}

impl Doc {
    fn is_open(&self) -> bool {
        self.open
    }
}

storage! {
    pub Files {
        "media/*" => authenticated: [read],
        "media/private/*" => groups(REVIEWERS): [read, write],
        "home/{entity_id}/*" => entity(identity): [read, write, delete],
        "home/{entity_id}/*" => guest: [get],
        "home/shared/*" => groups(EDITORS): [read],
    }
}

fn export() -> groupguard::cedar::Cedar {
    CedarExport::<Group>::new("Acme::Docs")
        .unwrap()
        .model::<Doc>()
        .storage::<Files>()
        .build()
        .unwrap()
}

/// The policy whose `@id` is `id`, up to its final `;`.
fn policy(id: &str) -> String {
    let policies = export().policies().to_owned();
    let start = policies
        .find(&format!("@id(\"{id}\")"))
        .unwrap_or_else(|| panic!("no policy {id} in\n{policies}"));
    let end = start
        + policies[start..]
            .find(";\n")
            .expect("a policy ends with `;`");
    policies[start..=end].to_owned()
}

#[test]
fn record_rules_read_the_records_attributes() {
    let schema = export().schema().to_owned();
    assert!(
        schema.contains(
            r#"entity Doc { owner?: String, editors?: Set<String>, team?: String, "Self::is_open": Bool, teams?: Set<String> };"#
        ),
        "{schema}"
    );
    assert_eq!(
        policy("Doc.rules[0]"),
        r#"@id("Doc.rules[0]")
@groupguard("allow(owner, to = [read, update])")
permit (
    principal is Acme::Docs::User,
    action in [Acme::Docs::Action::"read", Acme::Docs::Action::"update"],
    resource is Acme::Docs::Doc
)
when { resource has owner && principal has identities && principal.identities.contains(resource.owner) }
unless { context has field && ["secret"].contains(context.field) };"#
    );
    assert!(policy("Doc.rules[1]").contains(
        "when { resource has editors && principal has identities && principal.identities.containsAny(resource.editors) }"
    ));
    assert!(policy("Doc.rules[2]").contains(
        r#"when { resource has team && principal has group_names && principal.group_names.contains(resource.team) && resource["Self::is_open"] }"#
    ));
    assert!(policy("Doc.rules[3]").contains(
        "when { resource has teams && principal has group_names && principal.group_names.containsAny(resource.teams) }"
    ));
    // Claim values, escaped; several groups are a condition, not the scope.
    assert!(policy("Doc.rules[4]").contains(
        r#"when { principal in [Acme::Docs::Group::"ADMINS", Acme::Docs::Group::"content\"reviewers\""] }"#
    ));
}

#[test]
fn field_rules_replace_the_models_for_their_field() {
    assert_eq!(
        policy("Doc.secret.rules[0]"),
        r#"@id("Doc.secret.rules[0]")
@groupguard("allow(groups = [ADMINS], to = [read])")
permit (
    principal is Acme::Docs::User in Acme::Docs::Group::"ADMINS",
    action in [Acme::Docs::Action::"read"],
    resource is Acme::Docs::Doc
)
when { context has field && context.field == "secret" };"#
    );
}

#[test]
fn sub_paths_override_their_parent() {
    // `media/private/*` decides alone under it.
    assert!(
        policy("Files.paths[0].grants[0]")
            .ends_with("unless { resource in Acme::Docs::Files::Dir::\"media/private/\" };")
    );
    assert!(!policy("Files.paths[1].grants[0]").contains("unless"));
    // A literal path beats `{entity_id}` at the same depth: the owner's
    // grant, and the others on the path, stop at `home/shared/`.
    assert_eq!(
        policy("Files.paths[2].grants[0]"),
        r#"@id("Files.paths[2].grants[0]")
@groupguard("\"home/{entity_id}/*\" => entity(identity): [read, write, delete]")
permit (
    principal is Acme::Docs::User,
    action in [Acme::Docs::Files::Action::"read", Acme::Docs::Files::Action::"write", Acme::Docs::Files::Action::"delete"],
    resource in Acme::Docs::Files::Dir::"home/"
)
when { principal has homes && principal.homes has "Files:home/{entity_id}/*" && resource in principal.homes["Files:home/{entity_id}/*"] }
unless { resource in Acme::Docs::Files::Dir::"home/shared/" };"#
    );
    // Other acceptors on an `{entity_id}` path cover all of `home/*`, as
    // Amplify deploys them (the token written `*`), but `home/shared/`.
    assert_eq!(
        policy("Files.paths[2].grants[1]"),
        r#"@id("Files.paths[2].grants[1]")
@groupguard("\"home/{entity_id}/*\" => guest: [get]")
permit (
    principal is Acme::Docs::Guest,
    action in [Acme::Docs::Files::Action::"get"],
    resource in Acme::Docs::Files::Dir::"home/"
)
unless { resource in Acme::Docs::Files::Dir::"home/shared/" };"#
    );
    assert!(!policy("Files.paths[3].grants[0]").contains("unless"));
}

#[test]
fn the_schema_declares_what_the_policies_read() {
    let schema = export().schema().to_owned();
    for expected in [
        "namespace Acme::Docs {",
        "entity User in [Group] {",
        r#"homes?: { "Files:home/{entity_id}/*"?: Acme::Docs::Files::Dir },"#,
        r#"action "get", "list", "sync", "listen", "search" in ["read"] appliesTo { principal: [User, Guest], resource: [Doc], context: { field?: String } };"#,
        "namespace Acme::Docs::Files {",
        "entity Object in [Dir] { key: String };",
        r#"action "get", "list" in ["read"] appliesTo { principal: [Acme::Docs::User, Acme::Docs::Guest], resource: [Object] };"#,
    ] {
        assert!(schema.contains(expected), "no {expected} in\n{schema}");
    }
}

#[model(allow(authenticated))]
pub struct User;

storage! {
    /// A storage whose namespace would hold the actions of the models'.
    pub Action { "a/*" => guest: [get] }
}

#[model(allow(owner = is_open), allow(guest, when = is_open))]
pub struct Clash {
    pub is_open: String,
}

fn is_open(_: &Clash) -> bool {
    true
}

mod other {
    use super::Group;

    /// A model named like the storage `Files`.
    #[groupguard::model(allow(guest))]
    pub struct Files;
}

#[test]
fn names_cedar_cannot_take_are_errors() {
    let ns = || CedarExport::<Group>::new("App").unwrap();
    assert_eq!(
        ns().model::<User>().build().unwrap_err(),
        CedarError::NameTaken("User".to_owned())
    );
    assert_eq!(
        ns().model::<Doc>().model::<Doc>().build().unwrap_err(),
        CedarError::NameTaken("Doc".to_owned())
    );
    assert_eq!(
        ns().storage::<Action>().build().unwrap_err(),
        CedarError::NameTaken("Action".to_owned())
    );
    // The first error is the one reported.
    let err = ns().model::<User>().model::<Clash>().build().unwrap_err();
    assert_eq!(err, CedarError::NameTaken("User".to_owned()));
    assert_eq!(
        ns().model::<Clash>().build().unwrap_err(),
        CedarError::FieldShape {
            model: "Clash",
            field: "is_open"
        }
    );
    assert_eq!(
        ns().model::<other::Files>()
            .storage::<Files>()
            .build()
            .unwrap_err(),
        CedarError::NameTaken("Files".to_owned())
    );
    for bad in ["", "a-b", "App::", "::App", "in", "1x", "App::__cedar"] {
        assert_eq!(
            CedarExport::<Group>::new(bad).unwrap_err(),
            CedarError::InvalidNamespace(bad.to_owned()),
            "{bad}"
        );
    }
}

/// Owner rules with `legacy_username` (issue 22): the bare user name, kept
/// apart in the principal's optional `username`, matches only in their
/// policies, and never when it holds `::`.
#[model(
    allow(owner, legacy_username, to = [read]),
    allow(owners = editors, to = [update], legacy_username),
    allow(owner = author, to = [delete]),
)]
pub struct OldDoc {
    pub owner: String,
    pub editors: Vec<String>,
    pub author: String,
}

#[test]
fn legacy_user_names_match_only_in_the_rules_that_opt_in() {
    let cedar = CedarExport::<Group>::new("Old")
        .unwrap()
        .model::<OldDoc>()
        .build()
        .unwrap();
    assert!(
        cedar
            .schema()
            .contains("entity User in [Group] {\n        identities?: Set<String>,\n        username?: String,\n"),
        "{}",
        cedar.schema()
    );
    let policies = cedar.policies();
    assert!(
        policies.contains(
            r#"@id("OldDoc.rules[0]")
@groupguard("allow(owner, legacy_username, to = [read])")
permit (
    principal is Old::User,
    action in [Old::Action::"read"],
    resource is Old::OldDoc
)
when { resource has owner && ((principal has identities && principal.identities.contains(resource.owner)) || (principal has username && !(principal.username like "*::*") && resource.owner == principal.username)) };"#
        ),
        "{policies}"
    );
    assert!(
        policies.contains(
            r#"@groupguard("allow(owners = editors, legacy_username, to = [update])")"#
        ) && policies.contains(
            r#"when { resource has editors && ((principal has identities && principal.identities.containsAny(resource.editors)) || (principal has username && !(principal.username like "*::*") && resource.editors.contains(principal.username))) };"#
        ),
        "{policies}"
    );
    // Without the opt-in, `identities` alone, which never holds the bare
    // user name.
    assert!(
        policies.contains(
            "when { resource has author && principal has identities && principal.identities.contains(resource.author) };"
        ),
        "{policies}"
    );
    let ann = Principal::<Group>::authenticated("ann-sub").with_username("ann");
    assert_eq!(
        cedar.principal_entity(&ann).json(),
        r#"[{"uid":{"type":"Old::User","id":"ann-sub"},"attrs":{"identities":["ann-sub","ann-sub::ann"],"username":"ann","group_names":[],"homes":{}},"parents":[]}]"#
    );
    // No user name, or an empty one: no `username` attribute.
    for nameless in [
        Principal::<Group>::authenticated("s"),
        Principal::<Group>::authenticated("s").with_username(""),
    ] {
        assert_eq!(
            cedar.principal_entity(&nameless).json(),
            r#"[{"uid":{"type":"Old::User","id":"s"},"attrs":{"identities":["s"],"group_names":[],"homes":{}},"parents":[]}]"#
        );
    }
}
