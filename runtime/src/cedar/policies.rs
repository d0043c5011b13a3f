//! The policies: one `permit` per model rule and per storage grant.

use core::fmt::Write as _;

use super::CedarExport;
use super::paths::PathShape;
use super::text::{attribute, has, literal, prefixed};
use super::{ModelData, StorageData};
use crate::group::Groups;
use crate::model::{ModelRule, Op, OpSet, Who};
use crate::storage::{Acceptor, Access, AccessSet, Grant};

impl<G: Groups> CedarExport<G> {
    pub(super) fn group(&self, group: G) -> String {
        format!(
            "{}::Group::{}",
            self.namespace,
            literal(&prefixed(self.prefix.as_deref(), group.name()))
        )
    }

    /// The scope's principal clause and the condition, if any, of `who`
    /// (an owner rule's with its `legacy_username`).
    pub(super) fn principal(&self, who: Who<G>, legacy_username: bool) -> (String, Option<String>) {
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
    pub(super) fn model_actions(&self, rule: &ModelRule<G>) -> String {
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

    pub(super) fn model_policies(&self, model: &ModelData<G>, out: &mut Policies) {
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

    pub(super) fn rule_policy(
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

    pub(super) fn storage_policies(&self, storage: &StorageData<G>, out: &mut Policies) {
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
    pub(super) fn acceptor(
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
}

/// `resource has f && principal has <set> && principal.<set>.<method>(resource.f)`:
/// the principal's attributes are optional, so that a principal Verified
/// Permissions derives from a token (which has none of them) conforms.
pub(super) fn contains(set: &str, field: &str, method: &str) -> String {
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
pub(super) fn owner(field: &str, list: bool, legacy_username: bool) -> String {
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
pub(super) fn storage_actions<G: Groups>(space: &str, grant: &Grant<G>) -> String {
    let actions = grant.actions();
    let mut names = Vec::new();
    if actions.contains(Access::Read) {
        names.push("read");
    }
    for access in AccessSet::ALL.iter() {
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

/// Policies being written, and how many.
#[derive(Default)]
pub(super) struct Policies {
    pub(super) text: String,
    pub(super) count: usize,
}

impl Policies {
    pub(super) fn push(
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
