//! Ticket-number detection and subject cleaning on arbitrary bytes.
#![no_main]

use chamado::{NumberFormat, StandardNumbers, TicketHook, TicketNumberGenerator};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(g) = StandardNumbers::new(NumberFormat::DateChecksum, "10") else { return };
    let hook = TicketHook::default();
    for n in hook.find_numbers(&text, &g) {
        assert!(g.is_valid(&n));
    }
    let clean = hook.clean_subject(&text);
    assert_eq!(hook.clean_subject(&clean), clean);
});
