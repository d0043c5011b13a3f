//! The outcome of a guard: [`Decision`], and its error form [`Denied`].

use core::fmt;

mod choose;
mod reason;

pub(crate) use choose::{Admits, Check, Rule, decide_parts, first_admitting};
pub use reason::{DenyReason, KeyError};

/// The answer of a guard such as `Article::authorize` or `Articles::authorize`.
///
/// It records what was asked (resource and action) and either the rule that
/// allowed it or the reason it was denied, so that a denial can be logged or
/// returned as an error that says why. It is `Copy` and never allocates.
///
/// ```
/// use groupguard::{groups, model, Op, Principal};
///
/// #[groups]
/// pub enum Group { ADMINS, EDITORS }
///
/// #[model(allow(groups = [EDITORS], to = [read, update]))]
/// pub struct Article;
///
/// let bob = Principal::authenticated("bob").with_groups([Group::EDITORS]);
/// let decision = Article::authorize(&bob, Op::Update);
/// assert!(decision.is_allowed());
/// assert_eq!(
///     decision.to_string(),
///     "`update` on `Article` allowed by `allow(groups = [EDITORS], to = [read, update])`"
/// );
///
/// let denied = Article::authorize(&bob, Op::Delete);
/// assert!(denied.is_denied());
/// assert_eq!(denied.to_string(), "`delete` on `Article` denied: no rule allows this operation");
/// assert!(denied.into_result().is_err());
/// ```
#[must_use = "a decision does nothing unless it is checked"]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Decision {
    request: Request,
    outcome: Outcome,
}

/// What was asked: the resource (model or storage name), the action and, for
/// a composite action such as `read`, the part that decided (for an update,
/// the check that did); and whether the principal was a guest (a web
/// framework answers a guest's denial with 401, an authenticated
/// principal's with 403).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Request {
    resource: &'static str,
    action: &'static str,
    part: Option<&'static str>,
    check: Option<UpdateCheck>,
    guest: bool,
}

impl Request {
    pub(crate) const fn new(resource: &'static str, action: &'static str, guest: bool) -> Self {
        Request {
            resource,
            action,
            part: None,
            check: None,
            guest,
        }
    }

    /// This request, naming `check`, the check of an update that denies it.
    pub(crate) const fn checking(self, check: UpdateCheck) -> Self {
        Request {
            check: Some(check),
            ..self
        }
    }

    /// This request, naming `part`, the part of a composite action that
    /// denies it.
    pub(crate) const fn in_part(self, part: &'static str) -> Self {
        Request {
            part: Some(part),
            ..self
        }
    }

    /// The decision on this request.
    pub(crate) const fn decided(self, outcome: Outcome) -> Decision {
        Decision {
            request: self,
            outcome,
        }
    }

    /// The decision that denies this request for `reason`.
    pub(crate) const fn denied(self, reason: DenyReason) -> Decision {
        self.decided(Outcome::Denied(reason))
    }
}

/// Whether a request was allowed, and by what or why not.
///
/// ```
/// use groupguard::{groups, model, DenyReason, Op, Outcome, Principal};
/// # #[groups] pub enum Group { ADMINS }
/// #[model(allow(groups = [ADMINS]))]
/// pub struct Report;
///
/// let d = Report::authorize(&Principal::guest(), Op::Get);
/// assert_eq!(d.outcome(), Outcome::Denied(DenyReason::Guest));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// Allowed by the rule whose declaration is quoted.
    Allowed {
        /// The allowing rule as declared, e.g. `allow(groups = [EDITORS], to = [read])`.
        rule: &'static str,
    },
    /// Denied for this reason.
    Denied(DenyReason),
}

/// Which of the checks of an update (`authorize_update`) denied it; the
/// denial's [`DenyReason`] is that check's.
///
/// ```
/// use groupguard::{groups, model, DenyReason, Principal, UpdateCheck};
/// # #[groups] pub enum Group { ADMINS }
/// #[model(allow(owner, to = [read, update]), allow(groups = [ADMINS]))]
/// #[derive(Clone)]
/// pub struct Note { pub owner: String, pub text: Option<String> }
///
/// let ann = Principal::<Group>::authenticated("ann");
/// let note = Note { owner: "ann".into(), text: Some("hi".into()) };
/// let given_away = Note { owner: "bo".into(), ..note.clone() };
/// let decision = note.authorize_update(&ann, &given_away);
/// assert_eq!(decision.update_check(), Some(UpdateCheck::Saved));
/// assert_eq!(decision.deny_reason(), Some(DenyReason::NotRecordOwner));
///
/// let cleared = Note { text: None, ..note.clone() };
/// let decision = note.authorize_update(&ann, &cleared);
/// assert_eq!(decision.update_check(), Some(UpdateCheck::Cleared { field: "text" }));
/// // Only admins may `delete`, so only they may clear a field.
/// assert_eq!(
///     decision.to_string(),
///     "`update` (clearing `text` needs `delete`) on `Note` denied: the principal is in none of the allowed groups"
/// );
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UpdateCheck {
    /// `update` on the record as it is stored.
    Stored,
    /// `update` on the record as it would be saved: the update would leave
    /// it where the rules no longer let the principal update it (an editor
    /// publishing a draft, an owner giving the record away).
    Saved,
    /// `delete` on a field the update clears (from `Some` to `None`), as
    /// Amplify requires to set a field to null; by the field's own rules
    /// when it has some, else the model's.
    Cleared {
        /// The field, as declared.
        field: &'static str,
    },
    /// `update` by the rules of a field that has rules of its own
    /// (`#[field(allow(...))]`) and that the update changes.
    Changed {
        /// The field, as declared.
        field: &'static str,
    },
}

impl fmt::Display for UpdateCheck {
    /// The check as the denial names it, in parentheses after the action.
    ///
    /// ```
    /// use groupguard::UpdateCheck;
    /// assert_eq!(UpdateCheck::Saved.to_string(), "the record as it would be saved");
    /// assert_eq!(UpdateCheck::Changed { field: "salary" }.to_string(), "the rules of `salary`");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpdateCheck::Stored => f.write_str("the record as stored"),
            UpdateCheck::Saved => f.write_str("the record as it would be saved"),
            UpdateCheck::Cleared { field } => write!(f, "clearing `{field}` needs `delete`"),
            UpdateCheck::Changed { field } => write!(f, "the rules of `{field}`"),
        }
    }
}

impl Decision {
    /// Whether the request was allowed.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(guest, to = [list]))] pub struct Post;
    /// assert!(Post::authorize(&Principal::<Group>::guest(), Op::List).is_allowed());
    /// ```
    #[must_use]
    pub const fn is_allowed(&self) -> bool {
        matches!(self.outcome, Outcome::Allowed { .. })
    }

    /// Whether the request was denied.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(guest, to = [list]))] pub struct Post;
    /// assert!(Post::authorize(&Principal::<Group>::guest(), Op::Create).is_denied());
    /// ```
    #[must_use]
    pub const fn is_denied(&self) -> bool {
        !self.is_allowed()
    }

    /// The outcome: the allowing rule or the reason for denial.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Outcome, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(guest, to = [list]))] pub struct Post;
    /// let d = Post::authorize(&Principal::<Group>::guest(), Op::List);
    /// assert_eq!(d.outcome(), Outcome::Allowed { rule: "allow(guest, to = [list])" });
    /// ```
    #[must_use]
    pub const fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// The reason for denial, `None` when allowed.
    ///
    /// ```
    /// # use groupguard::{groups, model, DenyReason, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(guest, to = [list]))] pub struct Post;
    /// let d = Post::authorize(&Principal::<Group>::authenticated("s"), Op::List);
    /// assert_eq!(d.deny_reason(), Some(DenyReason::GuestsOnly));
    /// ```
    #[must_use]
    pub const fn deny_reason(&self) -> Option<DenyReason> {
        match self.outcome {
            Outcome::Denied(reason) => Some(reason),
            Outcome::Allowed { .. } => None,
        }
    }

    /// The model or storage name the request was about.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(guest, to = [list]))] pub struct Post;
    /// assert_eq!(Post::authorize(&Principal::<Group>::guest(), Op::List).resource(), "Post");
    /// ```
    #[must_use]
    pub const fn resource(&self) -> &'static str {
        self.request.resource
    }

    /// The action asked for, as written in rules (`update`, `read`, `write`...).
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(guest, to = [list]))] pub struct Post;
    /// assert_eq!(Post::authorize(&Principal::<Group>::guest(), Op::Read).action(), "read");
    /// ```
    #[must_use]
    pub const fn action(&self) -> &'static str {
        self.request.action
    }

    /// For a denied composite action (`read`), the part that was denied;
    /// `None` for a simple action and for every allowed decision.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(guest, to = [get, list]))] pub struct Post;
    /// let d = Post::authorize(&Principal::<Group>::guest(), Op::Read);
    /// assert_eq!(d.part(), Some("sync"));
    /// ```
    #[must_use]
    pub const fn part(&self) -> Option<&'static str> {
        self.request.part
    }

    /// For a denied update (`authorize_update`), the check that denied it;
    /// `None` for every other decision.
    ///
    /// ```
    /// # use groupguard::{groups, model, Principal, UpdateCheck};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(owner, to = [update]))]
    /// pub struct Note { pub owner: String }
    /// let note = Note { owner: "ann".into() };
    /// let bo = Principal::<Group>::authenticated("bo");
    /// assert_eq!(note.authorize_update(&bo, &Note { owner: "bo".into() }).update_check(), Some(UpdateCheck::Stored));
    /// ```
    #[must_use]
    pub const fn update_check(&self) -> Option<UpdateCheck> {
        self.request.check
    }

    /// Whether the principal was a guest (not authenticated). A web service
    /// answers a guest's denial with 401 (sign in) and an authenticated
    /// principal's with 403.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(groups = [ADMINS]))] pub struct Post;
    /// assert!(Post::authorize(&Principal::guest(), Op::Get).is_guest());
    /// assert!(!Post::authorize(&Principal::authenticated("u"), Op::Get).is_guest());
    /// ```
    #[must_use]
    pub const fn is_guest(&self) -> bool {
        self.request.guest
    }

    /// `Ok(())` when allowed, the [`Denied`] error otherwise; for use with `?`.
    ///
    /// # Errors
    ///
    /// [`Denied`], which says what was denied and why, when the decision is
    /// a denial.
    ///
    /// ```
    /// # use groupguard::{groups, model, Denied, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(groups = [ADMINS]))] pub struct Post;
    /// fn delete(p: &Principal<Group>) -> Result<(), Denied> {
    ///     Post::authorize(p, Op::Delete).into_result()?;
    ///     Ok(())
    /// }
    /// let err = delete(&Principal::guest()).unwrap_err();
    /// assert_eq!(err.to_string(), "`delete` on `Post` denied: guests are not allowed; sign in");
    /// ```
    pub const fn into_result(self) -> Result<(), Denied> {
        match self.outcome {
            Outcome::Allowed { .. } => Ok(()),
            Outcome::Denied(reason) => Err(Denied {
                request: self.request,
                reason,
            }),
        }
    }
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.part, self.check) {
            (Some(part), _) => write!(
                f,
                "`{}` (`{part}` part) on `{}`",
                self.action, self.resource
            ),
            (None, Some(check)) => {
                write!(f, "`{}` ({check}) on `{}`", self.action, self.resource)
            }
            (None, None) => write!(f, "`{}` on `{}`", self.action, self.resource),
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.outcome {
            // The part only matters for a denial: an allowed `read` is allowed whole.
            Outcome::Allowed { rule } => write!(
                f,
                "`{}` on `{}` allowed by `{rule}`",
                self.request.action, self.request.resource
            ),
            Outcome::Denied(reason) => write!(f, "{} denied: {reason}", self.request),
        }
    }
}

/// A denied [`Decision`] as an error (from [`Decision::into_result`]).
///
/// ```
/// # use groupguard::{groups, model, DenyReason, Op, Principal};
/// # #[groups] pub enum Group { ADMINS }
/// # #[model(allow(groups = [ADMINS]))] pub struct Post;
/// let err = Post::authorize(&Principal::authenticated("s"), Op::Get).into_result().unwrap_err();
/// assert_eq!(err.reason(), DenyReason::NotInAllowedGroup);
/// let _: &dyn std::error::Error = &err;
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Denied {
    request: Request,
    reason: DenyReason,
}

impl Denied {
    /// Whether the principal was a guest, as [`Decision::is_guest`].
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(groups = [ADMINS]))] pub struct Post;
    /// let denied = Post::authorize(&Principal::guest(), Op::Get).into_result().unwrap_err();
    /// assert!(denied.is_guest());
    /// ```
    #[must_use]
    pub const fn is_guest(&self) -> bool {
        self.request.guest
    }

    /// Why it was denied.
    ///
    /// ```
    /// # use groupguard::{groups, model, DenyReason, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(groups = [ADMINS]))] pub struct Post;
    /// let err = Post::authorize(&Principal::guest(), Op::Get).into_result().unwrap_err();
    /// assert_eq!(err.reason(), DenyReason::Guest);
    /// ```
    #[must_use]
    pub const fn reason(&self) -> DenyReason {
        self.reason
    }

    /// The model or storage name.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(groups = [ADMINS]))] pub struct Post;
    /// let err = Post::authorize(&Principal::guest(), Op::Get).into_result().unwrap_err();
    /// assert_eq!(err.resource(), "Post");
    /// ```
    #[must_use]
    pub const fn resource(&self) -> &'static str {
        self.request.resource
    }

    /// The action asked for.
    ///
    /// ```
    /// # use groupguard::{groups, model, Op, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// # #[model(allow(groups = [ADMINS]))] pub struct Post;
    /// let err = Post::authorize(&Principal::guest(), Op::Get).into_result().unwrap_err();
    /// assert_eq!(err.action(), "get");
    /// ```
    #[must_use]
    pub const fn action(&self) -> &'static str {
        self.request.action
    }

    /// The check of an update that denied it, as [`Decision::update_check`].
    ///
    /// ```
    /// # use groupguard::{groups, model, Principal, UpdateCheck};
    /// # #[groups] pub enum Group { ADMINS }
    /// #[model(allow(owner, to = [update]))]
    /// pub struct Note { pub owner: String }
    /// let note = Note { owner: "ann".into() };
    /// let ann = Principal::<Group>::authenticated("ann");
    /// let err = note.authorize_update(&ann, &Note { owner: "bo".into() }).into_result().unwrap_err();
    /// assert_eq!(err.update_check(), Some(UpdateCheck::Saved));
    /// ```
    #[must_use]
    pub const fn update_check(&self) -> Option<UpdateCheck> {
        self.request.check
    }
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} denied: {}", self.request, self.reason)
    }
}

impl std::error::Error for Denied {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.reason)
    }
}
