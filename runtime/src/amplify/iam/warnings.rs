//! Where IAM, deciding for one role at a time, will not decide as
//! groupguard's `authorize` does for a storage: the sentences of
//! [`IamPolicies::warnings`](super::IamPolicies::warnings).

use super::{AUTHENTICATED_ROLE, IamRole, RolePolicy};
use crate::amplify::IDENTITY_TOKEN;
use crate::group::Groups;
use crate::storage::{Acceptor, StoragePath};

/// The warnings of [`IamPolicies::warnings`](super::IamPolicies::warnings).
pub(super) fn warnings<G: Groups>(
    paths: &[StoragePath<G>],
    roles: &[RolePolicy<G>],
) -> Vec<String> {
    let quoted = |items: &[String]| {
        items
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let all_groups: Vec<String> = G::ALL.iter().map(|g| g.name().to_owned()).collect();
    let mut warnings = Vec::new();

    // Grants to signed-in users and owners live in the authenticated role,
    // which a group member does not get.
    let mut signed_in: Vec<String> = Vec::new();
    for path in paths {
        let named = path
            .grants()
            .iter()
            .any(|g| matches!(g.acceptor(), Acceptor::Authenticated | Acceptor::Entity));
        if named && !signed_in.iter().any(|p| p == path.path()) {
            signed_in.push(path.path().to_owned());
        }
    }
    if !signed_in.is_empty() && !all_groups.is_empty() {
        warnings.push(format!(
            "IAM gives a signed-in user one role, and Amplify's identity pool gives a member of a group the group's role instead of {AUTHENTICATED_ROLE}: the grants to `authenticated` and `entity(identity)` on {} do not reach members of {} under IAM; groupguard's `authorize` grants them (the union of every grant the principal satisfies)",
            quoted(&signed_in),
            all_groups.join(", ")
        ));
    }

    // A member of several groups gets the role of one of them.
    let with_policy = roles.iter().any(|r| matches!(r.role, IamRole::Group(_)));
    if with_policy && all_groups.len() > 1 {
        let precedences: Vec<String> = G::ALL
            .iter()
            .map(|g| format!("{} {}", g.name(), g.precedence()))
            .collect();
        warnings.push(format!(
            "a user in several groups gets one of their roles from the identity pool, never their union: the role of the group with the lowest precedence ({}), or {AUTHENTICATED_ROLE} when groups of that precedence have different roles; groupguard's `authorize` grants the union of the groups' grants",
            precedences.join(", ")
        ));
    }

    // The owner's folder is named by the identity pool's identity id.
    let owned: Vec<String> = paths
        .iter()
        .filter(|p| {
            p.grants()
                .iter()
                .any(|g| matches!(g.acceptor(), Acceptor::Entity))
        })
        .map(|p| p.path().to_owned())
        .collect();
    if !owned.is_empty() {
        warnings.push(format!(
            "under IAM the `{{entity_id}}` of {} is the caller's identity-pool identity id (`{IDENTITY_TOKEN}`), not the user-pool `sub`: give the principal that id (`Principal::with_identity_id`) for `authorize` to decide the same folders",
            quoted(&owned)
        ));
    }
    warnings
}
