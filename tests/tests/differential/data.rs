//! The principals and records the corpus is decided on, as data for both
//! sides (shared with the Cedar oracle, `cedar-oracle/`).

use groupguard::{Groups, Principal};

/// A principal as data, for both sides.
#[derive(Clone, Debug)]
pub struct PrincipalData {
    pub authenticated: bool,
    pub sub: String,
    pub identity_id: Option<String>,
    pub username: Option<String>,
    /// Group claim values, declared or not.
    pub claims: Vec<String>,
}

/// A record as data, for both sides: every generated model has exactly
/// these fields (and `is_a`, `is_b` reading `a`, `b`).
#[derive(Clone, Debug, Default)]
pub struct RecordData {
    pub owner: String,
    pub author: Option<String>,
    pub editors: Vec<String>,
    pub team: String,
    pub teams: Vec<String>,
    pub a: bool,
    pub b: bool,
    pub secret: Option<String>,
    pub note: String,
}

impl PrincipalData {
    /// The id that fills `{entity_id}`: the identity id, else `sub`; none for a guest.
    pub fn entity_id(&self) -> Option<&str> {
        if !self.authenticated {
            return None;
        }
        Some(self.identity_id.as_deref().unwrap_or(&self.sub))
    }
}

/// The runtime principal of `data`, for the groups enum `G`.
pub fn principal<G: Groups>(data: &PrincipalData) -> Principal<G> {
    let mut principal = if data.authenticated {
        Principal::authenticated(data.sub.clone())
    } else {
        Principal::guest()
    };
    if let Some(id) = &data.identity_id {
        principal = principal.with_identity_id(id.clone());
    }
    if let Some(username) = &data.username {
        principal = principal.with_username(username.clone());
    }
    let known = data.claims.iter().filter_map(|c| G::from_name(c));
    let unknown = data
        .claims
        .iter()
        .filter(|c| G::from_name(c).is_none())
        .cloned();
    principal.with_groups(known).with_unknown_groups(unknown)
}
