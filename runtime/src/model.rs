//! Data-model authorization: [`Op`], the [`Model`] trait and its rule metadata.

use core::fmt;

use crate::decision::{Admits, Decision, DenyReason, Request, Rule, decide_parts, first_admitting};
use crate::group::{GroupSet, Groups};
use crate::principal::Principal;

/// An operation on a data model, as in Amplify's `allow.*().to([...])`.
///
/// `Read` is the composite `get + list + sync + listen + search`: a guard
/// allows `Op::Read` only when every one of those parts is allowed.
///
/// ```
/// use groupguard::Op;
/// assert_eq!(Op::Read.parts(), &[Op::Get, Op::List, Op::Sync, Op::Listen, Op::Search]);
/// assert_eq!(Op::Update.parts(), &[Op::Update]);
/// assert_eq!(Op::Listen.to_string(), "listen");
/// assert_eq!("search".parse::<Op>(), Ok(Op::Search));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Op {
    /// Create a record.
    Create,
    /// Update a record.
    Update,
    /// Delete a record.
    Delete,
    /// Every read part: get, list, sync, listen and search.
    Read,
    /// Read one record.
    Get,
    /// List records.
    List,
    /// Sync records (DataStore).
    Sync,
    /// Subscribe to changes.
    Listen,
    /// Search records.
    Search,
}

impl Op {
    /// Every operation, in the order of the documentation.
    ///
    /// ```
    /// assert_eq!(groupguard::Op::ALL.len(), 9);
    /// ```
    pub const ALL: [Op; 9] = [
        Op::Create,
        Op::Update,
        Op::Delete,
        Op::Read,
        Op::Get,
        Op::List,
        Op::Sync,
        Op::Listen,
        Op::Search,
    ];

    /// The name used in rules (`create`, `read`...).
    ///
    /// ```
    /// assert_eq!(groupguard::Op::Create.name(), "create");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Update => "update",
            Op::Delete => "delete",
            Op::Read => "read",
            Op::Get => "get",
            Op::List => "list",
            Op::Sync => "sync",
            Op::Listen => "listen",
            Op::Search => "search",
        }
    }

    /// The simple operations this one stands for: itself, or the five read parts.
    ///
    /// ```
    /// assert_eq!(groupguard::Op::Read.parts().len(), 5);
    /// ```
    #[must_use]
    pub const fn parts(self) -> &'static [Op] {
        match self {
            Op::Create => &[Op::Create],
            Op::Update => &[Op::Update],
            Op::Delete => &[Op::Delete],
            Op::Read => &[Op::Get, Op::List, Op::Sync, Op::Listen, Op::Search],
            Op::Get => &[Op::Get],
            Op::List => &[Op::List],
            Op::Sync => &[Op::Sync],
            Op::Listen => &[Op::Listen],
            Op::Search => &[Op::Search],
        }
    }

    /// The bits of [`OpSet`] this operation covers.
    const fn bits(self) -> u16 {
        match self {
            Op::Create => 1 << 0,
            Op::Update => 1 << 1,
            Op::Delete => 1 << 2,
            Op::Get => 1 << 3,
            Op::List => 1 << 4,
            Op::Sync => 1 << 5,
            Op::Listen => 1 << 6,
            Op::Search => 1 << 7,
            Op::Read => 0b1111_1000,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an [`Op`] from an unknown name.
///
/// ```
/// let err = "publish".parse::<groupguard::Op>().unwrap_err();
/// assert!(err.to_string().starts_with("unknown operation `publish`"));
/// ```
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[error(
    "unknown operation `{0}`; expected one of `create`, `update`, `delete`, `read`, `get`, `list`, `sync`, `listen`, `search`"
)]
pub struct UnknownOp(String);

impl core::str::FromStr for Op {
    type Err = UnknownOp;
    fn from_str(s: &str) -> Result<Self, UnknownOp> {
        Op::ALL
            .into_iter()
            .find(|op| op.name() == s)
            .ok_or_else(|| UnknownOp(s.to_owned()))
    }
}

/// A set of operations, as granted by one rule.
///
/// ```
/// use groupguard::{Op, OpSet};
/// let set = OpSet::of(&[Op::Read, Op::Update]);
/// assert!(set.contains(Op::Read) && set.contains(Op::Listen) && !set.contains(Op::Delete));
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Op::Update, Op::Get, Op::List, Op::Sync, Op::Listen, Op::Search]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct OpSet(u16);

impl OpSet {
    /// Every operation.
    ///
    /// ```
    /// use groupguard::{Op, OpSet};
    /// assert!(Op::ALL.iter().all(|op| OpSet::ALL.contains(*op)));
    /// ```
    pub const ALL: OpSet = OpSet(0xff);

    /// The set of the given operations.
    ///
    /// ```
    /// # use groupguard::{Op, OpSet};
    /// assert!(OpSet::of(&[Op::Get]).contains(Op::Get));
    /// ```
    #[must_use]
    pub const fn of(ops: &[Op]) -> OpSet {
        let mut bits = 0;
        let mut i = 0;
        while i < ops.len() {
            bits |= ops[i].bits();
            i += 1;
        }
        OpSet(bits)
    }

    /// Whether every part of `op` is in the set.
    ///
    /// ```
    /// # use groupguard::{Op, OpSet};
    /// assert!(!OpSet::of(&[Op::Get]).contains(Op::Read));
    /// ```
    #[must_use]
    pub const fn contains(self, op: Op) -> bool {
        self.0 & op.bits() == op.bits()
    }

    /// The simple operations of the set (never `Read`: its parts instead).
    ///
    /// ```
    /// # use groupguard::{Op, OpSet};
    /// assert_eq!(OpSet::of(&[Op::Delete]).iter().collect::<Vec<_>>(), [Op::Delete]);
    /// ```
    pub fn iter(self) -> impl Iterator<Item = Op> {
        Op::ALL
            .into_iter()
            .filter(move |op| *op != Op::Read && self.contains(*op))
    }
}

impl fmt::Debug for OpSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// Who a rule admits.
///
/// ```
/// use groupguard::{groups, model, Model, Who};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// #[model(allow(groups = [ADMINS, EDITORS]), allow(guest, to = [get]))]
/// pub struct Page;
///
/// assert_eq!(Page::RULES[0].who(), Who::Groups(&[Group::ADMINS, Group::EDITORS]));
/// assert_eq!(Page::RULES[1].who(), Who::Guest);
/// ```
#[non_exhaustive] // more Amplify rule kinds (owner, ...) may come
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Who<G: 'static> {
    /// Unauthenticated principals only.
    Guest,
    /// Any authenticated principal.
    Authenticated,
    /// Members of any of these groups.
    Groups(&'static [G]),
}

/// One `allow(...)` rule of a model, as declared; for audit reports.
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
            declaration,
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

    fn admits(&self, principal: &Principal<G>) -> bool {
        match self.who {
            Who::Guest => !principal.is_authenticated(),
            Who::Authenticated => principal.is_authenticated(),
            Who::Groups(_) => principal.groups().intersects(&self.mask),
        }
    }
}

/// A data model guarded by [`#[model]`](crate::model).
///
/// The macro also generates an inherent `authorize` with the same meaning, so
/// importing this trait is only needed for generic code and reports.
///
/// ```
/// use groupguard::{groups, model, Model, Op, Principal};
/// # #[groups] pub enum Group { ADMINS, EDITORS }
/// #[model(allow(groups = [ADMINS]))]
/// pub struct Invoice;
///
/// fn may<M: Model>(p: &Principal<M::Group>, op: Op) -> bool {
///     M::authorize(p, op).is_allowed()
/// }
/// assert!(may::<Invoice>(&Principal::authenticated("s").with_groups([Group::ADMINS]), Op::Delete));
/// assert_eq!(Invoice::NAME, "Invoice");
/// ```
pub trait Model {
    /// The groups enum the rules name.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model, Op, OpSet, Who};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS], to = [update]))]
    /// pub struct Article;
    /// fn groups_of<M: Model>() -> &'static [M::Group] { <M::Group as groupguard::Groups>::ALL }
    /// assert_eq!(groups_of::<Article>().len(), 2);
    /// ```
    type Group: Groups;
    /// The model's name (the struct's identifier).
    ///
    /// ```
    /// # use groupguard::{groups, model, Model, Op, OpSet, Who};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS], to = [update]))]
    /// pub struct Article;
    /// assert_eq!(Article::NAME, "Article");
    /// ```
    const NAME: &'static str;
    /// The rules, in declaration order.
    ///
    /// ```
    /// # use groupguard::{groups, model, Model, Op, OpSet, Who};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS], to = [update]))]
    /// pub struct Article;
    /// assert_eq!(Article::RULES.len(), 1);
    /// ```
    const RULES: &'static [ModelRule<Self::Group>];

    /// Decides whether `principal` may perform `op`: allowed when any rule
    /// admits the principal for the operation (for `Op::Read`, for each part).
    ///
    /// ```
    /// # use groupguard::{groups, model, Model, Op, OpSet, Who};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// #[model(allow(groups = [EDITORS], to = [update]))]
    /// pub struct Article;
    /// # use groupguard::Principal;
    /// let editor = Principal::authenticated("e").with_groups([Group::EDITORS]);
    /// assert!(<Article as Model>::authorize(&editor, Op::Update).is_allowed());
    /// ```
    fn authorize(principal: &Principal<Self::Group>, op: Op) -> Decision {
        let decision = decide(Self::NAME, Self::RULES, principal, op);
        crate::audit::model(principal, &decision);
        decision
    }
}

/// Evaluates model rules; the body behind every generated `authorize`.
fn decide<G: Groups>(
    resource: &'static str,
    rules: &[ModelRule<G>],
    principal: &Principal<G>,
    op: Op,
) -> Decision {
    let request = Request::new(resource, op.name(), !principal.is_authenticated());
    decide_parts(request, op.parts(), Op::name, |part| {
        decide_part(rules, principal, part)
    })
}

/// The first rule that admits `principal` for the simple operation `op`, or why none does.
#[inline]
fn decide_part<G: Groups>(
    rules: &[ModelRule<G>],
    principal: &Principal<G>,
    op: Op,
) -> Result<&'static str, DenyReason> {
    first_admitting(
        rules.iter().filter(|rule| rule.ops.contains(op)),
        principal.is_authenticated(),
        |rule| rule.admits(principal),
    )
}

impl<G: Groups> Rule for ModelRule<G> {
    fn admits_kind(&self) -> Admits {
        match self.who {
            Who::Guest => Admits::Guests,
            Who::Authenticated => Admits::Authenticated,
            Who::Groups(_) => Admits::Groups,
        }
    }

    fn declaration(&self) -> &'static str {
        self.declaration
    }
}
