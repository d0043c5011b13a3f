//! A shared `auth` crate as an application would have: the groups enum only.

/// Groups shared by several services.
pub mod auth {
    /// The user-pool groups.
    #[groupguard::groups]
    pub enum Group {
        /// Administrators.
        ADMINS,
        /// Editors.
        #[group(name = "content-editors")]
        EDITORS,
    }
}
