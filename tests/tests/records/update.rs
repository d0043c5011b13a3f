//! Updates (`authorize_update`): `update` on the record as stored and as it
//! would be saved, `delete` on each field the update clears, and the rules
//! of each field with rules of its own that it changes; the denial names
//! the check that failed.

use groupguard::{DenyReason, Model, Principal, UpdateCheck, model};

use super::{Group, Post, Status, user};

/// The check that denied, and why; `None` when allowed.
fn refusal(decision: groupguard::Decision) -> Option<(UpdateCheck, DenyReason)> {
    match (decision.update_check(), decision.deny_reason()) {
        (Some(check), Some(reason)) => Some((check, reason)),
        (None, None) => None,
        other => panic!("an update check without a denial, or the reverse: {other:?} ({decision})"),
    }
}

fn ann_post() -> Post {
    Post {
        owner: "ann".into(),
        ..Post::default()
    }
}

#[test]
fn the_stored_record_is_checked_first() {
    let post = ann_post();
    let edited = Post {
        team: "x".into(),
        ..post.clone()
    };
    // bo may not update ann's post, whatever it would become.
    let bo = user("bo");
    let decision = post.authorize_update(&bo, &edited);
    assert_eq!(
        refusal(decision),
        Some((UpdateCheck::Stored, DenyReason::NotRecordOwner))
    );
    assert_eq!(
        decision.to_string(),
        "`update` (the record as stored) on `Post` denied: the principal does not own the record"
    );
    // Even an update that would make bo the owner.
    let taken = Post {
        owner: "bo".into(),
        ..post.clone()
    };
    assert_eq!(
        refusal(post.authorize_update(&bo, &taken)),
        Some((UpdateCheck::Stored, DenyReason::NotRecordOwner))
    );
    let guest = post.authorize_update(&Principal::guest(), &edited);
    assert_eq!(
        refusal(guest),
        Some((UpdateCheck::Stored, DenyReason::Guest))
    );
    assert!(guest.is_guest());
    assert_eq!((guest.resource(), guest.action()), ("Post", "update"));
}

#[test]
fn the_record_as_it_would_be_saved_is_checked_too() {
    let draft = ann_post();
    let published = Post {
        status: Status::Published,
        ..draft.clone()
    };
    // An editor may update drafts, so may not publish one.
    let editor = user("ed").with_groups([Group::EDITORS]);
    let edited = Post {
        team: "x".into(),
        ..draft.clone()
    };
    assert!(draft.authorize_update(&editor, &edited).is_allowed());
    let decision = draft.authorize_update(&editor, &published);
    assert_eq!(
        refusal(decision),
        Some((
            UpdateCheck::Saved,
            DenyReason::ConditionFailed {
                condition: "Self::is_draft"
            }
        ))
    );
    assert_eq!(
        decision.to_string(),
        "`update` (the record as it would be saved) on `Post` denied: the record does not satisfy `Self::is_draft`"
    );
    // An owner may not give the record away.
    let ann = user("ann");
    let given = Post {
        owner: "bo".into(),
        ..draft.clone()
    };
    assert_eq!(
        refusal(draft.authorize_update(&ann, &given)),
        Some((UpdateCheck::Saved, DenyReason::NotRecordOwner))
    );
    // ...unless another rule still lets the owner update it as saved.
    let shared = Post {
        owner: "bo".into(),
        editors: vec!["ann".into()],
        ..draft.clone()
    };
    assert!(draft.authorize_update(&ann, &shared).is_allowed());
    // Admins may do both.
    let admin = user("root").with_groups([Group::ADMINS]);
    assert!(draft.authorize_update(&admin, &published).is_allowed());
    assert!(draft.authorize_update(&admin, &given).is_allowed());
}

#[test]
fn an_allowed_update_names_the_rule_that_allowed_the_stored_record() {
    let draft = ann_post();
    let edited = Post {
        team: "x".into(),
        ..draft.clone()
    };
    let decision = draft.authorize_update(&user("ann"), &edited);
    assert!(decision.is_allowed());
    assert_eq!(decision.update_check(), None);
    assert_eq!(
        decision.to_string(),
        "`update` on `Post` allowed by `allow(owner, to = [create, read, update, delete])`"
    );
    // The generated method and the trait's decide alike.
    assert_eq!(
        <Post as Model>::authorize_update(&draft, &user("bo"), &edited),
        draft.authorize_update(&user("bo"), &edited)
    );
}

/// Owners update their profiles, editors may also delete, admins anything.
#[model(
    allow(owner, to = [read, update]),
    allow(groups = [EDITORS], to = [update, delete]),
    allow(groups = [ADMINS]),
)]
#[derive(Clone, Debug, Default)]
pub struct Profile {
    pub owner: String,
    pub bio: Option<String>,
    pub website: Option<String>,
    pub visits: u32,
}

fn profile() -> Profile {
    Profile {
        owner: "ann".into(),
        bio: Some("hello".into()),
        website: Some("https://example.com".into()),
        visits: 3,
    }
}

#[test]
fn clearing_a_field_needs_delete() {
    let ann = user("ann");
    let stored = profile();
    let cleared = Profile {
        bio: None,
        ..stored.clone()
    };
    let decision = stored.authorize_update(&ann, &cleared);
    assert_eq!(
        refusal(decision),
        Some((
            UpdateCheck::Cleared { field: "bio" },
            DenyReason::NotInAllowedGroup
        ))
    );
    assert_eq!(
        decision.to_string(),
        "`update` (clearing `bio` needs `delete`) on `Profile` denied: the principal is in none of the allowed groups"
    );
    // The denial names no value of the record.
    assert!(!decision.to_string().contains("hello"));
    // Changing, setting or leaving a field is no clearing.
    for proposed in [
        Profile {
            bio: Some("bye".into()),
            ..stored.clone()
        },
        Profile {
            visits: 0,
            ..stored.clone()
        },
        stored.clone(),
    ] {
        assert!(stored.authorize_update(&ann, &proposed).is_allowed());
    }
    let empty = Profile {
        bio: None,
        website: None,
        ..stored.clone()
    };
    let filled = Profile {
        bio: Some("new".into()),
        ..empty.clone()
    };
    assert!(empty.authorize_update(&ann, &filled).is_allowed());
    assert!(empty.authorize_update(&ann, &empty.clone()).is_allowed()); // None to None
    // Two cleared fields: the first declared is named.
    assert_eq!(
        refusal(stored.authorize_update(&ann, &empty)),
        Some((
            UpdateCheck::Cleared { field: "bio" },
            DenyReason::NotInAllowedGroup
        ))
    );
    let only_website = Profile {
        website: None,
        ..stored.clone()
    };
    assert_eq!(
        stored.authorize_update(&ann, &only_website).update_check(),
        Some(UpdateCheck::Cleared { field: "website" })
    );
    // Who may delete may clear.
    let editor = user("ed").with_groups([Group::EDITORS]);
    assert!(stored.authorize_update(&editor, &empty).is_allowed());
    let admin = user("root").with_groups([Group::ADMINS]);
    assert!(stored.authorize_update(&admin, &empty).is_allowed());
}

#[test]
fn clearing_reads_delete_on_the_stored_record() {
    // `delete` for whoever the stored record names: a field that would name
    // someone else after the update does not take the right away.
    #[model(allow(owner, to = [read, update, delete]), allow(owners = helpers, to = [update]))]
    #[derive(Clone, Debug)]
    pub struct Task {
        pub owner: String,
        pub helpers: Vec<String>,
        pub due: Option<u64>,
    }
    let task = Task {
        owner: "ann".into(),
        helpers: vec!["bo".into()],
        due: Some(7),
    };
    let undated = Task {
        due: None,
        ..task.clone()
    };
    assert!(task.authorize_update(&user("ann"), &undated).is_allowed());
    // bo may update (a helper), not delete: he may not clear `due`.
    assert_eq!(
        refusal(task.authorize_update(&user("bo"), &undated)),
        Some((
            UpdateCheck::Cleared { field: "due" },
            DenyReason::NotRecordOwner
        ))
    );
}

mod fields {
    use super::*;

    #[model(allow(authenticated, to = [read, update]), allow(groups = [ADMINS]))]
    #[derive(Clone, Debug, PartialEq)]
    pub struct Employee {
        pub sub: String,
        pub name: String,
        #[field(allow(groups = [ADMINS]), allow(owner = sub, to = [read]))]
        pub salary: Option<u64>,
        #[field(allow(groups = [EDITORS], to = [read, update]))]
        pub notes: String,
    }

    fn employee() -> Employee {
        Employee {
            sub: "ann".into(),
            name: "Ann".into(),
            salary: Some(5000),
            notes: "good".into(),
        }
    }

    #[test]
    fn a_changed_field_with_rules_of_its_own_needs_them() {
        let bo = user("bo");
        let e = employee();
        // A field without rules of its own: the model's `update` decides.
        let renamed = Employee {
            name: "Anne".into(),
            ..e.clone()
        };
        assert!(e.authorize_update(&bo, &renamed).is_allowed());
        let raised = Employee {
            salary: Some(6000),
            ..e.clone()
        };
        let decision = e.authorize_update(&bo, &raised);
        assert_eq!(
            refusal(decision),
            Some((
                UpdateCheck::Changed { field: "salary" },
                DenyReason::NotInAllowedGroup
            ))
        );
        assert_eq!(
            decision.to_string(),
            "`update` (the rules of `salary`) on `Employee` denied: the principal is in none of the allowed groups"
        );
        assert!(!decision.to_string().contains("6000"));
        // Setting a field is changing it.
        let unpaid = Employee {
            salary: None,
            ..e.clone()
        };
        let paid = Employee {
            salary: Some(1),
            ..unpaid.clone()
        };
        assert_eq!(
            unpaid.authorize_update(&bo, &paid).update_check(),
            Some(UpdateCheck::Changed { field: "salary" })
        );
        // Clearing it is checked first, by the field's `delete`.
        assert_eq!(
            refusal(e.authorize_update(&bo, &unpaid)),
            Some((
                UpdateCheck::Cleared { field: "salary" },
                DenyReason::NotInAllowedGroup
            ))
        );
        let admin = user("root").with_groups([Group::ADMINS]);
        assert!(e.authorize_update(&admin, &raised).is_allowed());
        assert!(e.authorize_update(&admin, &unpaid).is_allowed());
    }

    #[test]
    fn a_fields_rules_replace_the_models_for_its_changes() {
        let e = employee();
        let noted = Employee {
            notes: "great".into(),
            ..e.clone()
        };
        let editor = user("ed").with_groups([Group::EDITORS]);
        assert!(e.authorize_update(&editor, &noted).is_allowed());
        // Not even the model's admins: `notes` has rules of its own.
        let admin = user("root").with_groups([Group::ADMINS]);
        assert_eq!(
            refusal(e.authorize_update(&admin, &noted)),
            Some((
                UpdateCheck::Changed { field: "notes" },
                DenyReason::NotInAllowedGroup
            ))
        );
        // Fields left as they are are not checked: bo may rename although
        // he may change neither `salary` nor `notes`.
        let bo = user("bo");
        let renamed = Employee {
            name: "A.".into(),
            ..e.clone()
        };
        assert!(e.authorize_update(&bo, &renamed).is_allowed());
        // Two changed fields: the first declared is named.
        let both = Employee {
            salary: Some(1),
            notes: "x".into(),
            ..e.clone()
        };
        assert_eq!(
            e.authorize_update(&bo, &both).update_check(),
            Some(UpdateCheck::Changed { field: "salary" })
        );
        // The model's `update` is still needed: a guest is refused first.
        assert_eq!(
            refusal(e.authorize_update(&Principal::guest(), &noted)),
            Some((UpdateCheck::Stored, DenyReason::Guest))
        );
    }
}

mod option_fields {
    //! What counts as an `Option`: the type, however it is spelled.

    use super::*;

    pub mod own {
        /// Not `core::option::Option`, although named so.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Option<T> {
            Some(T),
            None,
        }
    }

    type Maybe<T> = Option<T>;
    use std::option::Option as Opt;

    /// Not comparable: fields without rules of their own need no `PartialEq`.
    #[derive(Clone, Debug)]
    pub struct Blob(pub Vec<u8>);

    #[model(allow(authenticated, to = [update]), allow(groups = [ADMINS]))]
    #[derive(Clone, Debug)]
    pub struct Spellings {
        pub plain: Option<u8>,
        pub core: core::option::Option<u8>,
        pub std: ::std::option::Option<u8>,
        pub alias: Maybe<u8>,
        pub renamed: Opt<u8>,
        #[expect(
            clippy::option_option,
            reason = "only the outer `Option` is the field's"
        )]
        pub nested: Option<Option<u8>>,
        pub own: own::Option<u8>,
        pub list: Vec<Option<u8>>,
        pub reference: &'static Option<u8>,
        pub blob: Blob,
        pub blobs: Option<Blob>,
    }

    fn full() -> Spellings {
        Spellings {
            plain: Some(1),
            core: Some(1),
            std: Some(1),
            alias: Some(1),
            renamed: Some(1),
            nested: Some(None),
            own: own::Option::Some(1),
            list: vec![Some(1)],
            reference: &Some(1),
            blob: Blob(vec![1]),
            blobs: Some(Blob(vec![1])),
        }
    }

    /// The field named when only `change` is applied, for a user who may
    /// update but not delete.
    fn named(change: impl FnOnce(&mut Spellings)) -> Option<UpdateCheck> {
        let stored = full();
        let mut proposed = stored.clone();
        change(&mut proposed);
        stored
            .authorize_update(&user("u"), &proposed)
            .update_check()
    }

    #[test]
    fn an_option_is_recognised_by_its_type() {
        let cleared = |field| Some(UpdateCheck::Cleared { field });
        assert_eq!(named(|s| s.plain = None), cleared("plain"));
        assert_eq!(named(|s| s.core = None), cleared("core"));
        assert_eq!(named(|s| s.std = None), cleared("std"));
        assert_eq!(named(|s| s.alias = None), cleared("alias"));
        assert_eq!(named(|s| s.renamed = None), cleared("renamed"));
        assert_eq!(named(|s| s.nested = None), cleared("nested")); // the outer one
        assert_eq!(named(|s| s.blobs = None), cleared("blobs"));
        // Not clearing an `Option` field: an inner `None`, a type named
        // `Option` that is not one, an element, a reference, a struct.
        assert_eq!(named(|s| s.nested = Some(None)), None);
        assert_eq!(named(|s| s.nested = Some(Some(2))), None);
        assert_eq!(named(|s| s.own = own::Option::None), None);
        assert_eq!(named(|s| s.list = vec![None]), None);
        assert_eq!(named(|s| s.reference = &None), None);
        assert_eq!(named(|s| s.blob.0.clear()), None);
        // Admins may delete: they clear everything.
        let admin = user("root").with_groups([Group::ADMINS]);
        let none = Spellings {
            plain: None,
            core: None,
            std: None,
            alias: None,
            renamed: None,
            nested: None,
            blobs: None,
            ..full()
        };
        assert!(full().authorize_update(&admin, &none).is_allowed());
        assert_eq!(
            full().authorize_update(&user("u"), &none).update_check(),
            cleared("plain")
        );
    }

    #[test]
    fn a_generic_field_is_not_an_option_even_when_instantiated_with_one() {
        #[model(allow(authenticated, to = [update]), allow(groups = [ADMINS]))]
        pub struct Slot<T> {
            pub value: T,
            pub spare: Option<T>,
        }
        let u = user("u");
        let stored = Slot {
            value: Some(1),
            spare: Some(Some(1)),
        };
        let value_cleared = Slot {
            value: None,
            spare: Some(Some(1)),
        };
        assert!(stored.authorize_update(&u, &value_cleared).is_allowed());
        let spare_cleared = Slot {
            value: Some(1),
            spare: None,
        };
        assert_eq!(
            stored.authorize_update(&u, &spare_cleared).update_check(),
            Some(UpdateCheck::Cleared { field: "spare" })
        );
    }

    #[test]
    fn tuple_and_unit_structs() {
        #[model(allow(authenticated, to = [update]), allow(groups = [ADMINS]))]
        #[derive(Clone)]
        pub struct Pair(pub String, pub Option<String>);

        #[model(allow(groups = [EDITORS], to = [update]))]
        pub struct Settings;

        let u = user("u");
        let pair = Pair("a".into(), Some("b".into()));
        assert!(
            pair.authorize_update(&u, &Pair("c".into(), Some("d".into())))
                .is_allowed()
        );
        assert_eq!(
            pair.authorize_update(&u, &Pair("a".into(), None))
                .update_check(),
            Some(UpdateCheck::Cleared { field: "1" })
        );
        let editor = user("ed").with_groups([Group::EDITORS]);
        assert!(Settings.authorize_update(&editor, &Settings).is_allowed());
        assert_eq!(
            refusal(Settings.authorize_update(&u, &Settings)),
            Some((UpdateCheck::Stored, DenyReason::NotInAllowedGroup))
        );
    }
}
