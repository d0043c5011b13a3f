// Group (claim) names: each module is a former case, whose error is reported on
// its own.

// Was ui/groups/empty-name.rs.
mod empty_name {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(name = "")]
        ADMINS,
    }
}

// Was ui/groups/name-as-identifier.rs.
mod name_as_identifier {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(name = admins)]
        ADMINS,
    }
}

// Was ui/groups/name-not-a-string.rs.
mod name_not_a_string {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(name = 5)]
        ADMINS,
    }
}

// Was ui/groups/name-over-128-chars.rs.
mod name_over_128_chars {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(name = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
        ADMINS,
    }
}

// Was ui/groups/name-with-control-char.rs.
mod name_with_control_char {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(name = "admins\u{7}")]
        ADMINS,
    }
}

// Was ui/groups/name-with-whitespace.rs.
mod name_with_whitespace {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(name = "content reviewers")]
        Reviewers,
    }
}

// Was ui/groups/name-with-zero-width-char.rs.
mod name_with_zero_width_char {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(name = "ADMINS\u{200B}")]
        ADMINS,
    }
}

// Was ui/groups/duplicate-claim-name.rs.
mod duplicate_claim_name {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        ADMINS,
        #[group(name = "ADMINS")]
        Admins,
    }
}

// Was ui/groups/duplicate-claim-name-both-renamed.rs.
mod duplicate_claim_name_both_renamed {
    use groupguard::groups;

    #[groups]
    pub enum Group {
        #[group(name = "content-reviewers")]
        Reviewers,
        #[group(name = "content-reviewers")]
        Checkers,
    }
}

fn main() {}
