//! Webhooks and the event feed through the engine (issue 24): events written in the commit that makes
//! them, fan-out into one delivery per subscription, per-ticket order across failures, backoff and the
//! retry window, dead letters and replays, `410 Gone`, the SSRF rule, directory events, and the feed's
//! cursor and permission filter.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chamado::webhooks::{WebhookSecret, WebhookTarget};
use chamado::*;
use common::*;
use std::time::Duration;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn subscribe(d: &Desk, url: &str, events: &[EventType]) -> WebhookSubscription {
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        a.put_webhook(WebhookSubscription::new("", url, events.to_vec(), SECRET)).await.unwrap()
    })
}

fn claim(d: &Desk) -> Vec<WebhookChain> {
    block(d.engine.claim_webhook_chains(64)).unwrap()
}

fn delivered() -> WebhookOutcome {
    WebhookOutcome::Delivered { status: 204, latency_ms: 3 }
}

fn failed() -> WebhookOutcome {
    WebhookOutcome::Failed { status: Some(503), error: "busy".into(), latency_ms: 5, retry_after: None }
}

fn types(chain: &WebhookChain) -> Vec<EventType> {
    chain.jobs.iter().map(|j| j.delivery.event().unwrap().event_type).collect()
}

/// Sends every chain; returns the event types delivered, per chain.
fn deliver_all(d: &Desk) -> Vec<Vec<EventType>> {
    let mut out = Vec::new();
    for chain in claim(d) {
        for j in &chain.jobs {
            assert_eq!(block(d.engine.finish_webhook(j, delivered())).unwrap(), WebhookResult::Delivered);
        }
        out.push(types(&chain));
    }
    out
}

#[test]
fn a_new_ticket_logs_its_events_and_fans_out_to_each_subscription_in_order() {
    let d = desk();
    let all = subscribe(&d, "https://hooks.example/all", &EventType::ALL);
    let created_only = subscribe(&d, "https://hooks.example/new", &[EventType::TicketCreated]);
    assert!(all.id.starts_with("wh_") && all.id != created_only.id);
    let before = block(d.engine.latest_event_cursor()).unwrap();
    let t = d.open(&alice(), "Printer broken", "Raw");

    let page = block(d.engine.events(&Actor::System, before, 100)).unwrap();
    let logged: Vec<EventType> = page.events.iter().map(|e| e.event_type).collect();
    assert_eq!(logged, vec![EventType::TicketCreated, EventType::ArticleAdded]);
    assert!(page.events[0].seq < page.events[1].seq);
    assert_eq!(page.next, page.events[1].seq);
    let body: serde_json::Value = serde_json::from_str(&page.events[0].body()).unwrap();
    assert_eq!(body["type"], "ticket.created");
    assert_eq!(body["data"]["version"], 1);
    assert_eq!(body["data"]["ticket"]["number"], t.ticket.number.as_str());
    assert_eq!(body["data"]["actor"], "customer:alice");
    let article: serde_json::Value = serde_json::from_str(&page.events[1].body()).unwrap();
    assert_eq!(article["data"]["article"]["body"], "body text");
    // The log keeps the text once, in the article; the feed and deliveries put it back.
    let stored = block(d.store.events_after(before, 10)).unwrap();
    assert!(!stored[1].data.contains("body text"), "{}", stored[1].data);

    // The commit wrote events only; the delivery loop makes deliveries of them.
    assert_eq!(block(d.engine.webhooks_pending()).unwrap(), 0);
    let mut chains = claim(&d);
    chains.sort_by(|a, b| a.subscription.cmp(&b.subscription));
    assert_eq!(chains.len(), 2);
    let to_all = chains.iter().find(|c| c.subscription == all.id).unwrap();
    assert_eq!(types(to_all), vec![EventType::TicketCreated, EventType::ArticleAdded]);
    let to_new = chains.iter().find(|c| c.subscription == created_only.id).unwrap();
    assert_eq!(types(to_new), vec![EventType::TicketCreated]);
    // The webhook id is the event's: the same for both subscriptions and every retry.
    assert_eq!(to_all.jobs[0].message_id, to_new.jobs[0].message_id);
    assert_eq!(to_all.jobs[0].message_id, page.events[0].id);
    assert_eq!(to_all.jobs[0].secrets, vec![SECRET.to_string()]);
    for c in &chains {
        for j in &c.jobs {
            block(d.engine.finish_webhook(j, delivered())).unwrap();
        }
    }
    assert_eq!(block(d.engine.webhooks_pending()).unwrap(), 0);
    assert!(claim(&d).is_empty());
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let listed = block(a.webhook_deliveries(&all.id, None, 10)).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed[0].id > listed[1].id, "newest first");
    assert!(listed.iter().all(|x| x.status == OutboxStatus::Sent));
    assert_eq!(listed[0].last_attempt().unwrap().status, Some(204));
}

#[test]
fn changes_become_typed_events_and_a_failed_delivery_holds_back_the_ticket_s_later_ones() {
    let d = desk();
    let sub = subscribe(&d, "https://hooks.example/in", &EventType::ALL);
    let t = d.open(&alice(), "Order", "Raw");
    let n = t.ticket.number.clone();
    deliver_all(&d);
    let agent = admin();
    block(d.engine.update_ticket(&agent, &n, TicketUpdate::state("open"))).unwrap();
    block(d.engine.update_ticket(&agent, &n, TicketUpdate { queue: Some("Fresh".into()), ..Default::default() }))
        .unwrap();
    block(d.engine.add_article(&agent, &n, NewArticle::reply("On it."))).unwrap();

    let chains = claim(&d);
    assert_eq!(chains.len(), 1);
    let chain = &chains[0];
    let kinds = types(chain);
    assert_eq!(kinds[0], EventType::StateChanged);
    assert_eq!(kinds[1], EventType::QueueChanged);
    assert!(kinds.contains(&EventType::ArticleAdded));
    let change: serde_json::Value = serde_json::from_str(&chain.jobs[0].body).unwrap();
    assert_eq!(change["data"]["change"]["from"], "new");
    assert_eq!(change["data"]["change"]["to"], "open");

    // The first fails: the chain stops, the rest go back behind it.
    let r = block(d.engine.finish_webhook(&chain.jobs[0], failed())).unwrap();
    let WebhookResult::Retry(at) = r else { panic!("{r:?}") };
    let wait = at.0 - d.clock.now().0;
    assert!((4_000..=6_000).contains(&wait), "first retry after 5 s ±20%: {wait} ms");
    block(d.engine.release_webhooks(&chain.jobs[1..], at)).unwrap();
    assert!(claim(&d).is_empty(), "nothing is due before the retry");
    // A new event of the same ticket waits for the failed one too.
    block(d.engine.update_ticket(&agent, &n, TicketUpdate { title: Some("Order 2".into()), ..Default::default() }))
        .unwrap();
    assert!(claim(&d).is_empty(), "the ticket's new event waits behind the failed one");

    d.clock.advance(Duration::from_secs(7));
    let mut seen = Vec::new();
    for _ in 0..5 {
        for c in claim(&d) {
            assert_eq!(c.subscription, sub.id);
            for j in &c.jobs {
                block(d.engine.finish_webhook(j, delivered())).unwrap();
                seen.push(j.delivery.event().unwrap().event_type);
            }
        }
        d.clock.advance(Duration::from_millis(10));
    }
    assert_eq!(seen.first(), Some(&EventType::StateChanged));
    assert_eq!(seen.last(), Some(&EventType::TitleChanged));
    assert_eq!(seen.len(), kinds.len() + 1);
}

#[test]
fn retries_back_off_until_the_window_ends_then_a_dead_letter_can_be_replayed() {
    let d = desk();
    let sub = subscribe(&d, "https://hooks.example/in", &[EventType::TicketCreated]);
    d.open(&alice(), "Down", "Raw");
    let mut attempts = 0;
    let mut waits = Vec::new();
    let dead = loop {
        let chains = claim(&d);
        if chains.is_empty() {
            d.clock.advance(Duration::from_secs(60));
            continue;
        }
        let job = &chains[0].jobs[0];
        attempts += 1;
        match block(d.engine.finish_webhook(job, failed())).unwrap() {
            WebhookResult::Retry(at) => {
                waits.push(at.0 - d.clock.now().0);
                d.clock.set(at);
            }
            WebhookResult::DeadLetter => break job.delivery.id,
            other => panic!("{other:?}"),
        }
        assert!(attempts < 100);
    };
    // 5 s doubling to the one-hour cap: about 12 hours of doubling, then hourly to 24 hours.
    assert!(waits.windows(2).take(8).all(|w| w[1] > w[0]), "{waits:?}");
    assert!(waits.iter().all(|w| *w <= 3_600_000));
    assert!((25..40).contains(&attempts), "{attempts} attempts in 24 hours");
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let listed = block(a.webhook_deliveries(&sub.id, None, 10)).unwrap();
    assert_eq!(listed[0].status, OutboxStatus::Failed);
    assert_eq!(listed[0].recent_attempts.len(), chamado::webhooks::KEPT_ATTEMPTS);
    assert!(claim(&d).is_empty());

    let replayed = block(a.replay_webhook_delivery(&sub.id, dead)).unwrap();
    assert_eq!((replayed.status, replayed.attempts, replayed.replays), (OutboxStatus::Pending, 0, 1));
    let chains = claim(&d);
    assert_eq!(chains[0].jobs[0].delivery.id, dead);
    block(d.engine.finish_webhook(&chains[0].jobs[0], delivered())).unwrap();
    // A range replay sends everything of the range again, once.
    let from = Timestamp(T0);
    let to = d.clock.now().plus(Duration::from_secs(1));
    assert_eq!(block(a.replay_webhooks(&sub.id, from, to, false)).unwrap(), 1);
    assert_eq!(block(a.replay_webhooks(&sub.id, from, to, false)).unwrap(), 0, "already waiting");
    assert_eq!(block(a.replay_webhooks(&sub.id, from, to, true)).unwrap(), 0);
}

#[test]
fn gone_disables_the_subscription_and_dead_letters_what_is_queued_for_it() {
    let d = desk();
    let sub = subscribe(&d, "https://hooks.example/in", &EventType::ALL);
    d.open(&alice(), "One", "Raw");
    let chains = claim(&d);
    let first = &chains[0].jobs[0];
    let r = block(d.engine.finish_webhook(first, WebhookOutcome::Gone { latency_ms: 2 })).unwrap();
    assert_eq!(r, WebhookResult::Disabled);
    block(d.engine.release_webhooks(&chains[0].jobs[1..], d.clock.now())).unwrap();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let s = block(a.webhook(&sub.id)).unwrap();
    assert!(!s.enabled);
    assert!(s.disabled_reason.as_deref().unwrap().contains("410"));
    assert!(claim(&d).is_empty());
    assert!(block(a.webhook_deliveries(&sub.id, None, 10)).unwrap().iter().all(|x| x.status == OutboxStatus::Failed));
    // Disabled: new tickets queue nothing for it.
    d.open(&alice(), "Two", "Raw");
    assert!(claim(&d).is_empty(), "nothing is made for a disabled subscription");
    assert_eq!(block(d.engine.webhooks_pending()).unwrap(), 0);
    // Enabled again, the dead letters can be replayed.
    block(a.put_webhook(WebhookSubscription { enabled: true, ..s })).unwrap();
    assert_eq!(
        block(a.replay_webhooks(&sub.id, Timestamp(0), d.clock.now().plus(Duration::from_secs(1)), true)).unwrap(),
        2
    );
    assert_eq!(deliver_all(&d).concat().len(), 2);
}

#[test]
fn private_targets_are_refused_unless_allowed() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    for url in
        ["http://127.0.0.1:9/x", "http://localhost/x", "http://10.0.0.8/x", "http://[::1]/x", "http://169.254.169.254/"]
    {
        let err = block(a.put_webhook(WebhookSubscription::new("", url, vec![EventType::TicketCreated], SECRET)))
            .unwrap_err();
        assert!(matches!(err, Error::Validation(_)), "{url}: {err:?}");
    }
    let mut config = EngineConfig::default();
    config.webhooks.allow_private_targets = true;
    let open = desk_with(config);
    let a = block(open.engine.admin(&Actor::System)).unwrap();
    block(a.put_webhook(WebhookSubscription::new("", "http://127.0.0.1:9/x", vec![EventType::TicketCreated], SECRET)))
        .unwrap();
    assert!(WebhookTarget::parse("http://127.0.0.1:9/x").unwrap().check(false).is_err());
}

#[test]
fn subscriptions_are_validated_and_only_admins_manage_them() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let mut s = WebhookSubscription::new("", "https://hooks.example/in", vec![EventType::TicketCreated], SECRET);
    s.queues = vec!["Nowhere".into()];
    assert!(matches!(block(a.put_webhook(s.clone())).unwrap_err(), Error::NotFound(_)));
    s.queues = vec!["Sales".into()];
    s.secrets.push(WebhookSecret { secret: "whsec_bad".into(), created_at: Timestamp(0), expires_at: None });
    assert!(matches!(block(a.put_webhook(s.clone())).unwrap_err(), Error::Validation(_)));
    s.secrets.pop();
    let stored = block(a.put_webhook(s)).unwrap();
    assert_eq!(stored.created_at, Timestamp(T0));
    assert_eq!(stored.secrets[0].created_at, Timestamp(T0));
    assert!(block(d.engine.admin(&Actor::agent("ro_agent"))).is_err());
    block(a.delete_webhook(&stored.id)).unwrap();
    assert!(matches!(block(a.webhook(&stored.id)).unwrap_err(), Error::NotFound(_)));
}

#[test]
fn queue_filters_pick_tickets_and_deleted_subscriptions_dead_letter() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let mut s =
        WebhookSubscription::new("sales-hook", "https://hooks.example/sales", vec![EventType::TicketCreated], SECRET);
    s.queues = vec!["Sales".into()];
    block(a.put_webhook(s)).unwrap();
    d.open(&alice(), "Raw one", "Raw");
    assert!(claim(&d).is_empty(), "a Raw ticket is not for the Sales hook");
    d.open(&Actor::System, "Sales one", "Sales");
    let chains = claim(&d);
    assert_eq!(chains.len(), 1);
    assert_eq!(chains[0].subscription, "sales-hook");
    block(d.engine.release_webhooks(&chains[0].jobs, d.clock.now())).unwrap();
    block(a.delete_webhook("sales-hook")).unwrap();
    assert!(claim(&d).is_empty());
    assert_eq!(block(d.engine.webhooks_pending()).unwrap(), 0, "a deleted subscription's queue is dead-lettered");
}

#[test]
fn customers_and_customer_users_are_directory_events_for_admins() {
    let d = desk();
    let sub = subscribe(&d, "https://hooks.example/crm", &[EventType::CustomerChanged, EventType::CustomerUserChanged]);
    let cursor = block(d.engine.latest_event_cursor()).unwrap();
    let a = block(d.engine.admin(&admin())).unwrap();
    block(a.put_customer(Customer::new("initech", "Initech"))).unwrap();
    let mut u = CustomerUser::new("peter", "peter@initech.example", "initech");
    u.password_hash = Some("$argon2id$secret".into());
    block(a.put_customer_user(u)).unwrap();
    // The record and its event are one commit.
    assert!(block(d.engine.customer_user("peter")).unwrap().is_some());
    let page = block(d.engine.events(&admin(), cursor, 10)).unwrap();
    let kinds: Vec<_> = page.events.iter().map(|e| e.event_type).collect();
    assert_eq!(kinds, vec![EventType::CustomerChanged, EventType::CustomerUserChanged]);
    assert!(!page.events[1].data.contains("argon2"), "never the password hash");
    assert!(page.events[1].data.contains("\"actor\":\"agent:admin\""));
    let chains = claim(&d);
    assert_eq!(chains.iter().map(|c| c.jobs.len()).sum::<usize>(), 2);
    assert!(chains.iter().all(|c| c.subscription == sub.id));
    // Agents who are not admins see no directory events.
    let seen = block(d.engine.events(&Actor::agent("ro_agent"), cursor, 10)).unwrap();
    assert!(seen.events.is_empty());
    assert_eq!(seen.next, page.next, "the cursor moves past what the caller may not see");
}

#[test]
fn the_feed_resumes_from_a_cursor_and_shows_each_agent_only_their_queues() {
    let d = desk();
    let start = block(d.engine.latest_event_cursor()).unwrap();
    let raw = d.open(&alice(), "In Raw", "Raw");
    let sales = d.open(&Actor::System, "In Sales", "Sales");
    let all = block(d.engine.events(&admin(), start, 100)).unwrap();
    assert_eq!(all.events.len(), 4);
    // Paging: two at a time, resumed from `next`, gives the same events in the same order.
    let mut cursor = start;
    let mut paged = Vec::new();
    loop {
        let page = block(d.engine.events(&admin(), cursor, 2)).unwrap();
        if page.events.is_empty() {
            break;
        }
        cursor = page.next;
        paged.extend(page.events);
    }
    assert_eq!(paged, all.events);
    // ro_agent holds ro on group users (queue Raw), nothing on sales.
    let mine = block(d.engine.events(&Actor::agent("ro_agent"), start, 100)).unwrap();
    let numbers: Vec<String> = mine
        .events
        .iter()
        .map(|e| {
            serde_json::from_str::<serde_json::Value>(&e.data).unwrap()["ticket"]["number"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(numbers, vec![raw.ticket.number.clone(), raw.ticket.number.clone()]);
    assert!(!numbers.contains(&sales.ticket.number));
    assert!(matches!(block(d.engine.events(&alice(), start, 10)).unwrap_err(), Error::PermissionDenied(_)));
    // Nothing new: an empty page that keeps the cursor.
    let idle = block(d.engine.events(&admin(), all.next, 10)).unwrap();
    assert!(idle.events.is_empty());
    assert_eq!(idle.next, all.next);
}

#[test]
fn a_merge_is_one_event_per_ticket_and_no_article_events() {
    let d = desk();
    let source = d.open(&alice(), "Dup", "Raw");
    let target = d.open(&alice(), "Main", "Raw");
    let cursor = block(d.engine.latest_event_cursor()).unwrap();
    block(d.engine.merge(&admin(), &source.ticket.number, &target.ticket.number)).unwrap();
    let page = block(d.engine.events(&admin(), cursor, 100)).unwrap();
    let merges: Vec<serde_json::Value> = page
        .events
        .iter()
        .filter(|e| e.event_type == EventType::Merged)
        .map(|e| serde_json::from_str(&e.data).unwrap())
        .collect();
    assert_eq!(merges.len(), 2);
    for m in &merges {
        assert_eq!(m["merge"]["source"], source.ticket.number.as_str());
        assert_eq!(m["merge"]["target"], target.ticket.number.as_str());
    }
    assert!(page.events.iter().all(|e| e.event_type != EventType::ArticleAdded));
}

#[test]
fn old_events_and_finished_deliveries_are_pruned_by_the_tick() {
    let d = desk();
    subscribe(&d, "https://hooks.example/in", &[EventType::TicketCreated]);
    d.open(&alice(), "Old", "Raw");
    deliver_all(&d);
    d.clock.advance(Duration::from_secs(8 * 86_400));
    let report = block(d.engine.tick(d.clock.now())).unwrap();
    assert!(report.pruned_events >= 2, "{report:?}");
    assert_eq!(report.pruned_deliveries, 0, "deliveries are kept 30 days");
    let last = block(d.engine.latest_event_cursor()).unwrap();
    assert!(last > 0, "the cursor never goes back");
    d.clock.advance(Duration::from_secs(30 * 86_400));
    let report = block(d.engine.tick(d.clock.now())).unwrap();
    assert_eq!(report.pruned_deliveries, 1);
}

#[test]
fn mail_intake_opens_and_follows_up_with_events() {
    let d = desk();
    let cursor = block(d.engine.latest_event_cursor()).unwrap();
    let first =
        block(d.engine.intake(email("alice@acme.example", "VPN down", "It is down.", "<m1@acme.example>"))).unwrap();
    let IntakeOutcome::NewTicket { ticket, .. } = first else { panic!("{first:?}") };
    let number = ticket.number;
    let reply =
        email("alice@acme.example", &format!("Re: [Ticket#{number}] VPN down"), "Still down.", "<m2@acme.example>");
    block(d.engine.intake(reply)).unwrap();
    let page = block(d.engine.events(&Actor::System, cursor, 100)).unwrap();
    let kinds: Vec<_> = page.events.iter().map(|e| e.event_type).collect();
    assert_eq!(kinds[..2], [EventType::TicketCreated, EventType::ArticleAdded]);
    assert!(kinds[2..].contains(&EventType::ArticleAdded), "{kinds:?}");
    let last: serde_json::Value = serde_json::from_str(&page.events.last().unwrap().data).unwrap();
    let follow_up = page
        .events
        .iter()
        .rev()
        .find(|e| e.event_type == EventType::ArticleAdded)
        .map(|e| serde_json::from_str::<serde_json::Value>(&e.data).unwrap())
        .unwrap();
    assert_eq!(follow_up["article"]["message_id"], "<m2@acme.example>");
    assert_eq!(last["ticket"]["number"], number.as_str());
}

#[test]
fn escalation_warnings_and_breaches_are_events_of_the_tick() {
    let d = desk();
    let sub =
        subscribe(&d, "https://hooks.example/oncall", &[EventType::EscalationWarning, EventType::EscalationBreach]);
    block(async {
        let a = d.engine.admin(&Actor::System).await.unwrap();
        let mut q = d.engine.queue("Raw").await.unwrap();
        q.escalation = chamado::directory::QueueEscalation {
            calendar: None,
            targets: chamado::directory::EscalationTargets {
                first_response_minutes: 10,
                update_minutes: 0,
                solution_minutes: 0,
                ..Default::default()
            },
        };
        a.put_queue(q).await.unwrap();
    });
    let t = d.open(&alice(), "Urgent", "Raw");
    assert!(claim(&d).is_empty(), "opening is not an escalation event");
    d.clock.advance(Duration::from_secs(9 * 60));
    block(d.engine.tick(d.clock.now())).unwrap();
    d.clock.advance(Duration::from_secs(2 * 60));
    block(d.engine.tick(d.clock.now())).unwrap();
    let chains = claim(&d);
    assert_eq!(chains.len(), 1);
    assert_eq!(chains[0].subscription, sub.id);
    assert_eq!(types(&chains[0]), vec![EventType::EscalationWarning, EventType::EscalationBreach]);
    let body: serde_json::Value = serde_json::from_str(&chains[0].jobs[1].body).unwrap();
    assert_eq!(body["data"]["escalation"]["clock"], "first_response");
    assert_eq!(body["data"]["ticket"]["number"], t.ticket.number.as_str());
    assert_eq!(body["data"]["actor"], "system");
}

#[test]
fn a_ticket_s_deliveries_claimed_in_two_rounds_of_one_call_form_one_chain() {
    let d = desk();
    subscribe(&d, "https://hooks.example/in", &EventType::ALL);
    let t = d.open(&alice(), "Two rounds", "Raw");
    // The first call makes and claims the ticket's first deliveries; they are given back unsent.
    let first = claim(&d);
    block(d.engine.release_webhooks(&first[0].jobs, d.clock.now())).unwrap();
    block(d.engine.update_ticket(&admin(), &t.ticket.number, TicketUpdate::state("open"))).unwrap();
    d.clock.advance(Duration::from_millis(10));
    // One call: round one claims the released deliveries, round two makes the state change's delivery
    // from the log: all in one chain, in order.
    let chains = claim(&d);
    assert_eq!(chains.len(), 1, "{chains:?}");
    assert_eq!(types(&chains[0]), vec![EventType::TicketCreated, EventType::ArticleAdded, EventType::StateChanged]);
}
