use groupguard::groups;

#[groups]
pub enum Group {}

fn main() {}
