//! The console's SLAs over HTTP: admins write calendars, SLAs and a queue's fallback escalation through
//! the forms (what the engine refuses shows next to the form, which keeps what was typed); the queue view
//! shows the working time left and sorts and filters by it, the zoom shows the three clocks, the
//! Customer action changes a ticket's SLA (refused without rw), the report page shows the figures;
//! Portuguese pages speak Portuguese.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::http::StatusCode;
use chamado::directory::{EscalationTargets, WeeklyHours};
use chamado::{Actor, Calendar, NewArticle, Sla, StateType, TicketUpdate, Timestamp};
use chamado_i18n::{Language, TimeZoneName, Tr};
use common::{ADMIN_TOKEN, Harness};
use console_support::{Console, location, login, set_password};
use serde_json::json;
use std::time::Duration;

/// The error notice next to a form.
fn form_error(html: &str) -> &str {
    let marker = "id=\"form-error\">";
    let start = html.find(marker).map_or(html.len(), |i| i + marker.len());
    html[start..].split("</p>").next().unwrap_or("")
}

/// The text of the element with `id`, up to its closing tag `end`.
fn by_id<'a>(html: &'a str, id: &str, end: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {id} in {html}"));
    html[start..].split(end).next().unwrap_or("")
}

/// Posts `fields`, asserting the redirect to `to`.
async fn saved(c: &Console<'_>, path: &str, fields: &[(&str, &str)], to: &str) {
    let r = c.post(path, fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.text);
    assert_eq!(location(&r), to, "{path}");
}

/// The calendar form's fields: Monday to Friday `hours`, the rest as given in `more`.
fn calendar_fields<'a>(hours: &'a str, more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("time_zone", "America/Sao_Paulo"),
        ("hours_mon", hours),
        ("hours_tue", hours),
        ("hours_wed", hours),
        ("hours_thu", hours),
        ("hours_fri", hours),
        ("hours_sat", ""),
        ("hours_sun", ""),
        ("holidays", "12-25\r\n2026-12-24\r\n"),
        ("comment", "São Paulo office"),
        ("valid", "1"),
    ];
    for (k, v) in more {
        match f.iter_mut().find(|(key, _)| key == k) {
            Some(slot) => slot.1 = v,
            None => f.push((k, v)),
        }
    }
    f
}

/// The queue form of `Raw` as its page holds it, with `more` changed.
fn queue_fields<'a>(more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![("group", "users"), ("follow_up", "possible"), ("comment", ""), ("valid", "1")];
    f.extend_from_slice(more);
    f
}

#[tokio::test]
async fn admin_writes_calendars_slas_and_queue_targets_through_the_forms() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    h.admin("POST", "/api/v1/services", Some(json!({"name": "VPN"}))).await;
    h.admin("POST", "/api/v1/services", Some(json!({"name": "Mail"}))).await;
    let admin = login(&h, "admin", "pw-admin").await;
    let r = admin.get("/admin").await;
    for (href, label) in [("/admin/calendars", "Calendars"), ("/admin/slas", "SLAs")] {
        assert!(r.text.contains(&format!("href=\"/admin/{}\">{label}</a>", &href[7..])), "menu: {href}: {}", r.text);
    }

    // Calendars: the add form starts with office hours; a calendar is typed as people say it.
    let r = admin.get("/admin/calendars").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("No calendar yet.") && r.text.contains("value=\"09:00-17:00\""), "{}", r.text);
    let mut add = calendar_fields("09:00-12:00, 13:00-18:00", &[("name", "Office")]);
    saved(&admin, "/admin/calendars", &add, "/admin/calendars/Office?done=saved").await;
    let c = h.engine.calendars().await.unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!((c[0].time_zone.as_str(), c[0].hours.mon.len(), c[0].hours.sat.len()), ("America/Sao_Paulo", 2, 0));
    assert_eq!(c[0].holidays.iter().map(ToString::to_string).collect::<Vec<_>>(), ["12-25", "2026-12-24"]);
    let r = admin.get("/admin/calendars").await;
    assert!(r.text.contains("href=\"/admin/calendars/Office\"") && r.text.contains("40 h a week"), "{}", r.text);
    assert!(r.text.contains("São Paulo office"), "{}", r.text);
    let r = admin.get("/admin/calendars/Office?done=saved").await;
    assert!(r.text.contains("Saved.") && r.text.contains("value=\"09:00-12:00, 13:00-18:00\""), "{}", r.text);
    assert!(r.text.contains("12-25\n2026-12-24</textarea>"), "{}", r.text);

    // Refusals show next to the form, which keeps what was typed.
    add = calendar_fields("9 to 5", &[("name", "Night")]);
    let r = admin.post("/admin/calendars", &add).await;
    assert!(r.status.is_client_error(), "{}", r.text);
    assert!(form_error(&r.text).contains("Monday") && form_error(&r.text).contains("9 to 5"), "{}", r.text);
    assert!(r.text.contains("name=\"name\" required value=\"Night\""), "the form keeps the name: {}", r.text);
    let r = admin
        .post("/admin/calendars", &calendar_fields("09:00-17:00", &[("name", "Mars"), ("time_zone", "Mars/Olympus")]))
        .await;
    assert!(r.status.is_client_error() && form_error(&r.text).contains("Mars/Olympus"), "{}", r.text);
    let r = admin
        .post("/admin/calendars", &calendar_fields("09:00-17:00", &[("name", "X"), ("holidays", "christmas")]))
        .await;
    assert!(r.status.is_client_error() && form_error(&r.text).contains("christmas"), "{}", r.text);
    let r = admin.post("/admin/calendars", &calendar_fields("", &[("name", "Empty")])).await;
    assert!(r.status.is_client_error() && form_error(&r.text).contains("at least one day"), "{}", r.text);
    let r = admin.post("/admin/calendars", &calendar_fields("09:00-17:00", &[("name", "Office")])).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "the name is taken: {}", r.text);
    assert_eq!(h.engine.calendars().await.unwrap().len(), 1);

    // Edit: Saturday mornings; hours that end before they start are refused naming the day.
    let edit = calendar_fields("09:00-12:00, 13:00-18:00", &[("hours_sat", "10:00-14:00"), ("name", "Renamed")]);
    saved(&admin, "/admin/calendars/Office", &edit, "/admin/calendars/Office?done=saved").await;
    let c = &h.engine.calendars().await.unwrap()[0];
    assert_eq!((c.name.as_str(), c.hours.sat.len()), ("Office", 1), "the name stays");
    let r = admin.post("/admin/calendars/Office", &calendar_fields("18:00-09:00", &[])).await;
    assert!(r.status.is_client_error(), "{}", r.text);
    assert!(form_error(&r.text).contains("18:00-09:00"), "{}", r.text);
    assert!(r.text.contains("value=\"18:00-09:00\""), "kept: {}", r.text);
    assert_eq!(h.engine.calendars().await.unwrap()[0].hours.mon.len(), 2, "unchanged");

    // SLAs: the calendar and the services to choose from; pausing in the pending types by default.
    let r = admin.get("/admin/slas").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("No SLA yet.") && r.text.contains("<option value=\"Office\" selected>"), "{}", r.text);
    assert!(r.text.contains("<option value=\"VPN\">") && r.text.contains("<option value=\"Mail\">"), "{}", r.text);
    assert!(r.text.contains("name=\"pause_in\" value=\"pending_reminder\" checked"), "{}", r.text);
    assert!(r.text.contains("name=\"pause_in\" value=\"open\">"), "{}", r.text);
    let gold = [
        ("name", "Gold"),
        ("calendar", "Office"),
        ("first_response_minutes", "60"),
        ("update_minutes", "120"),
        ("solution_minutes", "480"),
        ("notify_before_percent", "75"),
        ("pause_in", "pending_reminder"),
        ("service", "VPN"),
        ("comment", "24x5"),
        ("valid", "1"),
    ];
    saved(&admin, "/admin/slas", &gold, "/admin/slas/Gold?done=saved").await;
    let s = &h.engine.slas().await.unwrap()[0];
    assert_eq!((s.calendar.as_str(), s.services.clone()), ("Office", vec!["VPN".to_string()]));
    let t = &s.targets;
    assert_eq!((t.first_response_minutes, t.update_minutes, t.solution_minutes), (60, 120, 480));
    assert_eq!((t.notify_before_percent, t.pause_in.clone()), (75, vec![StateType::PendingReminder]));
    let r = admin.get("/admin/slas").await;
    assert!(r.text.contains("href=\"/admin/slas/Gold\"") && r.text.contains(">480</td>"), "{}", r.text);
    let r = admin.get("/admin/slas/Gold").await;
    assert!(r.text.contains("<option value=\"VPN\" selected>") && r.text.contains("value=\"75\""), "{}", r.text);

    let typo = [("name", "Silver"), ("calendar", "Office"), ("first_response_minutes", "an hour")];
    let r = admin.post("/admin/slas", &typo).await;
    assert!(r.status.is_client_error(), "{}", r.text);
    assert!(form_error(&r.text).contains("first response") && form_error(&r.text).contains("an hour"), "{}", r.text);
    assert!(r.text.contains("value=\"an hour\""), "kept: {}", r.text);
    let r = admin.post("/admin/slas", &[("name", "Silver"), ("calendar", "Nowhere")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(form_error(&r.text).contains("Nowhere"), "{}", r.text);
    let r = admin
        .post("/admin/slas", &[("name", "Silver"), ("calendar", "Office"), ("notify_before_percent", "150")])
        .await;
    assert!(r.status.is_client_error() && form_error(&r.text).contains("150"), "{}", r.text);
    let r = admin.post("/admin/slas", &[("name", "Gold"), ("calendar", "Office")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    // Edit: another service, made invalid (the unticked box).
    let edit = [("calendar", "Office"), ("first_response_minutes", "30"), ("service", "Mail"), ("pause_in", "open")];
    saved(&admin, "/admin/slas/Gold", &edit, "/admin/slas/Gold?done=saved").await;
    let s = &h.engine.slas().await.unwrap()[0];
    assert_eq!((s.targets.first_response_minutes, s.valid, s.services.clone()), (30, false, vec!["Mail".to_string()]));
    assert_eq!(s.targets.pause_in, vec![StateType::Open]);
    assert_eq!(admin.get("/admin/slas/Nope").await.status, StatusCode::NOT_FOUND);

    // A queue's fallback escalation: calendar and targets for tickets without an SLA.
    let r = admin.get("/admin/queues/Raw").await;
    assert!(r.text.contains("name=\"esc_calendar\"") && r.text.contains("<option value=\"Office\">"), "{}", r.text);
    let fields = queue_fields(&[
        ("esc_calendar", "Office"),
        ("esc_first_response_minutes", "45"),
        ("esc_update_minutes", ""),
        ("esc_solution_minutes", "600"),
        ("esc_notify_before_percent", "90"),
    ]);
    saved(&admin, "/admin/queues/Raw", &fields, "/admin/queues/Raw?done=saved").await;
    let q = h.engine.queue("Raw").await.unwrap();
    assert_eq!(q.escalation.calendar.as_deref(), Some("Office"));
    let t = &q.escalation.targets;
    assert_eq!(
        (t.first_response_minutes, t.update_minutes, t.solution_minutes, t.notify_before_percent),
        (45, 0, 600, 90)
    );
    let r = admin.get("/admin/queues/Raw").await;
    assert!(r.text.contains("<option value=\"Office\" selected>") && r.text.contains("value=\"600\""), "{}", r.text);
    let r = admin.post("/admin/queues/Raw", &queue_fields(&[("esc_solution_minutes", "soon")])).await;
    assert!(r.status.is_client_error() && r.text.contains("soon"), "{}", r.text);

    // Only admins.
    h.agent("ana", json!({"users": ["rw"]})).await;
    set_password(&h.engine, "ana", "pw-ana").await;
    let ana = login(&h, "ana", "pw-ana").await;
    assert_eq!(ana.get("/admin/calendars").await.status, StatusCode::FORBIDDEN);
    assert_eq!(ana.post("/admin/slas", &gold).await.status, StatusCode::FORBIDDEN);
}

/// Position of `needle` in `html`, failing when absent.
fn at(html: &str, needle: &str) -> usize {
    html.find(needle).unwrap_or_else(|| panic!("{needle} missing in {html}"))
}

#[tokio::test]
async fn the_console_shows_and_changes_the_clocks_and_reports_them() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.admin("POST", "/api/v1/services", Some(json!({"name": "VPN"}))).await;
    h.admin("PUT", "/api/v1/customer-users/alice/services/VPN", None).await;
    h.agent("rob", json!({"users": ["ro"]})).await;
    set_password(&h.engine, "rob", "pw-rob").await;
    h.agent("pia", json!({"users": ["rw"]})).await;
    set_password(&h.engine, "pia", "pw-pia").await;
    let system = h.engine.admin(&Actor::System).await.unwrap();
    let mut pia = h.engine.agent("pia").await.unwrap().unwrap();
    pia.language = Some("pt-BR".into());
    pia.time_zone = Some("America/Sao_Paulo".into());
    system.put_agent(pia).await.unwrap();
    // Every minute counts, so that the times below are plain arithmetic.
    let always = Calendar { name: "Always".into(), hours: WeeklyHours::always(), ..Calendar::default() };
    system.put_calendar(always).await.unwrap();
    let targets =
        EscalationTargets { first_response_minutes: 60, solution_minutes: 480, ..EscalationTargets::default() };
    let gold =
        Sla { name: "Gold".into(), calendar: "Always".into(), targets, services: vec!["VPN".into()], ..Sla::default() };
    system.put_sla(gold).await.unwrap();
    let mut raw = h.engine.queue("Raw").await.unwrap();
    raw.escalation.targets.first_response_minutes = 30;
    system.put_queue(raw).await.unwrap();

    let admin = login(&h, "admin", "pw-admin").await;
    let t0 = h.engine.now();
    let ticket = json!({"title": "vpn down", "body": "no vpn", "queue": "Raw", "customer_user": "alice"});
    let one = h.open(ADMIN_TOKEN, ticket.clone()).await;
    h.clock.advance(Duration::from_secs(10 * 60));
    let two = h.open(ADMIN_TOKEN, json!({"title": "printer", "body": "jammed", "queue": "Raw"})).await;

    // The Customer action: the SLAs of the service chosen, then the change.
    let r = admin.get(&format!("/agent/tickets/{one}")).await;
    assert!(
        r.text.contains("id=\"act-customer\"") && r.text.contains("name=\"customer_user\" value=\"alice\""),
        "{}",
        r.text
    );
    assert!(r.text.contains("<option value=\"VPN\">VPN</option>"), "alice's services: {}", r.text);
    assert!(!r.text.contains("<option value=\"Gold\""), "no service, no SLA: {}", r.text);
    let r = admin.get(&format!("/agent/tickets/{one}?service=VPN")).await;
    assert!(
        r.text.contains("id=\"act-customer\" open") && r.text.contains("<option value=\"Gold\">Gold</option>"),
        "{}",
        r.text
    );
    assert!(r.text.contains("<input type=\"hidden\" name=\"service\" value=\"VPN\">"), "{}", r.text);
    h.clock.advance(Duration::from_secs(10 * 60));
    let path = format!("/agent/tickets/{one}/customer");
    let change = [("customer_user", "alice"), ("service", "VPN"), ("sla", "Gold")];
    let r = admin.post_without_csrf(&path, &change).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "CSRF-protected: {}", r.text);
    saved(&admin, &path, &change, &format!("/agent/tickets/{one}?done=customer")).await;
    let t = h.engine.ticket(&Actor::System, &one).await.unwrap().ticket;
    assert_eq!((t.service.as_deref(), t.sla.as_deref()), (Some("VPN"), Some("Gold")));
    // What the engine refuses is said in the agent's language.
    let r = admin.post(&path, &[("customer_user", "alice"), ("service", "VPN"), ("sla", "Nope")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(r.text.contains("SLA &#34;Nope&#34; not found"), "{}", r.text);
    // An agent who may only read sees no form and is refused.
    let rob = login(&h, "rob", "pw-rob").await;
    let r = rob.get(&format!("/agent/tickets/{one}")).await;
    assert!(r.status == StatusCode::OK && !r.text.contains("act-customer"), "{}", r.text);
    let r = rob.post(&path, &[("customer_user", "alice"), ("service", "VPN"), ("sla", "")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(h.engine.ticket(&Actor::System, &one).await.unwrap().ticket.sla.as_deref(), Some("Gold"));

    // 20 minutes in: one (Gold, 60 min) has 40 left, two (the queue's 30 min, opened at 10) has 20.
    let r = admin.get(&format!("/agent/tickets/{one}?done=customer")).await;
    assert!(r.text.contains("The customer, service and SLA were saved."), "{}", r.text);
    assert!(by_id(&r.text, "ticket-sla", "</dd>").contains("Gold"), "{}", r.text);
    let clocks = by_id(&r.text, "escalation", "</div>");
    assert!(clocks.contains("Gold") && clocks.contains("Always"), "{clocks}");
    let first = by_id(&r.text, "clock-first_response", "</dd>");
    assert!(first.contains("40 min left") && first.contains("due "), "{first}");
    assert!(by_id(&r.text, "clock-solution", "</dd>").contains("7 h 40 min left"), "{clocks}");
    assert!(!clocks.contains("clock-update"), "no update target: {clocks}");
    let r = admin.get(&format!("/agent/tickets/{two}")).await;
    let clocks = by_id(&r.text, "escalation", "</div>");
    assert!(clocks.contains("the queue&#39;s targets") && clocks.contains("around the clock (UTC)"), "{clocks}");
    assert!(by_id(&r.text, "clock-first_response", "</dd>").contains("20 min left"), "{clocks}");

    let r = admin.get("/agent").await;
    assert!(r.text.contains("id=\"col-left\"") && r.text.contains("Time left"), "{}", r.text);
    assert!(r.text.contains(">40 min</span>") && r.text.contains(">20 min</span>"), "{}", r.text);
    assert!(at(&r.text, &format!(">{one}</a>")) < at(&r.text, &format!(">{two}</a>")), "oldest first");
    let r = admin.get("/agent?state=open&sort=left").await;
    assert!(r.text.contains("Sorted by working time left."), "{}", r.text);
    assert!(at(&r.text, &format!(">{two}</a>")) < at(&r.text, &format!(">{one}</a>")), "least left first");

    // 45 minutes in, after the tick: two is overdue and escalated, one not yet at risk (warns at 48).
    h.clock.set(Timestamp::from_unix_seconds(t0.as_unix_seconds() + 45 * 60));
    h.engine.tick(h.engine.now()).await.unwrap();
    let r = admin.get("/agent?flag=escalated").await;
    assert!(r.text.contains("Only escalated tickets"), "{}", r.text);
    assert!(r.text.contains(&format!(">{two}</a>")) && !r.text.contains(&format!(">{one}</a>")), "{}", r.text);
    assert!(r.text.contains("<span class=\"overdue\">overdue by 5 min</span>"), "{}", r.text);
    let r = admin.get("/agent?flag=at_risk").await;
    assert!(r.text.contains("No tickets here."), "{}", r.text);
    let r = admin.get(&format!("/agent/tickets/{two}")).await;
    assert!(r.text.contains("id=\"escalated\"") && r.text.contains("overdue by 5 min"), "{}", r.text);
    h.clock.set(Timestamp::from_unix_seconds(t0.as_unix_seconds() + 50 * 60));
    h.engine.tick(h.engine.now()).await.unwrap();
    let r = admin.get("/agent?flag=at_risk").await;
    assert!(r.text.contains(&format!(">{one}</a>")) && !r.text.contains(&format!(">{two}</a>")), "{}", r.text);
    let r = admin.get(&format!("/agent/tickets/{one}")).await;
    assert!(r.text.contains("id=\"at-risk\""), "{}", r.text);

    // Portuguese: the clocks in the agent's words and time zone.
    let pia = login(&h, "pia", "pw-pia").await;
    let r = pia.get(&format!("/agent/tickets/{one}")).await;
    assert!(r.text.contains("<html lang=\"pt-BR\">") && r.text.contains("Escalonamento"), "{}", r.text);
    let first = by_id(&r.text, "clock-first_response", "</dd>");
    let pt =
        Tr::new(Language::parse("pt-BR").unwrap()).with_time_zone(TimeZoneName::parse("America/Sao_Paulo").unwrap());
    let due = pt.datetime(t0.as_unix_seconds() + 60 * 60);
    assert!(r.text.contains("Tempo de Primeira Resposta") && first.contains(&format!("vence {due}")), "{first}");
    assert!(first.contains("faltam 10 min"), "{first}");
    let r = pia.post(&path, &[("customer_user", "alice"), ("service", "VPN"), ("sla", "Nope")]).await;
    assert!(r.text.contains("SLA &#34;Nope&#34; não encontrado"), "{}", r.text);

    // Pending pauses one's clocks; the answers finish the first response clocks, met and missed.
    let later = Timestamp::from_unix_seconds(t0.as_unix_seconds() + 86_400);
    let pending = TicketUpdate { pending_until: Some(later), ..TicketUpdate::state("pending reminder") };
    h.engine.update_ticket(&Actor::Agent("admin".into()), &one, pending).await.unwrap();
    let r = admin.get("/agent?state=pending").await;
    assert!(r.text.contains("<span class=\"paused\">paused</span>"), "{}", r.text);
    h.engine.add_article(&Actor::Agent("admin".into()), &one, NewArticle::reply("on it")).await.unwrap();
    h.clock.set(Timestamp::from_unix_seconds(t0.as_unix_seconds() + 55 * 60));
    h.engine.add_article(&Actor::Agent("admin".into()), &two, NewArticle::reply("sorry")).await.unwrap();
    let r = admin.get(&format!("/agent/tickets/{one}")).await;
    assert!(by_id(&r.text, "clock-first_response", "</dd>").contains("met: 50 min"), "{}", r.text);
    let r = admin.get(&format!("/agent/tickets/{two}")).await;
    assert!(by_id(&r.text, "clock-first_response", "</dd>").contains("missed: 45 min"), "{}", r.text);

    // The report: per queue and SLA over the last 30 days.
    let r = admin.get("/agent/reports/sla").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("href=\"/agent/reports/sla\" aria-current"), "linked from the console: {}", r.text);
    let table = by_id(&r.text, "sla-report", "</table>");
    let gold_row = table.split("<tr>").find(|row| row.contains(">Gold</td>")).unwrap_or_else(|| panic!("{table}"));
    assert!(gold_row.contains("100.0 %") && gold_row.contains("(1/1)") && gold_row.contains("50 min"), "{gold_row}");
    let queue_row =
        table.split("<tr>").find(|row| row.contains("the queue&#39;s targets")).unwrap_or_else(|| panic!("{table}"));
    assert!(queue_row.contains("0.0 %") && queue_row.contains("(0/1)") && queue_row.contains("45 min"), "{queue_row}");
    let r = admin.get("/agent/reports/sla?sla=Gold").await;
    let table = by_id(&r.text, "sla-report", "</table>");
    assert!(table.contains(">Gold</td>") && !table.contains("the queue&#39;s targets"), "{table}");
    let r = admin.get("/agent/reports/sla?from=2020-01-01&to=2020-01-31").await;
    assert!(r.text.contains("id=\"report-empty\""), "{}", r.text);
    let r = admin.get("/agent/reports/sla?from=yesterday").await;
    assert!(r.status.is_client_error() && r.text.contains("yesterday is not a date"), "{}", r.text);
    let r = pia.get("/agent/reports/sla").await;
    assert!(r.text.contains("Relatório de SLA") && r.text.contains("100,0 %"), "{}", r.text);
}
