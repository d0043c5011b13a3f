// The syntax of storage!: malformed entries, settings and an empty storage. Each
// module is a former case (its own groups enum and storage!), whose errors are
// reported on their own.

// Was ui/storage/missing-arrow.rs.
// A malformed entry is reported and the others are still checked.
mod missing_arrow {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" groups(EDITORS): [read],
            "public/*" => guest: [raed],
        }
    }
}

// Was ui/storage/missing-comma-between-entries.rs.
// A forgotten comma is reported, and the next entry is still checked.
mod missing_comma_between_entries {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" => groups(EDITORS): [read]
            "public/*" => guest: [raed],
        }
    }
}

// Was ui/storage/only-entry-malformed.rs.
// The only entry is malformed: one error for it, and no follow-on "declares
// no paths" error.
mod only_entry_malformed {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" => groups(EDITORS) [read],
        }
    }
}

// Was ui/storage/tokens-after-entry.rs.
// Stray tokens after an entry: one error, not one per token.
mod tokens_after_entry {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {
            "drafts/*" => groups(EDITORS): [read] for everyone,
            "public/*" => guest: [read],
        }
    }
}

// Was ui/storage/unknown-groups-setting.rs.
// The only setting before the storage is `groups = path::To::Enum;`.
mod unknown_groups_setting {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        group = Group;
        pub Files {
            "drafts/*" => groups(EDITORS): [read],
        }
    }
}

// Was ui/storage/empty-storage.rs.
// A storage with no paths denies everything.
mod empty_storage {
    use groupguard::{groups, storage};

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS,
    }

    storage! {
        pub Files {}
    }
}

fn main() {}
