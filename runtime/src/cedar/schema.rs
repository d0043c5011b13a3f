//! The schema: the entity types and actions the policies read.

use core::fmt::Write as _;

use super::AttrType;
use super::CedarExport;
use super::text::{literal, schema_name};
use crate::action::Action;
use crate::group::Groups;
use crate::model::{Op, OpSet};
use crate::storage::{Access, AccessSet};

impl<G: Groups> CedarExport<G> {
    pub(super) fn schema(&self) -> String {
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
            let (read, other) = grouped(OpSet::ALL.iter(), Op::Read.parts());
            let _ = writeln!(out, "    action \"read\" {applies};");
            let _ = writeln!(out, "    action {read} in [\"read\"] {applies};");
            let _ = writeln!(out, "    action {other} {applies};");
        }
        out.push_str("}\n");
        for storage in &self.storages {
            let applies =
                format!("appliesTo {{ principal: [{ns}::User, {ns}::Guest], resource: [Object] }}");
            let (read, other) = grouped(AccessSet::ALL.iter(), Access::Read.parts());
            let _ = write!(
                out,
                "\nnamespace {ns}::{} {{\n    entity Dir in [Dir];\n    entity Object in [Dir] {{ key: String }};\n    \
                 action \"read\" {applies};\n    action {read} in [\"read\"] {applies};\n    \
                 action {other} {applies};\n}}\n",
                storage.name
            );
        }
        out
    }
}

/// The simple actions of a kind (from its one list), as Cedar action names:
/// those in `read`'s group, and the others, each joined with `, `.
fn grouped<A: Action>(actions: impl Iterator<Item = A>, read: &[A]) -> (String, String) {
    let (parts, other): (Vec<A>, Vec<A>) = actions.partition(|action| read.contains(action));
    let names = |actions: Vec<A>| {
        actions
            .iter()
            .map(|action| literal(action.name()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    (names(parts), names(other))
}
