//! What a word is for full-text search: the one rule every store that indexes text shares with the
//! query, so a query finds exactly what the text holds.

use std::collections::BTreeSet;

/// Words longer than this many characters are cut to it: base64 runs, hashes and URLs pasted into a
/// mail would otherwise bloat an index with keys no one types. A query word is cut the same way.
pub const MAX_WORD_CHARS: usize = 64;

/// The distinct search words of `text`: runs of alphanumeric characters, lowercased, cut to
/// [`MAX_WORD_CHARS`], in sorted order.
///
/// ```
/// let words = chamado::search_words("Printer ON fire: printer-3 (floor 2)");
/// assert_eq!(words.into_iter().collect::<Vec<_>>(), ["2", "3", "fire", "floor", "on", "printer"]);
/// ```
pub fn search_words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.is_ascii() {
                w[..w.len().min(MAX_WORD_CHARS)].to_ascii_lowercase()
            } else {
                w.chars().take(MAX_WORD_CHARS).flat_map(char::to_lowercase).collect()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_alphanumeric_runs_cut_to_the_limit() {
        let long = "A".repeat(100);
        let words = search_words(&format!("Ünïcode café, {long}!! ok"));
        assert!(words.contains("ünïcode") && words.contains("café") && words.contains("ok"));
        assert!(words.contains(&"a".repeat(MAX_WORD_CHARS)));
        assert_eq!(words.len(), 4);
        assert!(search_words(" ,.;- ").is_empty());
    }
}
