//! A small IAM evaluator: what a role's S3 statements, as Amplify writes
//! them, allow. Enough for Amplify's storage policies and nothing more:
//! - `s3:GetObject`, `s3:PutObject`, `s3:DeleteObject` on
//!   `arn:aws:s3:::BUCKET/<prefix>` resources, and `s3:ListBucket` on the
//!   bucket with `StringLike` conditions on `s3:prefix` (`<prefix>` and
//!   `<prefix>` without its final `*`), as `StorageAccessPolicyFactory`
//!   writes them;
//! - `*` matches any run of characters (`/` included), `?` any one
//!   character, in resources and in `StringLike`;
//! - `${cognito-identity.amazonaws.com:sub}` is the caller's identity id;
//!   a statement naming it does not match a caller without one (here: a
//!   guest; Amplify writes it only into the authenticated role for the
//!   declarations `storage!` accepts, so the guests' unauthenticated
//!   identity ids never matter);
//! - an explicit deny wins over any allow; nothing is allowed by default.

use std::collections::BTreeMap;

/// The policy variable Amplify writes for the owner's `{entity_id}`.
pub const IDENTITY_VARIABLE: &str = "${cognito-identity.amazonaws.com:sub}";

/// One role's statements: per action (`get`, `list`, `write`, `delete`),
/// the prefixes allowed and denied.
#[derive(Clone, Debug, Default)]
pub struct Role {
    pub actions: BTreeMap<String, Prefixes>,
}

#[derive(Clone, Debug, Default)]
pub struct Prefixes {
    pub allow: Vec<String>,
    pub deny: Vec<String>,
}

impl Role {
    /// Whether the role may do `action` on `key` (for `list`, the listing
    /// prefix), for a caller whose identity id is `identity`.
    pub fn allows(&self, action: &str, key: &str, identity: Option<&str>) -> bool {
        let Some(prefixes) = self.actions.get(action) else {
            return false;
        };
        let matches = |prefix: &String| {
            // A statement naming the identity variable applies to a caller
            // that has one; IAM leaves it unresolved otherwise (no match).
            let pattern = if prefix.contains(IDENTITY_VARIABLE) {
                match identity {
                    Some(id) => prefix.replace(IDENTITY_VARIABLE, id),
                    None => return false,
                }
            } else {
                prefix.clone()
            };
            if action == "list" {
                // `s3:prefix` StringLike [`p/*`, `p/`].
                let bare = pattern.strip_suffix('*').unwrap_or(&pattern);
                like(&pattern, key) || like(bare, key)
            } else {
                like(&pattern, key)
            }
        };
        prefixes.allow.iter().any(matches) && !prefixes.deny.iter().any(matches)
    }
}

/// IAM's wildcard match: `*` any run of characters, `?` any one character,
/// everything else literally; the whole text must match.
pub fn like(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with one backtrack point (the last `*`).
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        if i < p.len() && (p[i] == '?' || p[i] == t[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    while i < p.len() && p[i] == '*' {
        i += 1;
    }
    i == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(like("a/*", "a/"));
        assert!(like("a/*", "a/b/c"));
        assert!(!like("a/*", "a"));
        assert!(like("a/*/*", "a/b/c"));
        assert!(!like("a/*/*", "a/b"));
        assert!(like("a?/*", "ab/f"));
        assert!(!like("a?/*", "a/f"));
        assert!(like("a/", "a/"));
        assert!(!like("a/", "a/x"));
    }

    #[test]
    fn deny_wins_and_the_identity_is_substituted() {
        let mut role = Role::default();
        role.actions.insert(
            "get".into(),
            Prefixes {
                allow: vec!["a/*".into(), format!("p/{IDENTITY_VARIABLE}/*")],
                deny: vec!["a/b/*".into()],
            },
        );
        assert!(role.allows("get", "a/x", None));
        assert!(!role.allows("get", "a/b/x", None));
        assert!(role.allows("get", "p/u1/x", Some("u1")));
        assert!(!role.allows("get", "p/u2/x", Some("u1")));
        assert!(!role.allows("get", "p/u1/x", None));
        assert!(!role.allows("write", "a/x", None));
    }
}
