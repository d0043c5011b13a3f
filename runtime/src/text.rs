//! Untrusted text made safe for messages and log lines.

/// A value from a token, a claim or configuration, made safe for a message
/// and a log line: backticks, backslashes and anything but printable ASCII
/// escaped, cut to 64 characters. A name holding a newline or a backtick can
/// then neither forge a log line nor close the quotes around it.
pub(crate) fn shown(value: &str) -> String {
    Escaped(value).to_string()
}

/// [`shown`] as a `Display`, which escapes while it formats: for log fields
/// that are formatted only when a subscriber records them.
pub(crate) struct Escaped<'a>(pub &'a str);

impl core::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        use core::fmt::Write;
        const MAX: usize = 64;
        for (i, c) in self.0.chars().enumerate() {
            if i == MAX {
                return f.write_char('…');
            }
            match c {
                '`' => f.write_str("\\`")?,
                '\\' => f.write_str("\\\\")?,
                // Everything else outside printable ASCII is escaped, so that
                // look-alikes (a Greek `Ε` for `E`) and bidi controls show in logs.
                c if c == ' ' || c.is_ascii_graphic() => f.write_char(c)?,
                c => {
                    for escaped in c.escape_default() {
                        f.write_char(escaped)?;
                    }
                }
            }
        }
        Ok(())
    }
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
