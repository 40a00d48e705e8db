//! A small xorshift generator: the mix needs cheap, seedable, reproducible choices, not secure ones.

/// xorshift64; never zero.
pub struct Rng(u64);

impl Rng {
    /// A generator for one worker; different seeds give different streams.
    pub fn new(seed: u64) -> Rng {
        // Spread small seeds (0, 1, 2 ...) over the whole state so neighbouring workers differ at once.
        Rng(seed.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A value in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next_u64() % n as u64).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn below_stays_in_range_and_varies() {
        let mut r = Rng::new(0);
        let seen: std::collections::HashSet<usize> = (0..1000).map(|_| r.below(10)).collect();
        assert_eq!(seen.len(), 10);
        assert!(seen.iter().all(|v| *v < 10));
        assert_eq!(r.below(0), 0);
    }
}
