//! Opening, seeing, changing and merging tickets through the engine, with permissions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::field_reassign_with_default)]

mod common;
use chamado::*;
use common::*;
use std::time::Duration;

#[test]
fn customer_opens_ticket_in_portal() {
    let d = desk();
    let v = d.open(&alice(), "Printer jams", "Raw");
    let t = &v.ticket;
    assert_eq!((t.state.as_str(), t.state_type, t.channel), ("new", StateType::New, ChannelKind::Web));
    assert_eq!((t.customer_user.as_deref(), t.customer_id.as_deref()), (Some("alice"), Some("acme")));
    assert!(d.engine.numbers().is_valid(&t.number), "DateChecksum number {}", t.number);
    assert!(t.number.starts_with("2026112710"), "date and SystemID: {}", t.number);
    assert_eq!(v.articles.len(), 1);
    let h = block(d.engine.history(&admin(), &t.number)).unwrap();
    assert_eq!(h[0].kind, HistoryKind::Created);
    assert!(d.events().iter().any(|e| matches!(e, Event::TicketCreated { number, .. } if *number == t.number)));
}

#[test]
fn customer_needs_rw_on_queue_group_and_the_service() {
    let d = desk();
    let e = block(d.engine.create_ticket(&alice(), NewTicket::new("x", "y", "Sales"))).unwrap_err();
    assert!(matches!(e, Error::PermissionDenied(_)), "no rw on sales: {e:?}");
    let mut nt = NewTicket::new("x", "y", "Raw");
    nt.service = Some("IT::Email".into());
    let e = block(d.engine.create_ticket(&alice(), nt.clone())).unwrap_err();
    assert!(matches!(e, Error::PermissionDenied(_)), "service not granted: {e:?}");
    let a = block(d.engine.admin(&admin())).unwrap();
    block(a.grant(Grant::service(GrantSubject::CustomerUser("alice".into()), "IT::Email"))).unwrap();
    assert_eq!(
        block(d.engine.create_ticket(&alice(), nt.clone())).unwrap().ticket.service.as_deref(),
        Some("IT::Email")
    );
    nt.service = Some("IT".into());
    block(d.engine.create_ticket(&bob(), nt)).expect("default service IT is everyone's");
    // An invalid parent hides its children.
    block(a.put_service(Service { valid: false, ..Service::new("IT") })).unwrap();
    assert!(!block(d.engine.customer_access("alice")).unwrap().has_service("IT::Email"));
}

#[test]
fn visibility_own_company_and_foreign_tickets() {
    let d = desk();
    let n = d.open(&alice(), "Alice's", "Raw").ticket.number;
    assert!(block(d.engine.ticket(&bob(), &n)).is_ok(), "same company sees it");
    let e = block(d.engine.ticket(&carol(), &n)).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("ticket {n} not found"),
        "another customer gets exactly what a missing ticket gives"
    );
    assert_eq!(
        block(d.engine.ticket(&carol(), "2026112710999990")).unwrap_err().to_string(),
        "ticket 2026112710999990 not found"
    );
    let page = block(d.engine.list_tickets(&carol(), &TicketFilter::default(), None, 50)).unwrap();
    assert!(page.items.is_empty());
    let page = block(d.engine.list_tickets(&bob(), &TicketFilter::default(), None, 50)).unwrap();
    assert_eq!(page.items.len(), 1);

    let mut cfg = EngineConfig::default();
    cfg.company_tickets = false;
    let d2 = desk_with(cfg);
    let n2 = d2.open(&alice(), "Alice's", "Raw").ticket.number;
    assert!(block(d2.engine.ticket(&bob(), &n2)).is_err(), "company access switched off");
    assert!(block(d2.engine.ticket(&alice(), &n2)).is_ok());
}

#[test]
fn revoking_the_group_revokes_access() {
    let d = desk();
    let n = d.open(&alice(), "Mine", "Raw").ticket.number;
    let a = block(d.engine.admin(&admin())).unwrap();
    block(a.revoke(&GrantSubject::DefaultCustomerUsers, &GrantTarget::Group("users".into()))).unwrap();
    assert!(
        matches!(block(d.engine.ticket(&alice(), &n)), Err(Error::NotFound(_))),
        "no ro on users: own ticket hidden"
    );
    block(a.grant(Grant::group(GrantSubject::Customer("acme".into()), "users", PermissionSet::of(&[Permission::Ro]))))
        .unwrap();
    assert!(block(d.engine.ticket(&bob(), &n)).is_ok(), "company grant gives ro");
    let e = block(d.engine.add_article(&bob(), &n, NewArticle::reply("me too"))).unwrap_err();
    assert!(matches!(e, Error::PermissionDenied(_)), "ro cannot follow up: {e:?}");
}

#[test]
fn agent_permissions_per_action() {
    let d = desk();
    let n = d.open(&alice(), "Help", "Raw").ticket.number;
    let ro = Actor::agent("ro_agent");
    assert!(block(d.engine.ticket(&ro, &n)).is_ok());
    assert!(matches!(block(d.engine.add_article(&ro, &n, NewArticle::note("x"))), Err(Error::PermissionDenied(_))));
    let noter = Actor::agent("noter");
    assert!(block(d.engine.add_article(&noter, &n, NewArticle::note("checked"))).is_ok());
    assert!(
        matches!(block(d.engine.add_article(&noter, &n, NewArticle::reply("hi"))), Err(Error::PermissionDenied(_))),
        "a reply needs rw"
    );
    let up = TicketUpdate { priority: Some(Priority::new(5).unwrap()), ..Default::default() };
    assert!(matches!(block(d.engine.update_ticket(&noter, &n, up.clone())), Err(Error::PermissionDenied(_))));
    assert_eq!(block(d.engine.update_ticket(&admin(), &n, up)).unwrap().priority.level(), 5);
    // Moving needs move_into on the target group only.
    let mover = Actor::agent("mover");
    assert!(matches!(block(d.engine.ticket(&mover, &n)), Err(Error::NotFound(_))), "mover cannot see Raw");
    let mv = TicketUpdate { queue: Some("Sales".into()), ..Default::default() };
    assert_eq!(
        block(d.engine.update_ticket(&admin(), &n, mv)).unwrap_err(),
        Error::permission_denied("moving into queue \"Sales\" needs move_into on its group")
    );
    let a = block(d.engine.admin(&admin())).unwrap();
    block(a.grant(Grant::group(
        GrantSubject::Agent("admin".into()),
        "sales",
        PermissionSet::of(&[Permission::MoveInto]),
    )))
    .unwrap();
    let t =
        block(d.engine.update_ticket(&admin(), &n, TicketUpdate { queue: Some("Sales".into()), ..Default::default() }))
            .unwrap();
    assert_eq!(t.queue, "Sales");
    assert!(matches!(block(d.engine.ticket(&alice(), &n)), Err(Error::NotFound(_))), "alice has no ro on sales");
    assert!(
        matches!(block(d.engine.ticket(&admin(), &n)), Err(Error::NotFound(_))),
        "move_into alone does not let admin see it"
    );
    block(a.grant(Grant::group(GrantSubject::Agent("admin".into()), "sales", PermissionSet::of(&[Permission::Rw]))))
        .unwrap();
    // Owner has full rights on their ticket.
    block(a.grant(Grant::group(
        GrantSubject::Agent("ro_agent".into()),
        "sales",
        PermissionSet::of(&[Permission::Owner]),
    )))
    .unwrap();
    block(d.engine.update_ticket(&admin(), &n, TicketUpdate { owner: Some("ro_agent".into()), ..Default::default() }))
        .unwrap();
    assert!(block(d.engine.add_article(&ro, &n, NewArticle::reply("as owner"))).is_ok());
}

#[test]
fn roles_grant_group_permissions() {
    let d = desk();
    let a = block(d.engine.admin(&admin())).unwrap();
    block(a.put_agent(Agent::new("rolly"))).unwrap();
    block(a.put_role(Role::new("support"))).unwrap();
    block(a.grant(Grant::group(GrantSubject::Role("support".into()), "users", PermissionSet::of(&[Permission::Rw]))))
        .unwrap();
    assert!(!block(d.engine.agent_access("rolly")).unwrap().has("users", Permission::Ro));
    block(a.grant(Grant::role_membership("rolly", "support"))).unwrap();
    assert!(block(d.engine.agent_access("rolly")).unwrap().has("users", Permission::Priority));
    block(a.put_role(Role { valid: false, ..Role::new("support") })).unwrap();
    assert!(
        !block(d.engine.agent_access("rolly")).unwrap().has("users", Permission::Ro),
        "invalid role grants nothing"
    );
}

#[test]
fn state_machine_and_follow_up_reopen() {
    let d = desk();
    let n = d.open(&alice(), "Help", "Raw").ticket.number;
    block(d.engine.add_article(&alice(), &n, NewArticle::reply("more info"))).unwrap();
    assert_eq!(block(d.engine.ticket(&admin(), &n)).unwrap().ticket.state, "new", "follow-up on new stays new");
    let e = block(d.engine.update_ticket(&admin(), &n, TicketUpdate::state("merged"))).unwrap_err();
    assert!(matches!(e, Error::InvalidTransition(_)));
    let e = block(d.engine.update_ticket(&admin(), &n, TicketUpdate::state("pending reminder"))).unwrap_err();
    assert!(matches!(e, Error::InvalidTransition(_)), "pending needs a time");
    let e = block(d.engine.update_ticket(&admin(), &n, TicketUpdate::state("nonsense"))).unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "an unknown state: {e:?}");
    block(d.engine.update_ticket(&admin(), &n, TicketUpdate::state("closed successful"))).unwrap();
    let e = block(d.engine.update_ticket(&admin(), &n, TicketUpdate::state("new"))).unwrap_err();
    assert!(matches!(e, Error::InvalidTransition(_)), "never back to new");
    let out = block(d.engine.add_article(&bob(), &n, NewArticle::reply("still broken"))).unwrap();
    assert_eq!((out.ticket.state.as_str(), out.opened_new_ticket), ("open", false), "possible: reopened");
    assert!(d.events().iter().any(|e| matches!(e, Event::StateChanged { to, .. } if to == "open")));
}

#[test]
fn reject_and_new_ticket_policies() {
    let d = desk();
    let n = d.open(&alice(), "In reject queue", "Closed").ticket.number;
    block(d.engine.update_ticket(&admin(), &n, TicketUpdate::state("closed successful"))).unwrap();
    let e = block(d.engine.add_article(&alice(), &n, NewArticle::reply("again"))).unwrap_err();
    assert!(matches!(e, Error::Rejected(_)), "{e:?}");
    let v = block(d.engine.ticket(&admin(), &n)).unwrap();
    assert_eq!(v.articles.len(), 1, "nothing appended");
    assert!(block(d.engine.history(&admin(), &n)).unwrap().iter().any(|h| h.kind == HistoryKind::FollowUpRejected));

    let f = d.open(&alice(), "In new-ticket queue", "Fresh").ticket.number;
    block(d.engine.update_ticket(&admin(), &f, TicketUpdate::state("closed unsuccessful"))).unwrap();
    let out = block(d.engine.add_article(&alice(), &f, NewArticle::reply("again"))).unwrap();
    assert!(out.opened_new_ticket);
    assert_ne!(out.ticket.number, f);
    let old = block(d.engine.ticket(&admin(), &f)).unwrap().ticket;
    assert_eq!((old.state.as_str(), old.linked.clone()), ("closed unsuccessful", vec![out.ticket.id]));
    assert_eq!(out.ticket.linked, vec![old.id]);
}

#[test]
fn agent_reply_goes_to_outbox_and_opens_new_ticket() {
    let d = desk();
    let n = d.open(&alice(), "Help", "Raw").ticket.number;
    let out = block(d.engine.add_article(&admin(), &n, NewArticle::reply("try this"))).unwrap();
    assert_eq!(out.ticket.state, "open", "answering a new ticket opens it");
    assert_eq!(out.article.subject, format!("Re: [Ticket#{n}] Help"));
    assert!(out.article.external_id.as_deref().is_some_and(|m| m.contains(&n)));
    let ob = block(d.store.outbox_for_ticket(out.ticket.id)).unwrap();
    assert_eq!((ob.len(), ob[0].recipient.as_str(), ob[0].channel), (1, "alice@acme.example", ChannelKind::Email));
    block(d.engine.add_article(&admin(), &n, NewArticle::note("internal"))).unwrap();
    assert_eq!(block(d.store.outbox_for_ticket(out.ticket.id)).unwrap().len(), 1, "notes are not sent");
    let seen = block(d.engine.ticket(&alice(), &n)).unwrap();
    assert_eq!(seen.articles.len(), 2, "customers do not see internal notes");
}

#[test]
fn lock_owner_and_responsible() {
    let d = desk();
    let n = d.open(&alice(), "Help", "Raw").ticket.number;
    let t = block(d.engine.update_ticket(&admin(), &n, TicketUpdate { lock: Some(Lock::Lock), ..Default::default() }))
        .unwrap();
    assert_eq!((t.lock, t.owner.as_deref()), (Lock::Lock, Some("admin")), "locking makes the agent owner");
    let e = block(d.engine.update_ticket(
        &admin(),
        &n,
        TicketUpdate { responsible: Some("ghost".into()), ..Default::default() },
    ))
    .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "an unknown agent: {e:?}");
    let t = block(d.engine.update_ticket(
        &admin(),
        &n,
        TicketUpdate { responsible: Some("ro_agent".into()), ..Default::default() },
    ))
    .unwrap();
    assert_eq!(t.responsible.as_deref(), Some("ro_agent"));
    // The responsible agent has full rights on the ticket.
    assert!(block(d.engine.update_ticket(&Actor::agent("ro_agent"), &n, TicketUpdate::state("open"))).is_ok());
    let mine = TicketFilter { responsible: Some("ro_agent".into()), ..Default::default() };
    assert_eq!(block(d.engine.list_tickets(&admin(), &mine, None, 10)).unwrap().items.len(), 1);
}

#[test]
fn merge_moves_articles_and_redirects_numbers() {
    let d = desk();
    let a = d.open(&alice(), "First", "Raw").ticket.number;
    let b = d.open(&alice(), "Duplicate", "Raw").ticket.number;
    assert!(matches!(block(d.engine.merge(&Actor::agent("ro_agent"), &b, &a)), Err(Error::PermissionDenied(_))));
    let target = block(d.engine.merge(&admin(), &b, &a)).unwrap();
    assert_eq!(target.number, a);
    let via_old = block(d.engine.ticket(&alice(), &b)).unwrap();
    assert_eq!(via_old.ticket.number, a, "the merged number resolves to the target");
    assert_eq!(via_old.articles.len(), 2, "articles moved");
    let out = block(d.engine.add_article(&alice(), &b, NewArticle::reply("follow-up to old number"))).unwrap();
    assert_eq!(out.ticket.number, a);
    assert!(matches!(block(d.engine.merge(&admin(), &a, &a)), Err(Error::InvalidTransition(_))), "into itself");
    let e = block(d.engine.merge(&admin(), &a, "1")).unwrap_err();
    assert!(matches!(e, Error::InvalidTransition(ref m) if m.contains("not found")), "a missing target: {e:?}");
    assert!(matches!(block(d.engine.merge(&admin(), &b, &a)), Err(Error::InvalidTransition(_))), "already merged");
}

#[test]
fn pending_auto_close_and_reminders_follow_the_clock() {
    let d = desk();
    let a = d.open(&alice(), "Auto", "Raw").ticket.number;
    let r = d.open(&alice(), "Remind", "Raw").ticket.number;
    let due = Timestamp(T0).plus(Duration::from_secs(3600));
    for (n, s) in [(&a, "pending auto close+"), (&r, "pending reminder")] {
        let up = TicketUpdate { state: Some(s.into()), pending_until: Some(due), ..Default::default() };
        block(d.engine.update_ticket(&admin(), n, up)).unwrap();
    }
    let rep = block(d.engine.tick(Timestamp(T0))).unwrap();
    assert_eq!((rep.auto_closed, rep.reminders), (0, 0));
    d.clock.advance(Duration::from_secs(3601));
    let rep = block(d.engine.tick(d.engine.now())).unwrap();
    assert_eq!((rep.auto_closed, rep.reminders), (1, 1));
    assert_eq!(block(d.engine.ticket(&admin(), &a)).unwrap().ticket.state, "closed successful");
    assert_eq!(block(d.engine.ticket(&admin(), &r)).unwrap().ticket.state, "pending reminder");
    let rep = block(d.engine.tick(d.engine.now())).unwrap();
    assert_eq!(rep.reminders, 0, "a reminder fires once per due time");
    assert!(d.events().iter().any(|e| matches!(e, Event::ReminderDue { number, .. } if *number == r)));
}

#[test]
fn one_tick_handles_every_due_ticket_once_past_a_batch() {
    // More tickets fall due at once than the tick reads per store round trip (100), and the tick works
    // on a batch's tickets together: each is handled exactly once, and the counts add up.
    let d = desk();
    let due = Timestamp(T0).plus(Duration::from_secs(60));
    let mut numbers = Vec::new();
    for i in 0..250 {
        let n = d.open(&alice(), &format!("Remind {i}"), "Raw").ticket.number;
        let up =
            TicketUpdate { state: Some("pending reminder".into()), pending_until: Some(due), ..Default::default() };
        block(d.engine.update_ticket(&admin(), &n, up)).unwrap();
        numbers.push(n);
    }
    d.clock.advance(Duration::from_secs(61));
    let rep = block(d.engine.tick(d.engine.now())).unwrap();
    assert_eq!((rep.reminders, rep.skipped), (250, 0));
    let fired: Vec<String> = d
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::ReminderDue { number, .. } => Some(number.clone()),
            _ => None,
        })
        .collect();
    let mut sorted = fired.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), fired.len(), "no ticket fired twice");
    numbers.sort();
    assert_eq!(sorted, numbers, "every ticket fired");
    assert_eq!(block(d.engine.tick(d.engine.now())).unwrap().reminders, 0, "once per due time");
}

#[test]
fn idempotency_key_returns_the_first_ticket() {
    let d = desk();
    let mut nt = NewTicket::new("Once", "only once", "Raw");
    nt.idempotency_key = Some("req-1".into());
    let first = block(d.engine.create_ticket(&alice(), nt.clone())).unwrap();
    let again = block(d.engine.create_ticket(&alice(), nt.clone())).unwrap();
    assert_eq!(first.ticket.number, again.ticket.number);
    let other = block(d.engine.create_ticket(&bob(), nt)).unwrap();
    assert_ne!(other.ticket.number, first.ticket.number, "keys are per caller");
    let mut art = NewArticle::reply("once");
    art.idempotency_key = Some("a-1".into());
    let x = block(d.engine.add_article(&alice(), &first.ticket.number, art.clone())).unwrap();
    let y = block(d.engine.add_article(&alice(), &first.ticket.number, art)).unwrap();
    assert_eq!(x.article.id, y.article.id);
    assert!(y.duplicate);
    assert_eq!(block(d.engine.ticket(&alice(), &first.ticket.number)).unwrap().articles.len(), 2);
}

#[test]
fn listings_paginate_and_filter() {
    let d = desk();
    let mut numbers = Vec::new();
    for i in 0..12 {
        d.clock.advance(Duration::from_secs(1));
        let who = if i % 2 == 0 { alice() } else { carol() };
        numbers.push(d.open(&who, &format!("T{i}"), "Raw").ticket.number);
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let p = block(d.engine.list_tickets(&admin(), &TicketFilter::default(), cursor, 5)).unwrap();
        seen.extend(p.items.iter().map(|t| t.number.clone()));
        match p.next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    numbers.reverse();
    assert_eq!(seen, numbers, "newest first, every ticket once");
    let q = TicketFilter { queue: Some("Raw".into()), state_type: Some(StateType::New), ..Default::default() };
    assert_eq!(block(d.engine.list_tickets(&admin(), &q, None, 50)).unwrap().items.len(), 12);
    assert_eq!(block(d.engine.list_tickets(&alice(), &TicketFilter::default(), None, 50)).unwrap().items.len(), 6);
    let mover = Actor::agent("mover");
    assert!(block(d.engine.list_tickets(&mover, &TicketFilter::default(), None, 50)).unwrap().items.is_empty());
}

#[test]
fn admin_rules() {
    let d = desk();
    assert!(matches!(block(d.engine.admin(&Actor::agent("ro_agent"))), Err(Error::PermissionDenied(_))));
    assert!(matches!(block(d.engine.admin(&alice())), Err(Error::PermissionDenied(_))));
    let a = block(d.engine.admin(&admin())).unwrap();
    let e = block(a.put_customer_user(CustomerUser::new("alice2", "ALICE@acme.example", "acme"))).unwrap_err();
    assert!(
        matches!(e, Error::Store(StoreError::Duplicate { kind: DuplicateKind::Address, ref detail }) if detail.contains("alice")),
        "email taken: {e:?}"
    );
    assert!(block(a.put_queue(Queue::new("Q", "nope", FollowUpPolicy::Possible))).is_err());
    assert!(block(a.put_service(Service::new("Nope::Child"))).is_err(), "parent must exist");
    let e = block(a.grant(Grant::group(
        GrantSubject::CustomerUser("alice".into()),
        "users",
        PermissionSet::of(&[Permission::Note]),
    )))
    .unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "customers hold only ro/rw");
    let found = block(a.search(RecordKind::CustomerUser, "GLOBEX", 10)).unwrap();
    assert_eq!(found.len(), 1);
    block(a.put_customer_user(CustomerUser { valid: false, ..CustomerUser::new("bob", "bob@acme.example", "acme") }))
        .unwrap();
    assert!(
        matches!(
            block(d.engine.create_ticket(&bob(), NewTicket::new("x", "y", "Raw"))),
            Err(Error::PermissionDenied(_))
        ),
        "invalid users cannot act"
    );
}

#[test]
fn concurrent_creators_get_unique_numbers() {
    let d = desk();
    let engine = &d.engine;
    let futs: Vec<testkit::BoxFuture<'_, Result<TicketView>>> = (0..300)
        .map(|i| Box::pin(engine.create_ticket(&Actor::System, NewTicket::new(format!("t{i}"), "b", "Raw"))) as _)
        .collect();
    let views = block(testkit::join_all(futs));
    let mut numbers: Vec<String> = views.into_iter().map(|v| v.unwrap().ticket.number).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 300);
}

#[test]
fn another_node_sees_directory_changes_within_the_cache_lifetime() {
    let d = desk();
    let clock = d.clock.clone();
    let other = Engine::builder_arc(d.store.clone()).clock(clock.clone()).build().unwrap();
    let n = d.open(&alice(), "Shared", "Raw").ticket.number;
    assert!(block(other.ticket(&alice(), &n)).is_ok());
    let a = block(d.engine.admin(&admin())).unwrap();
    block(a.revoke(&GrantSubject::DefaultCustomerUsers, &GrantTarget::Group("users".into()))).unwrap();
    assert!(block(d.engine.ticket(&alice(), &n)).is_err(), "this node: at once");
    clock.advance(Duration::from_millis(1001));
    assert!(block(other.ticket(&alice(), &n)).is_err(), "the other node: after the cache lifetime");
}

#[test]
fn default_services_union_or_fallback() {
    let d = desk();
    let a = block(d.engine.admin(&admin())).unwrap();
    block(a.grant(Grant::service(GrantSubject::CustomerUser("alice".into()), "IT::Email"))).unwrap();
    let access = block(d.engine.customer_access("alice")).unwrap();
    assert!(access.has_service("IT") && access.has_service("IT::Email"), "union by default");
    let cfg = EngineConfig { service_defaults: ServiceDefaults::FallbackOnly, ..Default::default() };
    let strict = Engine::builder_arc(d.store.clone()).config(cfg).build().unwrap();
    let access = block(strict.customer_access("alice")).unwrap();
    assert!(!access.has_service("IT") && access.has_service("IT::Email"), "OTRS: defaults only without own services");
    assert!(block(strict.customer_access("bob")).unwrap().has_service("IT"), "bob has none of his own");
}

#[test]
fn search_finds_words_in_titles_and_articles_the_caller_may_see() {
    let d = desk();
    let a = d.open(&alice(), "Printer jams on tray two", "Raw").ticket.number;
    let c = d.open(&carol(), "Printer offline", "Raw").ticket.number;
    block(d.engine.add_article(&carol(), &c, NewArticle::reply("the toner light blinks"))).unwrap();
    let numbers = |who: &Actor, q: &str| -> Vec<String> {
        block(d.engine.search_tickets(who, q, 10)).unwrap().into_iter().map(|t| t.number).collect()
    };
    assert_eq!(numbers(&admin(), "printer"), vec![c.clone(), a.clone()]);
    assert_eq!(numbers(&admin(), "toner blinks"), vec![c.clone()]);
    assert_eq!(numbers(&alice(), "printer"), vec![a.clone()], "customers find only their own");
    assert!(numbers(&alice(), "toner").is_empty());
    // An internal note's words find the ticket for agents, never for the customer.
    block(d.engine.add_article(&admin(), &a, NewArticle::note("refund approved by finance"))).unwrap();
    assert_eq!(numbers(&admin(), "refund"), vec![a.clone()]);
    assert!(numbers(&alice(), "refund").is_empty(), "a customer must not find a ticket by an internal note");
    assert_eq!(numbers(&alice(), "tray printer"), vec![a.clone()]);
    assert!(matches!(block(d.engine.search_tickets(&admin(), "  ", 10)), Err(Error::Validation(_))));
}

/// Every ticket the filter lists for `who`, over all pages.
fn listed(d: &Desk, who: &Actor, filter: &TicketFilter) -> Vec<Ticket> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let p = block(d.engine.list_tickets(who, filter, cursor, 3)).unwrap();
        out.extend(p.items);
        match p.next {
            Some(c) => cursor = Some(c),
            None => return out,
        }
    }
}

#[test]
fn queue_overview_counts_what_the_agent_may_list() {
    let d = desk();
    let mut numbers = Vec::new();
    for i in 0..12 {
        let queue = if i % 4 == 3 { "Closed" } else { "Raw" };
        numbers.push(d.open(&alice(), &format!("T{i}"), queue).ticket.number);
    }
    let sales = d.open(&alice(), "In sales", "Raw").ticket.number;
    let to_sales = TicketUpdate { queue: Some("Sales".into()), ..Default::default() };
    block(d.engine.update_ticket(&Actor::System, &sales, to_sales)).unwrap();
    for (i, n) in numbers.iter().enumerate() {
        let mut u = TicketUpdate::default();
        match i % 3 {
            0 => u.state = Some("open".into()),
            1 => u.state = Some("closed successful".into()),
            _ => {}
        }
        if i % 5 == 0 {
            u.lock = Some(Lock::Lock);
            u.owner = Some("admin".into());
        }
        if i % 2 == 0 {
            u.responsible = Some("ro_agent".into());
        }
        block(d.engine.update_ticket(&admin(), n, u)).unwrap();
    }

    for who in [admin(), Actor::agent("ro_agent"), Actor::System] {
        let o = block(d.engine.queue_overview(&who)).unwrap();
        for q in &o.queues {
            for st in COUNTED_STATE_TYPES {
                let f = TicketFilter { queue: Some(q.queue.clone()), state_type: Some(st), ..Default::default() };
                assert_eq!(q.of(&[st]), listed(&d, &who, &f).len() as u64, "{who:?} {} {st:?}", q.queue);
            }
        }
        let open = [StateType::New, StateType::Open];
        let f = TicketFilter { state_types: open.to_vec(), ..Default::default() };
        assert_eq!(o.total(&open), listed(&d, &who, &f).len() as u64, "{who:?} open tickets");
    }
    let o = block(d.engine.queue_overview(&admin())).unwrap();
    let names: Vec<&str> = o.queues.iter().map(|q| q.queue.as_str()).collect();
    assert!(names.contains(&"Raw") && !names.contains(&"Sales"), "admin has no group sales: {names:?}");
    assert_eq!(o.queue("Raw").unwrap().of(&COUNTED_STATE_TYPES), 9);
    assert_eq!(o.queue("Closed").unwrap().of(&[StateType::Closed]), 1, "T7 only (T3 open, T11 new)");
    assert_eq!(o.locked, 3, "T0, T5, T10");
    let mine = TicketFilter { locked_by: Some("admin".into()), ..Default::default() };
    assert_eq!(listed(&d, &admin(), &mine).len(), 3);
    assert_eq!(o.responsible, 0);
    let ro = block(d.engine.queue_overview(&Actor::agent("ro_agent"))).unwrap();
    assert_eq!(ro.responsible, 6);
    let theirs = TicketFilter { responsible: Some("ro_agent".into()), ..Default::default() };
    assert_eq!(listed(&d, &Actor::agent("ro_agent"), &theirs).len(), 6);
    let system = block(d.engine.queue_overview(&Actor::System)).unwrap();
    assert_eq!(system.queue("Sales").unwrap().of(&[StateType::New]), 1, "the system reads every queue");
    assert!(block(d.engine.queue_overview(&Actor::agent("mover"))).unwrap().queues.is_empty(), "move_into is not ro");
    assert!(matches!(block(d.engine.queue_overview(&alice())), Err(Error::PermissionDenied(_))));
}
