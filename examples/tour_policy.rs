//! The tour's policy: the groups, models and storage of Amplify's "User
//! groups" page. Shared by `tour.rs` and by the access snapshot test
//! (`tests/tests/access_snapshot.rs`, which checks `ACCESS.md`).

// The models' fields are data the tour and the snapshot never read.
#![allow(dead_code, reason = "the policy's record fields are not read here")]

use groupguard::{groups, model, storage};

/// The user-pool groups, as in `defineAuth({ groups: ["ADMINS", "EDITORS"] })`.
#[groups]
pub enum Group {
    /// Only admins may delete posts from the bulletin.
    #[group(
        role = "arn:aws:iam::123456789012:role/Admins",
        description = "site administrators"
    )]
    ADMINS,
    /// Editors may modify posts in a draft state.
    #[group(description = "draft editors")]
    EDITORS,
}

/// `Article: a.model({}).authorization(allow => [allow.groups(["EDITORS"]).to(["read", "update"])])`
#[model(allow(groups = ["EDITORS"], to = [read, update]))]
pub struct Article {
    /// The article's title.
    pub title: String,
}

/// A bulletin post: anyone signed in reads, editors write, only admins delete.
#[model(
    allow(authenticated, to = [read]),
    allow(guest, to = [get, list]),
    allow(groups = [EDITORS], to = [create, update]),
    allow(groups = [ADMINS]),
)]
pub struct Post {
    /// The post's body.
    pub body: String,
}

storage! {
    /// `defineStorage({ name: "articles", access: ... })`, with a few more paths.
    pub Articles {
        "drafts/*" => groups(EDITORS): [read, write],
        "drafts/*" => groups(ADMINS): [read, write, delete],
        "drafts/archive/*" => groups(ADMINS): [read],
        "public/*" => guest: [read],
        "public/*" => authenticated: [read, write],
        "profiles/{entity_id}/*" => entity(identity): [read, write, delete],
    }
}
