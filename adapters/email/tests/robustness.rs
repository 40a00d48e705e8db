//! No input panics the adapter: the corpus mutated (bit flips, MIME and encoded-word fragments spliced
//! in, truncations) and hand-made nasties go through parsing and intake. A memory store never fails,
//! so every message must end accepted or refused with a reason, never "try later".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use chamado_email::{Disposition, Envelope, MailIntake, QueueMap, html_to_text, parse_message};

/// xorshift64*: deterministic, so a failure is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const FRAGMENTS: [&[u8]; 14] = [
    b"=?",
    b"?=",
    b"=?UTF-8?B?",
    b"=?utf-8?q?=C3?=",
    b"\r\n",
    b"\n\n",
    b"--",
    b"boundary=\"\"",
    b"*0*=",
    b";",
    b"Content-Type: multipart/mixed; boundary=x\r\n",
    b"\xff\xfe\x00",
    b"<",
    b"&#x",
];

fn mutate(rng: &mut Rng, raw: &[u8]) -> Vec<u8> {
    let mut m = raw.to_vec();
    for _ in 0..=rng.below(8) {
        match rng.below(4) {
            0 if !m.is_empty() => {
                let i = rng.below(m.len());
                m[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(m.len() + 1);
                let f = FRAGMENTS[rng.below(FRAGMENTS.len())];
                m.splice(i..i, f.iter().copied());
            }
            2 => {
                let i = rng.below(m.len() + 1);
                m.truncate(i);
            }
            _ if !m.is_empty() => {
                let i = rng.below(m.len());
                let j = (i + rng.below(64)).min(m.len());
                m.drain(i..j);
            }
            _ => {}
        }
    }
    m
}

async fn check(intake: &MailIntake, raw: &[u8], what: &str) {
    let _ = parse_message(raw, None);
    let env = Envelope::new(Some("fuzz@example.org".into()), vec!["support@localhost".into()]);
    match intake.deliver(raw, &env).await {
        Disposition::Accepted(_) => {}
        // Issue 18: nothing is refused for what its headers look like; only an empty message is.
        Disposition::Refused(reason) => {
            assert_eq!(reason, chamado_email::ParseError::Empty.to_string(), "{what}: refused")
        }
        Disposition::TryLater(reason) => panic!("{what}: a memory store made it 'try later': {reason}"),
    }
}

#[tokio::test]
async fn handmade_nasties() {
    let engine = common::engine().await;
    let intake = MailIntake::new(engine, QueueMap::new());
    let cases: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"\r\n\r\n".to_vec(),
        b"\0\0\0".to_vec(),
        vec![0xff; 1000],
        b"From:\r\n\r\n".to_vec(),
        b"From: <>\r\nSubject: =?\r\n\r\n".to_vec(),
        b"From: a@b\r\nSubject: =?x?Q?=?= =?x?B?====?=\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n--\r\n".to_vec(),
        b"From: a@b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n--b--".to_vec(),
        b"From: a@b\r\nContent-Disposition: attachment; filename*0*=utf-8''%; filename*1=\"\r\n\r\nx".to_vec(),
        format!("From: a@b\r\nSubject: {}\r\n\r\n{}", "=?utf-8?q?=C3?= ".repeat(2000), "x".repeat(3 << 20)).into_bytes(),
        format!("From: a@b\r\nContent-Type: text/html\r\n\r\n{}", "<div><".repeat(50_000)).into_bytes(),
        format!("From: a@b\r\nReferences: {}\r\n\r\nx", "<a@b> ".repeat(10_000)).into_bytes(),
    ];
    for (i, c) in cases.iter().enumerate() {
        check(&intake, c, &format!("case {i}")).await;
    }
    for s in ["<", "<<", "&", "&#", "&#x110000;", "<a b='>", "<!--", "<pre>", "<ä", "</"] {
        let _ = html_to_text(s);
    }
}

#[tokio::test]
async fn mutated_corpus_never_panics() {
    let Some(dir) = common::corpus_dir() else { return };
    let engine = common::engine().await;
    let intake = MailIntake::new(engine, QueueMap::new());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let rounds: usize = std::env::var("CHAMADO_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(12);
    let mut n = 0;
    for f in common::corpus_files(&dir) {
        let raw = std::fs::read(&f).unwrap();
        for r in 0..rounds {
            let m = mutate(&mut rng, &raw);
            check(&intake, &m, &format!("{} mutation {r}", f.display())).await;
            n += 1;
        }
    }
    println!("{n} mutated messages taken without a panic");
}
