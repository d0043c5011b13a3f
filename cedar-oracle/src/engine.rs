//! The Cedar side: the exported schema and policies, loaded and validated
//! with `cedar-policy`, and the entity data of a request, written here from
//! the documentation of `groupguard::cedar` (not with groupguard's code).

use std::collections::HashMap;
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, EntityId, EntityTypeName, EntityUid, PolicyId,
    PolicySet, Request, Schema, ValidationMode, Validator,
};
use groupguard::cedar::Cedar;
use groupguard::{Access, Op};
use serde_json::{Value, json};

use crate::reference::{self, Who};
use crate::{Answer, PrincipalData, RecordData};

/// An exported policy set, ready to decide.
pub struct Engine {
    namespace: String,
    schema: Schema,
    policies: PolicySet,
    authorizer: Authorizer,
    declarations: HashMap<PolicyId, String>,
    /// Schema and validation warnings.
    pub warnings: usize,
    /// The entities of the last object decided on.
    pub last_object: std::cell::RefCell<Vec<Value>>,
    /// The last request's entities, as JSON text and parsed.
    cache: std::cell::RefCell<Option<(String, Entities)>>,
}

/// What a request is about, but its action.
struct On<'p> {
    principal: &'p EntityUid,
    resource: EntityUid,
    context: Value,
    entities: std::cell::Ref<'p, Entities>,
}

/// A principal's entities.
pub struct PrincipalEntities {
    uid: EntityUid,
    pub json: Vec<Value>,
}

impl PrincipalEntities {
    /// The entity groupguard's `Cedar::principal_entity` built.
    pub fn of(data: &groupguard::cedar::EntityData) -> Self {
        PrincipalEntities {
            uid: EntityUid::from_str(data.uid())
                .unwrap_or_else(|e| panic!("`{}` is not a Cedar uid: {e}", data.uid())),
            json: serde_json::from_str(data.json())
                .unwrap_or_else(|e| panic!("not JSON ({e}): {}", data.json())),
        }
    }
}

/// An entity with its sets sorted and its id left out (the oracle names
/// its principal `principal`, groupguard by its `sub`), for comparing
/// entity data built two ways.
fn normalized(entity: &Value, with_id: bool) -> Value {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Array(items) => {
                let mut items: Vec<Value> = items.iter().map(sorted).collect();
                items.sort_by_key(ToString::to_string);
                items.dedup();
                Value::Array(items)
            }
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), sorted(v))).collect())
            }
            other => other.clone(),
        }
    }
    let mut entity = sorted(entity);
    if !with_id {
        entity["uid"]["id"] = Value::Null;
    }
    entity
}

/// Whether the entity data groupguard's helper builds (`theirs`) is the
/// oracle's (`ours`), sets compared as sets.
pub fn same_entities(ours: &[Value], theirs: &str, with_ids: bool) -> Result<(), String> {
    let theirs: Vec<Value> =
        serde_json::from_str(theirs).map_err(|e| format!("not JSON: {e}: {theirs}"))?;
    let mut a: Vec<Value> = ours.iter().map(|e| normalized(e, with_ids)).collect();
    let mut b: Vec<Value> = theirs.iter().map(|e| normalized(e, with_ids)).collect();
    a.sort_by_key(ToString::to_string);
    b.sort_by_key(ToString::to_string);
    if a == b {
        Ok(())
    } else {
        Err(format!(
            "the oracle's {} and groupguard's {}",
            Value::Array(a),
            Value::Array(b)
        ))
    }
}

/// A resource's entities.
pub struct Resource {
    /// The id of a record (its model's type is added by the engine).
    id: String,
    json: Vec<Value>,
}

fn uid(type_name: &str, id: &str) -> EntityUid {
    let type_name = EntityTypeName::from_str(type_name)
        .unwrap_or_else(|e| panic!("`{type_name}` is not a Cedar type name: {e}"));
    EntityUid::from_type_name_and_id(type_name, EntityId::new(id))
}

fn reference_json(type_name: &str, id: &str) -> Value {
    json!({ "type": type_name, "id": id })
}

/// The attributes a model's records need: the fields its rules (and its
/// fields' rules) read, and its `when` conditions.
pub fn record_attributes(model: &reference::Model) -> Vec<&'static str> {
    let mut names = Vec::new();
    let rules = model
        .rules
        .iter()
        .chain(model.fields.iter().flat_map(|f| f.rules.iter()));
    for rule in rules {
        match rule.who {
            Who::Owner(f) | Who::Owners(f) | Who::GroupIn(f) | Who::GroupsIn(f) => names.push(f),
            Who::Guest | Who::Authenticated | Who::Groups(_) => {}
        }
        names.extend(rule.when);
    }
    names.sort_unstable();
    names.dedup();
    names
}

impl Resource {
    /// A record of `model` with the attributes `attributes`, an unset
    /// optional field left out.
    pub fn record(model: &str, record: &RecordData, attributes: &[&str]) -> Resource {
        let mut attrs = serde_json::Map::new();
        for name in attributes {
            let value = match *name {
                "owner" => Some(json!(record.owner)),
                "author" => record.author.as_ref().map(|a| json!(a)),
                "editors" => Some(json!(record.editors)),
                "team" => Some(json!(record.team)),
                "teams" => Some(json!(record.teams)),
                "Self::is_a" => Some(json!(record.a)),
                "Self::is_b" => Some(json!(record.b)),
                other => panic!("the corpus has no record attribute {other}"),
            };
            if let Some(value) = value {
                attrs.insert((*name).to_owned(), value);
            }
        }
        Resource {
            id: "record".to_owned(),
            json: vec![
                json!({ "uid": { "type": model, "id": "record" }, "attrs": attrs, "parents": [] }),
            ],
        }
    }
}

impl Engine {
    /// Parses the schema and the policies and validates the policies in
    /// strict mode.
    pub fn new(cedar: &Cedar, namespace: &str) -> Result<Engine, String> {
        let (schema, schema_warnings) = Schema::from_cedarschema_str(cedar.schema())
            .map_err(|e| format!("the schema does not parse: {e}"))?;
        let schema_warnings = schema_warnings.count();
        let policies = PolicySet::from_str(cedar.policies())
            .map_err(|e| format!("the policies do not parse: {e}"))?;
        let validation = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
        if !validation.validation_passed() {
            let errors: Vec<String> = validation
                .validation_errors()
                .map(ToString::to_string)
                .collect();
            return Err(format!(
                "the policies do not validate against the schema: {}",
                errors.join("; ")
            ));
        }
        let warnings = schema_warnings + validation.validation_warnings().count();
        let declarations = policies
            .policies()
            .map(|p| {
                let declaration = p
                    .annotation("groupguard")
                    .unwrap_or_else(|| panic!("policy {} has no @groupguard", p.id()));
                (p.id().clone(), declaration.to_owned())
            })
            .collect();
        Ok(Engine {
            namespace: namespace.to_owned(),
            schema,
            policies,
            authorizer: Authorizer::new(),
            declarations,
            warnings,
            last_object: std::cell::RefCell::default(),
            cache: std::cell::RefCell::default(),
        })
    }

    /// Whether a principal with no attributes at all, as Verified
    /// Permissions derives one from a token (its groups as parents),
    /// conforms to the schema.
    pub fn bare_principal_conforms(&self) -> Result<(), String> {
        let user = self.ty("User");
        let group = self.ty("Group");
        let json = json!([{
            "uid": reference_json(&user, "us-east-1_AbC123|u-1"),
            "attrs": {},
            "parents": [reference_json(&group, "us-east-1_AbC123|ADMINS")],
        }]);
        Entities::from_json_value(json, Some(&self.schema))
            .map(|_| ())
            .map_err(|e| format!("a principal without attributes does not conform: {e}"))
    }

    fn ty(&self, name: &str) -> String {
        format!("{}::{name}", self.namespace)
    }

    /// The principal's entities: a `Guest`, or a `User` with its
    /// identities, user name, group names, homes (for each storage's
    /// `{entity_id}` paths) and its groups as parents.
    pub fn principal(
        &self,
        who: &PrincipalData,
        storages: &[(&str, &[&str])],
    ) -> PrincipalEntities {
        if !who.authenticated {
            let ty = self.ty("Guest");
            return PrincipalEntities {
                uid: uid(&ty, "guest"),
                json: vec![
                    json!({ "uid": reference_json(&ty, "guest"), "attrs": {}, "parents": [] }),
                ],
            };
        }
        let sub = who.sub.as_str();
        let username = who.username.as_deref().unwrap_or("");
        // `sub` and `sub::username`: never the bare user name (issue 22).
        let mut identities: Vec<String> = Vec::new();
        if !sub.is_empty() {
            identities.push(sub.to_owned());
        }
        if !sub.is_empty() && !username.is_empty() {
            identities.push(format!("{sub}::{username}"));
        }
        let group_names: Vec<&str> = who
            .claims
            .iter()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .collect();
        let group_ty = self.ty("Group");
        let parents: Vec<Value> = group_names
            .iter()
            .map(|c| reference_json(&group_ty, c))
            .collect();
        let entity_id = who.identity_id.as_deref().unwrap_or(sub);
        let mut homes = serde_json::Map::new();
        if !entity_id.is_empty() && !entity_id.contains('/') {
            for (storage, paths) in storages {
                for path in paths.iter().filter(|p| p.contains("{entity_id}")) {
                    let dir = path.trim_end_matches('*').replace("{entity_id}", entity_id);
                    homes.insert(
                        format!("{storage}:{path}"),
                        json!({ "__entity": reference_json(&self.ty(&format!("{storage}::Dir")), &dir) }),
                    );
                }
            }
        }
        let ty = self.ty("User");
        let mut attrs = json!({ "identities": identities, "group_names": group_names, "homes": homes });
        // The user name stands apart, for the rules with `legacy_username`.
        if !username.is_empty() {
            attrs["username"] = json!(username);
        }
        PrincipalEntities {
            uid: uid(&ty, "principal"),
            json: vec![json!({
                "uid": reference_json(&ty, "principal"),
                "attrs": attrs,
                "parents": parents,
            })],
        }
    }

    /// The entities of a request, parsed with the schema; the last ones are
    /// kept, since consecutive requests (each operation, each field) are on
    /// the same entities.
    fn entities(
        &self,
        principal: &PrincipalEntities,
        resource: &[Value],
    ) -> std::cell::Ref<'_, Entities> {
        let mut all = principal.json.clone();
        all.extend(resource.iter().cloned());
        let all = Value::Array(all);
        let key = all.to_string();
        let fresh = self
            .cache
            .borrow()
            .as_ref()
            .is_none_or(|(cached, _)| *cached != key);
        if fresh {
            let entities = Entities::from_json_value(all, Some(&self.schema))
                .unwrap_or_else(|e| panic!("the entities do not conform to the schema: {e}"));
            *self.cache.borrow_mut() = Some((key, entities));
        }
        std::cell::Ref::map(self.cache.borrow(), |c| &c.as_ref().expect("just filled").1)
    }

    /// Asks Cedar; returns whether it allowed and the declarations of the
    /// policies that did.
    fn ask(
        &self,
        principal: &EntityUid,
        action: &EntityUid,
        resource: &EntityUid,
        context: &Value,
        entities: &Entities,
    ) -> (bool, Vec<String>) {
        let context = Context::from_json_value(context.clone(), Some((&self.schema, action)))
            .unwrap_or_else(|e| panic!("context {context} for {action}: {e}"));
        let request = Request::new(
            principal.clone(),
            action.clone(),
            resource.clone(),
            context,
            Some(&self.schema),
        )
        .unwrap_or_else(|e| {
            panic!("the request ({principal}, {action}, {resource}) does not validate: {e}")
        });
        let response = self
            .authorizer
            .is_authorized(&request, &self.policies, entities);
        let reasons = response
            .diagnostics()
            .reason()
            .map(|id| self.declarations[id].clone())
            .collect();
        (response.decision() == Decision::Allow, reasons)
    }

    /// Each part in turn; all must be allowed. With the answer to the
    /// composite action itself when there are several parts.
    fn decide_parts(&self, on: &On<'_>, actions: &str, parts: &[&str]) -> Answer {
        let action = |name: &str| uid(actions, name);
        let mut allowed = true;
        let mut first_reasons = None;
        for part in parts {
            let (ok, reasons) = self.ask(
                on.principal,
                &action(part),
                &on.resource,
                &on.context,
                &on.entities,
            );
            first_reasons.get_or_insert(reasons);
            allowed &= ok;
        }
        let read_direct = (parts.len() > 1).then(|| {
            self.ask(
                on.principal,
                &action("read"),
                &on.resource,
                &on.context,
                &on.entities,
            )
            .0
        });
        Answer {
            allowed,
            first_reasons: first_reasons.unwrap_or_default(),
            read_direct,
        }
    }

    /// A model decision: without a record (`resource: None`), on a record,
    /// or on a field of it.
    pub fn decide_model(
        &self,
        principal: &PrincipalEntities,
        model: &str,
        resource: Option<&Resource>,
        field: Option<&str>,
        op: Op,
    ) -> Answer {
        let ty = self.ty(model);
        let mut json = Vec::new();
        if let Some(resource) = resource {
            for entity in &resource.json {
                let mut entity = entity.clone();
                entity["uid"]["type"] = json!(ty);
                json.push(entity);
            }
        }
        let entities = self.entities(principal, &json);
        let id = resource.map_or("record", |r| r.id.as_str());
        let context = field.map_or_else(|| json!({}), |f| json!({ "field": f }));
        let parts: Vec<&str> = op.parts().iter().map(|p| p.name()).collect();
        let on = On {
            principal: &principal.uid,
            resource: uid(&ty, id),
            context,
            entities,
        };
        self.decide_parts(&on, &self.ty("Action"), &parts)
    }

    /// A storage decision on a (valid) key: the object, its directory and
    /// each directory's parent.
    pub fn decide_storage(
        &self,
        principal: &PrincipalEntities,
        storage: &str,
        key: &str,
        access: Access,
    ) -> Answer {
        let dir_ty = self.ty(&format!("{storage}::Dir"));
        let object_ty = self.ty(&format!("{storage}::Object"));
        // `a/b/c` is in `a/b/`, which is in `a/`.
        let dirs: Vec<&str> = key.match_indices('/').map(|(i, _)| &key[..=i]).collect();
        let mut json = Vec::new();
        for (i, dir) in dirs.iter().enumerate() {
            let parents: Vec<Value> = i
                .checked_sub(1)
                .map(|p| reference_json(&dir_ty, dirs[p]))
                .into_iter()
                .collect();
            json.push(
                json!({ "uid": reference_json(&dir_ty, dir), "attrs": {}, "parents": parents }),
            );
        }
        let parents: Vec<Value> = dirs
            .last()
            .map(|d| reference_json(&dir_ty, d))
            .into_iter()
            .collect();
        json.push(json!({
            "uid": reference_json(&object_ty, key),
            "attrs": { "key": key },
            "parents": parents,
        }));
        self.last_object.replace(json.clone());
        let entities = self.entities(principal, &json);
        let parts: Vec<&str> = access.parts().iter().map(|p| p.name()).collect();
        let on = On {
            principal: &principal.uid,
            resource: uid(&object_ty, key),
            context: json!({}),
            entities,
        };
        self.decide_parts(&on, &self.ty(&format!("{storage}::Action")), &parts)
    }
}
