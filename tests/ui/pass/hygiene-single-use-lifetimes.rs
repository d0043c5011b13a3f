//! A generic model under `single_use_lifetimes`: the generated impls must not
//! trip lints that the user's own code satisfies.
#![deny(single_use_lifetimes, elided_lifetimes_in_paths, unused_lifetimes)]

use groupguard::{groups, model, Op, Principal};

#[groups]
pub enum Group {
    ADMINS,
}

#[model(allow(groups = [ADMINS]))]
pub struct Page<'a, T> {
    pub body: &'a T,
}

fn main() {
    let p = Principal::authenticated("a").with_groups([Group::ADMINS]);
    assert!(Page::<u8>::authorize(&p, Op::Get).is_allowed());
    let _ = Page { body: &1 }.body;
}
