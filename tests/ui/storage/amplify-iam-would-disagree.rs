// Declarations Amplify accepts but deploys as IAM policies that contradict
// its own rule (the most specific path decides): refused, each naming the
// paths involved. Amplify writes `{entity_id}` as `*` for every grant but
// the owner's, so `c/{entity_id}/*` below covers all of `c/*` for them.
use groupguard::{groups, storage};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

// An owner's folder under the `p/*` of another `{entity_id}` path: Amplify
// would let every signed-in user write into anyone's `c/b/<id>/`.
storage! {
    pub OwnerUnderWide {
        "c/{entity_id}/*" => authenticated: [write],
        "c/b/{entity_id}/*" => entity(identity): [write],
    }
}

// Three levels once the `p/*` of an `{entity_id}` path counts.
storage! {
    pub ThreeLevels {
        "c/{entity_id}/*" => guest: [read],
        "c/d/*" => groups(EDITORS): [read],
        "c/d/e/*" => groups(ADMINS): [read],
    }
}

// IAM reads `?` as any one character: `a?/*` would also grant `ab/f`.
storage! {
    pub QuestionMark {
        "a?/*" => guest: [read],
    }
}

// Braces only ever enclose `{entity_id}`.
storage! {
    pub StrayBrace {
        "a{b/*" => guest: [read],
    }
}

// Allowed: an `{entity_id}` path under another one's `p/*` when it grants
// to others than the owner only (a plain sub-path of `c/*`), and a literal
// path under it (two levels).
storage! {
    pub Fine {
        "c/{entity_id}/*" => guest: [read],
        "c/b/{entity_id}/*" => groups(EDITORS): [read],
        "c/d/*" => groups(ADMINS): [read],
    }
}

fn main() {}
