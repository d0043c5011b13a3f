//! The reference interpreter: a deliberately naive, direct reading of what a
//! rule means (SEMANTICS sections 3 and 4, and the README's "How a request is
//! decided"), deciding from a policy written as data. Lists of strings and
//! string comparison only: no bitsets, no trie, no hash tables, nothing
//! shared with the runtime but the names of the outcomes.
//!
//! Every change of what a rule means extends this file first.

use groupguard::{DenyReason, KeyError};

use crate::PrincipalData;

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
}

/// `allow(who, to = [ops])`; `ops: None` is "every operation".
pub struct Rule {
    pub who: Who,
    pub ops: Option<&'static [&'static str]>,
    pub declaration: &'static str,
}

pub enum Who {
    Guest,
    Authenticated,
    /// Variant names.
    Groups(&'static [&'static str]),
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
}

impl Mutation {
    pub const BROKEN: [Mutation; 6] = [
        Mutation::GroupsByVariantName,
        Mutation::ReadNeedsOnlyGet,
        Mutation::ParentGrantsInherited,
        Mutation::EntityBeatsLiteral,
        Mutation::DotDotAllowed,
        Mutation::LastRuleNamed,
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

    /// Decides `op` on model number `model`.
    pub fn decide_model(
        &self,
        model: usize,
        principal: &PrincipalData,
        op: &'static str,
        mutation: Mutation,
    ) -> Verdict {
        let rules = self.models[model].rules;
        let mut parts: Vec<&'static str> = if op == "read" {
            READ_PARTS.to_vec()
        } else {
            vec![op]
        };
        if mutation == Mutation::ReadNeedsOnlyGet && op == "read" {
            parts.truncate(1);
        }
        decide_parts(op == "read", &parts, |part| {
            // The rules that grant `part`, in declaration order.
            let covering: Vec<&Rule> = rules
                .iter()
                .filter(|rule| match rule.ops {
                    None => true,
                    Some(ops) => {
                        ops.contains(&part) || (ops.contains(&"read") && READ_PARTS.contains(&part))
                    }
                })
                .collect();
            let admitting: Vec<&Rule> = covering
                .iter()
                .copied()
                .filter(|rule| match rule.who {
                    Who::Guest => !principal.authenticated,
                    Who::Authenticated => principal.authenticated,
                    Who::Groups(groups) => {
                        groups.iter().any(|g| self.member(principal, g, mutation))
                    }
                })
                .collect();
            let chosen = if mutation == Mutation::LastRuleNamed {
                admitting.last()
            } else {
                admitting.first()
            };
            match chosen {
                Some(rule) => Ok(rule.declaration),
                None => Err(why_denied(
                    principal,
                    covering.iter().map(|rule| match rule.who {
                        Who::Guest => Kind::Guest,
                        _ => Kind::Other,
                    }),
                )),
            }
        })
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
            // `p/*` covers a key with a `/` after all of p's parts.
            if segments.len() <= parts.len() {
                continue;
            }
            let mut entity_segment = None;
            let covers = parts.iter().zip(&segments).all(|(part, segment)| {
                if *part == ENTITY {
                    entity_segment = Some(*segment);
                    !segment.is_empty()
                } else {
                    part == segment
                }
            });
            if !covers {
                continue;
            }
            let literal = entity_segment.is_none();
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

/// Whom a rule that covered the action but did not admit the principal admits.
enum Kind {
    Guest,
    Entity,
    Other,
}

/// The README's deny reasons, in their order.
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

/// The README's key checks, in their order.
fn key_error(key: &str, mutation: Mutation) -> Option<KeyError> {
    if key.is_empty() {
        Some(KeyError::Empty)
    } else if key.len() > 1024 {
        Some(KeyError::TooLong)
    } else if key.starts_with('/') {
        Some(KeyError::LeadingSlash)
    } else if key.chars().any(char::is_control) {
        Some(KeyError::ControlCharacter)
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
