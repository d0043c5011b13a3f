//! Compile-fail and pass cases of the macros (trybuild).
//!
//! Regenerate the expected `.stderr` files with `TRYBUILD=overwrite cargo test
//! -p groupguard-ui`, then read every diff before committing it.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("groups/*.rs");
    t.compile_fail("model/*.rs");
    t.compile_fail("storage/*.rs");
    t.compile_fail("group_set/*.rs");
    t.pass("pass/*.rs");
}
