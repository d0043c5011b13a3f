//! The reference interpreter: a deliberately naive, direct reading of what a
//! rule means (SEMANTICS sections 3 and 4, the storage guide's "How a
//! request is decided", the record rules of issue 10: owners, dynamic groups, `when`,
//! field rules, list filters; owners matched by `sub` and `sub::username`,
//! the bare user name only by opt-in, issue 22; and updates, issue 21
//! section 3, in their own block at the end), deciding from a policy written as
//! data. Lists of strings and string comparison only: no bitsets, no trie,
//! no hash tables, nothing shared with the runtime but the names of the
//! outcomes.
//!
//! Every change of what a rule means extends this file first.

use groupguard::{DenyReason, KeyError, UpdateCheck};

use crate::{PrincipalData, RecordData};

/// A policy as data: the groups enum, its models and one storage.
pub struct Policy {
    /// `(variant, claim value)` of each declared group.
    pub groups: &'static [(&'static str, &'static str)],
    pub models: &'static [Model],
    /// The storage's entries in declaration order.
    pub storage: &'static [Entry],
}

pub struct Model {
    pub name: &'static str,
    pub rules: &'static [Rule],
    /// The fields that have rules of their own (`#[field(allow(...))]`).
    pub fields: &'static [FieldRulesData],
}

/// `#[field(allow(...), ...)]` on the named field.
pub struct FieldRulesData {
    pub field: &'static str,
    pub rules: &'static [Rule],
}

/// `allow(who, to = [ops], when = path)`; `ops: None` is "every
/// operation", `when: None` is "whatever the record".
pub struct Rule {
    pub who: Who,
    /// `legacy_username` on an owner rule: the bare user name matches too.
    pub legacy_username: bool,
    pub ops: Option<&'static [&'static str]>,
    /// The predicate's path as declarations print it (`Self::is_a`).
    pub when: Option<&'static str>,
    pub declaration: &'static str,
}

pub enum Who {
    Guest,
    Authenticated,
    /// Variant names.
    Groups(&'static [&'static str]),
    /// `owner` / `owner = f`: the scalar field `f` holds one of the
    /// principal's identities.
    Owner(&'static str),
    /// `owners = f`: an element of the list field `f` is an identity.
    Owners(&'static str),
    /// `group_defined_in = f`: the scalar field `f` holds one of the
    /// principal's group names.
    GroupIn(&'static str),
    /// `groups_defined_in = f`: an element of the list field `f` is a group name.
    GroupsIn(&'static str),
}

impl Who {
    fn reads_record(&self) -> bool {
        matches!(
            self,
            Who::Owner(_) | Who::Owners(_) | Who::GroupIn(_) | Who::GroupsIn(_)
        )
    }
}

impl Rule {
    /// Whether only a record can tell if the rule admits.
    fn needs_record(&self) -> bool {
        self.who.reads_record() || self.when.is_some()
    }

    /// Whether the rule grants the simple operation `part`.
    fn covers(&self, part: &str) -> bool {
        match self.ops {
            None => true,
            Some(ops) => {
                ops.contains(&part) || (ops.contains(&"read") && READ_PARTS.contains(&part))
            }
        }
    }
}

/// `"path/*" => acceptor: [actions]`.
pub struct Entry {
    pub path: &'static str,
    pub acceptor: Acceptor,
    pub actions: &'static [&'static str],
    pub declaration: &'static str,
}

pub enum Acceptor {
    Guest,
    Authenticated,
    Groups(&'static [&'static str]),
    Entity,
}

/// What a request comes to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Verdict {
    /// Allowed, by the rule or grant with this declaration.
    Allowed(&'static str),
    /// Denied; `part` names the denied part of a composite `read`.
    Denied {
        part: Option<&'static str>,
        reason: DenyReason,
    },
}

/// A deliberately wrong reading of one rule, to prove that the harness
/// notices a wrong interpreter (and so would notice a wrong runtime).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mutation {
    None,
    /// Group rules compare variant names instead of claim values.
    GroupsByVariantName,
    /// `read` needs only its first part.
    ReadNeedsOnlyGet,
    /// A sub-path inherits its parent's grants.
    ParentGrantsInherited,
    /// `{entity_id}` beats a literal segment at the same depth.
    EntityBeatsLiteral,
    /// A `..` segment is not refused.
    DotDotAllowed,
    /// The last matching rule decides instead of the first.
    LastRuleNamed,
    /// `when` is never consulted.
    WhenIgnored,
    /// A field with rules of its own falls back on the model's rules.
    FieldRulesInheritModel,
    /// The only identity is `sub` (no username, no `sub::username`).
    OwnerMatchesSubOnly,
    /// The bare user name matches without `legacy_username` (groupguard
    /// before issue 22: a user who picks another's stored value as a user
    /// name owns that user's records).
    UsernameMatchesByDefault,
    /// `legacy_username` is ignored: the bare user name never matches.
    LegacyUsernameIgnored,
    /// With `legacy_username`, a user name holding `::` matches a stored
    /// value equal to it (another principal's `sub::username`).
    LegacyUsernameWithDoubleColon,
    /// An empty stored owner is everyone's.
    EmptyOwnerMatches,
    /// A guest's username is one of its identities.
    GuestsOwnByUsername,
    /// Without the record, a record rule is reported like any other rule
    /// that does not admit (no `NeedsRecord`).
    NeedsRecordForgotten,
    /// The grants to others than the owner on `p/{entity_id}/*` reach only
    /// `p/<segment>/...`, not all of `p/*` (groupguard before issue 21).
    EntityPathNotWild,
    /// An update that clears a field needs no `delete`.
    ClearingNeedsNoDelete,
    /// An update is decided on the stored record only, not as saved.
    SavedRecordUnchecked,
    /// An update's changed fields are not checked against their own rules.
    ChangedFieldRulesIgnored,
}

impl Mutation {
    pub const BROKEN: [Mutation; 19] = [
        Mutation::GroupsByVariantName,
        Mutation::ReadNeedsOnlyGet,
        Mutation::ParentGrantsInherited,
        Mutation::EntityBeatsLiteral,
        Mutation::DotDotAllowed,
        Mutation::LastRuleNamed,
        Mutation::WhenIgnored,
        Mutation::FieldRulesInheritModel,
        Mutation::OwnerMatchesSubOnly,
        Mutation::UsernameMatchesByDefault,
        Mutation::LegacyUsernameIgnored,
        Mutation::LegacyUsernameWithDoubleColon,
        Mutation::EmptyOwnerMatches,
        Mutation::GuestsOwnByUsername,
        Mutation::NeedsRecordForgotten,
        Mutation::EntityPathNotWild,
        Mutation::ClearingNeedsNoDelete,
        Mutation::SavedRecordUnchecked,
        Mutation::ChangedFieldRulesIgnored,
    ];
}

const READ_PARTS: [&str; 5] = ["get", "list", "sync", "listen", "search"];
const STORAGE_READ_PARTS: [&str; 2] = ["get", "list"];
const ENTITY: &str = "{entity_id}";

impl Policy {
    /// Whether the principal is a member of the group whose variant is `variant`.
    fn member(&self, principal: &PrincipalData, variant: &str, mutation: Mutation) -> bool {
        if !principal.authenticated {
            return false; // guests are in no group
        }
        let Some((_, claim)) = self.groups.iter().find(|(v, _)| *v == variant) else {
            return false;
        };
        let wanted = if mutation == Mutation::GroupsByVariantName {
            variant
        } else {
            claim
        };
        principal.claims.iter().any(|c| c == wanted)
    }

    /// The principal's identities, which an owner rule compares the stored
    /// values with: `sub` when not empty and `sub::username` when both are
    /// not (what Amplify stores); with `legacy_username`, the bare user name
    /// too, when not empty and holding no `::` (a stored value with `::` is
    /// someone's `sub::username`, never a legacy user name); none for a guest.
    fn identities(
        principal: &PrincipalData,
        legacy_username: bool,
        mutation: Mutation,
    ) -> Vec<String> {
        let username = principal.username.as_deref().unwrap_or("");
        if !principal.authenticated {
            return if mutation == Mutation::GuestsOwnByUsername && !username.is_empty() {
                vec![username.to_owned()]
            } else {
                Vec::new()
            };
        }
        let sub = principal.sub.as_str();
        let mut identities = Vec::new();
        if !sub.is_empty() {
            identities.push(sub.to_owned());
        }
        if mutation == Mutation::OwnerMatchesSubOnly {
            return identities;
        }
        if !sub.is_empty() && !username.is_empty() {
            identities.push(format!("{sub}::{username}"));
        }
        let by_username = match mutation {
            Mutation::UsernameMatchesByDefault => true,
            Mutation::LegacyUsernameIgnored => false,
            _ => legacy_username,
        };
        let double_colon_ok = mutation == Mutation::LegacyUsernameWithDoubleColon;
        if by_username && !username.is_empty() && (!username.contains("::") || double_colon_ok) {
            identities.push(username.to_owned());
        }
        identities
    }

    /// The principal's group names, which group fields are compared with:
    /// every claim value it holds, declared or not, but `""`; none for a guest.
    fn group_names(principal: &PrincipalData) -> Vec<&str> {
        if !principal.authenticated {
            return Vec::new();
        }
        principal
            .claims
            .iter()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .collect()
    }

    /// Whether the rule admits the principal when the record is not
    /// looked at: owner and group fields admit any authenticated
    /// principal, `when` is not read.
    fn admits_without_record(
        &self,
        rule: &Rule,
        principal: &PrincipalData,
        mutation: Mutation,
    ) -> bool {
        match rule.who {
            Who::Guest => !principal.authenticated,
            Who::Authenticated
            | Who::Owner(_)
            | Who::Owners(_)
            | Who::GroupIn(_)
            | Who::GroupsIn(_) => principal.authenticated,
            Who::Groups(groups) => groups.iter().any(|g| self.member(principal, g, mutation)),
        }
    }

    /// Whether the rule's `who` admits the principal for this record (its
    /// `when` aside).
    fn who_admits(
        &self,
        rule: &Rule,
        principal: &PrincipalData,
        record: &RecordData,
        mutation: Mutation,
    ) -> bool {
        let owned = |field: &str| {
            let identities = Self::identities(principal, rule.legacy_username, mutation);
            record_values(record, field).iter().any(|v| {
                identities.iter().any(|i| i == v)
                    || (mutation == Mutation::EmptyOwnerMatches
                        && v.is_empty()
                        && principal.authenticated)
            })
        };
        let in_group = |field: &str| {
            let names = Self::group_names(principal);
            record_values(record, field)
                .iter()
                .any(|v| names.contains(v))
        };
        match rule.who {
            Who::Guest => !principal.authenticated,
            Who::Authenticated => principal.authenticated,
            Who::Groups(groups) => groups.iter().any(|g| self.member(principal, g, mutation)),
            Who::Owner(field) | Who::Owners(field) => owned(field),
            Who::GroupIn(field) | Who::GroupsIn(field) => in_group(field),
        }
    }

    /// Whether the rule's `when` holds on the record (or it has none).
    fn when_holds(rule: &Rule, record: &RecordData, mutation: Mutation) -> bool {
        match rule.when {
            None => true,
            Some(_) if mutation == Mutation::WhenIgnored => true,
            Some(path) => condition(record, path),
        }
    }

    /// The simple parts of `op` that must all be allowed.
    fn parts(op: &'static str, mutation: Mutation) -> Vec<&'static str> {
        let mut parts: Vec<&'static str> = if op == "read" {
            READ_PARTS.to_vec()
        } else {
            vec![op]
        };
        if mutation == Mutation::ReadNeedsOnlyGet && op == "read" {
            parts.truncate(1);
        }
        parts
    }

    /// Decides `op` on model number `model` without a record
    /// (`Model::authorize`): rules that need the record cannot allow.
    pub fn decide_model(
        &self,
        model: usize,
        principal: &PrincipalData,
        op: &'static str,
        mutation: Mutation,
    ) -> Verdict {
        let rules = self.models[model].rules;
        decide_parts(op == "read", &Self::parts(op, mutation), |part| {
            // The rules that grant `part`, in declaration order.
            let covering: Vec<&Rule> = rules.iter().filter(|rule| rule.covers(part)).collect();
            let admitting: Vec<&Rule> = covering
                .iter()
                .copied()
                .filter(|rule| {
                    !rule.needs_record() && self.admits_without_record(rule, principal, mutation)
                })
                .collect();
            let chosen = if mutation == Mutation::LastRuleNamed {
                admitting.last()
            } else {
                admitting.first()
            };
            match chosen {
                Some(rule) => Ok(rule.declaration),
                None => {
                    let needs_record = covering.iter().find(|rule| {
                        mutation != Mutation::NeedsRecordForgotten
                            && rule.needs_record()
                            && self.admits_without_record(rule, principal, mutation)
                    });
                    Err(match needs_record {
                        Some(rule) => DenyReason::NeedsRecord {
                            rule: rule.declaration,
                        },
                        None => why_denied(principal, covering.iter().map(|r| kind(r))),
                    })
                }
            }
        })
    }

    /// The rules that decide on `field` of model number `model`: its own,
    /// else the model's.
    fn field_rules(
        &self,
        model: usize,
        field: Option<&str>,
        mutation: Mutation,
    ) -> Vec<&'static Rule> {
        let model = &self.models[model];
        let own = field.and_then(|f| model.fields.iter().find(|fr| fr.field == f));
        match own {
            None => model.rules.iter().collect(),
            Some(own) if mutation == Mutation::FieldRulesInheritModel => {
                own.rules.iter().chain(model.rules).collect()
            }
            Some(own) => own.rules.iter().collect(),
        }
    }

    /// The resource a decision on `field` (or the whole record) names:
    /// `Model.field` for a field with rules of its own, else `Model`.
    pub fn resource(&self, model: usize, field: Option<&str>) -> String {
        let m = &self.models[model];
        match field {
            Some(f) if m.fields.iter().any(|fr| fr.field == f) => format!("{}.{f}", m.name),
            _ => m.name.to_owned(),
        }
    }

    /// Decides `op` on a record of model number `model`
    /// (`authorize_record`).
    pub fn decide_record(
        &self,
        model: usize,
        principal: &PrincipalData,
        record: &RecordData,
        op: &'static str,
        mutation: Mutation,
    ) -> Verdict {
        self.decide_with_record(
            &self.field_rules(model, None, mutation),
            principal,
            record,
            op,
            mutation,
        )
    }

    /// Decides `op` on `field` of a record of model number `model`
    /// (`authorize_field`): a field with rules of its own is decided by
    /// those alone, any other like the whole record.
    pub fn decide_field(
        &self,
        model: usize,
        principal: &PrincipalData,
        record: &RecordData,
        field: &str,
        op: &'static str,
        mutation: Mutation,
    ) -> Verdict {
        self.decide_with_record(
            &self.field_rules(model, Some(field), mutation),
            principal,
            record,
            op,
            mutation,
        )
    }

    fn decide_with_record(
        &self,
        rules: &[&'static Rule],
        principal: &PrincipalData,
        record: &RecordData,
        op: &'static str,
        mutation: Mutation,
    ) -> Verdict {
        decide_parts(op == "read", &Self::parts(op, mutation), |part| {
            let covering: Vec<&Rule> = rules
                .iter()
                .copied()
                .filter(|rule| rule.covers(part))
                .collect();
            let admitting: Vec<&Rule> = covering
                .iter()
                .copied()
                .filter(|rule| {
                    self.who_admits(rule, principal, record, mutation)
                        && Self::when_holds(rule, record, mutation)
                })
                .collect();
            let chosen = if mutation == Mutation::LastRuleNamed {
                admitting.last()
            } else {
                admitting.first()
            };
            if let Some(rule) = chosen {
                return Ok(rule.declaration);
            }
            // The first rule that admits the principal but not the record.
            let failed = covering
                .iter()
                .find(|rule| {
                    self.who_admits(rule, principal, record, mutation)
                        && !Self::when_holds(rule, record, mutation)
                })
                .and_then(|rule| rule.when);
            Err(match failed {
                Some(condition) => DenyReason::ConditionFailed { condition },
                None => why_denied(principal, covering.iter().map(|r| kind(r))),
            })
        })
    }

    /// Whether a list filtered with `filter_for(principal, op)` keeps the
    /// record: exactly when the record may be decided on and is allowed.
    pub fn filter_keeps(
        &self,
        model: usize,
        principal: &PrincipalData,
        record: &RecordData,
        op: &'static str,
        mutation: Mutation,
    ) -> bool {
        matches!(
            self.decide_record(model, principal, record, op, mutation),
            Verdict::Allowed(_)
        )
    }

    /// `redacted_for(principal)`'s `(secret, note)`: a field with rules of
    /// its own that the principal may not `read` is emptied.
    pub fn redacted(
        &self,
        model: usize,
        principal: &PrincipalData,
        record: &RecordData,
        mutation: Mutation,
    ) -> (Option<String>, String) {
        let hidden = |field: &str| {
            self.models[model].fields.iter().any(|fr| fr.field == field)
                && !matches!(
                    self.decide_field(model, principal, record, field, "read", mutation),
                    Verdict::Allowed(_)
                )
        };
        (
            if hidden("secret") {
                None
            } else {
                record.secret.clone()
            },
            if hidden("note") {
                String::new()
            } else {
                record.note.clone()
            },
        )
    }

    /// Decides `access` on `key` of the storage.
    pub fn decide_storage(
        &self,
        principal: &PrincipalData,
        key: &str,
        access: &'static str,
        mutation: Mutation,
    ) -> Verdict {
        let denied = |reason| Verdict::Denied { part: None, reason };
        if let Some(error) = key_error(key, mutation) {
            return denied(DenyReason::InvalidKey(error));
        }
        let Some((path, entity_segment)) = self.most_specific_path(key, mutation) else {
            return denied(DenyReason::NoMatchingPath);
        };
        let mut entries: Vec<&Entry> = self.storage.iter().filter(|e| e.path == path).collect();
        if mutation == Mutation::ParentGrantsInherited {
            let parent_of = |p: &str| {
                self.storage
                    .iter()
                    .filter(|e| e.path != p && p.starts_with(e.path.trim_end_matches('*')))
                    .collect::<Vec<_>>()
            };
            entries.extend(parent_of(path));
        }
        let entity_id = principal.entity_id();
        let owner = match (entity_id, entity_segment) {
            (Some(id), Some(segment)) => !id.is_empty() && !id.contains('/') && id == segment,
            _ => false,
        };
        let mut parts: Vec<&'static str> = if access == "read" {
            STORAGE_READ_PARTS.to_vec()
        } else {
            vec![access]
        };
        if mutation == Mutation::ReadNeedsOnlyGet && access == "read" {
            parts.truncate(1);
        }
        decide_parts(access == "read", &parts, |part| {
            let covering: Vec<&Entry> = entries
                .iter()
                .copied()
                .filter(|e| {
                    e.actions.contains(&part)
                        || (e.actions.contains(&"read") && STORAGE_READ_PARTS.contains(&part))
                })
                // Beside the owners' folders, `entity(identity)` grants nothing.
                .filter(|e| entity_segment.is_some() || !matches!(e.acceptor, Acceptor::Entity))
                .collect();
            let admitting = covering.iter().find(|e| match e.acceptor {
                Acceptor::Guest => !principal.authenticated,
                Acceptor::Authenticated => principal.authenticated,
                Acceptor::Groups(groups) => {
                    groups.iter().any(|g| self.member(principal, g, mutation))
                }
                Acceptor::Entity => principal.authenticated && owner,
            });
            match admitting {
                Some(entry) => Ok(entry.declaration),
                None => Err(why_denied(
                    principal,
                    covering.iter().map(|e| match e.acceptor {
                        Acceptor::Guest => Kind::Guest,
                        Acceptor::Entity => Kind::Entity,
                        _ => Kind::Other,
                    }),
                )),
            }
        })
    }

    /// The declared path that decides for `key`: of the paths covering it,
    /// the one with the most parts; at equal depth a literal last part beats
    /// `{entity_id}`. With the `{entity_id}` segment of the key, if any.
    ///
    /// `p/*` covers a key with a `/` after all of p's parts. `p/{entity_id}/*`
    /// covers what `p/*` covers when it has an entry for others than the
    /// owner (Amplify writes `*` for `{entity_id}` in those grants, and trims
    /// `p/*/*` to `p/*`), and otherwise the keys `p/<id>/...` only (the
    /// owner's folders, Amplify's `p/${sub}/*`). Its `{entity_id}` segment is
    /// the key's part after `p/` when a `/` follows it.
    fn most_specific_path<'k>(
        &self,
        key: &'k str,
        mutation: Mutation,
    ) -> Option<(&'static str, Option<&'k str>)> {
        let segments: Vec<&str> = key.split('/').collect();
        let mut best: Option<(&'static str, Option<&'k str>, usize, bool)> = None;
        let mut seen: Vec<&str> = Vec::new();
        for entry in self.storage {
            if seen.contains(&entry.path) {
                continue;
            }
            seen.push(entry.path);
            let parts: Vec<&str> = entry.path.strip_suffix("/*")?.split('/').collect();
            let (literal_parts, entity) = match parts.split_last() {
                Some((&ENTITY, before)) => (before, true),
                _ => (&parts[..], false),
            };
            let for_others = self
                .storage
                .iter()
                .any(|e| e.path == entry.path && !matches!(e.acceptor, Acceptor::Entity));
            let needed = if entity && (!for_others || mutation == Mutation::EntityPathNotWild) {
                parts.len()
            } else {
                literal_parts.len()
            };
            if segments.len() <= needed || !literal_parts.iter().zip(&segments).all(|(p, s)| p == s)
            {
                continue;
            }
            let entity_segment = if entity && segments.len() > literal_parts.len() + 1 {
                segments.get(literal_parts.len()).copied()
            } else {
                None
            };
            let literal = !entity;
            let better = match best {
                None => true,
                Some((_, _, depth, best_literal)) => {
                    parts.len() > depth
                        || (parts.len() == depth
                            && if mutation == Mutation::EntityBeatsLiteral {
                                !literal && best_literal
                            } else {
                                literal && !best_literal
                            })
                }
            };
            if better {
                best = Some((entry.path, entity_segment, parts.len(), literal));
            }
        }
        best.map(|(path, segment, _, _)| (path, segment))
    }
}

/// The values a record's field holds: one for a scalar, none for a `None`,
/// each element of a list.
fn record_values<'r>(record: &'r RecordData, field: &str) -> Vec<&'r str> {
    match field {
        "owner" => vec![record.owner.as_str()],
        "author" => record.author.iter().map(String::as_str).collect(),
        "editors" => record.editors.iter().map(String::as_str).collect(),
        "team" => vec![record.team.as_str()],
        "teams" => record.teams.iter().map(String::as_str).collect(),
        _ => panic!("the corpus has no field {field}"),
    }
}

/// The predicate `path` on the record.
fn condition(record: &RecordData, path: &str) -> bool {
    match path {
        "Self::is_a" => record.a,
        "Self::is_b" => record.b,
        _ => panic!("the corpus has no predicate {path}"),
    }
}

/// Whom a rule that covered the action but did not admit the principal admits.
enum Kind {
    Guest,
    Entity,
    Owner,
    Other,
}

fn kind(rule: &Rule) -> Kind {
    match rule.who {
        Who::Guest => Kind::Guest,
        Who::Owner(_) | Who::Owners(_) => Kind::Owner,
        _ => Kind::Other,
    }
}

/// The models guide's deny reasons, in their order (after `NeedsRecord` and
/// `ConditionFailed`, which the model deciders choose first).
fn why_denied(principal: &PrincipalData, covering: impl Iterator<Item = Kind>) -> DenyReason {
    let covering: Vec<Kind> = covering.collect();
    if covering.is_empty() {
        DenyReason::NoRule
    } else if !principal.authenticated {
        DenyReason::Guest
    } else if covering.iter().all(|k| matches!(k, Kind::Guest)) {
        DenyReason::GuestsOnly
    } else if covering.iter().any(|k| matches!(k, Kind::Entity)) {
        DenyReason::NotOwner
    } else if covering.iter().any(|k| matches!(k, Kind::Owner)) {
        DenyReason::NotRecordOwner
    } else {
        DenyReason::NotInAllowedGroup
    }
}

/// Every part must be allowed; the first part's rule names an allowed
/// request, the first denied part a denied composite one.
fn decide_parts(
    composite: bool,
    parts: &[&'static str],
    mut decide: impl FnMut(&'static str) -> Result<&'static str, DenyReason>,
) -> Verdict {
    let mut first = None;
    for part in parts {
        match decide(part) {
            Ok(rule) => {
                first.get_or_insert(rule);
            }
            Err(reason) => {
                return Verdict::Denied {
                    part: composite.then_some(*part),
                    reason,
                };
            }
        }
    }
    Verdict::Allowed(first.unwrap_or_default())
}

/// The storage guide's key checks, in their order.
fn key_error(key: &str, mutation: Mutation) -> Option<KeyError> {
    if key.is_empty() {
        Some(KeyError::Empty)
    } else if key.len() > 1024 {
        Some(KeyError::TooLong)
    } else if key.starts_with('/') {
        Some(KeyError::LeadingSlash)
    } else if key.chars().any(char::is_control) {
        Some(KeyError::ControlCharacter)
    } else if key.contains([
        '\u{61c}', '\u{200e}', '\u{200f}', '\u{2028}', '\u{2029}', '\u{202a}', '\u{202b}',
        '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
    ]) {
        Some(KeyError::DisplayControl)
    } else if key.contains('\\') {
        Some(KeyError::Backslash)
    } else if key.contains("//") {
        Some(KeyError::EmptySegment)
    } else if key
        .split('/')
        .any(|s| s == "." || (s == ".." && mutation != Mutation::DotDotAllowed))
    {
        Some(KeyError::DotSegment)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// Updates (issue 21, section 3): `authorize_update(stored, proposed)`.
// ---------------------------------------------------------------------------

/// Each field of a corpus record, in declaration order: its name, whether
/// its type is an `Option`, and its value as text (`None` only for an
/// `Option` that is `None`).
fn fields_of(record: &RecordData) -> [(&'static str, bool, Option<String>); 9] {
    [
        ("owner", false, Some(record.owner.clone())),
        ("author", true, record.author.clone()),
        ("editors", false, Some(format!("{:?}", record.editors))),
        ("team", false, Some(record.team.clone())),
        ("teams", false, Some(format!("{:?}", record.teams))),
        ("a", false, Some(record.a.to_string())),
        ("b", false, Some(record.b.to_string())),
        ("secret", true, record.secret.clone()),
        ("note", false, Some(record.note.clone())),
    ]
}

impl Policy {
    /// Decides the update of `stored` into `proposed` on model number
    /// `model`, and names the check that denied it: `update` on the stored
    /// record, then on the proposed one; then, field by field in
    /// declaration order, `delete` on each field going from `Some` to
    /// `None` (its own rules, else the model's); then `update` by the own
    /// rules of each field with rules of its own whose value changes. Field
    /// checks read the stored record. Allowed, it names the stored
    /// record's rule.
    pub fn decide_update(
        &self,
        model: usize,
        principal: &PrincipalData,
        stored: &RecordData,
        proposed: &RecordData,
        mutation: Mutation,
    ) -> (Verdict, Option<UpdateCheck>) {
        let on_stored = self.decide_record(model, principal, stored, "update", mutation);
        if !matches!(on_stored, Verdict::Allowed(_)) {
            return (on_stored, Some(UpdateCheck::Stored));
        }
        if mutation != Mutation::SavedRecordUnchecked {
            let on_saved = self.decide_record(model, principal, proposed, "update", mutation);
            if !matches!(on_saved, Verdict::Allowed(_)) {
                return (on_saved, Some(UpdateCheck::Saved));
            }
        }
        let pairs = || fields_of(stored).into_iter().zip(fields_of(proposed));
        for ((field, optional, old), (_, _, new)) in pairs() {
            let clears = optional && old.is_some() && new.is_none();
            if clears && mutation != Mutation::ClearingNeedsNoDelete {
                let verdict =
                    self.decide_field(model, principal, stored, field, "delete", mutation);
                if !matches!(verdict, Verdict::Allowed(_)) {
                    return (verdict, Some(UpdateCheck::Cleared { field }));
                }
            }
        }
        let has_own_rules =
            |field: &str| self.models[model].fields.iter().any(|f| f.field == field);
        for ((field, _, old), (_, _, new)) in pairs() {
            if old != new && has_own_rules(field) && mutation != Mutation::ChangedFieldRulesIgnored
            {
                let verdict =
                    self.decide_field(model, principal, stored, field, "update", mutation);
                if !matches!(verdict, Verdict::Allowed(_)) {
                    return (verdict, Some(UpdateCheck::Changed { field }));
                }
            }
        }
        (on_stored, None)
    }
}
