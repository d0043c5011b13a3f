//! Object keys: what every storage guard checks first ([`validate_key`]).

use crate::decision::KeyError;

/// S3's limit on an object key, in bytes; longer keys are refused.
///
/// ```
/// use groupguard::{validate_key, KeyError, MAX_KEY_BYTES};
/// assert_eq!(validate_key(&"k".repeat(MAX_KEY_BYTES)), Ok(()));
/// assert_eq!(validate_key(&"k".repeat(MAX_KEY_BYTES + 1)), Err(KeyError::TooLong));
/// ```
pub const MAX_KEY_BYTES: usize = 1024;

/// Checks that `key` is a plain object key, which every storage guard does
/// first.
///
/// Keys are literal: they are never decoded or normalised (`%2e%2e` is just
/// a segment), so anything that could be read as a path trick is refused.
///
/// # Errors
///
/// The first failed check, in this order:
///
/// | key | error |
/// |-----|-------|
/// | empty | [`KeyError::Empty`] |
/// | longer than 1024 bytes | [`KeyError::TooLong`] |
/// | starts with `/` | [`KeyError::LeadingSlash`] |
/// | NUL or another control character | [`KeyError::ControlCharacter`] |
/// | a bidirectional control, U+2028 or U+2029 | [`KeyError::DisplayControl`] |
/// | a backslash | [`KeyError::Backslash`] |
/// | `//` | [`KeyError::EmptySegment`] |
/// | a `.` or `..` segment | [`KeyError::DotSegment`] |
///
/// A trailing `/` is allowed: it names a folder marker object or, for
/// [`Access::List`](crate::Access::List), a prefix.
///
/// ```
/// use groupguard::{validate_key, KeyError};
/// assert_eq!(validate_key("drafts/2024/a.md"), Ok(()));
/// assert_eq!(validate_key("drafts/"), Ok(()));
/// assert_eq!(validate_key("drafts/../admin/x"), Err(KeyError::DotSegment));
/// assert_eq!(validate_key("drafts//x"), Err(KeyError::EmptySegment));
/// assert_eq!(validate_key("/drafts/x"), Err(KeyError::LeadingSlash));
/// assert_eq!(validate_key("drafts/x\0"), Err(KeyError::ControlCharacter));
/// assert_eq!(validate_key("drafts/\u{202e}gpj.exe"), Err(KeyError::DisplayControl));
/// assert_eq!(validate_key("drafts/a\u{2028}b"), Err(KeyError::DisplayControl));
/// assert_eq!(validate_key("drafts\\x"), Err(KeyError::Backslash));
/// assert_eq!(validate_key(&"a".repeat(1025)), Err(KeyError::TooLong));
/// ```
pub fn validate_key(key: &str) -> Result<(), KeyError> {
    if key.is_empty() {
        return Err(KeyError::Empty);
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(KeyError::TooLong);
    }
    if key.starts_with('/') {
        return Err(KeyError::LeadingSlash);
    }
    // One pass over the bytes; the errors are then reported in the
    // documented order, whatever their positions.
    let bytes = key.as_bytes();
    let (mut control, mut display, mut backslash, mut empty_segment, mut dot_segment) =
        (false, false, false, false, false);
    let mut segment_start = 0;
    for (i, byte) in bytes.iter().enumerate() {
        match byte {
            // C0 and DEL; C1 (U+0080..=U+009F) is `C2 80..=C2 9F` in UTF-8.
            // All of them, not only NUL, can truncate or reshape a key in
            // logs and downstream tools.
            0x00..=0x1f | 0x7f => control = true,
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => control = true,
            // U+061C; U+200E, U+200F, U+2028 to U+202E; U+2066 to U+2069.
            0xd8 if bytes.get(i + 1) == Some(&0x9c) => display = true,
            0xe2 if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0x80), Some(0x8e | 0x8f | 0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
            ) =>
            {
                display = true;
            }
            b'\\' => backslash = true,
            b'/' => {
                let segment = bytes.get(segment_start..i).unwrap_or_default();
                empty_segment |= segment.is_empty();
                dot_segment |= is_dot_segment(segment);
                segment_start = i + 1;
            }
            _ => {}
        }
    }
    // The last segment may be empty: a trailing `/` names a folder or prefix.
    dot_segment |= is_dot_segment(bytes.get(segment_start..).unwrap_or_default());
    if control {
        Err(KeyError::ControlCharacter)
    } else if display {
        Err(KeyError::DisplayControl)
    } else if backslash {
        Err(KeyError::Backslash)
    } else if empty_segment {
        Err(KeyError::EmptySegment)
    } else if dot_segment {
        Err(KeyError::DotSegment)
    } else {
        Ok(())
    }
}

fn is_dot_segment(segment: &[u8]) -> bool {
    segment == b"." || segment == b".."
}
