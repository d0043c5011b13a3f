//! Nothing here: the comparison is `benches/compare.rs` (`cargo bench`).
