// No `Group` in scope: the errors (one naming both fixes) point at the
// storage's name, and its callers still type-check.
use groupguard::{storage, Access, Principal, Storage};

storage! {
    pub Files {
        "public/*" => guest: [read],
    }
}

fn main() {
    let _ = Files::authorize(&Principal::guest(), "public/a", Access::Get);
    let _ = <Files as Storage>::PATHS.len();
}
