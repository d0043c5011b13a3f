//! Checks of a parsed storage: Amplify's path rules (SEMANTICS section 4,
//! rules 1 to 6), acceptors and actions; one function per rule.

use std::collections::{HashMap, HashSet};

use syn::LitStr;

use super::ast::{Acceptor, AcceptorRef, Action, ActionRef, ENTITY_TOKEN, Entry, Storage};
use crate::callback::Declared;
use crate::ctxt::Ctxt;
use crate::hash;
use crate::model::check::{known_group, no_repeated_group};

pub fn storage(cx: &mut Ctxt, declared: &Declared, storage: &Storage) {
    no_entries(cx, storage);
    for entry in &storage.entries {
        if let Some(AcceptorRef {
            acceptor: Acceptor::Groups(groups),
            ..
        }) = &entry.acceptor
        {
            for group in groups {
                known_group(cx, declared, group);
            }
            no_repeated_group(cx, groups, "entry");
        }
        no_repeated_action(cx, &entry.actions);
        read_excludes_parts(cx, &entry.actions);
        entity_needs_token(cx, entry);
    }
    let paths = distinct_paths(&storage.entries);
    not_too_many_paths(cx, &paths);
    let mut well_formed = Vec::new();
    for path in &paths {
        let ok = [
            no_leading_slash(cx, path),
            ends_with_wildcard(cx, path),
            no_empty_part(cx, path),
            wildcard_only_last(cx, path),
            no_dot_part(cx, path),
            no_unsafe_character(cx, path),
            only_known_token(cx, path),
        ];
        // Rules between paths only make sense between paths that are each
        // well formed; an ill-formed one is already reported.
        if ok.iter().all(|ok| *ok) {
            well_formed.push(*path);
        }
    }
    // Each well-formed path ends with `/*`; keyed by the text before the `*`.
    let bases: HashMap<String, &LitStr> = well_formed
        .iter()
        .map(|path| (path.value().trim_end_matches('*').to_owned(), *path))
        .collect();
    for path in &well_formed {
        let prefixes = prefixes_of(path, &bases);
        one_level_of_nesting(cx, path, &prefixes);
        if path.value().contains(ENTITY_TOKEN) {
            entity_path_has_no_prefix(cx, path, &prefixes);
            entity_token_once(cx, path);
            entity_token_is_last_part(cx, path);
            entity_token_is_whole_part(cx, path);
            entity_token_not_first(cx, path);
        }
    }
    let mut entries_by_path: HashMap<String, Vec<&Entry>> = HashMap::new();
    for entry in &storage.entries {
        entries_by_path
            .entry(entry.path.value())
            .or_default()
            .push(entry);
    }
    for path in &paths {
        let entries = entries_by_path
            .get(&path.value())
            .map_or(&[][..], Vec::as_slice);
        acceptor_once_per_path(cx, path, entries);
    }
}

/// The first literal of each distinct path, in declaration order.
fn distinct_paths(entries: &[Entry]) -> Vec<&LitStr> {
    let mut seen = HashSet::new();
    entries
        .iter()
        .map(|entry| &entry.path)
        .filter(|path| seen.insert(path.value()))
        .collect()
}

/// The trie's child tables index entries with `u16`: 65,535 paths at most.
fn not_too_many_paths(cx: &mut Ctxt, paths: &[&LitStr]) {
    if let Some(extra) = paths.get(hash::MAX_ENTRIES) {
        cx.error_spanned_by(
            extra,
            "a storage holds at most 65,535 distinct paths; split it in two",
        );
    }
}

/// A storage with no paths would deny everything: almost surely a mistake.
fn no_entries(cx: &mut Ctxt, storage: &Storage) {
    // Malformed entries are reported on their own; this is for empty braces.
    if storage.body_is_empty {
        cx.error_spanned_by(
            &storage.ident,
            format!(
                "storage `{}` declares no paths; add at least one `\"path/*\" => acceptor: [actions]` (everything else is denied)",
                storage.ident
            ),
        );
    }
}

/// An action listed twice in one entry is a slip.
fn no_repeated_action(cx: &mut Ctxt, actions: &[ActionRef]) {
    for (i, action) in actions.iter().enumerate() {
        if actions[..i].iter().any(|a| a.action == action.action) {
            cx.error_at(
                action.span,
                format!(
                    "action `{}` listed twice in one entry",
                    action.action.name()
                ),
            );
        }
    }
}

/// `read` already covers get and list (Amplify rejects the mix).
fn read_excludes_parts(cx: &mut Ctxt, actions: &[ActionRef]) {
    if !actions.iter().any(|a| a.action == Action::Read) {
        return;
    }
    for action in actions.iter().filter(|a| a.action.is_read_part()) {
        let name = action.action.name();
        cx.error_at(
            action.span,
            format!("`read` already includes `{name}`; remove `{name}` or replace `read` by the parts you mean"),
        );
    }
}

/// `entity(identity)` needs `{entity_id}` to compare with: on another path it
/// would admit every user.
fn entity_needs_token(cx: &mut Ctxt, entry: &Entry) {
    let Some(acceptor) = &entry.acceptor else {
        return;
    };
    let path = entry.path.value();
    // A misspelled token (`{entityId}`) is reported by `only_known_token`.
    let misspelled = path.replace(ENTITY_TOKEN, "").contains(['{', '}']);
    if matches!(acceptor.acceptor, Acceptor::Entity) && !path.contains(ENTITY_TOKEN) && !misspelled
    {
        cx.error_at(
            acceptor.span,
            format!(
                "`entity(identity)` needs a path holding `{ENTITY_TOKEN}`, such as `\"profiles/{ENTITY_TOKEN}/*\"`; `{}` has none",
                entry.path.value()
            ),
        );
    }
}

/// Rule 1: a path must not start with `/`.
fn no_leading_slash(cx: &mut Ctxt, path: &LitStr) -> bool {
    let value = path.value();
    if !value.starts_with('/') {
        return true;
    }
    let rest = value.trim_start_matches('/');
    // Dropping the `/` of `/*` would leave `*`, which breaks rule 2.
    let hint = if rest.is_empty() || rest.starts_with('*') {
        "; the bucket root cannot be declared: name a first part, such as `public/*`".to_owned()
    } else {
        format!("; write `{rest}`")
    };
    cx.error_spanned_by(
        path,
        format!("storage paths must not start with `/` (path rule 1){hint}"),
    );
    false
}

/// Rule 2: a path must end with `/*`.
fn ends_with_wildcard(cx: &mut Ctxt, path: &LitStr) -> bool {
    let value = path.value();
    if value.ends_with("/*") {
        return true;
    }
    let base = value.trim_end_matches('*').trim_end_matches('/');
    let hint = if base.is_empty() {
        String::new()
    } else {
        format!("; write `{base}/*`")
    };
    cx.error_spanned_by(
        path,
        format!("storage paths must end with `/*` (path rule 2): `{value}` does not{hint}"),
    );
    false
}

/// Rule 3: a path must not contain `//`.
fn no_empty_part(cx: &mut Ctxt, path: &LitStr) -> bool {
    let value = path.value();
    if !value.contains("//") {
        return true;
    }
    cx.error_spanned_by(
        path,
        format!("storage paths must not contain `//` (path rule 3): `{value}` has an empty part"),
    );
    false
}

/// Rule 4: `*` may only be the final character.
fn wildcard_only_last(cx: &mut Ctxt, path: &LitStr) -> bool {
    let value = path.value();
    match value.find('*') {
        Some(at) if at + 1 < value.len() => {
            cx.error_spanned_by(
                path,
                format!("`*` is allowed only as the final character of a storage path (path rule 4): `{value}` has one before its end"),
            );
            false
        }
        _ => true,
    }
}

/// Keys with a `.` or `..` segment are always refused, so such a part could
/// never match anything.
fn no_dot_part(cx: &mut Ctxt, path: &LitStr) -> bool {
    let value = path.value();
    if !value.split('/').any(|part| part == "." || part == "..") {
        return true;
    }
    cx.error_spanned_by(
        path,
        format!("a storage path part cannot be `.` or `..`: keys holding such a part are always denied, so `{value}` could never match"),
    );
    false
}

/// Keys with control characters or backslashes are always refused.
fn no_unsafe_character(cx: &mut Ctxt, path: &LitStr) -> bool {
    let value = path.value();
    let Some(bad) = value.chars().find(|c| c.is_control() || *c == '\\') else {
        return true;
    };
    cx.error_spanned_by(
        path,
        format!(
            "a storage path cannot contain {:?}: keys holding control characters or backslashes are always denied",
            bad
        ),
    );
    false
}

/// `{entity_id}` is the only token; any other brace is almost surely a typo of it.
fn only_known_token(cx: &mut Ctxt, path: &LitStr) -> bool {
    let value = path.value();
    let rest = value.replace(ENTITY_TOKEN, "");
    if !rest.contains(['{', '}']) {
        return true;
    }
    let (shown, hint) = match (rest.find('{'), rest.find('}')) {
        (Some(open), Some(close)) if open < close => {
            let inner = &rest[open + 1..close];
            let hint = crate::names::closest(inner, ["entity_id"])
                .map(|_| format!(" (did you mean `{ENTITY_TOKEN}`?)"))
                .unwrap_or_default();
            (format!("`{}`", &rest[open..=close]), hint)
        }
        _ => ("a stray brace".to_owned(), String::new()),
    };
    cx.error_spanned_by(
        path,
        format!(
            "unknown token {shown} in `{value}`; the only path token is `{ENTITY_TOKEN}`{hint}"
        ),
    );
    false
}

/// The other declared paths that are a prefix of `path`: Amplify compares
/// the texts without their `*`, so `foo/*` is a prefix of `foo/bar/*`.
fn prefixes_of<'a>(path: &LitStr, bases: &HashMap<String, &'a LitStr>) -> Vec<&'a LitStr> {
    // The candidates are the text up to each `/` of the path, shortest first
    // (one hash lookup each, so checking n paths is not quadratic).
    let value = path.value();
    let base = value.trim_end_matches('*');
    value
        .match_indices('/')
        .map(|(i, _)| &value[..=i])
        .filter(|candidate| *candidate != base)
        .filter_map(|candidate| bases.get(candidate).copied())
        .collect()
}

fn quoted(paths: &[&LitStr]) -> String {
    let values: Vec<String> = paths.iter().map(|p| p.value()).collect();
    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
    crate::names::list(&refs, 5)
}

/// Rule 5: at most one other path may be a prefix of a path (one level of nesting).
fn one_level_of_nesting(cx: &mut Ctxt, path: &LitStr, prefixes: &[&LitStr]) {
    if prefixes.len() > 1 {
        cx.error_spanned_by(
            path,
            format!(
                "at most one other declared path may be a prefix of a path (path rule 5: one level of nesting); `{}` is nested under {}",
                path.value(),
                quoted(prefixes)
            ),
        );
    }
}

/// Rule 6: no other path may be a prefix of a path holding `{entity_id}`.
fn entity_path_has_no_prefix(cx: &mut Ctxt, path: &LitStr, prefixes: &[&LitStr]) {
    if !prefixes.is_empty() {
        cx.error_spanned_by(
            path,
            format!(
                "no other path may be a prefix of a path holding `{ENTITY_TOKEN}` (path rule 6); `{}` is nested under {}",
                path.value(),
                quoted(prefixes)
            ),
        );
    }
}

/// Rule 6: the token appears once.
fn entity_token_once(cx: &mut Ctxt, path: &LitStr) {
    let value = path.value();
    if value.matches(ENTITY_TOKEN).count() > 1 {
        cx.error_spanned_by(
            path,
            format!("`{ENTITY_TOKEN}` may appear only once in a path (path rule 6): `{value}`"),
        );
    }
}

/// Rule 6: the token is the path part right before the final `/*`.
fn entity_token_is_last_part(cx: &mut Ctxt, path: &LitStr) {
    let value = path.value();
    let Some((_, after)) = value.rsplit_once(ENTITY_TOKEN) else {
        return;
    };
    if after != "/*" {
        cx.error_spanned_by(
            path,
            format!("`{ENTITY_TOKEN}` must be the path part right before the final `/*` (path rule 6): `{value}`"),
        );
    }
}

/// Rule 6: the part holding the token is exactly the token.
fn entity_token_is_whole_part(cx: &mut Ctxt, path: &LitStr) {
    let value = path.value();
    let mixed = value
        .split('/')
        .find(|part| part.contains(ENTITY_TOKEN) && *part != ENTITY_TOKEN);
    if let Some(part) = mixed {
        cx.error_spanned_by(
            path,
            format!("the path part holding `{ENTITY_TOKEN}` must be exactly `{ENTITY_TOKEN}` (path rule 6): `{part}` in `{value}` has other characters"),
        );
    }
}

/// Rule 6: the token is not the first part.
fn entity_token_not_first(cx: &mut Ctxt, path: &LitStr) {
    let value = path.value();
    if value.starts_with(ENTITY_TOKEN) {
        cx.error_spanned_by(
            path,
            format!("`{ENTITY_TOKEN}` must not be the first path part (path rule 6): put it under a prefix, as in `profiles/{ENTITY_TOKEN}/*`"),
        );
    }
}

/// Each acceptor (and each group) may have one entry per path, as in Amplify:
/// two would leave the reader adding up grants across the list.
fn acceptor_once_per_path(cx: &mut Ctxt, path: &LitStr, entries: &[&Entry]) {
    let value = path.value();
    let mut seen: HashSet<String> = HashSet::new();
    for entry in entries {
        let Some(acceptor) = &entry.acceptor else {
            continue;
        };
        let mut repeated = |key: String, span, what: String| {
            if !seen.insert(key) {
                cx.error_at(
                    span,
                    format!("{what} already has an entry for `{value}`; each acceptor may appear once per path: merge the actions into one entry"),
                );
            }
        };
        match &acceptor.acceptor {
            Acceptor::Groups(groups) => {
                let mut in_entry = HashSet::new();
                for group in groups {
                    // Repeats inside one `groups(...)` are reported by `no_repeated_group`.
                    if in_entry.insert(&group.name) {
                        repeated(
                            format!("group {}", group.name),
                            group.span,
                            format!("group `{}`", group.name),
                        );
                    }
                }
            }
            other => {
                let declaration = other.declaration();
                repeated(
                    declaration.clone(),
                    acceptor.span,
                    format!("`{declaration}`"),
                );
            }
        }
    }
}
