use groupguard::groups;

#[groups(amplify_outputs = amplify_outputs_json)]
pub enum Group {
    ADMINS,
}

fn main() {}
