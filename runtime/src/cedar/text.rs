//! Cedar text: identifiers, string and pattern literals, attribute
//! accesses, and the entity JSON the policies read.

use core::fmt::Write as _;

pub(super) const RESERVED: [&str; 13] = [
    "true", "false", "if", "then", "else", "in", "is", "like", "has", "permit", "forbid", "when",
    "unless",
];

/// The names the export gives its own entity types, and Cedar's `Action`.
pub(super) const OWN_TYPES: [&str; 4] = ["User", "Guest", "Group", "Action"];

pub(super) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && !RESERVED.contains(&name)
        && !name.starts_with("__cedar")
}

/// `s` as a Cedar string literal.
pub(super) fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` as a `like` pattern that matches exactly `s` (`*` and `\` escaped).
pub(super) fn pattern_literal(s: &str) -> String {
    literal(s).replace('*', "\\*")
}

/// `expr.name`, or `expr["name"]` when `name` is not an identifier.
pub(super) fn attribute(expr: &str, name: &str) -> String {
    if is_identifier(name) {
        format!("{expr}.{name}")
    } else {
        format!("{expr}[{}]", literal(name))
    }
}

/// `expr has name`.
pub(super) fn has(expr: &str, name: &str) -> String {
    if is_identifier(name) {
        format!("{expr} has {name}")
    } else {
        format!("{expr} has {}", literal(name))
    }
}

/// The name of an attribute in a schema.
pub(super) fn schema_name(name: &str) -> String {
    if is_identifier(name) {
        name.to_owned()
    } else {
        literal(name)
    }
}

/// `s` as a JSON string.
pub(super) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) fn json_strings<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(json_string).collect();
    format!("[{}]", items.join(","))
}

/// `name` behind Verified Permissions' entity prefix, if any: `prefix|name`.
pub(super) fn prefixed(prefix: Option<&str>, name: &str) -> String {
    match prefix {
        Some(prefix) => format!("{prefix}|{name}"),
        None => name.to_owned(),
    }
}

/// One entity: `{"uid": .., "attrs": attrs, "parents": parents}`.
pub(super) fn entity_json(ty: &str, id: &str, attrs: &str, parents: &str) -> String {
    format!(
        "{{\"uid\":{},\"attrs\":{attrs},\"parents\":{parents}}}",
        reference(ty, id)
    )
}

/// `{"type": ty, "id": id}`.
pub(super) fn reference(ty: &str, id: &str) -> String {
    format!(
        "{{\"type\":{},\"id\":{}}}",
        json_string(ty),
        json_string(id)
    )
}

#[cfg(test)]
mod tests {
    use super::{is_identifier, json_string, literal, pattern_literal};

    #[test]
    fn json_strings_escape() {
        assert_eq!(json_string("a\"b\\c\u{1}é"), r#""a\"b\\c\u0001é""#);
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("Blog_2"));
        assert!(is_identifier("_x"));
        for bad in ["", "2a", "a-b", "if", "like", "Café", "__cedar_x", "a b"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn literals_escape() {
        assert_eq!(literal(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(literal("x\ny\u{1}"), r#""x\ny\u{1}""#);
        assert_eq!(pattern_literal("a*b/"), r#""a\*b/""#);
    }
}
