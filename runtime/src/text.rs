//! Untrusted text made safe for messages and log lines.

/// A value from a token, a claim or configuration, made safe for a message
/// and a log line: backticks, backslashes and anything but printable ASCII
/// escaped, cut to 64 characters. A name holding a newline or a backtick can
/// then neither forge a log line nor close the quotes around it.
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 64;
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        match c {
            '`' => out.push_str("\\`"),
            '\\' => out.push_str("\\\\"),
            // Everything else outside printable ASCII is escaped, so that
            // look-alikes (a Greek `Ε` for `E`) and bidi controls show in logs.
            c if c == ' ' || c.is_ascii_graphic() => out.push(c),
            c => out.extend(c.escape_default()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn escapes_and_truncates() {
        assert_eq!(shown("ADMINS"), "ADMINS");
        assert_eq!(shown("a\nb`c\\d"), "a\\nb\\`c\\\\d");
        assert_eq!(shown("\u{202e}x"), "\\u{202e}x");
        let long = "x".repeat(100);
        assert_eq!(shown(&long), format!("{}…", "x".repeat(64)));
    }
}
