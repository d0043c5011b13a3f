//! A list claim (`cognito:groups`, `cognito:roles`) in the forms it comes
//! in: as a token carries it (a JSON array, or a string naming one entry),
//! and as API Gateway hands it on (a JSON array from the REST API's JWT
//! authorizer, the HTTP API's `"[a b]"`, the REST API's Cognito
//! authorizer's `"a,b"`). Which forms a claim may be in depends on where it
//! comes from ([`Form`]): the event and the issuer for API Gateway's, so
//! that one claim has one reading.

use serde_json::Value;

use super::{MAX_GROUP_CLAIM_ENTRIES, json_type};
#[cfg(feature = "lambda")]
use crate::group::Groups;

/// Why a list claim (the group claim, `cognito:roles`) of an authorizer's
/// claims was refused. Each says what was found, never the value itself.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[non_exhaustive]
#[cfg_attr(
    not(feature = "lambda"),
    expect(
        dead_code,
        reason = "a token's list is read as is; the other refusals are of API Gateway's flattened forms (feature `lambda`)"
    )
)]
pub enum ListClaimError {
    /// Neither a string nor an array.
    #[error("is a {found}, not a string or an array of strings")]
    NotAList {
        /// The JSON type found (`number`, `object`, ...).
        found: &'static str,
    },

    /// An array entry that is not a string.
    #[error("has a {found} at position {position}, not a string")]
    NotAString {
        /// The entry's position, from 0.
        position: usize,
        /// Its JSON type.
        found: &'static str,
    },

    /// More entries than the verifier accepts.
    #[error("has more than {MAX_GROUP_CLAIM_ENTRIES} entries")]
    TooMany,

    /// An empty name in a flattened list: `"a,,b"`, `",a"`, `""`, `"[a  b]"`.
    #[error(
        "has an empty name at position {position} (as in `a,,b` or `[a  b]`): no group name is empty, so the claim is refused rather than read without it"
    )]
    EmptyName {
        /// The name's position, from 0.
        position: usize,
    },

    /// A name of the comma-joined form that holds whitespace, as in
    /// `"[ADMINS] EDITORS"`: Cognito group names cannot, so the value is not
    /// one API Gateway made.
    #[error(
        "has whitespace in the name at position {position}: Cognito group names cannot hold whitespace, so this is neither API Gateway's `[a b]` nor its `a,b` form"
    )]
    Whitespace {
        /// The name's position, from 0.
        position: usize,
    },

    /// A comma-joined claim (`"a,b"`) while a declared group name holds a
    /// comma: one group or two cannot be told apart.
    #[error(
        "is comma-joined (`a,b`, the REST API's Cognito authorizer) and the declared group `{declared}` contains a comma, so one group cannot be told from two: use the HTTP API (`[a b]`), the REST API's JWT authorizer (a JSON array) or verify the raw token"
    )]
    AmbiguousComma {
        /// The declared group name that holds a comma (escaped).
        declared: String,
    },

    /// The HTTP API's `"[a b]"` form from an issuer whose group names may
    /// hold whitespace (any issuer but a Cognito user pool): `[Tenant
    /// ADMINS]` may be one group or two.
    #[error(
        "is the HTTP API's bracketed form (`[a b]`), which cannot be read exactly for this issuer: its group names may hold whitespace (only a Cognito user pool's cannot), so one group cannot be told from several; use an authorizer that keeps the claim a JSON array (the REST API's JWT authorizer), or verify the raw token (`LambdaAuth::from_verifier`)"
    )]
    SpacedNames,

    /// A bracketed claim of one entry (`"[a]"`) while a declared group
    /// name holds a bracket: the HTTP API's one group `a` cannot be told
    /// from the REST API's group `[a]`.
    #[error(
        "is one bracketed name (`[a]`) and the declared group `{declared}` contains a bracket, so the HTTP API's group `a` cannot be told from the REST API's group `[a]`: use the REST API's JWT authorizer (a JSON array) or verify the raw token"
    )]
    AmbiguousBrackets {
        /// The declared group name that holds a bracket (escaped).
        declared: String,
    },
}

/// What the declared group names make ambiguous: the first one holding a
/// comma, and the first one holding a bracket.
#[cfg(feature = "lambda")]
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct Declared {
    comma: Option<&'static str>,
    bracket: Option<&'static str>,
}

#[cfg(feature = "lambda")]
impl Declared {
    /// The declared names of the groups enum `G`.
    pub(crate) fn of<G: Groups>() -> Self {
        let names = || G::ALL.iter().map(|group| group.name());
        Self {
            comma: names().find(|name| name.contains(',')),
            bracket: names().find(|name| name.contains(['[', ']'])),
        }
    }
}

/// Where a list claim comes from, which decides the forms it may be in.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Form {
    /// As a verified token carries it: a JSON array, or a string that is one
    /// entry whatever it holds (as aws-jwt-verify reads a lone string).
    Token,
    /// As an authorizer flattened it to text (feature `lambda`), with the
    /// declared group names that make a form ambiguous.
    #[cfg(feature = "lambda")]
    Flattened(Flattening, Declared),
}

/// How an authorizer may have flattened a list claim to text, by the event
/// and the issuer: one claim, one reading.
#[cfg(feature = "lambda")]
#[derive(Clone, Copy, Debug)]
pub(crate) struct Flattening {
    /// The REST API's Cognito authorizer joins a list with commas
    /// (`"a,b"`): a payload 1.0 event of a Cognito pool may hold that form.
    /// An HTTP API's payload 2.0 never does, and no other issuer is behind
    /// a Cognito authorizer; there, a plain string is one name, as the
    /// verifier reads a string claim.
    pub(crate) comma_joined: bool,
    /// The HTTP API writes a list as `"[a b]"`, split on whitespace: exact
    /// only when no name holds whitespace, as a Cognito pool's cannot.
    pub(crate) brackets: bool,
}

#[cfg(feature = "lambda")]
impl Flattening {
    /// Every form (role ARNs and Cognito names hold no whitespace).
    #[cfg(test)]
    pub(crate) const ANY: Flattening = Flattening {
        comma_joined: true,
        brackets: true,
    };
}

/// The names of a list claim, read exactly:
///
/// - a JSON array of strings: its entries, as they are;
/// - a string of a token ([`Form::Token`]): one entry, as it is;
/// - a string in one pair of brackets (`"[a b]"`): split on whitespace
///   (`"[]"` is no names), where `flattening` allows it, else refused;
/// - any other string: split on commas where `flattening` allows the
///   comma-joined form, else one name (`"a"` is one name either way).
///
/// Flattened names are never empty, and comma-joined ones hold no
/// whitespace; forms the `declared` names make ambiguous are refused.
pub(crate) fn names(value: &Value, form: Form) -> Result<Vec<&str>, ListClaimError> {
    let text = match value {
        Value::String(text) => text.as_str(),
        Value::Array(items) => {
            if items.len() > MAX_GROUP_CLAIM_ENTRIES {
                return Err(ListClaimError::TooMany);
            }
            return items
                .iter()
                .enumerate()
                .map(|(position, item)| {
                    item.as_str().ok_or(ListClaimError::NotAString {
                        position,
                        found: json_type(item),
                    })
                })
                .collect();
        }
        other => {
            return Err(ListClaimError::NotAList {
                found: json_type(other),
            });
        }
    };
    match form {
        Form::Token => Ok(vec![text]),
        #[cfg(feature = "lambda")]
        Form::Flattened(flattening, declared) => flattened(text, flattening, declared),
    }
}

/// The names of a list an authorizer flattened to `text`.
#[cfg(feature = "lambda")]
fn flattened(
    text: &str,
    flattening: Flattening,
    declared: Declared,
) -> Result<Vec<&str>, ListClaimError> {
    let bracketed = text
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'));
    let names: Vec<&str> = if let Some(inner) = bracketed {
        if !flattening.brackets {
            return Err(ListClaimError::SpacedNames);
        }
        if let Some(declared) = declared.bracket
            && !inner.contains(char::is_whitespace)
        {
            return Err(ListClaimError::AmbiguousBrackets {
                declared: crate::text::shown(declared),
            });
        }
        if inner.is_empty() {
            return Ok(Vec::new());
        }
        bounded(inner.split(char::is_whitespace))?
    } else if !flattening.comma_joined {
        // One name; where names cannot hold whitespace (a Cognito pool), a
        // string that holds some is no form API Gateway writes: refused.
        if flattening.brackets && text.contains(char::is_whitespace) {
            return Err(ListClaimError::Whitespace { position: 0 });
        }
        vec![text]
    } else {
        if let Some(declared) = declared.comma
            && text.contains(',')
        {
            return Err(ListClaimError::AmbiguousComma {
                declared: crate::text::shown(declared),
            });
        }
        let names = bounded(text.split(','))?;
        if let Some(position) = names.iter().position(|n| n.contains(char::is_whitespace)) {
            return Err(ListClaimError::Whitespace { position });
        }
        names
    };
    if let Some(position) = names.iter().position(|name| name.is_empty()) {
        return Err(ListClaimError::EmptyName { position });
    }
    Ok(names)
}

/// The pieces, at most [`MAX_GROUP_CLAIM_ENTRIES`] of them.
#[cfg(feature = "lambda")]
fn bounded<'a>(pieces: impl Iterator<Item = &'a str>) -> Result<Vec<&'a str>, ListClaimError> {
    let names: Vec<&str> = pieces.take(MAX_GROUP_CLAIM_ENTRIES + 1).collect();
    if names.len() > MAX_GROUP_CLAIM_ENTRIES {
        return Err(ListClaimError::TooMany);
    }
    Ok(names)
}

#[cfg(test)]
mod token_tests {
    use serde_json::json;

    use super::{Form, ListClaimError, names};

    #[test]
    fn a_tokens_string_is_one_entry_whatever_it_holds() {
        for text in ["viewers,ADMINS", "[a b]", "", "a  b"] {
            let value = json!(text);
            assert_eq!(names(&value, Form::Token).unwrap(), [text]);
        }
        let many = json!(vec!["a"; super::MAX_GROUP_CLAIM_ENTRIES + 1]);
        assert_eq!(names(&many, Form::Token), Err(ListClaimError::TooMany));
    }
}

#[cfg(all(test, feature = "lambda"))]
mod tests {
    use serde_json::{Value, json};

    use super::{Declared, Flattening, Form, ListClaimError, names};

    fn read(value: Value) -> Result<Vec<String>, ListClaimError> {
        read_as(value, Flattening::ANY)
    }

    fn read_as(value: Value, flattening: Flattening) -> Result<Vec<String>, ListClaimError> {
        names(&value, Form::Flattened(flattening, Declared::default()))
            .map(|n| n.into_iter().map(str::to_owned).collect())
    }

    /// An HTTP API event (payload 2.0) of a Cognito pool, and an event of an
    /// issuer whose names may hold whitespace.
    const HTTP_API_COGNITO: Flattening = Flattening {
        comma_joined: false,
        brackets: true,
    };
    const OTHER_ISSUER: Flattening = Flattening {
        comma_joined: false,
        brackets: false,
    };

    #[test]
    fn one_claim_has_one_reading() {
        // Where no authorizer joins with commas, a string is one name, as
        // the verifier reads a string claim.
        for flattening in [HTTP_API_COGNITO, OTHER_ISSUER] {
            assert_eq!(
                read_as(json!("viewers,ADMINS"), flattening).unwrap(),
                ["viewers,ADMINS"]
            );
            assert_eq!(read_as(json!("EDITORS"), flattening).unwrap(), ["EDITORS"]);
            assert_eq!(read_as(json!(["a", "b"]), flattening).unwrap(), ["a", "b"]);
        }
        // An issuer whose names may hold whitespace cannot use `[a b]`:
        // `Tenant ADMINS` would become `Tenant` and `ADMINS`.
        assert_eq!(
            read_as(json!("[Tenant ADMINS]"), OTHER_ISSUER),
            Err(ListClaimError::SpacedNames)
        );
        assert_eq!(
            read_as(json!("[]"), OTHER_ISSUER),
            Err(ListClaimError::SpacedNames)
        );
        assert_eq!(
            read_as(json!("[a b]"), HTTP_API_COGNITO).unwrap(),
            ["a", "b"]
        );
        // A Cognito name holds no whitespace: a string with some is neither
        // form, refused; another issuer's name may hold it.
        assert_eq!(
            read_as(json!("[ADMINS] EDITORS"), HTTP_API_COGNITO),
            Err(ListClaimError::Whitespace { position: 0 })
        );
        assert_eq!(
            read_as(json!("Tenant ADMINS"), OTHER_ISSUER).unwrap(),
            ["Tenant ADMINS"]
        );
    }

    #[test]
    fn each_form_is_read_exactly() {
        assert_eq!(read(json!("EDITORS")).unwrap(), ["EDITORS"]);
        assert_eq!(
            read(json!("ADMINS,EDITORS")).unwrap(),
            ["ADMINS", "EDITORS"]
        );
        assert_eq!(
            read(json!("[ADMINS EDITORS]")).unwrap(),
            ["ADMINS", "EDITORS"]
        );
        assert_eq!(read(json!("[ADMINS]")).unwrap(), ["ADMINS"]);
        assert_eq!(read(json!("[]")).unwrap(), Vec::<String>::new());
        // One pair of brackets is stripped: the HTTP API's one group `[x]`.
        assert_eq!(read(json!("[[x]]")).unwrap(), ["[x]"]);
        // In the bracket form a comma is part of a name.
        assert_eq!(read(json!("[a,b c]")).unwrap(), ["a,b", "c"]);
        assert_eq!(
            read(json!(["ADMINS", "a,b", ""])).unwrap(),
            ["ADMINS", "a,b", ""]
        );
    }

    #[test]
    fn malformed_flattened_lists_are_refused() {
        let cases = [
            (
                json!("ADMINS,,EDITORS"),
                ListClaimError::EmptyName { position: 1 },
            ),
            (json!(",ADMINS"), ListClaimError::EmptyName { position: 0 }),
            (json!("ADMINS,"), ListClaimError::EmptyName { position: 1 }),
            (json!(""), ListClaimError::EmptyName { position: 0 }),
            (
                json!("[ADMINS  EDITORS]"),
                ListClaimError::EmptyName { position: 1 },
            ),
            (
                json!("[ ADMINS]"),
                ListClaimError::EmptyName { position: 0 },
            ),
            (
                json!("[ADMINS] EDITORS"),
                ListClaimError::Whitespace { position: 0 },
            ),
            (
                json!("ADMINS, EDITORS"),
                ListClaimError::Whitespace { position: 1 },
            ),
            (json!(7), ListClaimError::NotAList { found: "number" }),
            (json!(null), ListClaimError::NotAList { found: "null" }),
            (
                json!(["ADMINS", 7]),
                ListClaimError::NotAString {
                    position: 1,
                    found: "number",
                },
            ),
        ];
        for (value, expected) in cases {
            assert_eq!(read(value.clone()), Err(expected), "{value}");
        }
    }

    #[test]
    fn too_many_entries_are_refused_in_every_form() {
        let many = vec!["a"; super::MAX_GROUP_CLAIM_ENTRIES + 1];
        assert_eq!(read(json!(many.join(","))), Err(ListClaimError::TooMany));
        assert_eq!(
            read(json!(format!("[{}]", many.join(" ")))),
            Err(ListClaimError::TooMany)
        );
        assert_eq!(read(json!(many)), Err(ListClaimError::TooMany));
        let most = vec!["a"; super::MAX_GROUP_CLAIM_ENTRIES];
        assert_eq!(read(json!(most.join(","))).unwrap().len(), most.len());
    }

    fn names_any(value: &Value, declared: Declared) -> Result<Vec<&str>, ListClaimError> {
        names(value, Form::Flattened(Flattening::ANY, declared))
    }

    #[test]
    fn declared_names_make_forms_ambiguous() {
        let comma = Declared {
            comma: Some("a,b"),
            bracket: None,
        };
        assert!(matches!(
            names_any(&json!("a,b"), comma),
            Err(ListClaimError::AmbiguousComma { .. })
        ));
        // Safe with a comma in a name: one name without a comma, the
        // bracket form, an array.
        assert_eq!(names_any(&json!("EDITORS"), comma).unwrap(), ["EDITORS"]);
        assert_eq!(names_any(&json!("[a,b]"), comma).unwrap(), ["a,b"]);
        assert_eq!(names_any(&json!(["a,b"]), comma).unwrap(), ["a,b"]);

        let bracket = Declared {
            comma: None,
            bracket: Some("[x]"),
        };
        for one in ["[x]", "[EDITORS]", "[]", "[a,b]"] {
            assert!(
                matches!(
                    names_any(&json!(one), bracket),
                    Err(ListClaimError::AmbiguousBrackets { .. })
                ),
                "{one}"
            );
        }
        // Safe with a bracket in a name: several bracketed names (REST names
        // hold no whitespace), the comma form, an array.
        assert_eq!(
            names_any(&json!("[[x] EDITORS]"), bracket).unwrap(),
            ["[x]", "EDITORS"]
        );
        assert_eq!(
            names_any(&json!("[x],EDITORS"), bracket).unwrap(),
            ["[x]", "EDITORS"]
        );
        assert_eq!(names_any(&json!(["[x]"]), bracket).unwrap(), ["[x]"]);
    }
}
