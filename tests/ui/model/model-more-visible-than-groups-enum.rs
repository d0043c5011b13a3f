// The model is `pub(crate)` but its groups enum is visible only in `outer`:
// the model's public `authorize` would leak the enum.
mod outer {
    pub(crate) mod auth {
        use groupguard::groups;

        #[groups]
        pub(in crate::outer) enum Staff {
            Support,
        }
    }

    use groupguard::model;

    #[model(groups = auth::Staff, allow(groups = [Support]))]
    pub(crate) struct Ticket;
}

fn main() {}
