//! Conformance cases for what adapters keep through the engine (API tokens, sessions, link codes,
//! chat states, cursors, delivery progress), run through an [`Engine`] on the store under test. They
//! also pin the key layout in the store's key-value area, which installations already hold.

use crate::clock::FixedClock;
use crate::directory::{Agent, CustomerUser};
use crate::engine::{Actor, ChatState, Credential, Engine, LinkRefusal, SessionKind};
use crate::error::Error;
use crate::ids::OutboxId;
use crate::store::Store;
use crate::time::Timestamp;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

type Case = fn(Box<dyn Store>) -> Pin<Box<dyn Future<Output = ()> + Send>>;

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        pub(super) const ALL: &[(&str, Case)] = &[$((stringify!($name), |s| Box::pin($name(s)))),*];
    };
}

cases!(
    api_tokens_are_issued_verified_and_revoked,
    sessions_expire_end_and_are_revoked_per_user,
    a_password_change_ends_sessions_and_tokens,
    link_codes_move_a_chat_identity_once,
    chat_states_cursors_and_delivery_progress,
);

const T0: Timestamp = Timestamp(1_795_773_600_000);

/// An engine on the store under test, with a clock the case moves, and the store itself for checking
/// the key layout.
fn engine(s: Box<dyn Store>) -> (Engine, Arc<FixedClock>, Arc<dyn Store>) {
    let store: Arc<dyn Store> = Arc::from(s);
    let clock = Arc::new(FixedClock::new(T0));
    let engine = Engine::builder_arc(store.clone()).clock(clock.clone()).build().unwrap();
    (engine, clock, store)
}

async fn api_tokens_are_issued_verified_and_revoked(s: Box<dyn Store>) {
    let (e, _, store) = engine(s);
    let admin = e.admin(&Actor::System).await.unwrap();
    admin.put_agent(Agent::new("ann")).await.unwrap();
    admin.put_agent(Agent::new("ben")).await.unwrap();
    for h in ["h1", "h2"] {
        admin.add_api_token("ann", h).await.unwrap();
    }
    admin.add_api_token("ann", "h1").await.unwrap();
    admin.add_api_token("ben", "h3").await.unwrap();
    assert_eq!(e.agent("ann").await.unwrap().unwrap().token_hashes, ["h1", "h2"], "adding a held hash again");
    assert_eq!(store.meta("http:agent-token:h1").await.unwrap(), Some(b"ann".to_vec()));
    assert!(matches!(admin.add_api_token("nobody", "h9").await, Err(Error::NotFound(_))));
    assert!(matches!(admin.add_api_token("ann", "two words").await, Err(Error::Validation(_))));
    assert_eq!(e.api_token_owner("h9").await.unwrap(), None);
    assert_eq!(e.verify_api_token("h9").await.unwrap(), None);
    assert_eq!(e.verify_api_token("two words").await.unwrap(), None);

    assert_eq!(e.verify_api_token("h1").await.unwrap().as_deref(), Some("ann"));
    assert_eq!(e.verify_api_token("h3").await.unwrap().as_deref(), Some("ben"));
    assert!(e.api_token_valid("ann", "h2").await.unwrap());
    assert!(!e.api_token_valid("ben", "h2").await.unwrap(), "a hash is valid only for its own agent");

    assert!(admin.revoke_api_token("ann", "h1").await.unwrap());
    assert!(!admin.revoke_api_token("ann", "h1").await.unwrap());
    assert_eq!(e.verify_api_token("h1").await.unwrap(), None);
    assert_eq!(e.verify_api_token("h2").await.unwrap().as_deref(), Some("ann"));

    let mut ben = e.agent("ben").await.unwrap().unwrap();
    ben.valid = false;
    admin.put_agent(ben).await.unwrap();
    assert_eq!(e.api_token_owner("h3").await.unwrap().as_deref(), Some("ben"));
    assert_eq!(e.verify_api_token("h3").await.unwrap(), None, "an invalid agent's tokens authenticate nobody");

    assert_eq!(admin.revoke_api_tokens("ann").await.unwrap(), 1);
    assert_eq!(e.verify_api_token("h2").await.unwrap(), None);
    assert_eq!(e.api_token_owner("h2").await.unwrap(), None, "revoking removes the index entry");
    assert!(e.agent("ann").await.unwrap().unwrap().token_hashes.is_empty());
    assert!(matches!(admin.revoke_api_tokens("nobody").await, Err(Error::NotFound(_))));
}

async fn sessions_expire_end_and_are_revoked_per_user(s: Box<dyn Store>) {
    let (e, clock, store) = engine(s);
    let ttl = Duration::from_secs(60);
    let until = e.open_session(SessionKind::Customer, "alice", "s1", ttl).await.unwrap();
    assert_eq!(until, T0.plus(ttl));
    assert_eq!(e.session_login(SessionKind::Customer, "s1").await.unwrap().as_deref(), Some("alice"));
    assert_eq!(e.session_login(SessionKind::Agent, "s1").await.unwrap(), None, "the kinds are apart");
    assert!(store.meta("http:session:s1").await.unwrap().is_some());
    e.open_session(SessionKind::Agent, "ann", "a1", ttl).await.unwrap();
    assert!(store.meta("http:console-session:a1").await.unwrap().is_some());
    assert_eq!(e.session_login(SessionKind::Agent, "a1").await.unwrap().as_deref(), Some("ann"));

    clock.advance(ttl);
    assert_eq!(e.session_login(SessionKind::Customer, "s1").await.unwrap(), None, "over at its end");
    assert_eq!(store.meta("http:session:s1").await.unwrap(), None, "expired sessions are removed when seen");

    for (login, hash) in [("alice", "s2"), ("alice", "s3"), ("bob", "s4")] {
        e.open_session(SessionKind::Customer, login, hash, ttl).await.unwrap();
    }
    e.open_session(SessionKind::Agent, "alice", "a2", ttl).await.unwrap();
    e.close_session(SessionKind::Customer, "s2").await.unwrap();
    assert_eq!(e.session_login(SessionKind::Customer, "s2").await.unwrap(), None);
    assert_eq!(e.session_login(SessionKind::Customer, "s3").await.unwrap().as_deref(), Some("alice"));

    e.close_sessions_of(SessionKind::Customer, "alice").await.unwrap();
    assert_eq!(e.session_login(SessionKind::Customer, "s3").await.unwrap(), None);
    assert_eq!(e.session_login(SessionKind::Customer, "s4").await.unwrap().as_deref(), Some("bob"));
    assert_eq!(e.session_login(SessionKind::Agent, "a2").await.unwrap().as_deref(), Some("alice"), "other kind");
    e.open_session(SessionKind::Customer, "alice", "s5", ttl).await.unwrap();
    assert_eq!(e.session_login(SessionKind::Customer, "s5").await.unwrap().as_deref(), Some("alice"), "opened after");

    // A session as the HTTP adapter stored it before the engine kept sessions.
    let old = format!(r#"{{"login":"carol","expires_at":{}}}"#, T0.plus(ttl * 10).as_millis());
    store.put_meta("http:session:old", Some(old.into_bytes())).await.unwrap();
    assert_eq!(e.session_login(SessionKind::Customer, "old").await.unwrap().as_deref(), Some("carol"));
    store.put_meta("http:session:junk", Some(b"not json".to_vec())).await.unwrap();
    assert_eq!(e.session_login(SessionKind::Customer, "junk").await.unwrap(), None);
    assert!(matches!(e.open_session(SessionKind::Customer, "alice", "", ttl).await, Err(Error::Validation(_))));
}

async fn a_password_change_ends_sessions_and_tokens(s: Box<dyn Store>) {
    let (e, _, store) = engine(s);
    let admin = e.admin(&Actor::System).await.unwrap();
    let ttl = Duration::from_secs(600);
    let live = |kind, hash: &'static str| {
        let e = e.clone();
        async move { e.session_login(kind, hash).await.unwrap().is_some() }
    };

    // An agent without a password gets its first one: nothing ends.
    admin.put_agent(Agent::new("ann")).await.unwrap();
    admin.add_api_token("ann", "t1").await.unwrap();
    let mut ann = e.agent("ann").await.unwrap().unwrap();
    ann.password_hash = Some("p1".into());
    admin.put_agent(ann).await.unwrap();
    assert_eq!(e.verify_api_token("t1").await.unwrap().as_deref(), Some("ann"), "a first password ends nothing");

    // An admin resets it: every session and token of ann ends, other users' stay.
    admin.add_api_token("ann", "t2").await.unwrap();
    e.open_session(SessionKind::Agent, "ann", "a1", ttl).await.unwrap();
    e.open_session(SessionKind::Agent, "ben", "b1", ttl).await.unwrap();
    let mut ann = e.agent("ann").await.unwrap().unwrap();
    ann.first_name = "Ann".into();
    admin.put_agent(ann.clone()).await.unwrap();
    assert!(live(SessionKind::Agent, "a1").await, "a change without a new password ends nothing");
    ann.password_hash = Some("p2".into());
    admin.put_agent(ann).await.unwrap();
    assert!(!live(SessionKind::Agent, "a1").await);
    assert!(live(SessionKind::Agent, "b1").await);
    for t in ["t1", "t2"] {
        assert_eq!(e.verify_api_token(t).await.unwrap(), None, "token {t} is revoked");
        assert_eq!(store.meta(&format!("http:agent-token:{t}")).await.unwrap(), None, "and unindexed");
    }
    assert_eq!(e.agent("ann").await.unwrap().unwrap().first_name, "Ann", "the change itself is kept");

    // Ann changes her own password on her token t3: t3 stays, t4 and her sessions end.
    for t in ["t3", "t4"] {
        admin.add_api_token("ann", t).await.unwrap();
    }
    e.open_session(SessionKind::Agent, "ann", "a2", ttl).await.unwrap();
    e.change_own_password(&Actor::Agent("ann".into()), "p3", Credential::ApiToken("t3")).await.unwrap();
    assert_eq!(e.agent("ann").await.unwrap().unwrap().password_hash.as_deref(), Some("p3"));
    assert_eq!(e.verify_api_token("t3").await.unwrap().as_deref(), Some("ann"));
    assert_eq!(e.verify_api_token("t4").await.unwrap(), None);
    assert!(!live(SessionKind::Agent, "a2").await);

    // A customer user on one of two sessions: that one stays.
    let mut alice = CustomerUser::new("alice", "alice@acme.example", "acme");
    alice.password_hash = Some("q1".into());
    admin.put_customer_user(alice).await.unwrap();
    for h in ["s1", "s2"] {
        e.open_session(SessionKind::Customer, "alice", h, ttl).await.unwrap();
    }
    e.open_session(SessionKind::Customer, "bob", "s3", ttl).await.unwrap();
    let me = Actor::CustomerUser("alice".into());
    e.change_own_password(&me, "q2", Credential::Session(SessionKind::Customer, "s1")).await.unwrap();
    assert!(live(SessionKind::Customer, "s1").await);
    assert!(!live(SessionKind::Customer, "s2").await);
    assert!(live(SessionKind::Customer, "s3").await);
    // Another user's session hash keeps nothing alive.
    e.change_own_password(&me, "q3", Credential::Session(SessionKind::Customer, "s3")).await.unwrap();
    assert!(!live(SessionKind::Customer, "s1").await);
    assert!(live(SessionKind::Customer, "s3").await, "bob's session is bob's");
    // An admin reset ends the rest.
    let mut alice = e.customer_user("alice").await.unwrap().unwrap();
    alice.password_hash = Some("q4".into());
    e.open_session(SessionKind::Customer, "alice", "s4", ttl).await.unwrap();
    admin.put_customer_user(alice).await.unwrap();
    assert!(!live(SessionKind::Customer, "s4").await);

    assert!(matches!(
        e.change_own_password(&Actor::System, "x", Credential::ApiToken("t3")).await,
        Err(Error::PermissionDenied(_))
    ));
    assert!(matches!(e.change_own_password(&me, "", Credential::ApiToken("t3")).await, Err(Error::Validation(_))));
    let nobody = Actor::CustomerUser("nobody".into());
    assert!(matches!(e.change_own_password(&nobody, "x", Credential::ApiToken("t3")).await, Err(Error::NotFound(_))));
}

async fn link_codes_move_a_chat_identity_once(s: Box<dyn Store>) {
    let (e, clock, store) = engine(s);
    let admin = e.admin(&Actor::System).await.unwrap();
    admin.put_customer_user(CustomerUser::new("alice", "alice@acme.example", "acme")).await.unwrap();
    let mut gone = CustomerUser::new("gone", "gone@acme.example", "acme");
    gone.valid = false;
    admin.put_customer_user(gone).await.unwrap();
    let mut auto = CustomerUser::new("tg:7", "", "tg:7");
    auto.identities.push("tg:7".into());
    admin.put_customer_user(auto).await.unwrap();
    assert_eq!(e.customer_user_by_identity("tg:7").await.unwrap().unwrap().login, "tg:7");

    let ttl = Duration::from_secs(600);
    assert_eq!(e.issue_link_code("telegram", "alice", "CODE1", ttl).await.unwrap(), T0.plus(ttl));
    assert!(store.meta("telegram:link:CODE1").await.unwrap().is_some());
    assert!(matches!(e.issue_link_code("telegram", "gone", "CODE2", ttl).await, Err(Error::NotFound(_))));
    assert!(matches!(e.issue_link_code("telegram", "nobody", "CODE2", ttl).await, Err(Error::NotFound(_))));
    assert!(matches!(e.issue_link_code("telegram", "alice", "no spaces", ttl).await, Err(Error::Validation(_))));
    assert!(matches!(e.issue_link_code("tele:gram", "alice", "CODE2", ttl).await, Err(Error::Validation(_))));

    assert_eq!(e.redeem_link_code("telegram", "WRONG", "tg:7").await.unwrap(), Err(LinkRefusal::InvalidCode));
    assert_eq!(e.redeem_link_code("telegram", "bad code", "tg:7").await.unwrap(), Err(LinkRefusal::InvalidCode));
    assert_eq!(e.redeem_link_code("other", "CODE1", "tg:7").await.unwrap(), Err(LinkRefusal::InvalidCode));
    assert_eq!(e.redeem_link_code("telegram", "CODE1", "tg:7").await.unwrap().as_deref(), Ok("alice"));
    assert_eq!(e.customer_user_by_identity("tg:7").await.unwrap().unwrap().login, "alice");
    assert!(e.customer_user("tg:7").await.unwrap().unwrap().identities.is_empty(), "moved from the auto user");
    assert_eq!(e.redeem_link_code("telegram", "CODE1", "tg:7").await.unwrap(), Err(LinkRefusal::InvalidCode), "once");
    assert_eq!(store.meta("telegram:link:CODE1").await.unwrap(), None);

    e.issue_link_code("telegram", "alice", "CODE3", ttl).await.unwrap();
    clock.advance(ttl + Duration::from_millis(1));
    assert_eq!(e.redeem_link_code("telegram", "CODE3", "tg:8").await.unwrap(), Err(LinkRefusal::InvalidCode));
    assert_eq!(store.meta("telegram:link:CODE3").await.unwrap(), None, "expired codes are removed when seen");
    assert_eq!(e.customer_user_by_identity("tg:8").await.unwrap(), None);

    e.issue_link_code("telegram", "alice", "CODE4", ttl).await.unwrap();
    let mut alice = e.customer_user("alice").await.unwrap().unwrap();
    alice.valid = false;
    admin.put_customer_user(alice).await.unwrap();
    assert_eq!(e.redeem_link_code("telegram", "CODE4", "tg:9").await.unwrap(), Err(LinkRefusal::UserUnavailable));
}

async fn chat_states_cursors_and_delivery_progress(s: Box<dyn Store>) {
    let (e, _, store) = engine(s);
    e.check_store().await.unwrap();

    assert_eq!(e.chat_state("telegram", "-100", "7").await.unwrap(), ChatState::default());
    let state = ChatState { active: Some("2026112710000017".into()), pending_new: Some("Printer \"2\"".into()) };
    e.save_chat_state("telegram", "-100", "7", &state).await.unwrap();
    assert_eq!(e.chat_state("telegram", "-100", "7").await.unwrap(), state);
    assert_eq!(e.chat_state("telegram", "-100", "8").await.unwrap(), ChatState::default(), "per user");
    assert!(store.meta("telegram:chat:-100:7").await.unwrap().is_some());
    e.save_chat_state("telegram", "-100", "7", &ChatState::default()).await.unwrap();
    assert_eq!(store.meta("telegram:chat:-100:7").await.unwrap(), None, "the empty state is not kept");
    // As the Telegram adapter stored it before.
    store.put_meta("telegram:chat:5:6", Some(br#"{"active":"123","pending_new":null}"#.to_vec())).await.unwrap();
    assert_eq!(e.chat_state("telegram", "5", "6").await.unwrap().active.as_deref(), Some("123"));
    assert!(matches!(e.chat_state("telegram", "5:5", "6").await, Err(Error::Validation(_))));

    assert_eq!(e.cursor("telegram", "updates").await.unwrap(), None);
    e.set_cursor("telegram", "updates", Some("42")).await.unwrap();
    e.set_cursor("imap", "INBOX", Some("7:1200")).await.unwrap();
    assert_eq!(e.cursor("telegram", "updates").await.unwrap().as_deref(), Some("42"));
    assert_eq!(e.cursor("imap", "INBOX").await.unwrap().as_deref(), Some("7:1200"));
    assert_eq!(e.cursor("imap", "updates").await.unwrap(), None, "per adapter");
    e.set_cursor("telegram", "updates", None).await.unwrap();
    assert_eq!(e.cursor("telegram", "updates").await.unwrap(), None);
    assert!(matches!(e.set_cursor("", "x", Some("1")).await, Err(Error::Validation(_))));

    assert_eq!(e.delivery_progress("telegram", OutboxId(5)).await.unwrap(), 0);
    e.set_delivery_progress("telegram", OutboxId(5), Some(3)).await.unwrap();
    assert_eq!(store.meta("telegram:outbox:5").await.unwrap(), Some(b"3".to_vec()));
    assert_eq!(e.delivery_progress("telegram", OutboxId(5)).await.unwrap(), 3);
    assert_eq!(e.delivery_progress("telegram", OutboxId(6)).await.unwrap(), 0);
    e.set_delivery_progress("telegram", OutboxId(5), None).await.unwrap();
    assert_eq!(e.delivery_progress("telegram", OutboxId(5)).await.unwrap(), 0);
}
