//! Who is asking: [`Principal`].

use crate::group::{GroupSet, Groups};

/// Cognito's limit of groups a user may belong to. The verifier's default
/// size limit is derived from it (the largest token Cognito can issue names
/// this many groups); a group claim itself may hold up to 10,000 entries
/// (the pool limit), since an OIDC issuer may put more names in its claim
/// than Cognito would.
///
/// ```
/// assert_eq!(groupguard::MAX_GROUPS_PER_USER, 100);
/// ```
pub const MAX_GROUPS_PER_USER: usize = 100;

/// The caller of a guard: a guest, or an authenticated user with groups.
///
/// In production a [`Verifier`](crate::Verifier) builds it from a verified JWT; tests and
/// trusted internal callers build it directly.
///
/// ```
/// use groupguard::{groups, Principal};
///
/// #[groups]
/// pub enum Group { ADMINS, EDITORS }
///
/// let bob = Principal::authenticated("bob-sub")
///     .with_username("bob")
///     .with_groups([Group::EDITORS]);
/// assert!(bob.is_authenticated());
/// assert!(bob.is_in(Group::EDITORS));
/// assert!(!bob.is_in(Group::ADMINS));
///
/// let guest = Principal::<Group>::guest();
/// assert!(!guest.is_authenticated());
/// assert_eq!(guest.sub(), None);
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Principal<G: Groups> {
    sub: Option<String>,
    username: Option<String>,
    identity_id: Option<String>,
    groups: GroupSet<G>,
    unknown_groups: Vec<String>,
    claimed_preferred_role: Option<String>,
    claimed_roles: Vec<String>,
}

impl<G: Groups> Principal<G> {
    /// An unauthenticated caller: matches only `guest` rules.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// let guest = Principal::<Group>::guest();
    /// assert!(!guest.is_authenticated());
    /// ```
    #[must_use]
    pub fn guest() -> Self {
        Self {
            sub: None,
            username: None,
            identity_id: None,
            groups: GroupSet::EMPTY,
            unknown_groups: Vec::new(),
            claimed_preferred_role: None,
            claimed_roles: Vec::new(),
        }
    }

    /// An authenticated caller identified by `sub` (the token's subject), with no groups yet.
    ///
    /// This is the constructor for trusted callers (tests, internal jobs):
    /// it takes `sub` as given. The verifier refuses a token whose `sub` is
    /// missing or empty, and an empty id never fills `{entity_id}`.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// let p = Principal::<Group>::authenticated("3f1c-sub");
    /// assert_eq!(p.sub(), Some("3f1c-sub"));
    /// ```
    #[must_use]
    pub fn authenticated(sub: impl Into<String>) -> Self {
        Self {
            sub: Some(sub.into()),
            ..Self::guest()
        }
    }

    /// Adds groups (duplicates are ignored). Ignored for a guest: guests have no groups.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// let p = Principal::authenticated("a").with_groups([Group::ADMINS, Group::EDITORS]);
    /// assert_eq!(p.groups().len(), 2);
    /// assert!(Principal::guest().with_groups([Group::ADMINS]).groups().is_empty());
    /// ```
    #[must_use]
    pub fn with_groups(mut self, groups: impl IntoIterator<Item = G>) -> Self {
        if self.is_authenticated() {
            self.groups.extend(groups);
        }
        self
    }

    /// Sets the user name (`cognito:username` or `username` in Cognito tokens).
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// let p = Principal::<Group>::authenticated("s").with_username("alice");
    /// assert_eq!(p.username(), Some("alice"));
    /// ```
    #[must_use]
    pub fn with_username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Sets the identity id (Cognito identity pool id such as
    /// `us-east-1:0f3a...`) that fills `{entity_id}` in storage paths.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// let p = Principal::<Group>::authenticated("s").with_identity_id("us-east-1:42");
    /// assert_eq!(p.identity_id(), Some("us-east-1:42"));
    /// ```
    #[must_use]
    pub fn with_identity_id(mut self, identity_id: impl Into<String>) -> Self {
        self.identity_id = Some(identity_id.into());
        self
    }

    /// Records claim values that name no declared group. They are kept for
    /// auditing and grant nothing.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// let p = Principal::<Group>::authenticated("s").with_unknown_groups(["ADMIN".to_string()]);
    /// assert_eq!(p.unknown_groups(), ["ADMIN"]);
    /// assert!(p.groups().is_empty());
    /// ```
    #[must_use]
    pub fn with_unknown_groups(mut self, names: impl IntoIterator<Item = String>) -> Self {
        self.unknown_groups.extend(names);
        self
    }

    /// Records the `cognito:preferred_role` and `cognito:roles` claims of a token.
    /// They are reported as claimed and never used for decisions.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// let p = Principal::<Group>::authenticated("s")
    ///     .with_claimed_roles(Some("arn:aws:iam::123456789012:role/A".into()), vec![]);
    /// assert_eq!(p.claimed_preferred_role(), Some("arn:aws:iam::123456789012:role/A"));
    /// ```
    #[must_use]
    pub fn with_claimed_roles(mut self, preferred: Option<String>, roles: Vec<String>) -> Self {
        self.claimed_preferred_role = preferred;
        self.claimed_roles = roles;
        self
    }

    /// Whether the caller is authenticated (not a guest).
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert!(Principal::<Group>::authenticated("s").is_authenticated());
    /// ```
    #[must_use]
    pub fn is_authenticated(&self) -> bool {
        self.sub.is_some()
    }

    /// The subject (`sub` claim); `None` for a guest.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert_eq!(Principal::<Group>::authenticated("s").sub(), Some("s"));
    /// ```
    #[must_use]
    pub fn sub(&self) -> Option<&str> {
        self.sub.as_deref()
    }

    /// The user name, when known.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert_eq!(Principal::<Group>::authenticated("s").username(), None);
    /// ```
    #[must_use]
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    /// The identity id, when known.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert_eq!(Principal::<Group>::guest().identity_id(), None);
    /// ```
    #[must_use]
    pub fn identity_id(&self) -> Option<&str> {
        self.identity_id.as_deref()
    }

    /// The id that fills `{entity_id}` in storage paths: the identity id when
    /// set, else `sub`; `None` for a guest.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// let p = Principal::<Group>::authenticated("sub-1");
    /// assert_eq!(p.entity_id(), Some("sub-1"));
    /// assert_eq!(p.with_identity_id("id-1").entity_id(), Some("id-1"));
    /// ```
    #[must_use]
    pub fn entity_id(&self) -> Option<&str> {
        self.sub.as_ref()?;
        self.identity_id.as_deref().or(self.sub.as_deref())
    }

    /// The caller's declared groups.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert!(Principal::<Group>::authenticated("s").groups().is_empty());
    /// ```
    #[must_use]
    pub fn groups(&self) -> &GroupSet<G> {
        &self.groups
    }

    /// Whether the caller is a member of `group`.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert!(Principal::authenticated("s").with_groups([Group::ADMINS]).is_in(Group::ADMINS));
    /// ```
    #[must_use]
    pub fn is_in(&self, group: G) -> bool {
        self.groups.contains(group)
    }

    /// Group claim values that match no declared group (they grant nothing).
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert!(Principal::<Group>::guest().unknown_groups().is_empty());
    /// ```
    #[must_use]
    pub fn unknown_groups(&self) -> &[String] {
        &self.unknown_groups
    }

    /// The `cognito:preferred_role` claim of the token, if it had one.
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert_eq!(Principal::<Group>::guest().claimed_preferred_role(), None);
    /// ```
    #[must_use]
    pub fn claimed_preferred_role(&self) -> Option<&str> {
        self.claimed_preferred_role.as_deref()
    }

    /// The `cognito:roles` claim of the token (empty when absent).
    ///
    /// ```
    /// # use groupguard::{groups, Principal};
    /// # #[groups] pub enum Group { ADMINS }
    /// assert!(Principal::<Group>::guest().claimed_roles().is_empty());
    /// ```
    #[must_use]
    pub fn claimed_roles(&self) -> &[String] {
        &self.claimed_roles
    }

    /// The role Cognito would put in `cognito:preferred_role`, computed from
    /// the declared groups: among the caller's groups that have a role, the one
    /// with the lowest precedence. When several share that lowest precedence
    /// with different roles there is no preferred role; when they share the
    /// same role, that role is preferred.
    ///
    /// ```
    /// use groupguard::{groups, Principal};
    ///
    /// #[groups]
    /// pub enum Group {
    ///     #[group(role = "arn:aws:iam::123456789012:role/Admins")]
    ///     ADMINS,
    ///     #[group(role = "arn:aws:iam::123456789012:role/Editors")]
    ///     EDITORS,
    ///     #[group(precedence = 1, role = "arn:aws:iam::123456789012:role/Other")]
    ///     OTHERS,
    /// }
    /// let p = Principal::authenticated("s").with_groups([Group::ADMINS, Group::EDITORS]);
    /// assert_eq!(p.preferred_role(), Some("arn:aws:iam::123456789012:role/Admins"));
    /// // EDITORS and OTHERS tie at precedence 1 with different roles: no preferred role.
    /// let p = Principal::authenticated("s").with_groups([Group::EDITORS, Group::OTHERS]);
    /// assert_eq!(p.preferred_role(), None);
    /// ```
    #[must_use]
    pub fn preferred_role(&self) -> Option<&'static str> {
        let mut best: Option<(u32, &'static str)> = None;
        let mut tied_with_other_role = false;
        for group in &self.groups {
            let Some(role) = group.role() else { continue };
            let precedence = group.precedence();
            match best {
                Some((p, _)) if precedence > p => {}
                Some((p, r)) if precedence == p => tied_with_other_role |= r != role,
                _ => {
                    best = Some((precedence, role));
                    tied_with_other_role = false;
                }
            }
        }
        best.filter(|_| !tied_with_other_role).map(|(_, role)| role)
    }
}
