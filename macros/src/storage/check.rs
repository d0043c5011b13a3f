//! Checks of a parsed storage: Amplify's path rules (SEMANTICS section 4,
//! rules 1 to 6; those on one path alone are in `path_rules`), acceptors
//! and actions; one function per rule.

use std::collections::{HashMap, HashSet};

use syn::LitStr;

use super::ast::{Acceptor, AcceptorRef, ENTITY_TOKEN, Entry, Storage};
use super::path_rules;
use crate::internals::companion::Declared;
use crate::internals::ctxt::Ctxt;
use crate::internals::{group, hash, names, ops};

pub fn storage(cx: &mut Ctxt, declared: &Declared, storage: &Storage) {
    no_entries(cx, storage);
    for entry in &storage.entries {
        if let Some(AcceptorRef {
            acceptor: Acceptor::Groups(groups),
            ..
        }) = &entry.acceptor
        {
            group::check_list(cx, declared, groups, "entry");
        }
        ops::check_list(cx, &entry.actions);
        entity_needs_token(cx, entry);
    }
    let paths = distinct_paths(&storage.entries);
    not_too_many_paths(cx, &paths);
    let mut well_formed = Vec::new();
    for path in &paths {
        let value = path.value();
        for problem in path_rules::problems(&value) {
            cx.error_spanned_by(path, problem);
        }
        // Rules between paths only make sense between paths that are each
        // well formed; an ill-formed one is already reported.
        if path_rules::has_valid_shape(&value) {
            well_formed.push(*path);
        }
    }
    // Each well-formed path ends with `/*`; keyed by the text before the `*`.
    let bases: HashMap<String, &LitStr> = well_formed
        .iter()
        .map(|path| (path.value().trim_end_matches('*').to_owned(), *path))
        .collect();
    let mut entries_by_path: HashMap<String, Vec<&Entry>> = HashMap::new();
    for entry in &storage.entries {
        entries_by_path
            .entry(entry.path.value())
            .or_default()
            .push(entry);
    }
    let covered = covered_by_others(&well_formed, &entries_by_path);
    for path in &well_formed {
        let prefixes = prefixes_of(path, &bases);
        let nested = one_level_of_nesting(cx, path, &prefixes);
        if path.value().contains(ENTITY_TOKEN) {
            entity_path_has_no_prefix(cx, path, &prefixes);
        }
        if !nested && (prefixes.is_empty() || !path.value().contains(ENTITY_TOKEN)) {
            let wide = wide_prefixes_of(path, &covered);
            let owner = grants_entity(entries_by_path.get(&path.value()));
            one_level_counting_wide_paths(cx, path, &prefixes, &wide);
            no_owner_under_a_wide_path(cx, path, &wide, owner);
        }
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
    names::list(&refs, 5)
}

/// Rule 5: at most one other path may be a prefix of a path (one level of
/// nesting). Whether it was broken.
fn one_level_of_nesting(cx: &mut Ctxt, path: &LitStr, prefixes: &[&LitStr]) -> bool {
    let broken = prefixes.len() > 1;
    if broken {
        cx.error_spanned_by(
            path,
            format!(
                "at most one other declared path may be a prefix of a path (path rule 5: one level of nesting); `{}` is nested under {}",
                path.value(),
                quoted(prefixes)
            ),
        );
    }
    broken
}

/// An `{entity_id}` path whose grants to others than the owner cover all of
/// `p/*`, as Amplify deploys them (it writes `*` for the token and trims
/// `p/*/*` to `p/*`).
struct WidePath<'a> {
    path: &'a LitStr,
    /// `p/`: the text before the `{entity_id}` part.
    base: String,
}

impl WidePath<'_> {
    fn described(&self) -> String {
        format!(
            "`{}` (whose grants to others than the owner cover `{}*`)",
            self.path.value(),
            self.base
        )
    }
}

/// The `{entity_id}` paths with a grant to guests, signed-in users or groups.
fn covered_by_others<'a>(
    paths: &[&'a LitStr],
    entries: &HashMap<String, Vec<&Entry>>,
) -> Vec<WidePath<'a>> {
    paths
        .iter()
        .filter_map(|path| {
            let value = path.value();
            let base = value.strip_suffix(&format!("{ENTITY_TOKEN}/*"))?.to_owned();
            let others = entries.get(&value)?.iter().any(|entry| {
                entry
                    .acceptor
                    .as_ref()
                    .is_some_and(|a| !matches!(a.acceptor, Acceptor::Entity))
            });
            others.then_some(WidePath { path, base })
        })
        .collect()
}

/// Whether an entry of the path grants to `entity(identity)`.
fn grants_entity(entries: Option<&Vec<&Entry>>) -> bool {
    entries.is_some_and(|entries| {
        entries.iter().any(|entry| {
            entry
                .acceptor
                .as_ref()
                .is_some_and(|a| matches!(a.acceptor, Acceptor::Entity))
        })
    })
}

/// The wide paths (other than `path` itself) whose `p/*` is a prefix of `path`.
fn wide_prefixes_of<'w, 'a>(path: &LitStr, wide: &'w [WidePath<'a>]) -> Vec<&'w WidePath<'a>> {
    let value = path.value();
    wide.iter()
        .filter(|w| w.path.value() != value && value.starts_with(&w.base))
        .collect()
}

/// Rule 5 counting the `p/*` Amplify writes for an `{entity_id}` path: a
/// third level breaks Amplify's own IAM policies, which deny a sub-path's
/// grants on the first ancestor in declaration order, not on its parent.
fn one_level_counting_wide_paths(
    cx: &mut Ctxt,
    path: &LitStr,
    prefixes: &[&LitStr],
    wide: &[&WidePath],
) {
    if wide.is_empty() || prefixes.len() + wide.len() < 2 {
        return;
    }
    let mut under: Vec<String> = prefixes
        .iter()
        .map(|p| format!("`{}`", p.value()))
        .collect();
    under.extend(wide.iter().map(|w| w.described()));
    cx.error_spanned_by(
        path,
        format!(
            "`{}` is nested under {}: three levels of paths (path rule 5, counting the `p/*` that Amplify writes for `p/{ENTITY_TOKEN}/*`); Amplify's IAM policies would then deny on an ancestor chosen by declaration order, not by specificity, so the two would decide differently: move the path, or drop a level",
            path.value(),
            under.join(" and ")
        ),
    );
}

/// Rule 6 counting the `p/*` Amplify writes for an `{entity_id}` path: an
/// owner's folder nested in it is not decided by its own path in Amplify's
/// IAM policies (the outer grants reach into it, or deny the owner).
fn no_owner_under_a_wide_path(cx: &mut Ctxt, path: &LitStr, wide: &[&WidePath], owner: bool) {
    let Some(outer) = wide.first().filter(|_| owner) else {
        return;
    };
    cx.error_spanned_by(
        path,
        format!(
            "`{}` grants `entity(identity)` but is nested under {}: Amplify's IAM policies would not let `{}` decide alone (the outer grants reach into the owners' folders, or deny them to their owners), so the two would decide differently; move `{}` out of `{}`, or grant only `entity(identity)` on `{}`",
            path.value(),
            outer.described(),
            path.value(),
            path.value(),
            outer.base,
            outer.path.value()
        ),
    );
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
