// The arguments of #[groups(...)] and the keys of #[group(...)]: each module is
// a former case, whose errors are reported on their own.

// Was ui/groups/amplify-outputs-missing.rs.
// The outputs file is relative to the crate's Cargo.toml; a missing one is
// a compile error on the argument.
mod amplify_outputs_missing {
    use groupguard::groups;

    #[groups(amplify_outputs = "no/such/amplify_outputs.json")]
    pub enum Group {
        ADMINS,
    }
}

// Was ui/groups/amplify-outputs-not-a-string.rs.
mod amplify_outputs_not_a_string {
    use groupguard::groups;

    #[groups(amplify_outputs = amplify_outputs_json)]
    pub enum Group {
        ADMINS,
    }
}

// Was ui/groups/groups-with-arguments.rs.
mod groups_with_arguments {
    use groupguard::groups;

    #[groups(claim = "cognito:groups")]
    pub enum Group {
        ADMINS,
    }
}

// Was ui/groups/group-key-without-value.rs.
mod group_key_without_value {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(admin)]
        ADMINS,
    }
}

// Was ui/groups/unknown-group-key.rs.
mod unknown_group_key {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(prescedence = 1)]
        ADMINS,
    }
}

// Was ui/groups/key-given-twice.rs.
mod key_given_twice {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(name = "admins", precedence = 1, name = "site-admins")]
        ADMINS,
    }
}

// Was ui/groups/key-given-twice-across-attributes.rs.
mod key_given_twice_across_attributes {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(precedence = 1)]
        #[group(precedence = 2)]
        ADMINS,
    }
}

// Was ui/groups/negative-precedence.rs.
mod negative_precedence {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(precedence = -1)]
        ADMINS,
    }
}

// Was ui/groups/precedence-not-an-integer.rs.
mod precedence_not_an_integer {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(precedence = "1")]
        ADMINS,
    }
}

// Was ui/groups/precedence-over-i32-max.rs.
mod precedence_over_i32_max {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(precedence = 2147483648)]
        ADMINS,
    }
}

// Was ui/groups/description-over-2048-chars.rs.
mod description_over_2048_chars {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(description = "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd")]
        ADMINS,
    }
}

// Was ui/groups/several-mistakes.rs.
mod several_mistakes {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(name = "site admins")]
        ADMINS,
        #[group(precedence = 4294967296)]
        EDITORS,
        #[group(role = "arn:aws:iam::123:role/Viewers")]
        VIEWERS(u8),
    }
}

fn main() {}
