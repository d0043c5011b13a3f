use groupguard::groups;

#[groups]
pub enum Group {
    #[group(prescedence = 1)]
    ADMINS,
}

fn main() {}
