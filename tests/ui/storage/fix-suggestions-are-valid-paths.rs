// A suggested fix must itself be a valid path: `drafts/*/x` gets
// `drafts/x/*` (never `drafts/*/x/*`, which breaks path rule 4),
// `{entity_id}/x` no fix that breaks rule 6, `/public` gets `public/*`.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Files {
        "drafts/*/x" => groups(EDITORS): [read],
        "{entity_id}/x" => entity(identity): [read],
        "/public" => guest: [read],
        "profiles/{entityId}" => entity(identity): [read],
    }
}

fn main() {}
