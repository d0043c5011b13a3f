//! The rules of a model as data: [`Who`], [`ModelRule`] and [`FieldRules`].

use crate::decision::{Admits, Check, DenyReason, Rule};
use crate::group::{GroupSet, Groups};
use crate::model::OpSet;
use crate::principal::Principal;

/// Who a rule admits.
///
/// ```
/// use groupguard::{groups, model, Model, Who};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// #[model(allow(groups = [ADMINS, EDITORS]), allow(guest, to = [get]), allow(owner, to = [update]))]
/// pub struct Page { pub owner: String }
///
/// assert_eq!(Page::RULES[0].who(), Who::Groups(&[Group::ADMINS, Group::EDITORS]));
/// assert_eq!(Page::RULES[1].who(), Who::Guest);
/// assert_eq!(Page::RULES[2].who(), Who::Owner("owner"));
/// ```
#[non_exhaustive] // more Amplify rule kinds (custom, ...) may come
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Who<G: 'static> {
    /// Unauthenticated principals only.
    Guest,
    /// Any authenticated principal.
    Authenticated,
    /// Members of any of these groups.
    Groups(&'static [G]),
    /// The owner named by this field of the record (`allow(owner)`,
    /// `allow(owner = field)`; Amplify's `owner` and `ownerDefinedIn`): a
    /// stored `sub` or `sub::username`, and the bare user name only when
    /// the rule says [`legacy_username`](ModelRule::legacy_username).
    Owner(&'static str),
    /// Any of the owners listed in this field of the record
    /// (`allow(owners = field)`; Amplify's `ownersDefinedIn`), matched as
    /// for [`Who::Owner`].
    Owners(&'static str),
    /// Members of the group named by this field of the record
    /// (`allow(group_defined_in = field)`; Amplify's `groupDefinedIn`).
    GroupDefinedIn(&'static str),
    /// Members of any group listed in this field of the record
    /// (`allow(groups_defined_in = field)`; Amplify's `groupsDefinedIn`).
    GroupsDefinedIn(&'static str),
}

impl<G: 'static> Who<G> {
    /// Whether the rule reads a field of the record to know whom it admits.
    ///
    /// ```
    /// use groupguard::Who;
    /// assert!(Who::<()>::Owner("owner").reads_record());
    /// assert!(!Who::<()>::Authenticated.reads_record());
    /// ```
    #[must_use]
    pub const fn reads_record(&self) -> bool {
        matches!(
            self,
            Who::Owner(_) | Who::Owners(_) | Who::GroupDefinedIn(_) | Who::GroupsDefinedIn(_)
        )
    }

    /// The record field the rule reads, if any.
    ///
    /// ```
    /// use groupguard::Who;
    /// assert_eq!(Who::<()>::GroupsDefinedIn("teams").field(), Some("teams"));
    /// assert_eq!(Who::<()>::Guest.field(), None);
    /// ```
    #[must_use]
    pub const fn field(&self) -> Option<&'static str> {
        match self {
            Who::Owner(field)
            | Who::Owners(field)
            | Who::GroupDefinedIn(field)
            | Who::GroupsDefinedIn(field) => Some(field),
            Who::Guest | Who::Authenticated | Who::Groups(_) => None,
        }
    }
}

/// One `allow(...)` rule of a model or field, as declared; for audit reports.
///
/// ```
/// use groupguard::{groups, model, Model, Op};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// #[model(allow(groups = ["EDITORS"], to = [read, update]))]
/// pub struct Article;
///
/// let rule = &Article::RULES[0];
/// assert!(rule.ops().contains(Op::Read));
/// assert_eq!(rule.declaration(), "allow(groups = [EDITORS], to = [read, update])");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ModelRule<G: Groups> {
    who: Who<G>,
    mask: GroupSet<G>,
    ops: OpSet,
    when: Option<&'static str>,
    /// `legacy_username`: an owner rule that also takes the bare user name.
    legacy_username: bool,
    /// The number the generated code gives the rule's record checks; 0 for
    /// a rule that needs no record.
    check: u16,
    declaration: &'static str,
}

impl<G: Groups> ModelRule<G> {
    #[doc(hidden)] // used by generated code, not public API
    pub const fn __new(
        who: Who<G>,
        mask: GroupSet<G>,
        ops: OpSet,
        declaration: &'static str,
    ) -> Self {
        Self {
            who,
            mask,
            ops,
            when: None,
            legacy_username: false,
            check: 0,
            declaration,
        }
    }

    #[doc(hidden)] // used by generated code, not public API
    #[must_use]
    pub const fn __legacy_username(self) -> Self {
        Self {
            legacy_username: true,
            ..self
        }
    }

    #[doc(hidden)] // used by generated code, not public API
    #[must_use]
    pub const fn __record(self, check: u16, when: Option<&'static str>) -> Self {
        Self {
            when,
            check,
            ..self
        }
    }

    /// Who the rule admits.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model, Op, OpSet, Who};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS], to = [update]))]
    /// pub struct Article;
    /// assert_eq!(Article::RULES[0].who(), Who::Groups(&[Group::EDITORS]));
    /// ```
    #[must_use]
    pub const fn who(&self) -> Who<G> {
        self.who
    }

    /// The operations it grants.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model, Op, OpSet, Who};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS], to = [update]))]
    /// pub struct Article;
    /// assert_eq!(Article::RULES[0].ops(), OpSet::of(&[Op::Update]));
    /// ```
    #[must_use]
    pub const fn ops(&self) -> OpSet {
        self.ops
    }

    /// The `when = ...` predicate, as written (`Self::is_draft`), if any.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS], to = [update], when = Self::is_draft))]
    /// pub struct Post { pub draft: bool }
    /// impl Post { fn is_draft(&self) -> bool { self.draft } }
    /// assert_eq!(Post::RULES[0].when(), Some("Self::is_draft"));
    /// ```
    #[must_use]
    pub const fn when(&self) -> Option<&'static str> {
        self.when
    }

    /// Whether the owner rule opts in to `legacy_username`: a stored value
    /// equal to the principal's bare user name names it too, unless the
    /// value holds `::` (then it is someone's `sub::username`, never a user
    /// name of the legacy kind).
    ///
    /// By default an owner is a stored `sub` or `sub::username` only: where
    /// users choose their user names, one could pick another's stored value
    /// and own that user's records. Opt in only for records stored with the
    /// user name (an Amplify `identityClaim` of `username`; the default of
    /// its GraphQL transformer v1). Even then a bare value cannot tell a
    /// `sub` from a user name: a user whose user name equals another's
    /// `sub` owns that user's records that store the bare `sub`. Refuse
    /// such user names at sign-up (a Cognito pre sign-up trigger), or
    /// rewrite the records to `sub::username` and drop the opt-in.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(owner, legacy_username, to = [read]), allow(owner, to = [update]))]
    /// pub struct Note { pub owner: String }
    ///
    /// assert!(Note::RULES[0].legacy_username());
    /// assert_eq!(Note::RULES[0].declaration(), "allow(owner, legacy_username, to = [read])");
    /// let ann = Principal::<Group>::authenticated("ann-sub").with_username("ann");
    /// let legacy = Note { owner: "ann".into() };
    /// assert!(legacy.authorize_record(&ann, Op::Get).is_allowed());
    /// assert!(legacy.authorize_record(&ann, Op::Update).is_denied());
    /// // A user name holding `::` never matches as a bare user name.
    /// let mallory = Principal::<Group>::authenticated("m-sub").with_username("ann-sub::ann");
    /// let anns = Note { owner: "ann-sub::ann".into() };
    /// assert!(anns.authorize_record(&mallory, Op::Get).is_denied());
    /// ```
    #[must_use]
    pub const fn legacy_username(&self) -> bool {
        self.legacy_username
    }

    /// Whether the rule needs the record to decide: it reads a field
    /// ([`Who::reads_record`]) or has a `when` predicate. `authorize`
    /// without a record never lets such a rule allow.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(owner), allow(groups = [ADMINS]))]
    /// pub struct Note { pub owner: String }
    /// assert!(Note::RULES[0].needs_record());
    /// assert!(!Note::RULES[1].needs_record());
    /// ```
    #[must_use]
    pub const fn needs_record(&self) -> bool {
        self.check != 0
    }

    /// The rule in canonical source form, e.g. `allow(groups = [EDITORS], to = [read])`.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model, Op, OpSet, Who};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS], to = [update]))]
    /// pub struct Article;
    /// assert_eq!(Article::RULES[0].declaration(), "allow(groups = [EDITORS], to = [update])");
    /// ```
    #[must_use]
    pub const fn declaration(&self) -> &'static str {
        self.declaration
    }

    pub(crate) const fn check_number(&self) -> u16 {
        self.check
    }

    /// Whether the principal alone satisfies the rule's principal part: for
    /// a rule that reads a field, whether it could (the principal is
    /// authenticated). The `when` predicate is not consulted.
    #[inline]
    pub(crate) fn admits_principal(&self, principal: &Principal<G>) -> bool {
        match self.who {
            Who::Guest => !principal.is_authenticated(),
            Who::Authenticated => principal.is_authenticated(),
            // A rule naming fewer groups than the set has words (a few groups
            // of a large enum) tests their bits; otherwise one AND per word.
            Who::Groups(named) if named.len() < principal.groups().words().len() => named
                .iter()
                .any(|group| principal.groups().contains(*group)),
            Who::Groups(_) => principal.groups().intersects(&self.mask),
            Who::Owner(_) | Who::Owners(_) | Who::GroupDefinedIn(_) | Who::GroupsDefinedIn(_) => {
                principal.is_authenticated()
            }
        }
    }

    /// What the rule says without the record.
    #[inline]
    pub(crate) fn check_without_record(&self, principal: &Principal<G>) -> Check {
        if !self.admits_principal(principal) {
            Check::Rejects
        } else if self.needs_record() {
            Check::Unmet(DenyReason::NeedsRecord {
                rule: self.declaration,
            })
        } else {
            Check::Admits
        }
    }
}

impl<G: Groups> Rule for ModelRule<G> {
    fn admits_kind(&self) -> Admits {
        match self.who {
            Who::Guest => Admits::Guests,
            Who::Authenticated => Admits::Authenticated,
            Who::Groups(_) | Who::GroupDefinedIn(_) | Who::GroupsDefinedIn(_) => Admits::Groups,
            Who::Owner(_) | Who::Owners(_) => Admits::Owner,
        }
    }

    fn declaration(&self) -> &'static str {
        self.declaration
    }
}

/// The rules of one field that has its own (`#[field(allow(...))]`); they
/// replace the model's rules for that field.
///
/// ```
/// use groupguard::{groups, model, Model, Op};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// #[model(allow(authenticated, to = [read]), allow(groups = [ADMINS]))]
/// pub struct Employee {
///     pub name: String,
///     #[field(allow(groups = [ADMINS], to = [read, update]))]
///     pub salary: Option<u64>,
/// }
///
/// let field = &Employee::FIELDS[0];
/// assert_eq!(field.name(), "salary");
/// assert_eq!(field.resource(), "Employee.salary");
/// assert_eq!(field.rules()[0].declaration(), "allow(groups = [ADMINS], to = [read, update])");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct FieldRules<G: Groups> {
    name: &'static str,
    resource: &'static str,
    rules: &'static [ModelRule<G>],
}

impl<G: Groups> FieldRules<G> {
    #[doc(hidden)] // used by generated code, not public API
    #[must_use]
    pub const fn __new(
        name: &'static str,
        resource: &'static str,
        rules: &'static [ModelRule<G>],
    ) -> Self {
        Self {
            name,
            resource,
            rules,
        }
    }

    /// The field's name, as declared.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(groups = [ADMINS]))]
    /// pub struct Doc { #[field(allow(groups = [ADMINS], to = [read]))] pub r#ref: String }
    /// assert_eq!(Doc::FIELDS[0].name(), "ref");
    /// ```
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The resource its decisions name: `Model.field`.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(groups = [ADMINS]))]
    /// pub struct Doc { #[field(allow(groups = [ADMINS], to = [read]))] pub body: String }
    /// assert_eq!(Doc::FIELDS[0].resource(), "Doc.body");
    /// ```
    #[must_use]
    pub const fn resource(&self) -> &'static str {
        self.resource
    }

    /// The field's rules, in declaration order.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(groups = [ADMINS]))]
    /// pub struct Doc { #[field(allow(groups = [ADMINS], to = [read]))] pub body: String }
    /// assert_eq!(Doc::FIELDS[0].rules().len(), 1);
    /// ```
    #[must_use]
    pub const fn rules(&self) -> &'static [ModelRule<G>] {
        self.rules
    }
}

/// The rules of a model and of its fields, as the second stage of
/// `#[model]` writes them. Used by generated code, not public API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct RuleSet<G: Groups> {
    pub model: &'static [ModelRule<G>],
    pub fields: &'static [FieldRules<G>],
}
