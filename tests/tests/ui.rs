//! Compile-fail and pass cases of the macros (trybuild).
//!
//! Regenerate the expected `.stderr` files with `TRYBUILD=overwrite cargo test
//! -p groupguard-tests --test ui`, then read every diff before committing it.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/groups/*.rs");
    t.compile_fail("ui/model/*.rs");
    t.compile_fail("ui/storage/*.rs");
    t.compile_fail("ui/group_set/*.rs");
    t.pass("ui/pass/*.rs");
}
