//! Why a request was denied: [`DenyReason`], and [`KeyError`] for a
//! storage key refused before any rule is read.

/// Why a request was denied.
///
/// ```
/// use groupguard::DenyReason;
/// assert_eq!(DenyReason::NoRule.to_string(), "no rule allows this operation");
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
pub enum DenyReason {
    /// No rule grants this action to anyone.
    #[error("no rule allows this operation")]
    NoRule,
    /// The caller is a guest and no rule grants the action to guests.
    #[error("guests are not allowed; sign in")]
    Guest,
    /// The caller is authenticated but the action is granted to guests only.
    #[error("only guests are allowed")]
    GuestsOnly,
    /// The caller is authenticated but in none of the groups the rules allow.
    #[error("the principal is in none of the allowed groups")]
    NotInAllowedGroup,
    /// No declared storage path covers the key.
    #[error("no declared path covers this key")]
    NoMatchingPath,
    /// The key's `{entity_id}` segment is not the caller's entity id.
    #[error("the key belongs to another entity")]
    NotOwner,
    /// The caller is none of the record's owners (`allow(owner)`,
    /// `allow(owners = field)`...), and no other rule admits it.
    #[error("the principal does not own the record")]
    NotRecordOwner,
    /// Decided without the record (`Model::authorize`), no rule allows the
    /// request, but a rule that reads the record could: decide with
    /// `authorize_record` (or, for a list, with `filter_for`).
    #[error("only the record can decide: `{rule}` may allow it (use `authorize_record`)")]
    NeedsRecord {
        /// The first rule that could allow it, as declared.
        rule: &'static str,
    },
    /// A rule admits the caller, but its `when` predicate is false for the record.
    #[error("the record does not satisfy `{condition}`")]
    ConditionFailed {
        /// The predicate, as written in `when = ...` (e.g. `Self::is_draft`).
        condition: &'static str,
    },
    /// The key is malformed and is never allowed.
    #[error("invalid key: {0}")]
    InvalidKey(#[from] KeyError),
}

/// Why a storage key is refused before any rule is consulted.
///
/// Keys are literal object keys: they are never decoded or normalised, so
/// anything that could be read as a path trick is refused outright.
///
/// ```
/// use groupguard::KeyError;
/// assert_eq!(KeyError::DotSegment.to_string(), "the key has a `.` or `..` segment");
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
pub enum KeyError {
    /// The key is empty.
    #[error("the key is empty")]
    Empty,
    /// The key starts with `/`.
    #[error("the key starts with `/`")]
    LeadingSlash,
    /// The key contains `//` (an empty segment).
    #[error("the key contains `//`")]
    EmptySegment,
    /// The key has a `.` or `..` segment.
    #[error("the key has a `.` or `..` segment")]
    DotSegment,
    /// The key contains a backslash.
    #[error("the key contains a backslash")]
    Backslash,
    /// The key contains NUL or another control character.
    #[error("the key contains a control character")]
    ControlCharacter,
    /// The key is longer than 1024 bytes (the S3 limit).
    #[error("the key is longer than 1024 bytes")]
    TooLong,
    /// The key contains a character that changes how the text around it is
    /// shown: a bidirectional control (U+061C, U+200E, U+200F,
    /// U+202A to U+202E, U+2066 to U+2069), which can make a key read as
    /// another in a log or a listing, or a line or paragraph separator
    /// (U+2028, U+2029), which can start a forged line.
    #[error("the key contains a bidirectional control or a line separator")]
    DisplayControl,
}
