// No `Group` in scope: the error points at the storage's name.
use groupguard::storage;

storage! {
    pub Files {
        "public/*" => guest: [read],
    }
}

fn main() {}
