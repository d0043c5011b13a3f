// `{entity_id}` paths and the `entity(identity)` acceptor: each module is a
// former case (its own groups enum and storage!), whose error is reported on its own.

// Was ui/storage/entity-on-path-without-token.rs.
// `entity(identity)` on a path without `{entity_id}` would admit every user.
mod entity_on_path_without_token {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "uploads/*" => entity(identity): [read, write],
        }
    }
}

// Was ui/storage/entity-other-than-identity.rs.
// The only entity is `identity`.
mod entity_other_than_identity {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "home/{entity_id}/*" => entity(user): [read],
        }
    }
}

// Was ui/storage/entity-path-under-declared-prefix.rs.
// Path rule 6: no other path may be a prefix of a path holding `{entity_id}`.
mod entity_path_under_declared_prefix {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "profiles/*" => authenticated: [read],
            "profiles/{entity_id}/*" => entity(identity): [read, write],
        }
    }
}

// Was ui/storage/entity-token-first-part.rs.
// Path rule 6: `{entity_id}` is not the first part.
mod entity_token_first_part {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "{entity_id}/*" => entity(identity): [read, write],
        }
    }
}

// Was ui/storage/entity-token-mixed-with-text.rs.
// Path rule 6: the part holding `{entity_id}` is exactly the token.
mod entity_token_mixed_with_text {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "profiles/user-{entity_id}/*" => entity(identity): [read],
        }
    }
}

// Was ui/storage/entity-token-not-last-part.rs.
// Path rule 6: `{entity_id}` is the part right before the final `/*`.
mod entity_token_not_last_part {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "profiles/{entity_id}/photos/*" => entity(identity): [read],
        }
    }
}

// Was ui/storage/entity-token-twice.rs.
// Path rule 6: `{entity_id}` appears once.
mod entity_token_twice {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "teams/{entity_id}/{entity_id}/*" => entity(identity): [read],
        }
    }
}

// Was ui/storage/entity-twice-on-path.rs.
// `entity(identity)` may appear once per path.
mod entity_twice_on_path {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "home/{entity_id}/*" => entity(identity): [read],
            "home/{entity_id}/*" => entity(identity): [write],
        }
    }
}

// Was ui/storage/misspelled-entity-token.rs.
// `{entity_id}` is the only path token.
mod misspelled_entity_token {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "profiles/{entityId}/*" => entity(identity): [read],
        }
    }
}

fn main() {}
