//! Splitting long texts at Telegram's message length limit.

/// Telegram's limit on a message's text, in UTF-16 code units.
pub const MAX_MESSAGE_LEN: usize = 4096;

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Splits `text` into parts of at most `limit` UTF-16 code units (at least 1), preferring to break
/// after a newline, then after white space, within the last quarter of a part.
pub fn split_text(text: &str, limit: usize) -> Vec<String> {
    let limit = limit.max(1);
    let mut parts = Vec::new();
    let mut rest = text;
    while utf16_len(rest) > limit {
        // The byte index where `limit` code units end.
        let mut units = 0;
        let mut cut = 0;
        for (i, c) in rest.char_indices() {
            if units + c.len_utf16() > limit {
                break;
            }
            units += c.len_utf16();
            cut = i + c.len_utf8();
        }
        if cut == 0 {
            // A character wider than the limit: it goes alone.
            cut = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        let window = &rest[..cut];
        let floor = cut - cut / 4;
        let soft = window
            .rfind('\n')
            .filter(|&i| i + 1 >= floor)
            .or_else(|| window.rfind(char::is_whitespace).filter(|&i| i + 1 >= floor))
            .map(|i| i + window[i..].chars().next().map_or(1, char::len_utf8));
        let at = soft.unwrap_or(cut).max(1);
        let at = if rest.is_char_boundary(at) { at } else { cut };
        parts.push(rest[..at].to_string());
        rest = &rest[at..];
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(rest.to_string());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_part() {
        assert_eq!(split_text("hello", 10), vec!["hello".to_string()]);
    }

    #[test]
    fn splits_at_limit_and_keeps_everything() {
        let text = "word ".repeat(3000);
        let parts = split_text(&text, 4000);
        assert!(parts.len() >= 4);
        assert!(parts.iter().all(|p| utf16_len(p) <= 4000));
        assert_eq!(parts.concat(), text);
    }

    #[test]
    fn counts_utf16_units() {
        let text = "😀".repeat(3000); // 2 units each
        let parts = split_text(&text, 4096);
        assert!(parts.iter().all(|p| utf16_len(p) <= 4096));
        assert_eq!(parts.concat(), text);
        assert_eq!(parts.len(), 2);
    }

    #[test]
    fn tiny_limit_still_progresses() {
        assert_eq!(split_text("😀a", 1), vec!["😀".to_string(), "a".to_string()]);
    }
}
