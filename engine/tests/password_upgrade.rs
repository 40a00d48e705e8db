//! A new hash of the same password (an imported OTRS hash stored again as Argon2id at login) is no
//! password change: sessions, API tokens and the event log stay as they were.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chamado::*;
use common::*;
use std::time::Duration;

const LEGACY: &str = "099a754c8251fb8a001b6642afb5259bd2edb705677b939f6ef4c00cab1e6389";
const NEW: &str = "$argon2id$stand-in";
const TOKEN: &str = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
const SESSION: &str = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn an_agents_upgraded_hash_keeps_its_sessions_and_tokens() {
    let d = desk();
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let mut ana = Agent::new("ana");
        ana.password_hash = Some(LEGACY.into());
        a.put_agent(ana).await.unwrap();
        a.add_api_token("ana", TOKEN).await.unwrap();
        d.engine.open_session(SessionKind::Agent, "ana", SESSION, HOUR).await.unwrap();

        assert!(d.engine.upgrade_password_hash(&Actor::agent("ana"), LEGACY, NEW).await.unwrap());
        let ana = d.engine.agent("ana").await.unwrap().unwrap();
        assert_eq!(ana.password_hash.as_deref(), Some(NEW));
        assert_eq!(d.engine.verify_api_token(TOKEN).await.unwrap().as_deref(), Some("ana"), "the token stays");
        assert_eq!(d.engine.session_login(SessionKind::Agent, SESSION).await.unwrap().as_deref(), Some("ana"));

        // Once replaced (or changed by anyone), the old hash no longer names what is stored.
        assert!(!d.engine.upgrade_password_hash(&Actor::agent("ana"), LEGACY, "$argon2id$other").await.unwrap());
        assert_eq!(d.engine.agent("ana").await.unwrap().unwrap().password_hash.as_deref(), Some(NEW));

        // A real change still ends what the password let in.
        let mut ana = d.engine.agent("ana").await.unwrap().unwrap();
        ana.password_hash = Some("$argon2id$changed".into());
        a.put_agent(ana).await.unwrap();
        assert_eq!(d.engine.verify_api_token(TOKEN).await.unwrap(), None);
        assert_eq!(d.engine.session_login(SessionKind::Agent, SESSION).await.unwrap(), None);
    });
}

#[test]
fn a_customer_users_upgraded_hash_keeps_its_sessions_and_writes_no_event() {
    let d = desk();
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let mut u = d.engine.customer_user("alice").await.unwrap().unwrap();
        u.password_hash = Some(LEGACY.into());
        a.put_customer_user(u).await.unwrap();
        d.engine.open_session(SessionKind::Customer, "alice", SESSION, HOUR).await.unwrap();
        let seq = d.store.last_event_seq().await.unwrap();

        assert!(d.engine.upgrade_password_hash(&alice(), LEGACY, NEW).await.unwrap());
        let u = d.engine.customer_user("alice").await.unwrap().unwrap();
        assert_eq!((u.password_hash.as_deref(), u.first_name.as_str()), (Some(NEW), "Alice"));
        assert_eq!(d.engine.session_login(SessionKind::Customer, SESSION).await.unwrap().as_deref(), Some("alice"));
        assert_eq!(d.store.last_event_seq().await.unwrap(), seq, "nothing an integration sees changed");
    });
}

#[test]
fn upgrades_need_a_user_with_that_hash() {
    let d = desk();
    block(async {
        assert!(!d.engine.upgrade_password_hash(&Actor::agent("nobody"), LEGACY, NEW).await.unwrap());
        // bob has no password at all: nothing to upgrade.
        assert!(!d.engine.upgrade_password_hash(&bob(), LEGACY, NEW).await.unwrap());
        assert_eq!(d.engine.customer_user("bob").await.unwrap().unwrap().password_hash, None);
        assert!(d.engine.upgrade_password_hash(&Actor::System, LEGACY, NEW).await.is_err());
        assert!(matches!(d.engine.upgrade_password_hash(&bob(), LEGACY, "").await, Err(Error::Validation(_))));
    });
}
