// Acceptors, groups and actions in an entry: each module is a former case (its
// own groups enum and storage!), whose errors are reported on their own.

// Was ui/storage/unknown-acceptor.rs.
// An unknown acceptor, with a suggestion.
mod unknown_acceptor {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" => group(EDITORS): [read],
            "public/*" => owner: [read],
        }
    }
}

// Was ui/storage/resource-acceptor-unsupported.rs.
// Amplify's `resource(fn)` acceptor is not supported.
mod resource_acceptor_unsupported {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "jobs/*" => resource(worker): [read],
        }
    }
}

// Was ui/storage/guest-with-arguments.rs.
// `guest` takes no arguments.
mod guest_with_arguments {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "public/*" => guest(EDITORS): [read],
        }
    }
}

// Was ui/storage/empty-group-list.rs.
// `groups()` admits nobody.
mod empty_group_list {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" => groups(): [read],
        }
    }
}

// Was ui/storage/unknown-group.rs.
// A misspelled group: the headline mistake that must not compile.
mod unknown_group {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" => groups(EDITOR): [read],
            "admin/*" => groups("admins"): [read],
        }
    }
}

// Was ui/storage/group-named-by-claim-value.rs.
// Entries name variants, not claim values.
mod group_named_by_claim_value {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        #[group(name = "content-reviewers")]
        Reviewers,
    }

    storage! {
        pub Files {
            "reviews/*" => groups("content-reviewers"): [read],
        }
    }
}

// Was ui/storage/group-listed-twice-in-entry.rs.
// A group listed twice inside one `groups(...)`.
mod group_listed_twice_in_entry {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" => groups(EDITORS, "EDITORS"): [read],
        }
    }
}

// Was ui/storage/same-group-twice-on-path.rs.
// A group may have one entry per path, even inside a longer group list.
mod same_group_twice_on_path {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" => groups(EDITORS): [read],
            "drafts/*" => groups(ADMINS, EDITORS): [write],
        }
    }
}

// Was ui/storage/same-acceptor-twice-on-path.rs.
// Each acceptor may appear once per path.
mod same_acceptor_twice_on_path {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "public/*" => guest: [read],
            "public/*" => authenticated: [read],
            "public/*" => guest: [write],
        }
    }
}

// Was ui/storage/unknown-action.rs.
// An unknown action, with a suggestion.
mod unknown_action {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" => groups(EDITORS): [reed, upload],
        }
    }
}

// Was ui/storage/empty-action-list.rs.
// An empty action list grants nothing.
mod empty_action_list {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" => groups(EDITORS): [],
        }
    }
}

// Was ui/storage/action-listed-twice.rs.
// An action listed twice in one entry.
mod action_listed_twice {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" => groups(EDITORS): [write, write],
        }
    }
}

// Was ui/storage/read-with-get-and-list.rs.
// `read` already means `get` + `list`.
mod read_with_get_and_list {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" => groups(EDITORS): [read, get, list],
        }
    }
}

fn main() {}
