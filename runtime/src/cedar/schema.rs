//! The schema: the entity types and actions the policies read.

use core::fmt::Write as _;

use super::AttrType;
use super::CedarExport;
use super::text::{literal, schema_name};
use crate::group::Groups;
use crate::model::Op;

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
