// Role ARNs in #[group(role = ...)]: each module is a former case, whose error
// is reported on its own.

// Was ui/groups/role-not-an-arn.rs.
mod role_not_an_arn {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(role = "Admins")]
        ADMINS,
    }
}

// Was ui/groups/role-uppercase-partition.rs.
mod role_uppercase_partition {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(role = "arn:AWS:iam::123456789012:role/Admins")]
        ADMINS,
    }
}

// Was ui/groups/role-service-not-iam.rs.
mod role_service_not_iam {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(role = "arn:aws:s3::123456789012:role/Admins")]
        ADMINS,
    }
}

// Was ui/groups/role-region-given.rs.
mod role_region_given {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(role = "arn:aws:iam:us-east-1:123456789012:role/Admins")]
        ADMINS,
    }
}

// Was ui/groups/role-account-not-12-digits.rs.
mod role_account_not_12_digits {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(role = "arn:aws:iam::12345678901:role/Admins")]
        ADMINS,
    }
}

// Was ui/groups/role-resource-not-role.rs.
mod role_resource_not_role {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(role = "arn:aws:iam::123456789012:user/Admins")]
        ADMINS,
    }
}

// Was ui/groups/role-empty-role-name.rs.
mod role_empty_role_name {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(role = "arn:aws:iam::123456789012:role/")]
        ADMINS,
    }
}

// Was ui/groups/role-space-in-role-name.rs.
mod role_space_in_role_name {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(role = "arn:aws:iam::123456789012:role/Site Admins")]
        ADMINS,
    }
}

fn main() {}
