//! `authorize_update` under strict lints, with the prelude's names (and
//! `Option` itself) shadowed: the generated code names everything by path,
//! and tells an `Option` field by its type, not by its spelling.
#![deny(warnings, unused_qualifications, missing_docs, unused_imports)]
#![allow(dead_code, non_camel_case_types)] // reason: the shadowing is the test

use groupguard::{groups, model, Principal, UpdateCheck};

struct Result;
struct Option;
struct Some;
struct None;
struct Vec;
struct String;
struct PartialEq;
struct FnMut;
struct Clearing;
struct FieldUpdate;
struct ComparedField;
struct bool;
struct usize;
struct str;
mod core {}
mod std {}
mod __private {}

/// The groups.
#[groups]
pub enum Group {
    /// Admins.
    ADMINS,
}

/// A record with optional fields spelled every way, and a field with rules
/// of its own.
#[model(allow(authenticated, to = [read, update]), allow(groups = [ADMINS]))]
pub struct Note<'a, T: ::core::clone::Clone> {
    /// Optional.
    pub tag: ::core::option::Option<&'a ::core::primitive::str>,
    /// Optional, spelled through `std`.
    pub due: ::std::option::Option<u64>,
    /// Generic: never counted as optional.
    pub extra: T,
    /// Restricted.
    #[field(allow(groups = [ADMINS]))]
    pub r#type: ::std::string::String,
}

/// A tuple struct with an optional field.
#[model(allow(authenticated, to = [update]))]
pub struct Pair(pub u8, pub ::core::option::Option<u8>);

/// A unit struct.
#[model(allow(authenticated, to = [update]))]
pub struct Unit;

fn main() {
    let u = Principal::<Group>::authenticated("u");
    let note = Note {
        tag: ::core::option::Option::Some("x"),
        due: ::core::option::Option::None,
        extra: 1u8,
        r#type: "a".into(),
    };
    let untagged = Note {
        tag: ::core::option::Option::None,
        due: ::core::option::Option::None,
        extra: 1u8,
        r#type: "a".into(),
    };
    assert_eq!(
        note.authorize_update(&u, &untagged).update_check(),
        ::core::option::Option::Some(UpdateCheck::Cleared { field: "tag" })
    );
    let retyped = Note {
        tag: ::core::option::Option::Some("x"),
        due: ::core::option::Option::None,
        extra: 2u8,
        r#type: "b".into(),
    };
    assert_eq!(
        note.authorize_update(&u, &retyped).update_check(),
        ::core::option::Option::Some(UpdateCheck::Changed { field: "type" })
    );
    assert_eq!(
        Pair(1, ::core::option::Option::Some(2))
            .authorize_update(&u, &Pair(1, ::core::option::Option::None))
            .update_check(),
        ::core::option::Option::Some(UpdateCheck::Cleared { field: "1" })
    );
    assert!(Unit.authorize_update(&u, &Unit).is_allowed());
}
