//! The bulletin's access rules: its groups, its posts and its files, as the
//! seed page describes them ("only ADMINS users are permitted to delete
//! posts, only EDITORS are permitted to modify posts in a draft state").

use groupguard::{Principal, groups, model, storage};
use serde::{Deserialize, Serialize};

/// The user-pool groups (deploy the same two on Cognito).
#[groups]
pub enum Group {
    /// Publish and delete anything.
    ADMINS,
    /// Update any draft; read and write `drafts/` files.
    EDITORS,
}

/// Where a post is in its life.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written: seen by its owner, editors and admins.
    Draft,
    /// Out: seen by everyone.
    Published,
}

impl Status {
    /// The value stored in the `status` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
        }
    }

    /// The status stored as `text`, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "draft" => Some(Status::Draft),
            "published" => Some(Status::Published),
            _ => None,
        }
    }
}

/// A post on the board.
///
/// - guests and signed-in users read published posts;
/// - signed-in users create drafts they own, and read and update their own
///   drafts;
/// - editors read and update any draft;
/// - admins do anything: publish (an update that leaves the draft state),
///   delete.
///
/// An update is decided by `authorize_update`, on the post as stored and
/// on the post as it would be saved, so a draft cannot be published, or
/// given away, by anyone the rules only let update drafts.
#[model(
    allow(guest, to = [read], when = Self::is_published),
    allow(authenticated, to = [read], when = Self::is_published),
    allow(owner, to = [create, read, update], when = Self::is_draft),
    allow(groups = [EDITORS], to = [read, update], when = Self::is_draft),
    allow(groups = [ADMINS]),
)]
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Post {
    /// The row id.
    pub id: i64,
    /// Who wrote it: the author's `sub`.
    pub owner: String,
    /// Its title.
    pub title: String,
    /// Its text.
    pub body: String,
    /// Draft or published.
    pub status: Status,
}

impl Post {
    fn is_draft(&self) -> bool {
        self.status == Status::Draft
    }

    fn is_published(&self) -> bool {
        self.status == Status::Published
    }

    /// The SQL of a `when` condition of the rules, for the list query: a
    /// fixed text per condition, never built from input. `None` for a
    /// condition SQL cannot express (the rows are re-checked anyway).
    pub fn condition_sql(condition: &str) -> Option<&'static str> {
        match condition {
            "Self::is_draft" => Some("status = 'draft'"),
            "Self::is_published" => Some("status = 'published'"),
            _ => None,
        }
    }
}

storage! {
    /// Attachments: public files for everyone, drafts for editors, and a
    /// folder of one's own under `profiles/`.
    pub Files {
        "public/*" => guest: [read],
        "public/*" => authenticated: [read],
        "public/*" => groups(ADMINS): [read, write, delete],
        "drafts/*" => groups(EDITORS): [read, write],
        "drafts/*" => groups(ADMINS): [read, write, delete],
        "profiles/{entity_id}/*" => entity(identity): [read, write, delete],
    }
}

/// The owner value a new post of `principal` gets: its `sub`.
pub fn owner_of(principal: &Principal<Group>) -> Option<String> {
    principal
        .sub()
        .filter(|sub| !sub.is_empty())
        .map(str::to_owned)
}
