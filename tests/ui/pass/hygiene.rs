//! The generated code names everything by full path: local items that shadow
//! the prelude and `core`/`std`-looking names change nothing, and the
//! strictest lints stay quiet.
#![deny(
    warnings,
    unused_qualifications,
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub,
    unused_import_braces,
    unused_lifetimes,
    trivial_casts,
    trivial_numeric_casts,
    unused_extern_crates,
    unused_macro_rules,
    variant_size_differences,
    non_ascii_idents
)]
#![forbid(unsafe_code)]
#![allow(dead_code)] // reason: the shadowing items exist only to be in scope

use ::groupguard::{groups, model, Op, Principal};

type Result<T> = ::core::result::Result<T, ()>;
type Option<T> = ::core::result::Result<T, ()>;
struct Ok;
struct Err;
struct Some;
struct None;
struct String;
struct Vec;
struct Box;
struct Clone;
struct Copy;
struct Default;
struct From;
struct Into;
struct Iterator;
struct Send;
struct Sync;
struct Sized;
struct PartialEq;
struct Eq;
struct Hash;
struct Debug;
struct Display;
struct FromStr;
struct Formatter;
struct Serialize;
struct Deserialize;
struct Serializer;
struct Deserializer;
struct Decision;
struct GroupSet;
struct Model;
struct Groups;
struct Who;
struct OpSet;
struct ModelRule;
struct TABLE;
struct SLOTS;
fn drop() {}
fn lookup() {}
fn mask() {}
fn panic() {}
fn unreachable() {}
fn compile_error() {}
fn format() {}
mod core {}
mod std {}
mod alloc {}
mod serde {}
mod __private {}
mod fmt {}

/// The user-pool groups.
#[groups]
pub enum Group {
    /// Site administrators.
    #[group(role = "arn:aws:iam::123456789012:role/Admins", description = "site admins")]
    ADMINS,
    /// Editors.
    EDITORS,
    /// Reviewers, claimed as `content-reviewers`.
    #[group(name = "content-reviewers", precedence = 7)]
    Reviewers,
}

/// An article.
#[model(
    allow(groups = ["EDITORS"], to = [read, update]),
    allow(groups = [ADMINS]),
    allow(groups = [Reviewers], to = [get, list]),
    allow(authenticated, to = [read]),
    allow(guest, to = [list]),
)]
#[derive(::core::fmt::Debug)]
pub struct Article {
    /// The title.
    pub title: ::std::string::String,
}

/// A page with a lifetime and a type parameter.
#[model(allow(groups = [ADMINS], to = [create, delete]))]
#[derive(::core::fmt::Debug)]
pub struct Page<'a, T: ::core::fmt::Debug> {
    /// The body.
    pub body: &'a T,
}

fn main() {
    let bob = Principal::authenticated("bob").with_groups([Group::EDITORS]);
    assert!(Article::authorize(&bob, Op::Update).is_allowed());
    assert!(Article::authorize(&bob, Op::Delete).is_denied());
    assert!(Article::authorize(&Principal::guest(), Op::List).is_allowed());
    assert!(Page::<'_, u8>::authorize(&bob, Op::Create).is_denied());
    assert_eq!(Group::from_name("content-reviewers"), ::core::option::Option::Some(Group::Reviewers));
    assert_eq!(Group::Reviewers.to_string(), "content-reviewers");
    assert_eq!("ADMINS".parse::<Group>(), ::core::result::Result::Ok(Group::ADMINS));
}
