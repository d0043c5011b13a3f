//! Amplify Gen 2 backend definitions from the Rust declarations: the groups
//! as `amplify/auth/resource.ts` ([`define_auth`]) and a storage as
//! `amplify/storage/resource.ts` ([`define_storage`]).

use std::fmt::Write as _;

use super::ExportError;
use crate::group::Groups;
use crate::storage::{Acceptor, Access, AccessSet, Storage};

/// Where an Amplify Gen 2 project keeps the file [`define_auth`] writes.
///
/// ```
/// # use groupguard::groups;
/// # #[groups] pub enum Group { ADMINS }
/// use groupguard::amplify::{self, AUTH_RESOURCE};
///
/// let path = std::env::temp_dir().join(format!("auth-{}", std::process::id())).join(AUTH_RESOURCE);
/// std::fs::create_dir_all(path.parent().unwrap())?;
/// std::fs::write(&path, amplify::define_auth::<Group>())?;
/// assert!(path.ends_with("amplify/auth/resource.ts"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub const AUTH_RESOURCE: &str = "amplify/auth/resource.ts";

/// Where an Amplify Gen 2 project keeps the file [`define_storage`] writes.
///
/// ```
/// # use groupguard::{groups, storage};
/// # #[groups] pub enum Group { ADMINS }
/// # storage! { pub Files { "public/*" => guest: [read] } }
/// use groupguard::amplify::{self, STORAGE_RESOURCE};
///
/// let ts = amplify::define_storage::<Files>("files")?;
/// assert_eq!(STORAGE_RESOURCE, "amplify/storage/resource.ts");
/// assert!(ts.contains("export const storage = defineStorage({\n  name: 'files',"));
/// # Ok::<(), amplify::ExportError>(())
/// ```
pub const STORAGE_RESOURCE: &str = "amplify/storage/resource.ts";

/// The groups of `G` as `amplify/auth/resource.ts`: `defineAuth` with
/// `groups: [...]`, the claim values in declaration order (Amplify numbers
/// their precedences 0, 1, 2... in that order).
///
/// What `defineAuth` cannot say is written as comments with the lines to
/// add to `amplify/backend.ts`: a precedence other than the group's
/// position (`#[group(precedence = N)]`), and a declared role
/// (`#[group(role = "...")]`; Amplify attaches a group's storage policies to
/// the role it creates for the group, so giving the group another role
/// means attaching [`iam_policies`](super::iam_policies)' policy to it).
/// `loginWith` is not part of the Rust declarations: the file says
/// `email: true`, Amplify's default; set your pool's.
///
/// ```
/// use groupguard::groups;
///
/// #[groups]
/// pub enum Group { ADMINS, EDITORS, #[group(name = "it's")] Quoted }
///
/// let ts = groupguard::amplify::define_auth::<Group>();
/// assert!(ts.contains("import { defineAuth } from '@aws-amplify/backend';"));
/// assert!(ts.contains(r"groups: ['ADMINS', 'EDITORS', 'it\'s'],"));
/// ```
#[must_use]
pub fn define_auth<G: Groups>() -> String {
    let mut ts = String::from(
        "// Written by groupguard (groupguard::amplify::define_auth) from the Rust\n\
         // groups enum. `loginWith` is not part of it: email is Amplify's\n\
         // default; set your user pool's sign-in.\n\
         import { defineAuth } from '@aws-amplify/backend';\n\n\
         export const auth = defineAuth({\n  loginWith: {\n    email: true,\n  },\n",
    );
    let names: Vec<String> = G::ALL.iter().map(|g| ts_string(g.name())).collect();
    let _ = writeln!(ts, "  groups: [{}],\n}});", names.join(", "));

    let overrides: Vec<String> = G::ALL
        .iter()
        .enumerate()
        .filter(|(index, group)| u32::try_from(*index).ok() != Some(group.precedence()))
        .map(|(_, group)| {
            format!(
                "//   backend.auth.resources.groups[{}].cfnUserGroup.precedence = {};",
                ts_string(group.name()),
                group.precedence()
            )
        })
        .collect();
    if !overrides.is_empty() {
        ts.push_str(
            "\n// The Rust enum sets precedences that the list's order does not give\n\
             // (defineAuth numbers the groups 0, 1, 2...). In amplify/backend.ts,\n\
             // after `const backend = defineBackend({ auth, ... });`:\n",
        );
        for line in overrides {
            let _ = writeln!(ts, "{line}");
        }
    }
    for group in G::ALL {
        let Some(arn) = group.role() else { continue };
        let name = ts_string(group.name());
        let _ = write!(
            ts,
            "\n// The Rust enum gives {name} the role {}.\n\
             // defineAuth creates a role for each group, and Amplify attaches the\n\
             // group's storage policies to it. To give the group the declared role\n\
             // instead, set in amplify/backend.ts\n\
             //   backend.auth.resources.groups[{name}].cfnUserGroup.roleArn = {};\n\
             // and attach the group's policy from groupguard::amplify::iam_policies\n\
             // to that role.\n",
            ts_string(arn),
            ts_string(arn)
        );
    }
    ts
}

/// The storage `S` as `amplify/storage/resource.ts`: `defineStorage` named
/// `name` (the `name` of its bucket in `amplify_outputs.json`), with
/// `access: (allow) => ({ ... })` holding every path and grant as declared:
/// `guest`, `authenticated`, `groups([...])` (claim values) and
/// `entity('identity')`, with `read` for `get` and `list` together.
///
/// Deployed, Amplify writes the same `paths` into `amplify_outputs.json`
/// that [`export_paths`](super::export_paths) writes, so
/// [`AmplifyOutputs::storage_drift`](super::AmplifyOutputs::storage_drift)
/// comparing the two finds nothing, and the same IAM policies that
/// [`iam_policies`](super::iam_policies) writes.
///
/// ```
/// use groupguard::{groups, storage};
///
/// #[groups]
/// pub enum Group { ADMINS, EDITORS }
///
/// storage! {
///     pub Articles {
///         "drafts/*" => groups(EDITORS, ADMINS): [read, write],
///         "profiles/{entity_id}/*" => entity(identity): [read, write, delete],
///         "profiles/{entity_id}/*" => guest: [get],
///     }
/// }
///
/// let ts = groupguard::amplify::define_storage::<Articles>("articles")?;
/// assert!(ts.contains("  name: 'articles',\n"));
/// assert!(ts.contains(
///     "    'drafts/*': [\n      allow.groups(['EDITORS', 'ADMINS']).to(['read', 'write']),\n    ],\n"
/// ));
/// assert!(ts.contains("      allow.entity('identity').to(['read', 'write', 'delete']),\n"));
/// assert!(ts.contains("      allow.guest.to(['get']),\n"));
///
/// // Amplify accepts letters, digits, `-`, `_` and spaces in a name.
/// assert!(groupguard::amplify::define_storage::<Articles>("my.bucket").is_err());
/// # Ok::<(), groupguard::amplify::ExportError>(())
/// ```
///
/// # Errors
///
/// [`ExportError::StorageName`] when `name` is not a name Amplify accepts
/// for a resource; [`ExportError::ReservedGroupName`] when a grant names a
/// group called like one of Amplify's role identifiers (Amplify would give
/// its grants to every signed-in user, or every guest).
pub fn define_storage<S: Storage>(name: &str) -> Result<String, ExportError> {
    if !is_resource_name(name) {
        return Err(ExportError::StorageName {
            name: name.to_owned(),
        });
    }
    super::check_group_names(S::PATHS)?;
    let mut ts = format!(
        "// Written by groupguard (groupguard::amplify::define_storage) from the Rust\n\
         // storage `{}`.\n\
         import {{ defineStorage }} from '@aws-amplify/backend';\n\n\
         export const storage = defineStorage({{\n  name: {},\n  access: (allow) => ({{\n",
        S::NAME,
        ts_string(name)
    );
    for path in S::PATHS {
        let _ = writeln!(ts, "    {}: [", ts_string(path.path()));
        for grant in path.grants() {
            let acceptor = match grant.acceptor() {
                Acceptor::Guest => "allow.guest".to_owned(),
                Acceptor::Authenticated => "allow.authenticated".to_owned(),
                Acceptor::Entity => "allow.entity('identity')".to_owned(),
                Acceptor::Groups(groups) => {
                    let names: Vec<String> = groups.iter().map(|g| ts_string(g.name())).collect();
                    format!("allow.groups([{}])", names.join(", "))
                }
            };
            let _ = writeln!(ts, "      {acceptor}.to([{}]),", actions(grant.actions()));
        }
        ts.push_str("    ],\n");
    }
    ts.push_str("  }),\n});\n");
    Ok(ts)
}

/// The actions of a grant as Amplify's `to([...])` takes them.
fn actions(set: AccessSet) -> String {
    let mut names = Vec::new();
    if set.contains(Access::Get) && set.contains(Access::List) {
        names.push("'read'");
    } else if set.contains(Access::Get) {
        names.push("'get'");
    } else if set.contains(Access::List) {
        names.push("'list'");
    }
    if set.contains(Access::Write) {
        names.push("'write'");
    }
    if set.contains(Access::Delete) {
        names.push("'delete'");
    }
    names.join(", ")
}

/// Whether Amplify accepts `name` as a resource name
/// (`DefaultResourceNameValidator`: `^[a-zA-Z][a-zA-Z0-9-_ ]*$`).
fn is_resource_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b' '))
}

/// `text` as a single-quoted TypeScript string literal: `'` and `\`
/// escaped, control characters and the two characters JavaScript reads as
/// line terminators (U+2028, U+2029) written as `\u{...}`; everything else,
/// non-ASCII included, as it is.
pub(super) fn ts_string(text: &str) -> String {
    let mut literal = String::with_capacity(text.len() + 2);
    literal.push('\'');
    for c in text.chars() {
        match c {
            '\'' => literal.push_str("\\'"),
            '\\' => literal.push_str("\\\\"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(literal, "\\u{{{:x}}}", u32::from(c));
            }
            c => literal.push(c),
        }
    }
    literal.push('\'');
    literal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals() {
        assert_eq!(ts_string("ADMINS"), "'ADMINS'");
        assert_eq!(ts_string("it's"), r"'it\'s'");
        assert_eq!(ts_string(r"back\slash"), r"'back\\slash'");
        assert_eq!(ts_string("caf\u{e9} \u{1f512}"), "'caf\u{e9} \u{1f512}'");
        assert_eq!(ts_string("a\nb\u{0}\u{2028}"), r"'a\u{a}b\u{0}\u{2028}'");
        assert_eq!(ts_string(r#""${x}`"#), r#"'"${x}`'"#);
    }

    #[test]
    fn resource_names() {
        for good in ["articles", "my bucket", "a-b_c", "A1"] {
            assert!(is_resource_name(good), "{good}");
        }
        for bad in ["", "1a", "-a", "a.b", "a'b", "caf\u{e9}", "a/b"] {
            assert!(!is_resource_name(bad), "{bad}");
        }
    }
}
