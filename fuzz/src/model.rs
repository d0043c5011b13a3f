//! An independent model of the claim rules (the tokens guide's "What is
//! checked, in order", `runtime/docs/tokens.md`, steps 6 to 13) and of the principal they produce, written from
//! the documentation, not from `runtime/src/verify/`. The targets compare
//! the runtime with it in both directions: what it accepts, the model
//! accepts with the same principal, and what it refuses, the model refuses.

use groupguard::Principal;
use serde_json::{Map, Value};

use crate::Group;

/// Which `token_use` a verifier accepts.
#[derive(Clone, Copy, Debug)]
pub enum TokenUseRule {
    /// Not checked (OIDC and `hs256` without `.token_use(..)`).
    Unchecked,
    /// `id` or `access` (Cognito with `.any_token_use()`).
    IdOrAccess,
    /// Exactly this one.
    Only(&'static str),
}

/// What a verifier checks the claims against.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    /// A Cognito verifier: an access token names its client in `client_id`.
    pub cognito: bool,
    /// The accepted `iss` values, each compared exactly (a Cognito pool's
    /// two issuer formats).
    pub issuers: &'static [&'static str],
    /// The accepted clients; `None` for `.any_client()`.
    pub clients: Option<&'static [&'static str]>,
    /// The `token_use` rule.
    pub token_use: TokenUseRule,
    /// The claim the groups are read from.
    pub groups_claim: &'static str,
    /// Seconds of leeway for `exp` and `nbf`.
    pub leeway: f64,
}

/// The principal that claims must produce.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Expected {
    sub: String,
    username: Option<String>,
    known: Vec<Group>,
    unknown: Vec<String>,
    preferred_role: Option<String>,
    roles: Vec<String>,
}

impl Expected {
    /// Panics unless `principal` is the expected one.
    ///
    /// # Panics
    ///
    /// On the first difference, naming it.
    pub fn assert_is(&self, principal: &Principal<Group>) {
        assert!(principal.is_authenticated(), "a guest from claims");
        assert_eq!(principal.sub(), Some(self.sub.as_str()), "sub");
        assert_eq!(principal.username(), self.username.as_deref(), "username");
        assert_eq!(principal.identity_id(), None, "identity id from claims");
        for group in Group::ALL {
            assert_eq!(
                principal.is_in(*group),
                self.known.contains(group),
                "membership of {group:?}; claims named {:?}",
                self.known
            );
        }
        assert_eq!(principal.unknown_groups(), self.unknown, "unknown groups");
        assert_eq!(
            principal.claimed_preferred_role(),
            self.preferred_role.as_deref(),
            "claimed preferred role"
        );
        assert_eq!(principal.claimed_roles(), self.roles, "claimed roles");
    }
}

/// The group a claim value names: the claim values of [`Group`], spelled
/// out here rather than asked of `Group::from_name`.
#[must_use]
pub fn group_named(name: &str) -> Option<Group> {
    match name {
        "ADMINS" => Some(Group::ADMINS),
        "EDITORS" => Some(Group::EDITORS),
        "content-reviewers" => Some(Group::Reviewers),
        "type" => Some(Group::r#type),
        _ => None,
    }
}

/// A string as one string, an array of strings as those; else `None`.
fn string_list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect(),
        _ => None,
    }
}

/// Step 6: the JSON types of the registered claims the verifier reads.
///
/// # Errors
///
/// The claim of the wrong type.
pub fn types(claims: &Map<String, Value>) -> Result<(), String> {
    let wrong = |claim: &str| Err(format!("type of `{claim}`"));
    for claim in ["exp", "nbf", "iat", "auth_time"] {
        if claims.get(claim).is_some_and(|v| !v.is_number()) {
            return wrong(claim);
        }
    }
    for claim in [
        "iss",
        "sub",
        "token_use",
        "client_id",
        "username",
        "cognito:username",
        "cognito:preferred_role",
    ] {
        if claims.get(claim).is_some_and(|v| !v.is_string()) {
            return wrong(claim);
        }
    }
    if claims.get("sub").is_some_and(|sub| sub == "") {
        return wrong("sub");
    }
    for claim in ["aud", "cognito:roles"] {
        if claims.get(claim).is_some_and(|v| string_list(v).is_none()) {
            return wrong(claim);
        }
    }
    Ok(())
}

/// Steps 12 and 13 and the principal, on claims whose types passed step 6.
fn principal_of(claims: &Map<String, Value>, groups_claim: &str) -> Result<Expected, String> {
    let names = match claims.get(groups_claim) {
        None => Vec::new(),
        Some(value @ Value::Array(items)) if items.len() <= 10_000 => {
            string_list(value).ok_or("group claim entries")?
        }
        Some(Value::String(name)) => vec![name.clone()],
        Some(_) => return Err("group claim".to_owned()),
    };
    let Some(Value::String(sub)) = claims.get("sub") else {
        return Err("no `sub`".to_owned());
    };
    let text = |claim: &str| claims.get(claim).and_then(Value::as_str).map(str::to_owned);
    let username = match claims.get("token_use").and_then(Value::as_str) {
        Some("access") => text("username"),
        Some("id") => text("cognito:username"),
        _ => text("cognito:username").or_else(|| text("username")),
    };
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for name in names {
        match group_named(&name) {
            Some(group) => known.push(group),
            None => unknown.push(name),
        }
    }
    Ok(Expected {
        sub: sub.clone(),
        username,
        known,
        unknown,
        preferred_role: text("cognito:preferred_role"),
        roles: claims
            .get("cognito:roles")
            .and_then(string_list)
            .unwrap_or_default(),
    })
}

/// What `Principal::from_claims_with(claims, groups_claim)` must return.
///
/// # Errors
///
/// The rule the claims break.
pub fn from_claims(claims: &Value, groups_claim: &str) -> Result<Expected, String> {
    let claims = claims.as_object().ok_or("not an object")?;
    types(claims)?;
    principal_of(claims, groups_claim)
}

/// What a verifier with `rules`, at the clock `now` (seconds since the
/// epoch), must make of claims whose signature verified: steps 6 to 13.
///
/// # Errors
///
/// The rule the claims break.
pub fn verify(rules: &Rules, claims: &Map<String, Value>, now: f64) -> Result<Expected, String> {
    types(claims)?;
    let number = |claim: &str| claims.get(claim).and_then(Value::as_f64);
    // A token is valid strictly before `exp` (RFC 7519), with the leeway.
    match number("exp") {
        Some(exp) if now < exp + rules.leeway => {}
        Some(_) => return Err("expired".to_owned()),
        None => return Err("no `exp`".to_owned()),
    }
    if number("nbf").is_some_and(|nbf| now + rules.leeway < nbf) {
        return Err("not yet valid".to_owned());
    }
    let iss = claims.get("iss").and_then(Value::as_str);
    if !rules.issuers.iter().any(|issuer| Some(*issuer) == iss) {
        return Err("issuer".to_owned());
    }
    let found_use = claims.get("token_use").and_then(Value::as_str);
    let token_use = match rules.token_use {
        TokenUseRule::Unchecked => None,
        TokenUseRule::IdOrAccess => match found_use {
            Some(found @ ("id" | "access")) => Some(found),
            _ => return Err("token_use".to_owned()),
        },
        TokenUseRule::Only(only) if found_use == Some(only) => Some(only),
        TokenUseRule::Only(_) => return Err("token_use".to_owned()),
    };
    if let Some(accepted) = rules.clients {
        let claim = if rules.cognito && token_use == Some("access") {
            "client_id"
        } else {
            "aud"
        };
        let found = claims.get(claim).and_then(string_list).unwrap_or_default();
        if !found.iter().any(|f| accepted.contains(&f.as_str())) {
            return Err(format!("client in `{claim}`"));
        }
    }
    principal_of(claims, rules.groups_claim)
}
