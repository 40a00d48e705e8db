//! The flat JSON objects adapter state has been stored as since the adapters wrote it with serde_json
//! (`{"login":"alice","expires_at":1795773600000}`), read and written without a JSON dependency, so
//! the engine stays on serde, async-trait and thiserror and existing values stay readable.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One value of a flat object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Value {
    Null,
    Int(i64),
    Str(String),
}

/// A flat object: member name -> value. Unknown members are kept and ignored by readers, as serde did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Object(BTreeMap<String, Value>);

impl Object {
    pub(super) fn new() -> Self {
        Object::default()
    }

    pub(super) fn with(mut self, name: &str, value: Value) -> Self {
        self.0.insert(name.to_string(), value);
        self
    }

    pub(super) fn str(&self, name: &str) -> Option<&str> {
        match self.0.get(name) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub(super) fn int(&self, name: &str) -> Option<i64> {
        match self.0.get(name) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }

    /// A member that may be absent or `null`; `Err` when it holds something other than a string.
    pub(super) fn opt_str(&self, name: &str) -> Result<Option<String>, ()> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s.clone())),
            Some(Value::Int(_)) => Err(()),
        }
    }

    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::from("{");
        for (i, (name, value)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(&mut out, name);
            out.push(':');
            match value {
                Value::Null => out.push_str("null"),
                Value::Int(n) => {
                    let _ = write!(out, "{n}");
                }
                Value::Str(s) => write_str(&mut out, s),
            }
        }
        out.push('}');
        out.into_bytes()
    }

    /// Parses a flat object; `None` for anything else (nested values, booleans, floats, bad syntax).
    pub(super) fn parse(bytes: &[u8]) -> Option<Object> {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut p = Parser { chars: text.char_indices().peekable(), text };
        let obj = p.object()?;
        p.ws();
        p.chars.next().is_none().then_some(obj)
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.chars.next_if(|(_, c)| matches!(c, ' ' | '\t' | '\n' | '\r')).is_some() {}
    }

    fn eat(&mut self, want: char) -> Option<()> {
        self.ws();
        self.chars.next_if(|(_, c)| *c == want).map(|_| ())
    }

    fn object(&mut self) -> Option<Object> {
        self.eat('{')?;
        let mut obj = Object::new();
        if self.eat('}').is_some() {
            return Some(obj);
        }
        loop {
            self.eat('"')?;
            let name = self.string_rest()?;
            self.eat(':')?;
            let value = self.value()?;
            obj.0.insert(name, value);
            if self.eat(',').is_some() {
                continue;
            }
            self.eat('}')?;
            return Some(obj);
        }
    }

    fn value(&mut self) -> Option<Value> {
        self.ws();
        match self.chars.peek()?.1 {
            '"' => {
                self.chars.next();
                self.string_rest().map(Value::Str)
            }
            'n' => {
                for want in ['n', 'u', 'l', 'l'] {
                    self.chars.next_if(|(_, c)| *c == want)?;
                }
                Some(Value::Null)
            }
            '-' | '0'..='9' => {
                let start = self.chars.peek()?.0;
                let mut end = start;
                while let Some((i, c)) = self.chars.next_if(|(_, c)| *c == '-' || c.is_ascii_digit()) {
                    end = i + c.len_utf8();
                }
                self.text.get(start..end)?.parse().ok().map(Value::Int)
            }
            _ => None,
        }
    }

    /// The rest of a string after its opening quote.
    fn string_rest(&mut self) -> Option<String> {
        let mut out = String::new();
        loop {
            let (_, c) = self.chars.next()?;
            match c {
                '"' => return Some(out),
                '\\' => {
                    let (_, e) = self.chars.next()?;
                    out.push(match e {
                        '"' => '"',
                        '\\' => '\\',
                        '/' => '/',
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        'u' => self.escaped_char()?,
                        _ => return None,
                    });
                }
                c if u32::from(c) < 0x20 => return None,
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut n = 0;
        for _ in 0..4 {
            n = n * 16 + self.chars.next()?.1.to_digit(16)?;
        }
        Some(n)
    }

    /// A `\u` escape, joining a surrogate pair.
    fn escaped_char(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) {
            self.chars.next_if(|(_, c)| *c == '\\')?;
            self.chars.next_if(|(_, c)| *c == 'u')?;
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return None;
            }
            return char::from_u32(0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00));
        }
        char::from_u32(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_serde_json_wrote_and_round_trips() {
        let o = Object::parse(br#"{"login":"al\"i\\ce \u00e9\ud83d\ude00","expires_at":-12,"x":null}"#).unwrap();
        assert_eq!(o.str("login"), Some("al\"i\\ce \u{e9}\u{1f600}"));
        assert_eq!(o.int("expires_at"), Some(-12));
        assert_eq!(o.opt_str("x"), Ok(None));
        assert_eq!(o.opt_str("missing"), Ok(None));
        assert_eq!(o.opt_str("expires_at"), Err(()));
        assert_eq!(Object::parse(&o.to_bytes()), Some(o.clone()));
        let odd = Object::new().with("s", Value::Str("a\u{1}\n\t\r\"\\b".into()));
        assert_eq!(Object::parse(&odd.to_bytes()), Some(odd));
        assert_eq!(Object::parse(b" { } "), Some(Object::new()));
    }

    #[test]
    fn refuses_what_is_not_a_flat_object() {
        for bad in [
            &b""[..],
            b"[]",
            b"{",
            b"{\"a\":1",
            b"{\"a\":{}}",
            b"{\"a\":true}",
            b"{\"a\":1.5}",
            b"{\"a\":\"x\"} x",
            b"{\"a\":\"\\q\"}",
            b"{\"a\":\"\\ud800\"}",
            b"{a:1}",
            b"\xff",
        ] {
            assert_eq!(Object::parse(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
