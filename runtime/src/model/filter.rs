//! List filters: the records a principal may see, as data for a query's
//! `WHERE` clause ([`Filter`]).

use crate::group::Groups;
use crate::model::Op;
use crate::model::record::{group_names, identities};
use crate::model::rule::{ModelRule, Who};
use crate::principal::Principal;

/// The records a principal may perform an operation on, by a model's
/// rules, as data: an OR of [`FilterTerm`]s, each an AND of field matches
/// and `when` predicates. From `Model::filter_for` (and the generated
/// inherent `filter_for`).
///
/// Put the field matches in the query and, when [`needs_check`](Self::needs_check)
/// says so, check each row with `authorize_record` after the query: `when`
/// predicates are Rust functions, so a term's conditions cannot be part of
/// the query and the query returns a superset.
///
/// ```
/// use groupguard::{groups, model, Op, Principal};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// #[model(allow(owner), allow(groups_defined_in = teams, to = [read]), allow(groups = [ADMINS]))]
/// pub struct Doc { pub owner: String, pub teams: Vec<String> }
///
/// let ann = Principal::authenticated("ann-sub").with_groups([Group::EDITORS]);
/// let filter = Doc::filter_for(&ann, Op::List);
/// assert_eq!(filter.to_string(), r#"owner in ["ann-sub"] or teams has any of ["EDITORS"]"#);
/// assert!(!filter.needs_check());
///
/// let admin = Principal::authenticated("root").with_groups([Group::ADMINS]);
/// assert!(Doc::filter_for(&admin, Op::List).keeps_everything());
/// assert!(Doc::filter_for(&Principal::guest(), Op::List).keeps_nothing());
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Filter {
    terms: Vec<FilterTerm>,
}

/// One alternative of a [`Filter`]: a record is kept when every match and
/// every condition holds. A term with neither keeps every record.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FilterTerm {
    matches: Vec<FieldMatch>,
    conditions: Vec<&'static str>,
}

/// A field of the record must hold one of `values` (for a list field: any
/// of its elements must be one of them). An absent value (`None`) holds none.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FieldMatch {
    field: &'static str,
    list: bool,
    values: Vec<String>,
}

impl Filter {
    /// The alternatives; no terms keeps nothing.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(owner))]
    /// pub struct Doc { pub owner: String }
    /// let filter = Doc::filter_for(&Principal::<Group>::authenticated("s"), Op::Get);
    /// assert_eq!(filter.terms()[0].matches()[0].values(), ["s"]);
    /// ```
    #[must_use]
    pub fn terms(&self) -> &[FilterTerm] {
        &self.terms
    }

    /// Whether no record is kept (skip the query).
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(owner))]
    /// pub struct Doc { pub owner: String }
    /// assert!(Doc::filter_for(&Principal::<Group>::guest(), Op::List).keeps_nothing());
    /// ```
    #[must_use]
    pub fn keeps_nothing(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether every record is kept (no `WHERE` clause needed).
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(owner), allow(groups = [ADMINS]))]
    /// pub struct Doc { pub owner: String }
    /// let admin = Principal::authenticated("a").with_groups([Group::ADMINS]);
    /// assert!(Doc::filter_for(&admin, Op::List).keeps_everything());
    /// ```
    #[must_use]
    pub fn keeps_everything(&self) -> bool {
        self.terms.iter().any(FilterTerm::is_empty)
    }

    /// Whether some term has a `when` condition: the query cannot apply
    /// it, so each row it returns must be checked with `authorize_record`.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(authenticated, to = [list], when = Self::is_public))]
    /// pub struct Doc { pub public: bool }
    /// impl Doc { fn is_public(&self) -> bool { self.public } }
    /// assert!(Doc::filter_for(&Principal::<Group>::authenticated("s"), Op::List).needs_check());
    /// ```
    #[must_use]
    pub fn needs_check(&self) -> bool {
        self.terms.iter().any(|term| !term.conditions.is_empty())
    }
}

impl FilterTerm {
    /// The field matches, all of which must hold.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(owners = editors))]
    /// pub struct Doc { pub editors: Vec<String> }
    /// let filter = Doc::filter_for(&Principal::<Group>::authenticated("s"), Op::Get);
    /// assert_eq!(filter.terms()[0].matches()[0].field(), "editors");
    /// ```
    #[must_use]
    pub fn matches(&self) -> &[FieldMatch] {
        &self.matches
    }

    /// The `when` predicates (as written, `Self::is_draft`), all of which must hold.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(authenticated, when = Self::is_public))]
    /// pub struct Doc { pub public: bool }
    /// impl Doc { fn is_public(&self) -> bool { self.public } }
    /// let filter = Doc::filter_for(&Principal::<Group>::authenticated("s"), Op::Get);
    /// assert_eq!(filter.terms()[0].conditions(), ["Self::is_public"]);
    /// ```
    #[must_use]
    pub fn conditions(&self) -> &[&'static str] {
        &self.conditions
    }

    fn is_empty(&self) -> bool {
        self.matches.is_empty() && self.conditions.is_empty()
    }

    /// Whether every requirement of `self` is one of `other`'s: then
    /// `other` keeps a subset of what `self` keeps.
    fn implied_by(&self, other: &FilterTerm) -> bool {
        self.matches.iter().all(|m| other.matches.contains(m))
            && self.conditions.iter().all(|c| other.conditions.contains(c))
    }

    /// Both terms at once.
    fn and(&self, other: &FilterTerm) -> FilterTerm {
        let mut both = self.clone();
        for m in &other.matches {
            if !both.matches.contains(m) {
                both.matches.push(m.clone());
            }
        }
        for c in &other.conditions {
            if !both.conditions.contains(c) {
                both.conditions.push(c);
            }
        }
        both
    }
}

impl FieldMatch {
    /// The record field, as declared.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(group_defined_in = team))]
    /// pub struct Doc { pub team: String }
    /// let p = Principal::authenticated("s").with_groups([Group::ADMINS]);
    /// assert_eq!(Doc::filter_for(&p, Op::Get).terms()[0].matches()[0].field(), "team");
    /// ```
    #[must_use]
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// Whether the field is a list (`owners`, `groups_defined_in`): then
    /// any of its elements must be one of the values.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(owners = editors))]
    /// pub struct Doc { pub editors: Vec<String> }
    /// let filter = Doc::filter_for(&Principal::<Group>::authenticated("s"), Op::Get);
    /// assert!(filter.terms()[0].matches()[0].is_list());
    /// ```
    #[must_use]
    pub fn is_list(&self) -> bool {
        self.list
    }

    /// The values the field may hold: the principal's identities for owner
    /// rules (`sub` and `sub::username`; the bare user name only for a rule
    /// with `legacy_username`, and never when it holds `::`), its group
    /// claim values for dynamic-group rules. Never empty.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(owner))]
    /// pub struct Doc { pub owner: String }
    /// let bob = Principal::<Group>::authenticated("b-1").with_username("bob");
    /// let filter = Doc::filter_for(&bob, Op::Get);
    /// assert_eq!(filter.terms()[0].matches()[0].values(), ["b-1", "b-1::bob"]);
    ///
    /// #[model(allow(owner, legacy_username))]
    /// pub struct OldDoc { pub owner: String }
    /// let filter = OldDoc::filter_for(&bob, Op::Get);
    /// assert_eq!(filter.terms()[0].matches()[0].values(), ["b-1", "bob", "b-1::bob"]);
    /// ```
    #[must_use]
    pub fn values(&self) -> &[String] {
        &self.values
    }
}

/// `owner in ["a", "b"] and Self::is_draft or teams has any of ["X"]`;
/// `everything` and `nothing` for the two ends. For logs and tests, not
/// for building queries.
impl core::fmt::Display for Filter {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.keeps_everything() {
            return f.write_str("everything");
        }
        if self.keeps_nothing() {
            return f.write_str("nothing");
        }
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(" or ")?;
            }
            let mut first = true;
            for m in &term.matches {
                if !first {
                    f.write_str(" and ")?;
                }
                first = false;
                let relation = if m.list { "has any of" } else { "in" };
                write!(f, "{} {relation} {:?}", m.field, m.values)?;
            }
            for c in &term.conditions {
                if !first {
                    f.write_str(" and ")?;
                }
                first = false;
                f.write_str(c)?;
            }
        }
        Ok(())
    }
}

/// The filter of `rules` for `principal` and `op`: per simple part, the
/// terms of the rules that cover it and could admit the principal; for a
/// composite operation the AND of its parts.
pub(crate) fn filter<G: Groups>(
    rules: &[ModelRule<G>],
    principal: &Principal<G>,
    op: Op,
) -> Filter {
    // Computed once, and only when a rule needs them: the identities
    // without and with `legacy_username`, and the group names.
    let mut ids: [Option<Vec<String>>; 2] = [None, None];
    let mut names: Option<Vec<String>> = None;
    let mut result: Option<Vec<FilterTerm>> = None;
    for &part in op.parts() {
        let mut terms = Vec::new();
        for rule in rules.iter().filter(|rule| rule.ops().contains(part)) {
            if !rule.admits_principal(principal) {
                continue;
            }
            let mut term = FilterTerm {
                matches: Vec::new(),
                conditions: rule.when().into_iter().collect(),
            };
            let legacy = rule.legacy_username();
            let field_match = match rule.who() {
                Who::Owner(field) => Some((field, false, true)),
                Who::Owners(field) => Some((field, true, true)),
                Who::GroupDefinedIn(field) => Some((field, false, false)),
                Who::GroupsDefinedIn(field) => Some((field, true, false)),
                Who::Guest | Who::Authenticated | Who::Groups(_) => None,
            }
            .map(|(field, list, owner)| {
                let values: &Vec<String> = if owner {
                    ids[usize::from(legacy)].get_or_insert_with(|| identities(principal, legacy))
                } else {
                    names.get_or_insert_with(|| group_names(principal))
                };
                (field, list, values)
            });
            if let Some((field, list, values)) = field_match {
                if values.is_empty() {
                    continue;
                }
                term.matches.push(FieldMatch {
                    field,
                    list,
                    values: values.clone(),
                });
            }
            terms.push(term);
        }
        result = Some(match result {
            None => simplified(terms),
            Some(before) => simplified(
                before
                    .iter()
                    .flat_map(|a| terms.iter().map(move |b| a.and(b)))
                    .collect(),
            ),
        });
    }
    Filter {
        terms: result.unwrap_or_default(),
    }
}

/// `terms` without the ones another term implies (absorption: `a or (a and
/// b)` is `a`); of equal terms the first stays.
fn simplified(terms: Vec<FilterTerm>) -> Vec<FilterTerm> {
    let mut kept: Vec<FilterTerm> = Vec::with_capacity(terms.len());
    for term in terms {
        if kept.iter().any(|k| k.implied_by(&term)) {
            continue;
        }
        kept.retain(|k| !term.implied_by(k));
        kept.push(term);
    }
    kept
}
