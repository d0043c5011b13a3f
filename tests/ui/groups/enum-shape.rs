// What #[groups] accepts as an enum: each module is a former case, whose
// error is reported on its own (proc-macro errors on separate items do not mask
// each other).

// Was ui/groups/groups-on-struct.rs.
mod groups_on_struct {
    use groupguard::groups;

    #[groups]
    pub struct Group {
        admins: bool,
    }
}

// Was ui/groups/empty-enum.rs.
mod empty_enum {
    use groupguard::groups;

    #[groups]
    pub enum Group {}
}

// Was ui/groups/generic-enum.rs.
mod generic_enum {
    use groupguard::groups;

    #[groups]
    pub enum Group<T> {
        ADMINS,
        EDITORS,
    }
}

// Was ui/groups/data-carrying-struct-variant.rs.
mod data_carrying_struct_variant {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS { team: u32 },
    }
}

// Was ui/groups/data-carrying-tuple-variant.rs.
mod data_carrying_tuple_variant {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS(String),
    }
}

// Was ui/groups/explicit-discriminant.rs.
mod explicit_discriminant {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        ADMINS,
        EDITORS = 5,
    }
}

// Was ui/groups/derive-implemented-by-groups.rs.
mod derive_implemented_by_groups {
    use groupguard::groups;

    #[groups]
    #[derive(Clone, Default, ::core::fmt::Debug)]
    pub enum Group {
        #[default]
        ADMINS,
    }
}

fn main() {}
