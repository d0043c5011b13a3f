//! Generates the large inputs of the tests and the `guards` benchmark (the
//! 10,000-group enum, Cognito's per-pool limit, and storages of 10, 1,000
//! and 10,000 paths)
//! and the policy corpus of the differential tests; checking them in would
//! be thousands of lines of noise.

use std::fmt::Write;

#[path = "build/differential.rs"]
mod differential;
#[path = "build/rng.rs"]
mod rng;

fn main() {
    let mut source = String::from("#[::groupguard::groups]\npub enum Big {\n");
    for i in 0..10_000 {
        let _ = writeln!(source, "    G{i:05},");
    }
    source.push_str("}\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(format!("{out}/groups10k.rs"), source).expect("OUT_DIR is writable");

    // Storages of 5, 500 and 5,000 top-level paths (plus a nested one
    // each: 10, 1,000 and 10,000 paths), to show that a decision's cost does
    // not grow with the number of declared paths.
    for (name, top) in [("Ten", 5), ("Many", 500), ("Huge", 5_000)] {
        let mut storage =
            format!("::groupguard::storage! {{\n    groups = crate::Group;\n    pub {name} {{\n");
        for i in 0..top {
            let _ = writeln!(
                storage,
                "        \"area{i:04}/*\" => groups(EDITORS): [read, write],"
            );
            let _ = writeln!(
                storage,
                "        \"area{i:04}/sub/*\" => groups(ADMINS): [read],"
            );
        }
        storage.push_str("    }\n}\n");
        std::fs::write(format!("{out}/storage{}.rs", 2 * top), storage)
            .expect("OUT_DIR is writable");
    }
    differential::write(&out);
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build");
}
