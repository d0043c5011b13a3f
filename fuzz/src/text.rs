//! What every message built from untrusted input must be: one line, with
//! what it quotes from the input escaped, so that a crafted token, claim or
//! name can neither forge a log line nor close the backticks around it.

/// Panics when `message` holds a control character (a newline, a carriage
/// return, an escape...): the runtime escapes whatever it quotes.
///
/// # Panics
///
/// As said.
pub fn assert_one_line(message: &str) {
    assert!(
        !message.chars().any(char::is_control),
        "a control character in the message {message:?}"
    );
}

/// The backticks of `message` that no backslash escapes: the quotes a
/// message opens and closes. An escaped backslash (`\\`) escapes nothing.
#[must_use]
pub fn unescaped_backticks(message: &str) -> usize {
    let mut count = 0;
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '`' => count += 1,
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::unescaped_backticks;

    #[test]
    fn counts_only_unescaped_backticks() {
        assert_eq!(unescaped_backticks("unknown group `x`"), 2);
        assert_eq!(unescaped_backticks(r"unknown group `x\``"), 2);
        assert_eq!(unescaped_backticks(r"unknown group `x\\``"), 3);
    }
}
