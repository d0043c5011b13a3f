// The rules on storage paths: each module is a former case (its own groups enum
// and storage!), whose errors are reported on their own.

// Was ui/storage/path-starts-with-slash.rs.
// Path rule 1: a storage path must not start with `/`.
mod path_starts_with_slash {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "/drafts/*" => groups(EDITORS): [read],
        }
    }
}

// Was ui/storage/root-path.rs.
// Path rule 1 on the bucket root: there is no path to suggest by dropping the
// `/`, since `*` alone breaks rule 2.
mod root_path {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "/*" => groups(ADMINS): [read],
            "//*" => groups(ADMINS): [read],
        }
    }
}

// Was ui/storage/path-without-final-wildcard.rs.
// Path rule 2: a storage path must end with `/*`.
mod path_without_final_wildcard {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/" => groups(EDITORS): [read],
            "public" => guest: [read],
        }
    }
}

// Was ui/storage/path-with-double-slash.rs.
// Path rule 3: a storage path must not contain `//`.
mod path_with_double_slash {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts//old/*" => groups(EDITORS): [read],
        }
    }
}

// Was ui/storage/path-nested-two-levels.rs.
// Path rule 5: at most one other declared path may be a prefix of a path.
mod path_nested_two_levels {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "media/*" => authenticated: [read],
            "media/photos/*" => authenticated: [read, write],
            "media/photos/raw/*" => groups(ADMINS): [read],
        }
    }
}

// Was ui/storage/dot-segment-in-path.rs.
// A `..` part could never match: such keys are always denied.
mod dot_segment_in_path {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/../admin/*" => groups(ADMINS): [read],
        }
    }
}

// Was ui/storage/unsafe-character-in-path.rs.
// A backslash, a control character, a bidirectional control or a line
// separator could never match: keys holding one are always denied. Each path
// is reported.
mod unsafe_character_in_path {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts\\old/*" => groups(ADMINS): [read],
            "tabs\t/*" => groups(ADMINS): [read],
            "c1\u{85}/*" => groups(ADMINS): [read],
            "rtl\u{202e}/*" => groups(ADMINS): [read],
            "line\u{2028}/*" => groups(ADMINS): [read],
        }
    }
}

// Was ui/storage/amplify-iam-would-disagree.rs.
// Declarations Amplify accepts but deploys as IAM policies that contradict
// its own rule (the most specific path decides): refused, each naming the
// paths involved. Amplify writes `{entity_id}` as `*` for every grant but
// the owner's, so `c/{entity_id}/*` below covers all of `c/*` for them.
mod amplify_iam_would_disagree {
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
}

fn main() {}
