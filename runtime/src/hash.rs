//! The hash tables built at compile time behind `Group::from_name` and the
//! storage trie's child lookup. The macros compute the same [`fnv1a`] when
//! they lay the tables out (`groupguard-macros`' `internals/hash.rs`); both
//! must stay identical.

/// FNV-1a, 64-bit.
#[inline]
#[must_use]
pub const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// The entry whose key is `name` in an open-addressing table built at
/// compile time (`#[groups]`, `storage!`): `slots` has a power-of-two
/// length and holds `index + 1` of an entry (0 = empty); `key_of` gives an
/// entry's key. The probe is bounded by the table's length, whatever the
/// input.
#[inline]
pub fn probe<'k>(
    slots: &[u16],
    name: &str,
    key_of: impl Fn(usize) -> Option<&'k str>,
) -> Option<usize> {
    let mask = slots.len().checked_sub(1)?;
    #[expect(
        clippy::cast_possible_truncation,
        reason = "only the bits under `mask` are kept, the same on 32- and 64-bit targets (as in the macros' `slots`)"
    )]
    let mut slot = fnv1a(name.as_bytes()) as usize & mask;
    for _ in 0..slots.len() {
        let entry = usize::from(*slots.get(slot)?).checked_sub(1)?;
        if key_of(entry)? == name {
            return Some(entry);
        }
        slot = (slot + 1) & mask;
    }
    None
}
