//! The verifier's claim checks (step 4, `iss`, and steps 7 to 13: types,
//! `exp`, `nbf`, `token_use`, client, group claim, `sub`), and
//! [`Principal::from_claims`]. How claims become a principal (where the
//! groups are, in which form, the Cognito claim names) is `crate::claims`.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::config::{Choice, Config, Mode, TokenUse};
use super::error::{VerifyError, shown_all};
use crate::claims::{
    self, DEFAULT_GROUPS_CLAIM, ListClaimError, MAX_GROUP_CLAIM_ENTRIES, names, strings,
};
use crate::group::Groups;
use crate::principal::Principal;
use crate::text::shown;

/// Claims that must be JSON numbers when present (NumericDate).
const NUMBER_CLAIMS: &[&str] = &["exp", "nbf", "iat", "auth_time"];

/// Claims that must be strings when present.
const STRING_CLAIMS: &[&str] = &[
    names::ISS,
    names::SUB,
    names::TOKEN_USE,
    names::CLIENT_ID,
    names::USERNAME,
    names::COGNITO_USERNAME,
    names::COGNITO_PREFERRED_ROLE,
];

/// Claims that must be a string or an array of strings when present.
const STRINGS_CLAIMS: &[&str] = &[names::AUD, names::COGNITO_ROLES];

/// Checks the JSON type of every registered claim the verifier reads, so that
/// no later check can skip a claim of the wrong type (an `exp` given as a
/// string is refused, not ignored).
pub(crate) fn check_types(claims: &Map<String, Value>) -> Result<(), VerifyError> {
    check_numbers(claims)?;
    check_texts(claims)
}

/// The NumericDate claims of [`check_types`].
fn check_numbers(claims: &Map<String, Value>) -> Result<(), VerifyError> {
    for &claim in NUMBER_CLAIMS {
        // `as_f64`, not `is_number`: with serde_json's `arbitrary_precision`
        // feature a number such as `1e400` has no `f64`, and the time checks
        // would skip it.
        if claims.get(claim).is_some_and(|v| v.as_f64().is_none()) {
            return Err(VerifyError::ClaimType {
                claim,
                expected: "a number (seconds since the Unix epoch)",
            });
        }
    }
    Ok(())
}

/// The string claims of [`check_types`], the non-empty `sub` and the
/// string-or-strings claims: every check but the `NumericDate`s, for claims
/// whose times another party checked and sent as text (API Gateway's
/// authorizers, feature `lambda`).
pub(super) fn check_texts(claims: &Map<String, Value>) -> Result<(), VerifyError> {
    for &claim in STRING_CLAIMS {
        if claims.get(claim).is_some_and(|v| !v.is_string()) {
            return Err(VerifyError::ClaimType {
                claim,
                expected: "a string",
            });
        }
    }
    // An empty subject would match records whose owner field is empty.
    if claims.get("sub").and_then(Value::as_str) == Some("") {
        return Err(VerifyError::ClaimType {
            claim: "sub",
            expected: "a non-empty string",
        });
    }
    for &claim in STRINGS_CLAIMS {
        if claims.get(claim).is_some_and(|v| strings(v).is_none()) {
            return Err(VerifyError::ClaimType {
                claim,
                expected: "a string or an array of strings",
            });
        }
    }
    Ok(())
}

/// The claim checks of the verifier that depend on its configuration, steps
/// 4 and 8 to 11 (step 7 is [`check_types`], 12 and 13 [`group_names`] and
/// [`subject`]).
impl Config {
    /// `exp`: required and not passed, with the leeway.
    pub(super) fn check_exp(
        &self,
        claims: &Map<String, Value>,
        now: SystemTime,
    ) -> Result<(), VerifyError> {
        let now = unix_seconds(now);
        let leeway = self.leeway.as_secs_f64();
        let Some(exp) = claims.get("exp").and_then(Value::as_f64) else {
            return Err(VerifyError::MissingClaim { claim: "exp" });
        };
        // RFC 7519 4.1.4: the token is valid only *before* `exp`.
        if now >= exp + leeway {
            return Err(VerifyError::Expired {
                exp: whole_seconds(exp),
                now: whole_seconds(now),
                leeway: self.leeway.as_secs(),
            });
        }
        Ok(())
    }

    /// `nbf`, when present: not in the future, with the leeway.
    pub(super) fn check_nbf(
        &self,
        claims: &Map<String, Value>,
        now: SystemTime,
    ) -> Result<(), VerifyError> {
        let now = unix_seconds(now);
        let leeway = self.leeway.as_secs_f64();
        if let Some(nbf) = claims.get("nbf").and_then(Value::as_f64)
            && now + leeway < nbf
        {
            return Err(VerifyError::NotYetValid {
                nbf: whole_seconds(nbf),
                now: whole_seconds(now),
                leeway: self.leeway.as_secs(),
            });
        }
        Ok(())
    }

    /// `iss`: required, a string, and exactly one of the verifier's
    /// issuers, which is returned (it chooses the key set). Runs before the
    /// signature is checked: it only selects among the configured issuers.
    pub(super) fn check_issuer(&self, claims: &Map<String, Value>) -> Result<&str, VerifyError> {
        match claims.get("iss") {
            None => Err(VerifyError::MissingClaim { claim: "iss" }),
            Some(Value::String(iss)) => self
                .issuers
                .iter()
                .find(|issuer| *issuer == iss)
                .map(String::as_str)
                .ok_or_else(|| VerifyError::Issuer {
                    expected: self.issuers.clone(),
                    found: shown(iss),
                    reason: super::issuer::mismatch(&self.issuers, iss),
                }),
            Some(_) => Err(VerifyError::ClaimType {
                claim: "iss",
                expected: "a string",
            }),
        }
    }

    /// `token_use`, when this verifier checks it; returns the token's use.
    pub(super) fn check_token_use(
        &self,
        claims: &Map<String, Value>,
    ) -> Result<Option<TokenUse>, VerifyError> {
        let expected = match (&self.token_use, self.mode) {
            (Choice::Only(only), _) => only.as_str(),
            // A Cognito token is always an ID or an access token.
            (_, Mode::Cognito) => "\"id\" or \"access\"",
            _ => return Ok(None),
        };
        let Some(found) = claims.get("token_use").and_then(Value::as_str) else {
            return Err(VerifyError::MissingClaim { claim: "token_use" });
        };
        let token_use = match found {
            "id" => Some(TokenUse::Id),
            "access" => Some(TokenUse::Access),
            _ => None,
        };
        match (token_use, &self.token_use) {
            (Some(found), Choice::Only(only)) if found == *only => Ok(Some(found)),
            (Some(found), Choice::Any | Choice::Undecided) => Ok(Some(found)),
            _ => Err(VerifyError::TokenUse {
                expected,
                found: shown(found),
            }),
        }
    }

    /// The client: `client_id` for a Cognito access token, `aud` otherwise.
    pub(super) fn check_client(
        &self,
        claims: &Map<String, Value>,
        token_use: Option<TokenUse>,
    ) -> Result<(), VerifyError> {
        let Some(accepted) = &self.clients else {
            return Ok(());
        };
        // Only Cognito access tokens name the client in `client_id` (they have
        // no `aud`); every other token, OIDC ones with a `token_use` too, in `aud`.
        let claim = match (self.mode, token_use) {
            (Mode::Cognito, Some(TokenUse::Access)) => "client_id",
            _ => "aud",
        };
        let Some(found) = claims.get(claim).and_then(strings) else {
            return Err(VerifyError::MissingClaim { claim });
        };
        if found.iter().any(|f| accepted.iter().any(|a| a == f)) {
            return Ok(());
        }
        Err(VerifyError::Audience {
            claim,
            expected: accepted.clone(),
            found: shown_all(found),
        })
    }
}

/// `now` in seconds since the Unix epoch, negative before it.
pub(super) fn unix_seconds(now: SystemTime) -> f64 {
    match now.duration_since(UNIX_EPOCH) {
        Ok(since) => since.as_secs_f64(),
        Err(before) => -before.duration().as_secs_f64(),
    }
}

/// Seconds as a whole number, for messages.
#[expect(
    clippy::cast_possible_truncation,
    reason = "`as` drops the fraction and saturates (NaN is 0), which is what a message needs; the checks compare the `f64`s"
)]
fn whole_seconds(seconds: f64) -> i64 {
    seconds as i64
}

/// The group claim's names, refused with the verifier's error.
pub(crate) fn group_names<'a>(
    claims: &'a Map<String, Value>,
    claim: &str,
) -> Result<Vec<&'a str>, VerifyError> {
    claims::group_names(claims, claim).map_err(|error| {
        let reason = match error {
            ListClaimError::TooMany => format!(
                "has {} entries, over the limit of {MAX_GROUP_CLAIM_ENTRIES}",
                claims
                    .get(claim)
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len)
            ),
            ListClaimError::NotAString { position, found } => {
                format!("has a {found} at position {position}")
            }
            ListClaimError::NotAList { found } => format!("is a {found}"),
            // A token's string is one name and its array is read as is: no
            // flattened form is read, so no other error comes.
            other => other.to_string(),
        };
        VerifyError::GroupsClaim {
            claim: claim.to_owned(),
            reason,
        }
    })
}

/// `sub`: required (an empty one was refused by [`check_types`]).
pub(crate) fn subject(claims: &Map<String, Value>) -> Result<&str, VerifyError> {
    claims::subject(claims).ok_or(VerifyError::MissingClaim { claim: names::SUB })
}

/// Builds the principal from claims whose types [`check_types`] accepted:
/// group claim, then `sub`, then the optional user name and claimed roles.
pub(crate) fn principal<G: Groups>(
    claims: &Map<String, Value>,
    groups_claim: &str,
) -> Result<Principal<G>, VerifyError> {
    let names = group_names(claims, groups_claim)?;
    let sub = subject(claims)?;
    Ok(claims::principal_of(claims, sub, names))
}

impl<G: Groups> Principal<G> {
    /// A principal from the claims of a token verified elsewhere (an API
    /// gateway authorizer, another library), with the verifier's claim rules.
    ///
    /// The claims must be a JSON object. Registered claims must have their
    /// JSON types (`exp`, `nbf`, `iat` numbers; `iss`, `sub` strings; ...);
    /// `sub` is required and not empty. The user name comes from
    /// `cognito:username` (ID token) or `username` (access token). The group
    /// claim is `cognito:groups`: missing means no groups, a string is one group, an
    /// array of strings lists them (at most 10,000); anything else is
    /// refused. Names match the enum exactly and case-sensitively; other names
    /// land in [`unknown_groups`](Self::unknown_groups) and grant nothing.
    /// `cognito:preferred_role` and `cognito:roles` are kept as claimed roles.
    ///
    /// Nothing here checks a signature, an expiry or an issuer: use it only on
    /// claims that were verified.
    ///
    /// # Errors
    ///
    /// [`VerifyError::Malformed`] when `claims` is not an object,
    /// [`VerifyError::ClaimType`] for a registered claim of the wrong type or
    /// an empty `sub`, [`VerifyError::GroupsClaim`] for a group claim that is
    /// neither a string nor an array of strings (or has over 10,000
    /// entries), and [`VerifyError::MissingClaim`] without `sub`.
    ///
    /// ```
    /// use groupguard::{groups, Principal, VerifyError};
    /// use serde_json::json;
    ///
    /// #[groups]
    /// pub enum Group { ADMINS, EDITORS }
    ///
    /// let claims = json!({
    ///     "sub": "3f1c-sub",
    ///     "cognito:username": "bob",
    ///     "cognito:groups": ["EDITORS", "ΕDITORS"], // the second starts with a Greek Epsilon
    ///     "cognito:roles": ["arn:aws:iam::123456789012:role/Editors"],
    ///     "token_use": "id",
    /// });
    /// let bob = Principal::<Group>::from_claims(&claims)?;
    /// assert_eq!(bob.sub(), Some("3f1c-sub"));
    /// assert_eq!(bob.username(), Some("bob"));
    /// assert!(bob.is_in(Group::EDITORS) && !bob.is_in(Group::ADMINS));
    /// assert_eq!(bob.unknown_groups(), ["ΕDITORS"]);
    /// assert_eq!(bob.claimed_roles(), ["arn:aws:iam::123456789012:role/Editors"]);
    ///
    /// let err = Principal::<Group>::from_claims(&json!({"sub": "s", "cognito:groups": 7}));
    /// assert!(matches!(err, Err(VerifyError::GroupsClaim { .. })));
    /// # Ok::<(), VerifyError>(())
    /// ```
    pub fn from_claims(claims: &Value) -> Result<Self, VerifyError> {
        Self::from_claims_with(claims, DEFAULT_GROUPS_CLAIM)
    }

    /// Like [`from_claims`](Self::from_claims), reading the groups from
    /// `groups_claim` (such as `groups` for an OIDC provider) instead of
    /// `cognito:groups`.
    ///
    /// # Errors
    ///
    /// Those of [`from_claims`](Self::from_claims), the group claim being
    /// `groups_claim`.
    ///
    /// ```
    /// use groupguard::{groups, Principal};
    /// use serde_json::json;
    ///
    /// #[groups]
    /// pub enum Group { ADMINS }
    ///
    /// let claims = json!({"sub": "u-1", "groups": "ADMINS"}); // a lone string is one group
    /// let p = Principal::<Group>::from_claims_with(&claims, "groups")?;
    /// assert!(p.is_in(Group::ADMINS));
    /// # Ok::<(), groupguard::VerifyError>(())
    /// ```
    pub fn from_claims_with(claims: &Value, groups_claim: &str) -> Result<Self, VerifyError> {
        let Some(claims) = claims.as_object() else {
            return Err(VerifyError::Malformed {
                reason: "the claims are not a JSON object".to_owned(),
            });
        };
        check_types(claims)?;
        principal(claims, groups_claim)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::check_types;
    use crate::verify::VerifyError;

    /// Whether `serde_json` was built with its `arbitrary_precision` feature:
    /// numbers then keep their text, so `0.10` is printed back as `0.10`
    /// (as `0.1` without it).
    fn arbitrary_precision() -> bool {
        serde_json::from_str::<Value>("0.10")
            .and_then(|number| serde_json::to_string(&number))
            .is_ok_and(|text| text == "0.10")
    }

    /// A NumericDate must be a number the time checks can read. With
    /// `serde_json`'s `arbitrary_precision` feature (enabled by any crate of an
    /// application's dependency graph), `1e400` parses as a number that
    /// `as_f64` cannot represent; without the feature it is not JSON at all.
    ///
    /// CI runs this with the feature on too:
    /// `cargo test -p groupguard --lib --features serde_json/arbitrary_precision`.
    #[test]
    fn out_of_range_numeric_dates_are_refused_not_skipped() {
        let arbitrary_precision = arbitrary_precision();
        let mut checked = 0;
        for claim in ["exp", "nbf", "iat", "auth_time"] {
            let text = format!(r#"{{"sub": "s", "{claim}": 1e400}}"#);
            let parsed = serde_json::from_str::<Value>(&text);
            if !arbitrary_precision {
                // Default features: an out-of-range number is a parse error,
                // so a token carrying one is refused as malformed.
                assert!(
                    parsed.is_err(),
                    "{claim}: 1e400 parsed without arbitrary_precision"
                );
                continue;
            }
            let Ok(Value::Object(claims)) = parsed else {
                panic!("{claim}: 1e400 did not parse with arbitrary_precision: {parsed:?}");
            };
            assert!(
                matches!(
                    check_types(&claims),
                    Err(VerifyError::ClaimType { claim: found, .. }) if found == claim
                ),
                "{claim}: 1e400 accepted as a number"
            );
            checked += 1;
        }
        if arbitrary_precision {
            assert_eq!(
                checked, 4,
                "arbitrary_precision is on, yet not every claim was checked"
            );
        }
    }
}
