use groupguard::model;

#[model(allow(guest, to = [list]))]
pub struct Article;

fn main() {}
