//! Shared by the storage benchmarks: article text shaped like real mail for what a word index pays.
//! Words are drawn from a 20,000-word vocabulary with Zipf frequencies (the most common word about 10% of
//! all words, as "the" is in English), so 1 KB holds about 180 words of which about 110 are distinct.

use std::sync::OnceLock;

/// Words in the vocabulary.
pub const VOCABULARY: usize = 20_000;

/// The `rank`th most common word (0 is the most common): a pronounceable, unique string.
pub fn word(rank: usize) -> String {
    const SYLLABLES: [&str; 24] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "bi", "da", "fe", "go", "hu", "ji", "po", "qua", "ri", "su",
        "ta", "ve", "wo", "xi", "yo", "ze",
    ];
    let mut n = rank;
    let mut w = String::new();
    loop {
        w.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        if n == 0 {
            break;
        }
        n -= 1;
    }
    w
}

fn cumulative() -> &'static [f64] {
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut sum = 0.0;
        (1..=VOCABULARY)
            .map(|k| {
                sum += 1.0 / k as f64;
                sum
            })
            .collect()
    })
}

/// About `len` bytes of words for message `seed` (the same seed gives the same text).
pub fn text(seed: u64, len: usize) -> String {
    let table = cumulative();
    let total = table[VOCABULARY - 1];
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut s = String::with_capacity(len + 16);
    while s.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let u = (x >> 11) as f64 / (1u64 << 53) as f64 * total;
        let rank = table.partition_point(|&c| c < u).min(VOCABULARY - 1);
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&word(rank));
    }
    s
}
