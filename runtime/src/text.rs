//! Untrusted text made safe for messages and log lines.

/// A value from a token, a claim or configuration, made safe for a message
/// and a log line: backticks, backslashes and anything but printable ASCII
/// escaped, cut to 64 characters. A name holding a newline or a backtick can
/// then neither forge a log line nor close the quotes around it.
pub(crate) fn shown(value: &str) -> String {
    Escaped(value).to_string()
}

/// `value` escaped as [`shown`] does, but cut only at `1024` characters (a
/// storage key's limit): for a key in an error that callers match on.
#[cfg_attr(not(feature = "object-store"), allow(dead_code))]
pub(crate) fn escaped(value: &str) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == 1024 {
            out.push('…');
            break;
        }
        let _ = escape_into(&mut out, c);
    }
    out
}

/// Writes `c`: backticks and backslashes escaped, and everything outside
/// printable ASCII and space too, so that look-alikes (a Greek `Ε` for `E`)
/// and bidi controls show in logs.
fn escape_into(out: &mut impl core::fmt::Write, c: char) -> core::fmt::Result {
    match c {
        '`' => out.write_str("\\`"),
        '\\' => out.write_str("\\\\"),
        c if c == ' ' || c.is_ascii_graphic() => out.write_char(c),
        c => c.escape_default().try_for_each(|e| out.write_char(e)),
    }
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
            escape_into(f, c)?;
        }
        Ok(())
    }
}

/// A value for one field of a log line: in double quotes, with `"`, `\`
/// and everything but printable ASCII and space escaped, and cut to
/// `1024` characters (a storage key's limit), so that whatever the value
/// holds (a space and `field=value` text, a quote, a newline, a bidi
/// control), a `key=value` reader of the line sees one field with this
/// value, and no field it did not write.
#[cfg_attr(
    not(any(feature = "audit", feature = "axum", feature = "lambda")),
    allow(dead_code)
)]
pub(crate) struct Quoted<'a>(pub &'a str);

impl core::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        use core::fmt::Write;
        const MAX: usize = 1024;
        f.write_char('"')?;
        for (i, c) in self.0.chars().enumerate() {
            if i == MAX {
                f.write_char('…')?;
                break;
            }
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                c if c == ' ' || c.is_ascii_graphic() => f.write_char(c)?,
                c => {
                    for escaped in c.escape_default() {
                        f.write_char(escaped)?;
                    }
                }
            }
        }
        f.write_char('"')
    }
}

#[cfg(test)]
mod tests {
    use super::{Quoted, shown};

    #[test]
    fn quoted_is_one_field() {
        assert_eq!(Quoted("drafts/a").to_string(), r#""drafts/a""#);
        assert_eq!(
            Quoted(r#"x operation=get reason="allowed""#).to_string(),
            r#""x operation=get reason=\"allowed\"""#
        );
        assert_eq!(Quoted("a\nb\\c").to_string(), r#""a\nb\\c""#);
        assert_eq!(
            Quoted("\u{202e}\u{2028}").to_string(),
            r#""\u{202e}\u{2028}""#
        );
        let long = "x".repeat(2000);
        assert_eq!(
            Quoted(&long).to_string(),
            format!("\"{}…\"", "x".repeat(1024))
        );
    }

    #[test]
    fn escapes_and_truncates() {
        assert_eq!(shown("ADMINS"), "ADMINS");
        assert_eq!(shown("a\nb`c\\d"), "a\\nb\\`c\\\\d");
        assert_eq!(shown("\u{202e}x"), "\\u{202e}x");
        let long = "x".repeat(100);
        assert_eq!(shown(&long), format!("{}…", "x".repeat(64)));
    }
}
