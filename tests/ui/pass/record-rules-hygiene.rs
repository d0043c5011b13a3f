//! Record rules, field rules and filters under strict lints, with the
//! prelude's names shadowed: the generated code names everything by path.
#![deny(warnings, unused_qualifications, missing_docs)]
#![allow(dead_code, non_camel_case_types)] // reason: the shadowing is the test

use groupguard::{groups, model, Op, Principal};

struct Result;
struct Option;
struct Some;
struct None;
struct Vec;
struct String;
struct Default;
struct Clone;
struct bool;
struct u16;
struct str;

/// The groups.
#[groups]
pub enum Group {
    /// Admins.
    ADMINS,
    /// Editors.
    EDITORS,
}

/// A post whose lifetime and `r#type` field the macro must carry through.
#[model(
    allow(owner, to = [read, update]),
    allow(owners = editors, legacy_username, to = [update], when = Self::is_draft),
    allow(group_defined_in = r#type, to = [read]),
    allow(groups = [ADMINS]),
)]
pub struct Post<'a> {
    /// The owner.
    pub owner: &'a ::core::primitive::str,
    /// The editors.
    pub editors: &'a [&'a ::core::primitive::str],
    /// A group claim value.
    pub r#type: ::std::string::String,
    /// Restricted.
    #[field(allow(groups = [ADMINS], to = [read]), allow(owner, to = [read]))]
    pub created_at: ::core::option::Option<u64>,
    /// Draft or not.
    pub draft: ::core::primitive::bool,
}

impl Post<'_> {
    fn is_draft(&self) -> ::core::primitive::bool {
        self.draft
    }
}

fn main() {
    let editors = ["ed"];
    let post = Post {
        owner: "ann",
        editors: &editors,
        r#type: "EDITORS".into(),
        created_at: ::core::option::Option::Some(7),
        draft: true,
    };
    let ann = Principal::<Group>::authenticated("ann");
    let ed = Principal::<Group>::authenticated("ed-sub").with_username("ed");
    assert!(post.authorize_record(&ann, Op::Update).is_allowed());
    assert!(post.authorize_record(&ed, Op::Update).is_allowed());
    assert!(post.authorize_field(&ed, PostField::CreatedAt, Op::Read).is_denied());
    assert_eq!(post.redacted_for(&ed).created_at, ::core::option::Option::None);
    assert_eq!(post.redacted_for(&ann).created_at, ::core::option::Option::Some(7));
    assert_eq!(PostField::ALL.len(), 5);
    assert_eq!(PostField::Type.name(), "type");
    assert!(Post::filter_for(&ed, Op::Update).needs_check());
    assert!(<Post<'_> as groupguard::Model>::RULES[1].legacy_username());
}
