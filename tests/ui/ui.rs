//! Compile-fail and pass cases of the macros (trybuild).
//!
//! Regenerate the expected `.stderr` files with `TRYBUILD=overwrite cargo test
//! -p groupguard-ui`, then read every diff before committing it.
//!
//! The compile-fail cases and the pass cases are two test functions on
//! purpose: trybuild checks a set of compile-fail cases in one `cargo`
//! invocation, on every core, but a set that holds a pass case one case at a
//! time, each after a `cargo clean` of the last.

#[test]
fn compile_fail() {
    let t = trybuild::TestCases::new();
    t.compile_fail("groups/*.rs");
    t.compile_fail("model/*.rs");
    t.compile_fail("storage/*.rs");
    t.compile_fail("group_set/*.rs");
}

#[test]
fn pass() {
    let t = trybuild::TestCases::new();
    t.pass("pass/*.rs");
}
