//! The compile-time hash tables behind `Group::from_name` and the storage
//! trie's child lookup. Must match `groupguard::__private::{fnv1a, probe}`.

/// FNV-1a, 64-bit.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The most entries a table holds: slots store `index + 1` in a `u16`.
pub const MAX_ENTRIES: usize = u16::MAX as usize;

/// An open-addressing table of `keys`: a power-of-two number of slots, at
/// most half full, each holding the key's index + 1 (0 = empty), placed by
/// FNV-1a with linear probing. Callers keep `keys.len() <= MAX_ENTRIES`.
pub fn slots<'a>(keys: impl ExactSizeIterator<Item = &'a str>) -> Vec<u16> {
    let mut slots = vec![0u16; (keys.len() * 2).next_power_of_two().max(2)];
    let mask = slots.len() - 1;
    for (index, key) in keys.enumerate() {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "only the bits under `mask` are kept, the same on 32- and 64-bit targets (as in `probe`)"
        )]
        let mut slot = fnv1a(key.as_bytes()) as usize & mask;
        while slots[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        slots[slot] = u16::try_from(index + 1).unwrap_or(u16::MAX);
    }
    slots
}
