//! Ticket numbers in text, and subjects as OTRS builds and cleans them.

use crate::numbering::TicketNumberGenerator;
use serde::{Deserialize, Serialize};

/// How ticket numbers are marked in subjects and messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketHook {
    /// The hook, default `Ticket#`.
    pub hook: String,
    /// Between hook and number in built subjects, default empty.
    pub divider: String,
}

impl Default for TicketHook {
    fn default() -> Self {
        TicketHook { hook: "Ticket#".into(), divider: String::new() }
    }
}

/// Reply and forward prefixes removed when cleaning a subject (compared case-insensitively).
const PREFIXES: [&str; 9] = ["re", "aw", "fwd", "fw", "wg", "sv", "vs", "antw", "tr"];

impl TicketHook {
    /// `[Ticket#N] Subject`.
    pub fn build_subject(&self, number: &str, subject: &str) -> String {
        let clean = self.clean_subject(subject);
        format!("[{}{}{}] {}", self.hook, self.divider, number, clean).trim_end().to_string()
    }

    /// `Re: [Ticket#N] Subject`.
    pub fn reply_subject(&self, number: &str, subject: &str) -> String {
        format!("Re: {}", self.build_subject(number, subject))
    }

    /// Every ticket number marked in `text` that `generator` accepts, in order of appearance, without
    /// repeats. Forms: `[Ticket#N]`, `Ticket#N` (with the divider), `Ticket#: N`, `Ticket#:N`.
    ///
    /// ```
    /// use chamado::{NumberFormat, StandardNumbers, TicketHook};
    /// let g = StandardNumbers::new(NumberFormat::DateChecksum, "10").unwrap();
    /// let hook = TicketHook::default();
    /// assert_eq!(hook.find_numbers("Re: [Ticket#2026112710000013] help", &g), vec!["2026112710000013"]);
    /// assert!(hook.find_numbers("Re: [Ticket#2026112710000014] wrong check digit", &g).is_empty());
    /// ```
    pub fn find_numbers(&self, text: &str, generator: &dyn TicketNumberGenerator) -> Vec<String> {
        self.marked(text, |n| generator.is_valid(n))
    }

    /// Every number marked in `text` whatever its shape (imported tickets keep the numbers of the
    /// system they came from, check digit or not), in order of appearance, without repeats, at most
    /// `limit`: each is looked up, and text is written by strangers.
    ///
    /// ```
    /// use chamado::TicketHook;
    /// let hook = TicketHook::default();
    /// assert_eq!(hook.find_any_numbers("Re: [Ticket#2021012710123456] hi", 8), vec!["2021012710123456"]);
    /// ```
    pub fn find_any_numbers(&self, text: &str, limit: usize) -> Vec<String> {
        let mut found = self.marked(text, |_| true);
        found.truncate(limit);
        found
    }

    fn marked(&self, text: &str, accept: impl Fn(&str) -> bool) -> Vec<String> {
        let mut found = Vec::new();
        for (start, len) in self.hook_positions(text) {
            if let Some(n) = self.number_after(&text[start + len..])
                && accept(n)
                && !found.iter().any(|f: &String| f == n)
            {
                found.push(n.to_string());
            }
        }
        found
    }

    /// The subject without reply prefixes and ticket tags: `Re: AW: [Ticket#N] Help` becomes `Help`.
    pub fn clean_subject(&self, subject: &str) -> String {
        // Collapsing whitespace or removing a tag can form a new tag or prefix (`Ticket#:   N` becomes
        // `Ticket#: N`): clean until nothing changes, so a cleaned subject stays as it is. Each round
        // only shortens the text or turns other whitespace into spaces, so this ends.
        let mut s = self.clean_once(subject);
        loop {
            let next = self.clean_once(&s);
            if next == s {
                return s;
            }
            s = next;
        }
    }

    fn clean_once(&self, subject: &str) -> String {
        let mut s = self.remove_tags(subject);
        loop {
            let trimmed = s.trim_start();
            match strip_prefix(trimmed) {
                Some(rest) => s = rest.to_string(),
                None => {
                    s = trimmed.to_string();
                    break;
                }
            }
        }
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Byte positions and lengths of every case-insensitive occurrence of the hook.
    fn hook_positions(&self, text: &str) -> Vec<(usize, usize)> {
        let hook = self.hook.as_bytes();
        let bytes = text.as_bytes();
        if hook.is_empty() || bytes.len() < hook.len() {
            return Vec::new();
        }
        (0..=bytes.len() - hook.len())
            .filter(|&i| text.is_char_boundary(i) && bytes[i..i + hook.len()].eq_ignore_ascii_case(hook))
            .map(|i| (i, hook.len()))
            .collect()
    }

    /// The digits right after a hook: divider then digits, or `:` with up to two spaces then digits.
    fn number_after<'a>(&self, rest: &'a str) -> Option<&'a str> {
        let candidates = [
            rest.strip_prefix(self.divider.as_str()),
            rest.strip_prefix(':').map(|r| {
                let spaces = r.bytes().take(2).take_while(|b| *b == b' ').count();
                &r[spaces..]
            }),
        ];
        candidates.into_iter().flatten().find_map(|r| {
            let end = r.bytes().take_while(u8::is_ascii_digit).count();
            (end > 0).then(|| &r[..end])
        })
    }

    fn remove_tags(&self, subject: &str) -> String {
        let mut out = String::with_capacity(subject.len());
        let mut rest = subject;
        while let Some(&(pos, len)) = self.hook_positions(rest).first() {
            let after = &rest[pos + len..];
            let Some(digits) = self.number_after(after) else {
                out.push_str(&rest[..pos + len]);
                rest = after;
                continue;
            };
            let digits_end = after.find(digits).map_or(0, |i| i + digits.len());
            let (mut start, mut end) = (pos, pos + len + digits_end);
            if rest[..start].ends_with('[') && rest[end..].starts_with(']') {
                start -= 1;
                end += 1;
            }
            out.push_str(&rest[..start]);
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }
}

/// Removes one reply prefix (`Re:`, `AW[2]:`, `Fwd (3):`) from the start, if there is one.
fn strip_prefix(s: &str) -> Option<&str> {
    let word_end = s.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(s.len());
    let word = &s[..word_end];
    if !PREFIXES.iter().any(|p| p.eq_ignore_ascii_case(word)) {
        return None;
    }
    let mut rest = s[word_end..].trim_start();
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(inner) = rest.strip_prefix(open) {
            let close_at = inner.find(close)?;
            if !inner[..close_at].bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            rest = inner[close_at + 1..].trim_start();
        }
    }
    rest.strip_prefix(':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbering::{NumberFormat, StandardNumbers};

    fn gen_() -> StandardNumbers {
        StandardNumbers::new(NumberFormat::DateChecksum, "10").unwrap()
    }

    const N: &str = "2026112710000013";

    #[test]
    fn finds_every_form() {
        let h = TicketHook::default();
        for text in [
            format!("[Ticket#{N}] x"),
            format!("Re: Ticket#: {N}"),
            format!("Ticket#:{N}"),
            format!("ticket#{N}"),
            format!("about TICKET#:  {N}, thanks"),
        ] {
            assert_eq!(h.find_numbers(&text, &gen_()), vec![N.to_string()], "{text}");
        }
    }

    #[test]
    fn rejects_stray_digits_and_foreign_systems() {
        let h = TicketHook::default();
        assert!(h.find_numbers("Ticket#2026112710000014", &gen_()).is_empty(), "bad check digit");
        assert!(h.find_numbers("Ticket#2026112711000012", &gen_()).is_empty(), "SystemID 11");
        assert!(h.find_numbers(&format!("no hook {N}"), &gen_()).is_empty());
        assert!(h.find_numbers("Ticket#:   2026112710000013", &gen_()).is_empty(), "three spaces");
        assert!(h.find_numbers("Ticket#", &gen_()).is_empty());
        assert!(h.find_numbers("äöü Ticket#ü", &gen_()).is_empty());
    }

    #[test]
    fn divider_is_honoured() {
        let h = TicketHook { hook: "Case".into(), divider: "-".into() };
        assert_eq!(h.find_numbers(&format!("[Case-{N}]"), &gen_()), vec![N.to_string()]);
        assert_eq!(h.build_subject(N, "Hi"), format!("[Case-{N}] Hi"));
    }

    #[test]
    fn builds_and_cleans_subjects() {
        let h = TicketHook::default();
        assert_eq!(h.build_subject(N, "Printer broken"), format!("[Ticket#{N}] Printer broken"));
        assert_eq!(h.reply_subject(N, "Re: Printer broken"), format!("Re: [Ticket#{N}] Printer broken"));
        assert_eq!(h.clean_subject(&format!("Re: AW: Fwd: [Ticket#{N}] Printer  broken")), "Printer broken");
        assert_eq!(h.clean_subject(&format!("RE[2]: Re (3): Ticket#: {N} Hi")), "Hi");
        assert_eq!(h.clean_subject("Reply needed"), "Reply needed");
        assert_eq!(h.clean_subject("Re:"), "");
        assert_eq!(h.reply_subject(N, &h.reply_subject(N, "x")), format!("Re: [Ticket#{N}] x"));
    }
}
