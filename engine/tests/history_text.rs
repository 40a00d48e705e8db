//! History entries keep their English text and a message key, so each agent reads them in their own
//! language.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use chamado::*;
use chamado_i18n::{Language, Tr};
use common::*;

#[test]
fn a_state_change_is_stored_with_its_key_and_its_former_english_text() {
    let d = desk();
    let n = d.open(&alice(), "Printer", "Raw").ticket.number;
    block(d.engine.update_ticket(&admin(), &n, TicketUpdate::state("open"))).unwrap();
    let history = block(d.engine.history(&admin(), &n)).unwrap();
    let change = history.iter().find(|h| h.kind == HistoryKind::StateChanged).expect("a state change");
    assert_eq!(change.message, "state new -> open");
    let text = change.text.as_ref().expect("a translatable text");
    assert_eq!(text.key, "history-state-changed");
    assert!(text.args.contains(&("from".into(), HistoryArg::Text("new".into()))));
    assert!(text.args.contains(&("to".into(), HistoryArg::Text("open".into()))));
    assert_eq!(change.text_in(&Tr::new(Language::english())), "state new -> open");
    let pt = Tr::new(Language::parse("pt-BR").unwrap());
    assert_eq!(change.text_in(&pt), "estado alterado de new para open");

    let created = history.iter().find(|h| h.kind == HistoryKind::Created).expect("the opening");
    assert!(created.message.starts_with(&format!("ticket {n} opened in queue Raw by ")), "{}", created.message);
    assert!(created.text_in(&pt).starts_with(&format!("chamado {n} criado na fila Raw por ")));
}

#[test]
fn every_entry_the_engine_writes_has_a_text() {
    let d = desk();
    let n = d.open(&alice(), "Printer", "Raw").ticket.number;
    block(d.engine.add_article(&admin(), &n, NewArticle::reply("on it"))).unwrap();
    block(d.engine.update_ticket(&admin(), &n, TicketUpdate::state("closed successful"))).unwrap();
    let history = block(d.engine.history(&admin(), &n)).unwrap();
    assert!(history.len() >= 4, "{history:?}");
    for h in &history {
        let text = h.text.as_ref().unwrap_or_else(|| panic!("no text: {h:?}"));
        assert_eq!(h.text_in(&Tr::new(Language::english())), h.message, "{}", text.key);
    }
}
