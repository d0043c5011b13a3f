//! SplitMix64, the random numbers of the generated tests: used by the build
//! script (the differential policy corpus) and by the differential test
//! binary (its inputs), so that both sides draw the same way.

// reason: the build script and the test binary each use part of it
#![allow(dead_code)]

/// SplitMix64: small, fast and good enough to draw test cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A random subset of `0..n` of size `1..=max` (in increasing order).
    pub fn subset(&mut self, n: usize, max: usize) -> Vec<usize> {
        let size = 1 + self.below(max.min(n));
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < size {
            let i = self.below(n);
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen
    }
}
