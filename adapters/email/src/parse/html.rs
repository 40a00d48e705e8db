//! HTML to readable plain text, for mail that has no text/plain part.

/// Elements whose content is never shown.
const HIDDEN: [&str; 5] = ["head", "style", "script", "title", "template"];
/// Elements that start and end on their own line.
const BLOCKS: [&str; 22] = [
    "p",
    "div",
    "table",
    "tr",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "header",
    "footer",
];

/// Converts HTML into readable text: tags removed, `<head>`, `<style>` and `<script>` content dropped,
/// block elements and `<br>` on their own lines, list items as `- `, entities decoded, whitespace
/// collapsed as a browser would. Never panics, whatever the input.
///
/// ```
/// let text = chamado_email::html_to_text("<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>World</b></p><ul><li>one</li><li>two</li></ul></body></html>");
/// assert_eq!(text, "Hello World\n\n- one\n- two");
/// ```
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut hidden: Option<String> = None;
    let mut pre = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if rest.starts_with('<') {
            let end = tag_end(rest);
            let whole = &rest[..end];
            let tag = whole.strip_suffix('>').unwrap_or(whole).get(1..).unwrap_or_default();
            rest = &rest[end..];
            let (closing, name) = tag_name(tag);
            if let Some(h) = &hidden {
                if closing && name == *h {
                    hidden = None;
                }
                continue;
            }
            if !closing && HIDDEN.contains(&name.as_str()) && !tag.ends_with('/') {
                hidden = Some(name);
                continue;
            }
            match name.as_str() {
                "br" => out.push('\n'),
                "li" if !closing => {
                    newline(&mut out);
                    out.push_str("- ");
                }
                "td" | "th" if !closing && !out.is_empty() && !out.ends_with(['\n', ' ', '\t']) => out.push('\t'),
                "pre" => {
                    pre = if closing { pre.saturating_sub(1) } else { pre + 1 };
                    paragraph(&mut out);
                }
                n if BLOCKS.contains(&n) => {
                    if matches!(n, "p" | "blockquote" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "table")
                    {
                        paragraph(&mut out);
                    } else {
                        newline(&mut out);
                    }
                }
                _ => {}
            }
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        let (text, tail) = rest.split_at(next);
        rest = tail;
        if hidden.is_some() {
            continue;
        }
        let decoded = decode_entities(text);
        if pre > 0 {
            out.push_str(&decoded);
        } else {
            push_collapsed(&mut out, &decoded);
        }
    }
    tidy(&out)
}

/// Index just past the tag starting at `s[0] == '<'` (quotes respected), or the end.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// Whether the tag closes, and its lower-case name.
fn tag_name(tag: &str) -> (bool, String) {
    let t = tag.trim_start();
    let (closing, t) = match t.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let name = t.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    (closing, name)
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn paragraph(out: &mut String) {
    newline(out);
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// Appends text with HTML whitespace rules: runs become one space, none at a line start.
fn push_collapsed(out: &mut String, text: &str) {
    for (i, word) in text.split(|c: char| c.is_ascii_whitespace()).enumerate() {
        if i > 0 && !out.is_empty() && !out.ends_with([' ', '\n', '\t']) {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Lines without trailing blanks, at most one empty line in a row, no blank start or end.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_end_matches([' ', '\t', '\u{a0}']);
        let line = line.trim_start_matches(' ');
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

/// Decodes `&name;`, `&#N;` and `&#xH;` entities; unknown ones are kept as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let end = rest.char_indices().take(12).find(|(_, c)| *c == ';').map(|(i, _)| i);
        let decoded = end.and_then(|e| entity(&rest[1..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "nbsp" => ' ',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "eacute" => 'é',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "aacute" => 'á',
        "agrave" => 'à',
        "acirc" => 'â',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "ntilde" => 'ñ',
        "ccedil" => 'ç',
        "aring" => 'å',
        "oslash" => 'ø',
        "euro" => '€',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "bull" => '•',
        "middot" => '·',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_hidden_content_and_entities() {
        let t = html_to_text(
            "<html><head><title>T</title></head><body><div>a&amp;b</div><div>c&#252;&#xe4;</div><script>x()</script><!-- note --><table><tr><td>1</td><td>2</td></tr></table></body>",
        );
        assert_eq!(t, "a&b\ncüä\n\n1\t2");
    }

    #[test]
    fn broken_html_never_panics() {
        for s in ["<", "<<>>", "&", "&#99999999;", "<a href='>", "<!--", "<pre>x", "ä<ö&ü;", "&#x;"] {
            let _ = html_to_text(s);
        }
        assert_eq!(html_to_text("x &unknown; y"), "x &unknown; y");
    }
}
