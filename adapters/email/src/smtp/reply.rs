//! Reply lines.

/// A single-line reply `code text`, the text made safe (one line, ASCII, bounded).
pub(super) fn line(code: &str, text: &str) -> String {
    format!("{code} {}\r\n", sanitize(text))
}

/// Free text (engine reasons, errors) as one short ASCII line.
pub(super) fn sanitize(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else if c.is_whitespace() {
                ' '
            } else {
                '?'
            }
        })
        .take(400)
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn replies_are_one_ascii_line() {
        assert_eq!(super::line("550 5.7.1", "nö\r\n250 ok"), "550 5.7.1 n? 250 ok\r\n");
    }
}
