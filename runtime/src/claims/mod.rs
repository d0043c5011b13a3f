//! How verified claims become a [`Principal`]: the Cognito claim names,
//! where the groups are (`cognito:groups`, or the verifier's
//! `.groups_claim(..)`), in which form they come ([`list`]: a JSON array as a
//! token carries it, or one of API Gateway's flattened forms), the user name
//! by `token_use`, and the claimed roles. One place, for the verifier
//! (`crate::verify`) and for the claims API Gateway's authorizers hand a
//! Lambda function (`crate::lambda`).

pub(crate) mod list;

use serde_json::{Map, Value};

use crate::group::Groups;
use crate::principal::Principal;
use list::Form;
pub(crate) use list::ListClaimError;

/// The claim names groupguard reads, as Cognito writes them.
pub(crate) mod names {
    pub(crate) const ISS: &str = "iss";
    pub(crate) const SUB: &str = "sub";
    pub(crate) const AUD: &str = "aud";
    pub(crate) const TOKEN_USE: &str = "token_use";
    pub(crate) const CLIENT_ID: &str = "client_id";
    /// The user name of an access token.
    pub(crate) const USERNAME: &str = "username";
    /// The user name of an ID token.
    pub(crate) const COGNITO_USERNAME: &str = "cognito:username";
    pub(crate) const COGNITO_GROUPS: &str = "cognito:groups";
    pub(crate) const COGNITO_ROLES: &str = "cognito:roles";
    pub(crate) const COGNITO_PREFERRED_ROLE: &str = "cognito:preferred_role";
}

/// The group claim of Cognito tokens.
pub(crate) const DEFAULT_GROUPS_CLAIM: &str = names::COGNITO_GROUPS;

/// Most entries a group claim may hold (Cognito allows 100 groups per user;
/// other providers more). Bounds the work a claim can cause.
pub(crate) const MAX_GROUP_CLAIM_ENTRIES: usize = 10_000;

/// A string as a one-item list, or an array of strings; `None` for anything else.
pub(crate) fn strings(value: &Value) -> Option<Vec<&str>> {
    match value {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(items) => items.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

/// The group claim's names as a verified token carries them ([`list::names`]
/// in the token's form): missing = none, a string = one, an array of
/// strings = those; anything else is refused.
pub(crate) fn group_names<'a>(
    claims: &'a Map<String, Value>,
    claim: &str,
) -> Result<Vec<&'a str>, ListClaimError> {
    match claims.get(claim) {
        None => Ok(Vec::new()),
        Some(value) => list::names(value, Form::Token),
    }
}

/// The JSON type of `value`, as messages name it.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `sub`, which a principal needs (the verifier refuses an empty one with
/// the claim types, and a missing one as `MissingClaim`).
pub(crate) fn subject(claims: &Map<String, Value>) -> Option<&str> {
    claims.get(names::SUB).and_then(Value::as_str)
}

/// The principal of checked claims: `sub`, the group claim's `names`, the
/// optional user name and the claimed roles.
pub(crate) fn principal_of<G: Groups>(
    claims: &Map<String, Value>,
    sub: &str,
    names: Vec<&str>,
) -> Principal<G> {
    let text = |claim: &str| claims.get(claim).and_then(Value::as_str);
    // ID tokens name the user in `cognito:username`, access tokens in `username`.
    let username = match text(names::TOKEN_USE) {
        Some("access") => text(names::USERNAME),
        Some("id") => text(names::COGNITO_USERNAME),
        _ => text(names::COGNITO_USERNAME).or_else(|| text(names::USERNAME)),
    };
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for name in names {
        // Exact, case-sensitive: a look-alike (`ΕDITORS` with a Greek Epsilon)
        // is an unknown group and grants nothing.
        match G::from_name(name) {
            Some(group) => known.push(group),
            None => unknown.push(name.to_owned()),
        }
    }
    let roles = claims
        .get(names::COGNITO_ROLES)
        .and_then(strings)
        .unwrap_or_default()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let mut principal = Principal::authenticated(sub)
        .with_groups(known)
        .with_unknown_groups(unknown)
        .with_claimed_roles(
            text(names::COGNITO_PREFERRED_ROLE).map(str::to_owned),
            roles,
        );
    if let Some(username) = username {
        principal = principal.with_username(username);
    }
    principal
}
