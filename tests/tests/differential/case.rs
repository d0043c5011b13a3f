//! One policy of the generated corpus, as `tests/build/differential.rs`
//! writes it: its data and its generated guards (shared with the Cedar
//! oracle, `cedar-oracle/`).

use groupguard::{Access, Decision, Filter, Op};

use crate::reference::Policy;
use crate::{PrincipalData, RecordData};

/// One compiled policy: its data and its generated guards.
pub struct Case {
    pub policy: &'static Policy,
    /// `Model::authorize`.
    pub model: fn(&PrincipalData, usize, Op) -> Decision,
    /// `authorize_record`.
    pub record: fn(&PrincipalData, usize, &RecordData, Op) -> Decision,
    /// `authorize_field` on `"secret"` or `"note"`.
    pub field: fn(&PrincipalData, usize, &RecordData, &str, Op) -> Decision,
    /// `filter_for`.
    pub filter: fn(&PrincipalData, usize, Op) -> Filter,
    /// `authorize_update` of the first record into the second.
    pub update: fn(&PrincipalData, usize, &RecordData, &RecordData) -> Decision,
    /// `redacted_for`'s `(secret, note)`.
    pub redacted: fn(&PrincipalData, usize, &RecordData) -> (Option<String>, String),
    pub storage: fn(&PrincipalData, &str, Access) -> Decision,
    /// The Cedar export of the policy (`groupguard::cedar`), compared
    /// decision by decision with groupguard by `cedar-oracle/`.
    pub cedar: fn(&str) -> Result<groupguard::cedar::Cedar, groupguard::cedar::CedarError>,
}
