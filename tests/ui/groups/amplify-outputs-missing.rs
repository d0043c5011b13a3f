// The outputs file is relative to the crate's Cargo.toml; a missing one is
// a compile error on the argument.
use groupguard::groups;

#[groups(amplify_outputs = "no/such/amplify_outputs.json")]
pub enum Group {
    ADMINS,
}

fn main() {}
