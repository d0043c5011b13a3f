//! The rules a storage path must pass on its own: Amplify's rules 1 to 4
//! and the single-path half of rule 6 (SEMANTICS section 4), plus what a key
//! can never hold. Each rule is a pure function of the path's text that
//! gives its message; the fixes that messages suggest are checked here to
//! pass every rule themselves.

use super::ast::ENTITY_TOKEN;
use crate::internals::names;

/// A rule: the message when `value` breaks it.
type Rule = fn(&str) -> Option<String>;

/// The shape rules, in the order their messages come.
const SHAPE: [Rule; 8] = [
    no_leading_slash,
    ends_with_wildcard,
    no_empty_part,
    wildcard_only_last,
    no_dot_part,
    no_unsafe_character,
    no_iam_wildcard,
    only_known_token,
];

/// Rule 6 on one path; meaningful once the path has a valid shape.
const ENTITY: [Rule; 4] = [
    entity_token_once,
    entity_token_is_last_part,
    entity_token_is_whole_part,
    entity_token_not_first,
];

/// What is wrong with `value` on its own, one message each, with a fix
/// where one is certain. Empty for a valid path.
pub fn problems(value: &str) -> Vec<String> {
    let shape: Vec<String> = SHAPE
        .iter()
        .enumerate()
        .filter_map(|(i, rule)| {
            let message = rule(value)?;
            // Rules 1, 2 and 4 are the ones with a mechanical fix.
            Some(match i {
                0 | 1 | 3 => message + &fix_hint(value, i == 0),
                _ => message,
            })
        })
        .collect();
    if !shape.is_empty() || !value.contains(ENTITY_TOKEN) {
        return shape;
    }
    ENTITY.iter().filter_map(|rule| rule(value)).collect()
}

/// Whether `value` has a valid shape (rules between paths only make sense
/// between such paths).
pub fn has_valid_shape(value: &str) -> bool {
    SHAPE.iter().all(|rule| rule(value).is_none())
}

/// Whether `value` passes every single-path rule.
fn is_valid(value: &str) -> bool {
    has_valid_shape(value)
        && (!value.contains(ENTITY_TOKEN) || ENTITY.iter().all(|rule| rule(value).is_none()))
}

/// `value` with the mechanical fixes applied (no leading `/`, a misspelled
/// `{entity_id}` corrected, a `*` part moved to the end, a final `/*`), when
/// the result is a valid path. A fix that would break another rule is no
/// fix: `{entity_id}/x` has none.
pub fn fixed(value: &str) -> Option<String> {
    let trimmed = wildcard_moved_to_end(&corrected_tokens(value.trim_start_matches('/')));
    let fixed = if trimmed.ends_with("/*") {
        trimmed
    } else {
        format!("{}/*", trimmed.trim_end_matches('*').trim_end_matches('/'))
    };
    (fixed != value && is_valid(&fixed)).then_some(fixed)
}

fn fix_hint(value: &str, leading_slash: bool) -> String {
    if let Some(fixed) = fixed(value) {
        return format!("; write `{fixed}`");
    }
    let rest = value.trim_start_matches('/');
    if leading_slash && (rest.is_empty() || rest.starts_with('*')) {
        return "; the bucket root cannot be declared: name a first part, such as `public/*`"
            .to_owned();
    }
    String::new()
}

/// `value` without the `*` parts before its last part (rule 4): a path
/// covers everything under it, so `drafts/*/x` is written `drafts/x/*`, the
/// keys under `drafts/x/`. A `*` inside a part (`dr*fts`) stays: no fix
/// guesses what it meant.
fn wildcard_moved_to_end(value: &str) -> String {
    let parts: Vec<&str> = value.split('/').collect();
    let last = parts.len() - 1;
    let kept: Vec<&str> = parts
        .iter()
        .enumerate()
        .filter(|&(i, part)| i == last || *part != "*")
        .map(|(_, part)| *part)
        .collect();
    kept.join("/")
}

/// `value` with each `{...}` token that is a typo of `{entity_id}` corrected.
fn corrected_tokens(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        let token = &rest[open..=close];
        if token_typo(&token[1..token.len() - 1]) {
            out.push_str(ENTITY_TOKEN);
        } else {
            out.push_str(token);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether the text between braces is a typo of `entity_id`.
fn token_typo(inner: &str) -> bool {
    let entity_id = ENTITY_TOKEN.trim_matches(['{', '}']);
    inner != entity_id && names::closest(inner, [entity_id]).is_some()
}

/// Rule 1: a path must not start with `/`.
fn no_leading_slash(value: &str) -> Option<String> {
    value
        .starts_with('/')
        .then(|| "storage paths must not start with `/` (path rule 1)".to_owned())
}

/// Rule 2: a path must end with `/*`.
fn ends_with_wildcard(value: &str) -> Option<String> {
    (!value.ends_with("/*"))
        .then(|| format!("storage paths must end with `/*` (path rule 2): `{value}` does not"))
}

/// Rule 3: a path must not contain `//`.
fn no_empty_part(value: &str) -> Option<String> {
    value.contains("//").then(|| {
        format!("storage paths must not contain `//` (path rule 3): `{value}` has an empty part")
    })
}

/// Rule 4: `*` may only be the final character.
fn wildcard_only_last(value: &str) -> Option<String> {
    let at = value.find('*')?;
    (at + 1 < value.len()).then(|| {
        format!("`*` is allowed only as the final character of a storage path (path rule 4): `{value}` has one before its end")
    })
}

/// Keys with a `.` or `..` segment are always refused, so such a part could
/// never match anything.
fn no_dot_part(value: &str) -> Option<String> {
    value.split('/').any(|part| part == "." || part == "..").then(|| {
        format!("a storage path part cannot be `.` or `..`: keys holding such a part are always denied, so `{value}` could never match")
    })
}

/// Keys with control characters, bidirectional controls, line separators
/// or backslashes are always refused (`groupguard::validate_key`).
fn no_unsafe_character(value: &str) -> Option<String> {
    const DISPLAY_CONTROLS: [char; 14] = [
        '\u{61c}', '\u{200e}', '\u{200f}', '\u{2028}', '\u{2029}', '\u{202a}', '\u{202b}',
        '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
    ];
    let bad = value
        .chars()
        .find(|c| c.is_control() || *c == '\\' || DISPLAY_CONTROLS.contains(c))?;
    Some(format!(
        "a storage path cannot contain {bad:?}: keys holding control characters, bidirectional controls, line separators or backslashes are always denied"
    ))
}

/// IAM reads `?` in a resource or an `s3:prefix` condition as any one
/// character, so Amplify's deployed policy for `a?/*` would also grant
/// `ab/f`: a path that means one thing here and another there.
fn no_iam_wildcard(value: &str) -> Option<String> {
    value.contains('?').then(|| {
        format!("a storage path cannot contain `?`: Amplify deploys paths as IAM policies, where `?` matches any one character (`{value}` would also grant keys with another character in its place)")
    })
}

/// `{entity_id}` is the only token; any other brace is almost surely a typo of it.
fn only_known_token(value: &str) -> Option<String> {
    let rest = value.replace(ENTITY_TOKEN, "");
    if !rest.contains(['{', '}']) {
        return None;
    }
    let shown = match (rest.find('{'), rest.find('}')) {
        (Some(open), Some(close)) if open < close => {
            let hint = if token_typo(&rest[open + 1..close]) {
                format!(" (did you mean `{ENTITY_TOKEN}`?)")
            } else {
                String::new()
            };
            let token = &rest[open..=close];
            return Some(format!(
                "unknown token `{token}` in `{value}`; the only path token is `{ENTITY_TOKEN}`{hint}"
            ));
        }
        (Some(_), _) => "`{`",
        _ => "`}`",
    };
    Some(format!(
        "a stray {shown} in `{value}`: braces in a storage path only ever enclose the token `{ENTITY_TOKEN}`"
    ))
}

/// Rule 6: the token appears once.
fn entity_token_once(value: &str) -> Option<String> {
    (value.matches(ENTITY_TOKEN).count() > 1).then(|| {
        format!("`{ENTITY_TOKEN}` may appear only once in a path (path rule 6): `{value}`")
    })
}

/// Rule 6: the token is the path part right before the final `/*`.
fn entity_token_is_last_part(value: &str) -> Option<String> {
    let (_, after) = value.rsplit_once(ENTITY_TOKEN)?;
    (after != "/*").then(|| {
        format!("`{ENTITY_TOKEN}` must be the path part right before the final `/*` (path rule 6): `{value}`")
    })
}

/// Rule 6: the part holding the token is exactly the token.
fn entity_token_is_whole_part(value: &str) -> Option<String> {
    let part = value
        .split('/')
        .find(|part| part.contains(ENTITY_TOKEN) && *part != ENTITY_TOKEN)?;
    Some(format!(
        "the path part holding `{ENTITY_TOKEN}` must be exactly `{ENTITY_TOKEN}` (path rule 6): `{part}` in `{value}` has other characters"
    ))
}

/// Rule 6: the token is not the first part.
fn entity_token_not_first(value: &str) -> Option<String> {
    value.starts_with(ENTITY_TOKEN).then(|| {
        format!("`{ENTITY_TOKEN}` must not be the first path part (path rule 6): put it under a prefix, as in `profiles/{ENTITY_TOKEN}/*`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixes a message suggests: the text of each "write `...`".
    fn suggested_paths(message: &str) -> Vec<&str> {
        message
            .split("write `")
            .skip(1)
            .filter_map(|rest| rest.split_once('`').map(|(fix, _)| fix))
            .collect()
    }

    /// Every path of up to `n` fragments from an alphabet that reaches every rule.
    fn paths(n: usize) -> Vec<String> {
        const FRAGMENTS: [&str; 9] = [
            "a",
            "/",
            "*",
            "{entity_id}",
            "{entityId}",
            ".",
            "..",
            "\\",
            "{x}",
        ];
        let mut all = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..n {
            frontier = frontier
                .iter()
                .flat_map(|p| FRAGMENTS.iter().map(move |f| format!("{p}{f}")))
                .collect();
            all.extend(frontier.iter().cloned());
        }
        all
    }

    #[test]
    fn every_suggested_fix_is_a_valid_path() {
        let mut suggestions = 0;
        for path in paths(5) {
            for message in problems(&path) {
                for fix in suggested_paths(&message) {
                    suggestions += 1;
                    assert!(
                        problems(fix).is_empty(),
                        "`{path}`: the message {message:?} suggests `{fix}`, which breaks {:?}",
                        problems(fix)
                    );
                }
            }
        }
        // The alphabet does reach the fixes (a test that checks nothing proves nothing).
        assert!(suggestions > 1000, "only {suggestions} suggestions checked");
    }

    #[test]
    fn every_token_suggestion_removes_its_error() {
        let mut suggestions = 0;
        for path in paths(4) {
            for message in problems(&path) {
                if !message.contains("(did you mean `{entity_id}`?)") {
                    continue;
                }
                let token = message
                    .strip_prefix("unknown token `")
                    .and_then(|rest| rest.split('`').next())
                    .expect("the message names the token");
                let fixed = corrected_tokens(&path);
                assert!(
                    !fixed.contains(token),
                    "`{path}` -> `{fixed}` still has `{token}`"
                );
                suggestions += 1;
            }
        }
        assert!(suggestions > 100, "only {suggestions} suggestions checked");
    }

    #[test]
    fn fixes_where_one_is_certain_and_none_otherwise() {
        assert_eq!(fixed("drafts").as_deref(), Some("drafts/*"));
        assert_eq!(fixed("drafts/").as_deref(), Some("drafts/*"));
        assert_eq!(fixed("/public").as_deref(), Some("public/*"));
        assert_eq!(fixed("/public/*").as_deref(), Some("public/*"));
        assert_eq!(
            fixed("profiles/{entityId}").as_deref(),
            Some("profiles/{entity_id}/*")
        );
        // A `*` before the end moves to the end (rule 4).
        assert_eq!(fixed("drafts/*/x").as_deref(), Some("drafts/x/*"));
        assert_eq!(
            fixed("drafts/*/images/*").as_deref(),
            Some("drafts/images/*")
        );
        assert_eq!(fixed("*/x").as_deref(), Some("x/*"));
        assert_eq!(fixed("p/*/{entity_id}").as_deref(), Some("p/{entity_id}/*"));
        // Each of these "fixes" would break another rule, or guess.
        assert_eq!(fixed("dr*fts/x/*"), None);
        assert_eq!(fixed("*"), None);
        assert_eq!(fixed("{entity_id}/x"), None);
        assert_eq!(fixed("a/{entity_id}/x"), None);
        assert_eq!(fixed("/*"), None);
        assert_eq!(fixed("a//b"), None);
        // A valid path needs no fix.
        assert_eq!(fixed("drafts/*"), None);
    }

    #[test]
    fn an_inner_wildcard_suggests_the_path_under_it() {
        assert_eq!(
            problems("drafts/*/x"),
            [
                "storage paths must end with `/*` (path rule 2): `drafts/*/x` does not; write `drafts/x/*`",
                "`*` is allowed only as the final character of a storage path (path rule 4): `drafts/*/x` has one before its end; write `drafts/x/*`",
            ]
        );
        assert_eq!(
            problems("drafts/*/images/*"),
            [
                "`*` is allowed only as the final character of a storage path (path rule 4): `drafts/*/images/*` has one before its end; write `drafts/images/*`"
            ]
        );
    }

    #[test]
    fn stray_braces_are_named_as_such() {
        assert_eq!(
            problems("a{b/*"),
            [
                "a stray `{` in `a{b/*`: braces in a storage path only ever enclose the token `{entity_id}`"
            ]
        );
        assert_eq!(
            problems("a}/{b/*"),
            [
                "a stray `{` in `a}/{b/*`: braces in a storage path only ever enclose the token `{entity_id}`"
            ]
        );
        assert_eq!(
            problems("a}b/*"),
            [
                "a stray `}` in `a}b/*`: braces in a storage path only ever enclose the token `{entity_id}`"
            ]
        );
        assert_eq!(
            problems("a/{x}/*"),
            ["unknown token `{x}` in `a/{x}/*`; the only path token is `{entity_id}`"]
        );
    }

    #[test]
    fn question_marks_are_refused() {
        for path in ["a?/*", "a/?/*", "a/{entity_id}?/*", "?/*"] {
            assert!(
                problems(path)
                    .iter()
                    .any(|p| p.contains("cannot contain `?`")),
                "{path}: {:?}",
                problems(path)
            );
        }
        assert!(!has_valid_shape("a?/*"));
    }

    #[test]
    fn valid_paths_have_no_problems() {
        for path in [
            "public/*",
            "drafts/archive/*",
            "profiles/{entity_id}/*",
            "a/b/{entity_id}/*",
        ] {
            assert_eq!(problems(path), Vec::<String>::new(), "{path}");
        }
    }
}
