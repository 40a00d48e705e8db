//! Reading the few untagged responses the session needs out of a [`super::imap_wire::Response`]:
//! `FETCH` (UID, size, body), `SEARCH`, `EXISTS`, `CAPABILITY` and the `UIDVALIDITY` and
//! `PERMANENTFLAGS` response codes. Anything else is somebody else's business and ignored.

use super::imap_wire::{LITERAL_MARK, Response};

/// One message's `FETCH` data.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Fetched {
    /// Its UID.
    pub uid: Option<u32>,
    /// `RFC822.SIZE`.
    pub size: Option<u64>,
    /// `BODY[]`: the whole message.
    pub body: Option<Vec<u8>>,
}

/// What an untagged response says, as far as the session cares.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Untagged {
    /// `* n FETCH (...)`.
    Fetch(Fetched),
    /// `* SEARCH ...`.
    Search(Vec<u32>),
    /// `* n EXISTS`: the folder holds `n` messages (more than before: new mail).
    Exists(u32),
    /// `* n RECENT`: there may be new mail.
    Recent,
    /// `* CAPABILITY ...` or a `[CAPABILITY ...]` code: the capabilities, upper-cased.
    Capability(Vec<String>),
    /// `[UIDVALIDITY n]`.
    UidValidity(u32),
    /// `[PERMANENTFLAGS (...)]`: whether `\*` (any keyword) is among them.
    PermanentFlags {
        /// `\*` present.
        keywords: bool,
    },
    /// `* BYE ...`.
    Bye(Vec<u8>),
    /// Anything else.
    Other,
}

/// Reads the untagged part `rest` (after `* `) of `resp`, taking its literals.
pub(super) fn untagged(rest: &[u8], resp: &mut Response) -> Untagged {
    let mut words = rest.splitn(3, |b| *b == b' ');
    let first = words.next().unwrap_or_default();
    let second = words.next().unwrap_or_default();
    if first.eq_ignore_ascii_case(b"BYE") {
        return Untagged::Bye(rest.to_vec());
    }
    if first.eq_ignore_ascii_case(b"SEARCH") {
        let list = rest.get(6..).unwrap_or_default();
        return Untagged::Search(
            list.split(|b| *b == b' ').filter_map(|w| std::str::from_utf8(w).ok()?.parse().ok()).collect(),
        );
    }
    if first.eq_ignore_ascii_case(b"CAPABILITY") {
        return Untagged::Capability(capabilities(rest.get(11..).unwrap_or_default()));
    }
    if first.iter().all(u8::is_ascii_digit) && !first.is_empty() {
        if second.eq_ignore_ascii_case(b"EXISTS") {
            return std::str::from_utf8(first)
                .ok()
                .and_then(|n| n.parse().ok())
                .map_or(Untagged::Other, Untagged::Exists);
        }
        if second.eq_ignore_ascii_case(b"RECENT") {
            return Untagged::Recent;
        }
        if second.eq_ignore_ascii_case(b"FETCH") {
            let items = words.next().unwrap_or_default();
            return Untagged::Fetch(fetch(items, &mut resp.literals));
        }
        return Untagged::Other;
    }
    if first.eq_ignore_ascii_case(b"OK") || first.eq_ignore_ascii_case(b"PREAUTH") {
        return code(rest);
    }
    Untagged::Other
}

/// A response code (`[NAME ...]`) in a status response's text.
pub(super) fn code(text: &[u8]) -> Untagged {
    let Some(open) = memchr::memchr(b'[', text) else { return Untagged::Other };
    let Some(close) = memchr::memrchr(b']', text) else { return Untagged::Other };
    if close <= open {
        return Untagged::Other;
    }
    let inner = &text[open + 1..close];
    let (name, arg) = match memchr::memchr(b' ', inner) {
        Some(i) => (&inner[..i], &inner[i + 1..]),
        None => (inner, &b""[..]),
    };
    if name.eq_ignore_ascii_case(b"UIDVALIDITY") {
        return std::str::from_utf8(arg)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .map_or(Untagged::Other, Untagged::UidValidity);
    }
    if name.eq_ignore_ascii_case(b"PERMANENTFLAGS") {
        return Untagged::PermanentFlags { keywords: arg.windows(2).any(|w| w == b"\\*") };
    }
    if name.eq_ignore_ascii_case(b"CAPABILITY") {
        return Untagged::Capability(capabilities(arg));
    }
    Untagged::Other
}

fn capabilities(list: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(list).split_ascii_whitespace().map(str::to_ascii_uppercase).collect()
}

/// The items of a `FETCH` response: `(UID 7 RFC822.SIZE 120 BODY[] <literal> FLAGS (...))`.
fn fetch(items: &[u8], literals: &mut [Vec<u8>]) -> Fetched {
    let mut out = Fetched::default();
    let items = items.strip_prefix(b"(").unwrap_or(items);
    let mut p = Parser { s: items, i: 0, literal: 0 };
    loop {
        p.skip_spaces();
        let name = p.atom();
        if name.is_empty() {
            return out;
        }
        p.skip_spaces();
        let value = p.value();
        let end = matches!(value, Value::End);
        if name.eq_ignore_ascii_case(b"UID") {
            out.uid = value.number().and_then(|n| u32::try_from(n).ok());
        } else if name.eq_ignore_ascii_case(b"RFC822.SIZE") {
            out.size = value.number();
        } else if name.eq_ignore_ascii_case(b"BODY[]") {
            out.body = match value {
                Value::Literal(i) => literals.get_mut(i).map(std::mem::take),
                Value::Quoted(s) => Some(s),
                _ => None,
            };
        }
        if end {
            return out;
        }
    }
}

enum Value<'a> {
    Atom(&'a [u8]),
    Quoted(Vec<u8>),
    Literal(usize),
    List,
    End,
}

impl Value<'_> {
    fn number(&self) -> Option<u64> {
        match self {
            Value::Atom(a) => std::str::from_utf8(a).ok()?.parse().ok(),
            _ => None,
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    literal: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }

    /// An atom, `[...]` sections included (`BODY[HEADER.FIELDS (A B)]`).
    fn atom(&mut self) -> &'a [u8] {
        let start = self.i;
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                b'[' => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                b' ' | b'(' | b')' | b'"' | LITERAL_MARK if depth == 0 => break,
                _ => {}
            }
            self.i += 1;
        }
        &self.s[start..self.i]
    }

    fn value(&mut self) -> Value<'a> {
        match self.peek() {
            None | Some(b')') => Value::End,
            Some(LITERAL_MARK) => {
                self.i += 1;
                self.literal += 1;
                Value::Literal(self.literal - 1)
            }
            Some(b'"') => {
                self.i += 1;
                let mut out = Vec::new();
                while let Some(c) = self.peek() {
                    self.i += 1;
                    match c {
                        b'"' => break,
                        b'\\' => {
                            if let Some(n) = self.peek() {
                                out.push(n);
                                self.i += 1;
                            }
                        }
                        _ => out.push(c),
                    }
                }
                Value::Quoted(out)
            }
            Some(b'(') => {
                let mut depth = 0usize;
                while let Some(c) = self.peek() {
                    self.i += 1;
                    match c {
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        LITERAL_MARK => self.literal += 1,
                        _ => {}
                    }
                }
                Value::List
            }
            Some(_) => Value::Atom(self.atom()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(text: &[u8], literals: Vec<Vec<u8>>) -> Response {
        Response { text: text.to_vec(), literals }
    }

    #[test]
    fn fetch_items() {
        let mut r = resp(b"* 3 FETCH (FLAGS (\\Seen) UID 7 RFC822.SIZE 5 BODY[] \0)", vec![b"hello".to_vec()]);
        let rest = r.text[2..].to_vec();
        assert_eq!(
            untagged(&rest, &mut r),
            Untagged::Fetch(Fetched { uid: Some(7), size: Some(5), body: Some(b"hello".to_vec()) })
        );
        let mut r = resp(b"* 3 FETCH (UID 9 RFC822.SIZE 1234)", vec![]);
        let rest = r.text[2..].to_vec();
        assert_eq!(untagged(&rest, &mut r), Untagged::Fetch(Fetched { uid: Some(9), size: Some(1234), body: None }));
    }

    #[test]
    fn codes_and_lists() {
        assert_eq!(code(b"OK [UIDVALIDITY 1700000000] UIDs valid"), Untagged::UidValidity(1_700_000_000));
        assert_eq!(
            code(b"OK [PERMANENTFLAGS (\\Answered \\Deleted \\*)] Flags permitted."),
            Untagged::PermanentFlags { keywords: true }
        );
        assert_eq!(code(b"OK [PERMANENTFLAGS ()] Read-only"), Untagged::PermanentFlags { keywords: false });
        let mut r = resp(b"* SEARCH 1 2 30", vec![]);
        assert_eq!(untagged(b"SEARCH 1 2 30", &mut r), Untagged::Search(vec![1, 2, 30]));
        assert_eq!(untagged(b"SEARCH", &mut r), Untagged::Search(vec![]));
        assert_eq!(untagged(b"4 EXISTS", &mut r), Untagged::Exists(4));
        assert_eq!(
            untagged(b"CAPABILITY IMAP4rev1 idle MOVE", &mut r),
            Untagged::Capability(vec!["IMAP4REV1".into(), "IDLE".into(), "MOVE".into()])
        );
    }
}
