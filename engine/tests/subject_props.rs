//! Properties of ticket-number detection and subject cleaning on arbitrary text, and a replay of the
#![allow(clippy::expect_used)]
//! fuzz seed corpus.

use chamado::{NumberFormat, StandardNumbers, TicketHook, TicketNumberGenerator, Timestamp};
use proptest::prelude::*;

fn generator() -> StandardNumbers {
    StandardNumbers::new(NumberFormat::DateChecksum, "10").expect("valid SystemID")
}

proptest! {
    #[test]
    fn detection_never_panics_and_only_returns_valid_numbers(text in any::<String>()) {
        let g = generator();
        for n in TicketHook::default().find_numbers(&text, &g) {
            prop_assert!(g.is_valid(&n));
        }
        let _ = TicketHook::default().clean_subject(&text);
    }

    #[test]
    fn built_subjects_carry_their_number(day in 0i64..40_000, counter in 1u64..10_000_000, subject in "[^\\[\\]]{0,40}") {
        let g = generator();
        let at = Timestamp(day * 86_400_000);
        let n = g.format(at, counter);
        prop_assert!(g.is_valid(&n));
        let hook = TicketHook::default();
        let reply = hook.reply_subject(&n, &subject);
        prop_assert_eq!(hook.find_numbers(&reply, &g), vec![n.clone()]);
        prop_assert!(!hook.clean_subject(&reply).contains(&n), "cleaning removes the tag");
    }

    #[test]
    fn cleaning_is_idempotent(subject in "((Re|AW|Fwd|FW|re)(\\[[0-9]\\])?: ?){0,4}(\\[Ticket#2026112710000013\\] )?[a-zA-Z ]{0,20}") {
        let hook = TicketHook::default();
        let once = hook.clean_subject(&subject);
        prop_assert_eq!(hook.clean_subject(&once), once.clone());
    }
}

/// OTRS's check digit (weights 1,2,1,2,..., no digit sums, 10 becomes 1) misses a change of 5 at a
/// weight-2 position and changes that move the sum between 9 and 0 (mod 10). It still catches the great
/// majority of single-digit typos, and the date/SystemID shape catches more; measure how many.
#[test]
fn most_single_digit_typos_are_caught() {
    let g = generator();
    let (mut tried, mut accepted) = (0, 0);
    for counter in [1u64, 17, 60_156, 99_999] {
        let n = g.format(Timestamp(1_795_773_600_000), counter);
        for p in 0..n.len() {
            for d in b'0'..=b'9' {
                let mut b = n.clone().into_bytes();
                if b[p] == d {
                    continue;
                }
                b[p] = d;
                let changed = String::from_utf8(b).expect("digits");
                tried += 1;
                if g.is_valid(&changed) {
                    accepted += 1;
                    let (body, check) = changed.split_at(changed.len() - 1);
                    assert_eq!(chamado::check_digit(body).map(|c| c.to_string()).as_deref(), Some(check));
                }
            }
        }
    }
    assert!(accepted * 100 <= tried * 12, "{accepted} of {tried} single-digit typos pass the checks");
}

/// The fuzz target's seeds run as a regular test, so CI replays them without the fuzzer.
#[test]
fn fuzz_seed_corpus_replays() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/subject");
    let entries = std::fs::read_dir(&dir).expect("fuzz/corpus/subject exists in the repository");
    let g = generator();
    let mut count = 0;
    for e in entries.flatten() {
        let bytes = std::fs::read(e.path()).expect("readable seed");
        let text = String::from_utf8_lossy(&bytes);
        for n in TicketHook::default().find_numbers(&text, &g) {
            assert!(g.is_valid(&n));
        }
        let clean = TicketHook::default().clean_subject(&text);
        assert_eq!(TicketHook::default().clean_subject(&clean), clean, "{}", e.path().display());
        count += 1;
    }
    assert!(count >= 5, "seed corpus has {count} files");
}
