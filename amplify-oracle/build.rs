//! The differential tests' policy corpus (`tests/build/differential.rs`),
//! generated here too: the oracle also decides its storages with Amplify.

#[path = "../tests/build/differential.rs"]
mod differential;
#[path = "../tests/build/rng.rs"]
mod rng;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    differential::write(&out);
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../tests/build");
}
