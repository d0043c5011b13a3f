// A field with rules of its own is compared by `authorize_update`, to know
// whether an update changes it: its type must implement `PartialEq`. The
// error points at the type; fields without rules of their own need nothing.
use groupguard::{groups, model};

#[groups]
pub enum Group {
    ADMINS,
}

#[derive(Clone, Default)]
pub struct Blob(pub Vec<u8>);

#[model(allow(authenticated, to = [read, update]))]
pub struct Doc {
    pub unruled: Blob,
    #[field(allow(groups = [ADMINS]))]
    pub attachment: Blob,
    #[field(allow(groups = [ADMINS]))]
    pub thumbnail: Option<Blob>,
}

fn main() {}
