//! The Amplify Gen 2 definitions (`amplify::define_auth`,
//! `amplify::define_storage`): the tour's and the awkward declaration's as
//! checked-in TypeScript (rewritten with `GROUPGUARD_BLESS=1`; type-checked
//! against Amplify's own types by `scripts/amplify-typecheck`), Amplify's
//! integration project written back, and the errors. That Amplify deploys
//! them as groupguard decides is checked by `scripts/amplify-oracle`, which
//! runs Amplify's orchestrator on these very files.

use groupguard::amplify::{self, AUTH_RESOURCE, ExportError, STORAGE_RESOURCE};

use crate::{awkward, check_in, integration, tour};

#[test]
fn the_tours_definitions_are_checked_in() {
    let auth = amplify::define_auth::<tour::Group>();
    let storage = amplify::define_storage::<tour::Articles>("articles").unwrap();
    check_in(&format!("tour/{AUTH_RESOURCE}"), &auth);
    check_in(&format!("tour/{STORAGE_RESOURCE}"), &storage);
    assert!(auth.contains("  groups: ['ADMINS', 'EDITORS'],\n"));
    // Precedences are the list's order: no backend.ts line for them.
    assert!(!auth.contains(".precedence ="));
    // ADMINS declares a role: the lines that would give it that role.
    assert!(auth.contains(
        "//   backend.auth.resources.groups['ADMINS'].cfnUserGroup.roleArn = \
         'arn:aws:iam::123456789012:role/Admins';\n"
    ));
    assert!(!auth.contains("groups['EDITORS'].cfnUserGroup.roleArn"));
    assert!(storage.contains(
        "    'drafts/*': [\n      allow.groups(['EDITORS']).to(['read', 'write']),\n      \
         allow.groups(['ADMINS']).to(['read', 'write', 'delete']),\n    ],\n"
    ));
}

#[test]
fn the_awkward_definitions_are_checked_in() {
    let auth = amplify::define_auth::<awkward::Group>();
    let storage = amplify::define_storage::<awkward::Awkward>("awkward files").unwrap();
    check_in(&format!("awkward/{AUTH_RESOURCE}"), &auth);
    check_in(&format!("awkward/{STORAGE_RESOURCE}"), &storage);
    assert!(auth.contains(
        r#"  groups: ['it\'s', 'back\\slash', 'café-ñandú', '编辑', '${x}`"{y}', 'a*b?', '🔒-locked'],"#
    ));
    // `🔒-locked` is 7th in the list but has precedence 7, not 6.
    assert!(auth.contains(
        "//   backend.auth.resources.groups['🔒-locked'].cfnUserGroup.precedence = 7;\n"
    ));
    assert_eq!(auth.matches(".precedence =").count(), 1);
    assert!(storage.contains(r#"    'quote"d/*': ["#));
    assert!(
        storage.contains(r"      allow.groups(['it\'s', 'back\\slash']).to(['read', 'write']),")
    );
    assert!(storage.contains("      allow.groups(['🔒-locked', 'a*b?']).to(['list', 'delete']),"));
    assert!(storage.contains("  name: 'awkward files',\n"));
}

/// Amplify's own integration project (`data-storage-auth-with-triggers-ts`,
/// `amplify/storage/resource.ts` in amplify-backend), declared in Rust in
/// `main.rs`, comes back as its `access` was written, less the grants to
/// functions (`allow.resource`, which groupguard has no equivalent for)
/// and the `Editors` line the project gained after the outputs fixture was
/// taken.
#[test]
fn amplifys_integration_project_is_written_back() {
    let storage = amplify::define_storage::<integration::TestName>("testName").unwrap();
    assert!(
        storage.ends_with(
            "export const storage = defineStorage({
  name: 'testName',
  access: (allow) => ({
    'public/*': [
      allow.guest.to(['read']),
      allow.authenticated.to(['read', 'write']),
      allow.groups(['Admins']).to(['read', 'write', 'delete']),
    ],
    'protected/{entity_id}/*': [
      allow.authenticated.to(['read']),
      allow.entity('identity').to(['read', 'write', 'delete']),
      allow.groups(['Admins']).to(['read', 'write', 'delete']),
    ],
  }),
});
"
        ),
        "{storage}"
    );
    // Its groups have precedences 1 and 2; defineAuth numbers them 0 and 1.
    // The project itself sets one in backend.ts with the same line.
    let auth = amplify::define_auth::<integration::Group>();
    assert!(
        auth.contains(
            "//   backend.auth.resources.groups['Admins'].cfnUserGroup.precedence = 1;\n"
        )
    );
    assert!(
        auth.contains(
            "//   backend.auth.resources.groups['Editors'].cfnUserGroup.precedence = 2;\n"
        )
    );
}

#[test]
fn names_amplify_refuses_are_errors() {
    for name in ["", "1files", "my.files", "files/x", "f'iles", "fichiers-é"] {
        assert_eq!(
            amplify::define_storage::<tour::Articles>(name),
            Err(ExportError::StorageName {
                name: name.to_owned()
            }),
            "{name}"
        );
    }
    assert_eq!(
        amplify::define_storage::<tour::Articles>("my.files")
            .unwrap_err()
            .to_string(),
        "`my.files` is not a name Amplify accepts for a storage: a letter, then letters, digits, \
         `-`, `_` and spaces"
    );
}
