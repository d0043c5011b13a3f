//! Name rules shared by the macros: names as written in rules, Cognito
//! group names, IAM role ARNs and the "did you mean" suggestion.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Expr, ExprLit, Lit};

/// A name written in a rule as an identifier or a string literal: a group,
/// an operation, an action or an entity. Identifiers are compared unrawed,
/// so `r#type` and `"type"` are the same name.
pub fn name_of(expr: &Expr) -> Option<(String, Span)> {
    match expr {
        Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() => p
            .path
            .get_ident()
            .map(|i| (i.unraw().to_string(), i.span())),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s),
            attrs,
        }) if attrs.is_empty() => Some((s.value(), s.span())),
        _ => None,
    }
}

/// An identifier as a name: `r#type` is `type`.
pub fn unraw(ident: &syn::Ident) -> String {
    ident.unraw().to_string()
}

/// Cognito's limit on a group name, in characters.
pub const MAX_GROUP_NAME_CHARS: usize = 128;

/// Why Cognito would reject `name` as a group name, if it would.
///
/// Cognito accepts letters, marks, symbols, numbers and punctuation
/// (`[\p{L}\p{M}\p{S}\p{N}\p{P}]+`). Without Unicode tables we reject what
/// falls outside those classes in practice: whitespace, control characters,
/// invisible format characters and private-use code points.
pub fn group_name_problem(name: &str) -> Option<String> {
    let chars = name.chars().count();
    if chars == 0 {
        return Some("a group name cannot be empty".into());
    }
    if chars > MAX_GROUP_NAME_CHARS {
        return Some(format!(
            "a group name is at most {MAX_GROUP_NAME_CHARS} characters (Cognito limit); this one has {chars}"
        ));
    }
    let bad = name
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || is_format_or_private(*c))?;
    let what = if bad.is_whitespace() {
        "whitespace"
    } else if bad.is_control() {
        "a control character"
    } else {
        "an invisible or private-use character"
    };
    Some(format!(
        "a group name cannot contain {what} ({bad:?}); Cognito allows letters, marks, symbols, numbers and punctuation"
    ))
}

fn is_format_or_private(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF | 0xE0001 | 0xE0020..=0xE007F
        | 0xF0000..)
}

/// Why `arn` is not an IAM role ARN of the form
/// `arn:<partition>:iam::<12-digit account>:role/<path/name>`, if it is not.
pub fn role_arn_problem(arn: &str) -> Option<&'static str> {
    let expected = "expected `arn:<partition>:iam::<12-digit account>:role/<path/name>`";
    let Some(rest) = arn.strip_prefix("arn:") else {
        return Some(expected);
    };
    let Some((partition, rest)) = rest.split_once(':') else {
        return Some(expected);
    };
    if partition.is_empty()
        || !partition
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-')
    {
        return Some("the ARN partition must be like `aws`, `aws-cn` or `aws-us-gov`");
    }
    let Some(rest) = rest.strip_prefix("iam::") else {
        return Some("a role ARN has service `iam` and an empty region: `arn:aws:iam::...`");
    };
    let Some((account, resource)) = rest.split_once(':') else {
        return Some(expected);
    };
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Some("the account id of a role ARN is exactly 12 digits");
    }
    let Some(path_and_name) = resource.strip_prefix("role/") else {
        return Some("the resource of a role ARN starts with `role/`");
    };
    let name = path_and_name.rsplit('/').next().unwrap_or_default();
    if name.is_empty() || name.len() > 64 || path_and_name.contains("//") {
        return Some(
            "the role name after `role/` (and any path) must be 1 to 64 characters, without empty path segments",
        );
    }
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"+=,.@_-/".contains(&b);
    if !path_and_name.bytes().all(allowed) {
        return Some("role names and paths may contain only letters, digits and `+=,.@_-/`");
    }
    None
}

/// The candidate closest to `wanted`, when one is close enough to be a typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter_map(|c| {
            let distance = if c.to_lowercase() == wanted_lower {
                0
            } else {
                edit_distance(wanted, c)
            };
            (distance <= limit).then_some((distance, c))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// Edit distance counting a swap of two neighbours as one edit (optimal
/// string alignment), so `raed` is one edit from `read`.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // d[i][j]: distance between the first i chars of a and the first j of b.
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// `` `a`, `b`, `c` `` for a message, or the first `max` and a count of the rest.
pub fn list(names: &[&str], max: usize) -> String {
    let shown: Vec<String> = names.iter().take(max).map(|n| format!("`{n}`")).collect();
    let mut text = shown.join(", ");
    if names.len() > max {
        text.push_str(&format!(" and {} more", names.len() - max));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_rules() {
        let name = |src: &str| name_of(&syn::parse_str(src).unwrap()).map(|(n, _)| n);
        assert_eq!(name("EDITORS").as_deref(), Some("EDITORS"));
        assert_eq!(name("r#type").as_deref(), Some("type"));
        assert_eq!(name("\"type\"").as_deref(), Some("type"));
        assert_eq!(name("a::b"), None);
        assert_eq!(name("1"), None);
    }

    #[test]
    fn group_names() {
        assert!(group_name_problem("ADMINS").is_none());
        assert!(group_name_problem("content-reviewers").is_none());
        assert!(group_name_problem("Ελληνικά").is_none());
        assert!(group_name_problem("").is_some());
        assert!(group_name_problem("a b").is_some());
        assert!(group_name_problem("a\u{7}").is_some());
        assert!(group_name_problem("a\u{200B}").is_some());
        assert!(group_name_problem(&"x".repeat(128)).is_none());
        assert!(group_name_problem(&"x".repeat(129)).is_some());
    }

    #[test]
    fn role_arns() {
        assert!(role_arn_problem("arn:aws:iam::123456789012:role/Admins").is_none());
        assert!(role_arn_problem("arn:aws-cn:iam::123456789012:role/team/Admins").is_none());
        assert!(role_arn_problem("arn:aws:iam::12345678901:role/Admins").is_some());
        assert!(role_arn_problem("arn:aws:s3::123456789012:role/Admins").is_some());
        assert!(role_arn_problem("arn:aws:iam::123456789012:user/Admins").is_some());
        assert!(role_arn_problem("arn:aws:iam::123456789012:role/").is_some());
        assert!(role_arn_problem("arn:aws:iam::123456789012:role/a//b").is_some());
        assert!(role_arn_problem("arn:aws:iam::123456789012:role/a b").is_some());
        assert!(role_arn_problem("Admins").is_some());
    }

    #[test]
    fn suggestions() {
        assert_eq!(closest("EDITOR", ["ADMINS", "EDITORS"]), Some("EDITORS"));
        assert_eq!(closest("editors", ["ADMINS", "EDITORS"]), Some("EDITORS"));
        assert_eq!(closest("XYZ", ["ADMINS", "EDITORS"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("raed", "read"), 1);
        assert_eq!(closest("raed", ["read", "get"]), Some("read"));
    }
}
