// Every rule reads the record (an owner rule, a `when`): `authorize`, which
// has no record, could never allow, so calling it does not compile and the
// error says what to call. Generic code keeps `Model::authorize` (it
// denies), and `authorize_record` and `filter_for` are there.
use groupguard::{groups, model, Model, Op, Principal};

#[groups]
pub enum Group {
    ADMINS,
}

#[model(
    allow(owner),
    allow(authenticated, to = [read], when = Self::is_public),
)]
pub struct Note {
    pub owner: String,
    pub public: bool,
}

impl Note {
    fn is_public(&self) -> bool {
        self.public
    }
}

fn generic<M: Model>(principal: &Principal<M::Group>) -> bool {
    M::authorize(principal, Op::Get).is_allowed()
}

fn main() {
    let ann = Principal::<Group>::authenticated("ann");
    let note = Note { owner: "ann".into(), public: false };
    let _ = Note::authorize(&ann, Op::Get);
    let _ = note.authorize_record(&ann, Op::Get);
    let _ = Note::filter_for(&ann, Op::List);
    let _ = <Note as Model>::authorize(&ann, Op::Get);
    let _ = generic::<Note>(&ann);
}
