//! Each role's statements, computed as `@aws-amplify/backend-storage`'s
//! `StorageAccessOrchestrator` computes them ([`orchestrate`]): the allowed
//! prefixes per role and action, the denied sub-paths, the prefixes a
//! parent covers left out.

use super::{IamRole, Prefixes, RolePolicy};
use crate::amplify::IDENTITY_TOKEN;
use crate::group::Groups;
use crate::storage::{Acceptor, Access, StoragePath};

/// The storage actions a grant holds and the S3 action Amplify maps each
/// to (`actionMap`); `read` is `get` and `list`.
const S3_ACTIONS: [(Access, &str); 4] = [
    (Access::Get, "s3:GetObject"),
    (Access::List, "s3:ListBucket"),
    (Access::Write, "s3:PutObject"),
    (Access::Delete, "s3:DeleteObject"),
];

/// The roles a grant's statements go to.
fn roles_of<G: Groups>(acceptor: Acceptor<G>) -> Vec<IamRole<G>> {
    match acceptor {
        Acceptor::Guest => vec![IamRole::Guest],
        Acceptor::Authenticated | Acceptor::Entity => vec![IamRole::Authenticated],
        Acceptor::Groups(groups) => groups.iter().map(|g| IamRole::Group(*g)).collect(),
    }
}

/// The first of `paths` other than `path` that `path` starts with once its
/// `*` are removed: Amplify's `findParent`.
fn find_parent<'a>(path: &str, paths: impl IntoIterator<Item = &'a String>) -> Option<&'a String> {
    paths
        .into_iter()
        .find(|p| p.as_str() != path && path.starts_with(&p.replace('*', "")))
}

fn insert(set: &mut Vec<String>, path: &str) {
    if !set.iter().any(|p| p == path) {
        set.push(path.to_owned());
    }
}

/// `StorageAccessOrchestrator.orchestrateStorageAccess`, step by step:
/// collect each role's allowed prefixes per action, deny the sub-paths of
/// an allowed prefix that the same role and action are not allowed on,
/// then drop the allowed prefixes a parent covers.
pub(super) fn orchestrate<G: Groups>(
    paths: &[StoragePath<G>],
    bucket_arn: &str,
) -> Vec<RolePolicy<G>> {
    let mut roles: Vec<RolePolicy<G>> = Vec::new();
    // Per written prefix, in order of first use, the (role, action) entries
    // allowed on it: whose deny sets its sub-paths go to
    // (`prefixDenyMap`).
    let mut allowed_on: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    for path in paths {
        for grant in path.grants() {
            let prefix = crate::amplify::written_path(path.path(), grant.acceptor());
            for role in roles_of(grant.acceptor()) {
                let r = match roles.iter().position(|p| p.role == role) {
                    Some(r) => r,
                    None => {
                        roles.push(RolePolicy {
                            role,
                            bucket_arn: bucket_arn.to_owned(),
                            actions: Vec::new(),
                        });
                        roles.len() - 1
                    }
                };
                for (action, s3_action) in S3_ACTIONS {
                    if !grant.actions().contains(action) {
                        continue;
                    }
                    let actions = &mut roles[r].actions;
                    let a = match actions.iter().position(|p| p.action == action) {
                        Some(a) => a,
                        None => {
                            actions.push(Prefixes {
                                action,
                                s3_action,
                                allow: Vec::new(),
                                deny: Vec::new(),
                            });
                            actions.len() - 1
                        }
                    };
                    insert(&mut actions[a].allow, &prefix);
                    match allowed_on.iter_mut().find(|(p, _)| *p == prefix) {
                        Some((_, entries)) => entries.push((r, a)),
                        None => allowed_on.push((prefix.clone(), vec![(r, a)])),
                    }
                }
            }
        }
    }
    // `attachPolicies`: a sub-path is denied to every (role, action) allowed
    // on its parent but not on it; an owner's folder under the `P/*` its
    // own path writes for others is not a sub-path.
    let all: Vec<String> = allowed_on.iter().map(|(p, _)| p.clone()).collect();
    for path in &all {
        let Some(parent) = find_parent(path, &all) else {
            continue;
        };
        if *parent == path.replace(&format!("{IDENTITY_TOKEN}/"), "") {
            continue;
        }
        let entries = allowed_on
            .iter()
            .find(|(p, _)| p == parent)
            .map(|(_, entries)| entries.clone())
            .unwrap_or_default();
        for (r, a) in entries {
            let prefixes = &mut roles[r].actions[a];
            if !prefixes.allow.contains(path) {
                insert(&mut prefixes.deny, path);
            }
        }
    }
    // `removeSubPathsFromSet`: in order, each prefix that has a parent
    // among those still in the set goes.
    for role in &mut roles {
        for prefixes in &mut role.actions {
            for path in prefixes.allow.clone() {
                if find_parent(&path, &prefixes.allow).is_some() {
                    prefixes.allow.retain(|p| *p != path);
                }
            }
        }
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_are_string_prefixes_without_the_wildcard() {
        let paths = ["a/*".to_owned(), "a/b/*".to_owned(), "ab/*".to_owned()];
        assert_eq!(find_parent("a/b/*", &paths), Some(&paths[0]));
        assert_eq!(find_parent("ab/*", &paths), None);
        assert_eq!(find_parent("a/*", &paths), None);
    }
}
