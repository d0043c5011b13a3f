//! Generates the 10,000-group enum (Cognito's per-pool limit) used by the
//! `guards` benchmark; checking it in would be 10,000 lines of noise.

use std::fmt::Write;

fn main() {
    let mut source = String::from("#[::groupguard::groups]\npub enum Big {\n");
    for i in 0..10_000 {
        let _ = writeln!(source, "    G{i:05},");
    }
    source.push_str("}\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(format!("{out}/groups10k.rs"), source).expect("OUT_DIR is writable");
    println!("cargo::rerun-if-changed=build.rs");
}
