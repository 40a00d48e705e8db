//! Time promises over the API: calendars and SLAs (add, read, replace, invalidate, refusals naming the
//! value), a queue's fallback targets, the SLA on ticket create and change, the `escalation` block of
//! every ticket answer (due times on the calendar's working hours), the escalated and at-risk listings,
//! and the SLA report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use chamado::Timestamp;
use common::{ADMIN_TOKEN, Harness};
use serde_json::{Value, json};

/// The harness's clock: Friday 2026-11-27 22:37:52 UTC.
const START: i64 = 1_795_819_072;

/// Monday to Friday, 09:00 to 17:00 UTC, with Christmas every year.
fn office() -> Value {
    let day = json!([["09:00", "17:00"]]);
    json!({"name": "Office", "time_zone": "UTC",
        "hours": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day}, "holidays": ["12-25"]})
}

/// Every minute of the week.
fn always() -> Value {
    let day = json!([["00:00", "24:00"]]);
    json!({"name": "Always", "hours": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day, "sat": day, "sun": day}})
}

/// A calendar, the service `Email` every customer user holds, and customer user `alice`.
async fn setup(h: &Harness) {
    h.admin("POST", "/api/v1/calendars", Some(office())).await;
    h.admin("POST", "/api/v1/calendars", Some(always())).await;
    h.admin("POST", "/api/v1/services", Some(json!({"name": "Email"}))).await;
    h.admin("POST", "/api/v1/services", Some(json!({"name": "Phone"}))).await;
    h.admin("PUT", "/api/v1/default-services/Email", None).await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
}

async fn sla(h: &Harness, body: Value) {
    let r = h.call("POST", "/api/v1/slas", Some(ADMIN_TOKEN), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

/// Opens a ticket for alice as the admin agent, answering the ticket.
async fn open(h: &Harness, extra: Value) -> Value {
    let mut body = json!({"title": "Mail down", "body": "It bounces.", "queue": "Raw", "customer_user": "alice"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let r = h.call("POST", "/api/v1/tickets", Some(ADMIN_TOKEN), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json
}

fn names(r: &common::Resp) -> Vec<String> {
    r.json["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap().to_string()).collect()
}

fn at(seconds_after_start: i64) -> Timestamp {
    Timestamp::from_unix_seconds(START + seconds_after_start)
}

#[tokio::test]
async fn admins_add_read_replace_and_invalidate_calendars_and_slas() {
    let h = Harness::new().await;
    let r = h
        .call(
            "POST",
            "/api/v1/calendars",
            Some(ADMIN_TOKEN),
            Some(json!({"name": "BR", "time_zone": "America/Sao_Paulo",
        "hours": {"mon": [["9:00", "12:00"], ["13:00", "18:00"]]}, "holidays": ["2026-12-24", "01-01"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(
        r.json["hours"]["mon"],
        json!([["09:00", "12:00"], ["13:00", "18:00"]]),
        "times as the engine prints them"
    );
    assert_eq!(r.json["hours"]["tue"], json!([]));
    assert_eq!(r.json["holidays"], json!(["2026-12-24", "01-01"]));
    assert_eq!(r.json["valid"], true);
    let c = h.engine.calendars().await.unwrap();
    assert_eq!((c.len(), c[0].time_zone.as_str(), c[0].hours.mon.len()), (1, "America/Sao_Paulo", 2));

    let again = h
        .call(
            "POST",
            "/api/v1/calendars",
            Some(ADMIN_TOKEN),
            Some(json!({"name": "BR", "hours": {"sun": [["10:00", "11:00"]]}})),
        )
        .await;
    assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "duplicate"), "{}", again.text);
    h.admin("POST", "/api/v1/calendars", Some(always())).await;
    assert_eq!(names(&h.admin("GET", "/api/v1/calendars", None).await), ["Always", "BR"]);

    let put = h
        .admin(
            "PUT",
            "/api/v1/calendars/BR",
            Some(json!({"time_zone": "Europe/Lisbon",
        "hours": {"fri": [["08:00", "16:00"]]}, "valid": false, "comment": "moved"})),
        )
        .await;
    let one = h.admin("GET", "/api/v1/calendars/BR", None).await;
    assert_eq!(one.json, put.json, "the answer is what is stored");
    assert_eq!((one.json["time_zone"].as_str(), one.json["valid"].as_bool()), (Some("Europe/Lisbon"), Some(false)));
    assert_eq!(one.json["hours"]["mon"], json!([]), "PUT replaces the whole calendar");
    assert_eq!(one.json["holidays"], json!([]));
    for (method, path) in [("GET", "/api/v1/calendars/Nope"), ("PUT", "/api/v1/calendars/Nope")] {
        let body = (method == "PUT").then(|| json!({"hours": {"mon": [["09:00", "17:00"]]}}));
        let r = h.call(method, path, Some(ADMIN_TOKEN), body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}: {}", r.text);
    }

    // SLAs: the calendar and the services must exist.
    h.admin("POST", "/api/v1/services", Some(json!({"name": "Email"}))).await;
    let r = h
        .call(
            "POST",
            "/api/v1/slas",
            Some(ADMIN_TOKEN),
            Some(json!({"name": "Gold", "calendar": "Always",
        "first_response_minutes": 60, "update_minutes": 120, "solution_minutes": 480, "services": ["Email", "Email"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["notify_before_percent"], 80, "the default warning point");
    assert_eq!(r.json["pause_in"], json!(["pending_reminder", "pending_auto"]), "the default pausing states");
    assert_eq!(r.json["services"], json!(["Email"]), "a service named twice counts once");
    let again =
        h.call("POST", "/api/v1/slas", Some(ADMIN_TOKEN), Some(json!({"name": "Gold", "calendar": "Always"}))).await;
    assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "duplicate"));
    for body in [
        json!({"name": "Silver", "calendar": "Nope"}),
        json!({"name": "Silver", "calendar": "Always", "services": ["Fax"]}),
    ] {
        let r = h.call("POST", "/api/v1/slas", Some(ADMIN_TOKEN), Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{body}: {}", r.text);
    }
    assert_eq!(names(&h.admin("GET", "/api/v1/slas", None).await), ["Gold"]);
    let put = h
        .admin(
            "PUT",
            "/api/v1/slas/Gold",
            Some(json!({"calendar": "BR", "solution_minutes": 960,
        "notify_before_percent": 90, "pause_in": ["pending_reminder"], "valid": false})),
        )
        .await;
    assert_eq!(h.admin("GET", "/api/v1/slas/Gold", None).await.json, put.json);
    let stored = h.engine.slas().await.unwrap().remove(0);
    assert_eq!(
        (stored.calendar.as_str(), stored.targets.solution_minutes, stored.targets.first_response_minutes),
        ("BR", 960, 0)
    );
    assert!(!stored.valid && stored.services.is_empty());
    let r = h.call("PUT", "/api/v1/slas/Nope", Some(ADMIN_TOKEN), Some(json!({"calendar": "BR"}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Admins only.
    let bob = h.agent("bob", json!({"users": ["rw"]})).await;
    for path in ["/api/v1/calendars", "/api/v1/slas", "/api/v1/calendars/BR"] {
        assert_eq!(h.call("GET", path, Some(&bob), None).await.status, StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn wrong_zones_hours_and_holidays_are_422_naming_the_value() {
    let h = Harness::new().await;
    let cases = [
        (json!({"name": "c", "time_zone": "Mars/Olympus", "hours": {"mon": [["09:00", "17:00"]]}}), "Mars/Olympus"),
        (
            json!({"name": "c", "time_zone": "america/sao_paulo", "hours": {"mon": [["09:00", "17:00"]]}}),
            "america/sao_paulo",
        ),
        (json!({"name": "c", "hours": {"mon": [["09:00", "12:00"], ["11:00", "17:00"]]}}), "11:00-17:00"),
        (json!({"name": "c", "hours": {"tue": [["17:00", "09:00"]]}}), "17:00-09:00"),
        (json!({"name": "c", "hours": {"mon": [["9h", "17:00"]]}}), "9h"),
        (json!({"name": "c", "hours": {"mon": [["09:00", "17:00"]]}, "holidays": ["02-30"]}), "02-30"),
        (json!({"name": "c", "hours": {"mon": [["09:00", "17:00"]]}, "holidays": ["2026-13-01"]}), "2026-13-01"),
        (json!({"name": "c", "hours": {"mon": [["09:00", "17:00"]]}, "holidays": ["12-25 "]}), "12-25 "),
        (json!({"name": "c"}), ""),
    ];
    for (body, named) in cases {
        let r = h.call("POST", "/api/v1/calendars", Some(ADMIN_TOKEN), Some(body.clone())).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation"), "{body}: {}", r.text);
        assert!(r.json["detail"].as_str().unwrap().contains(named), "{body}: the detail names {named:?}: {}", r.text);
    }
    assert!(h.engine.calendars().await.unwrap().is_empty(), "nothing is stored");
    // The reader's language, when asked.
    let r = h
        .call_with(
            "POST",
            "/api/v1/calendars",
            Some(ADMIN_TOKEN),
            Some(json!({"name": "c", "time_zone": "Mars/Olympus", "hours": {"mon": [["09:00", "17:00"]]}})),
            &[("accept-language", "pt-BR")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json["detail"].as_str().unwrap().contains("fuso horário desconhecido"), "{}", r.text);
    // A shape the schema does not allow is malformed JSON.
    for body in [
        json!({"name": "c", "hours": {"mon": [["09:00"]]}}),
        json!({"name": "c", "hours": {"monday": []}}),
        json!({"name": "c", "hours": {"mon": [["09:00", "17:00"]]}, "days_off": []}),
    ] {
        let r = h.call("POST", "/api/v1/calendars", Some(ADMIN_TOKEN), Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text);
    }
    // SLAs: targets and pausing states the engine refuses.
    h.admin("POST", "/api/v1/calendars", Some(always())).await;
    let r = h
        .call(
            "POST",
            "/api/v1/slas",
            Some(ADMIN_TOKEN),
            Some(json!({"name": "s", "calendar": "Always", "notify_before_percent": 0})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = h
        .call(
            "POST",
            "/api/v1/slas",
            Some(ADMIN_TOKEN),
            Some(json!({"name": "s", "calendar": "Always", "pause_in": ["closed"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.json["detail"].as_str().unwrap().contains("closed"), "{}", r.text);
}

#[tokio::test]
async fn a_queue_keeps_its_fallback_targets_and_its_tickets_count_by_them() {
    let h = Harness::new().await;
    setup(&h).await;
    let r = h
        .admin(
            "PATCH",
            "/api/v1/queues/Raw",
            Some(json!({"escalation": {"calendar": "Office", "first_response_minutes": 30}})),
        )
        .await;
    assert_eq!(r.json["escalation"]["calendar"], "Office");
    assert_eq!(r.json["escalation"]["first_response_minutes"], 30);
    assert_eq!(r.json["escalation"]["notify_before_percent"], 80);
    // Another change to the queue keeps them.
    let r = h.admin("PATCH", "/api/v1/queues/Raw", Some(json!({"comment": "inbox"}))).await;
    assert_eq!(r.json["escalation"]["first_response_minutes"], 30, "{}", r.text);
    assert_eq!(h.admin("GET", "/api/v1/queues/Raw", None).await.json["escalation"], r.json["escalation"]);
    let missing = h
        .call("PATCH", "/api/v1/queues/Raw", Some(ADMIN_TOKEN), Some(json!({"escalation": {"calendar": "Nope"}})))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.text);
    let r = h
        .admin(
            "POST",
            "/api/v1/queues",
            Some(json!({"name": "Night", "group": "users",
        "escalation": {"calendar": "Always", "solution_minutes": 60}})),
        )
        .await;
    assert_eq!(r.json["escalation"]["solution_minutes"], 60);

    // A ticket without an SLA counts by the queue: Friday night, so Monday 09:00 plus 30 minutes.
    let t = open(&h, json!({})).await;
    assert_eq!(t["sla"], Value::Null);
    let e = &t["escalation"];
    assert_eq!((e["sla"].clone(), e["calendar"].as_str()), (Value::Null, Some("Office")), "{e}");
    assert_eq!(e["first_response_due"], "2026-11-30T09:30:00Z", "{e}");
    assert_eq!((e["solution_due"].clone(), e["update_due"].clone()), (Value::Null, Value::Null), "{e}");
    assert_eq!(e["first_response_left_minutes"], 30);
    assert_eq!(e["first_response_target_minutes"], 30);
}

#[tokio::test]
async fn tickets_carry_their_sla_and_clocks_on_the_calendar_and_a_changed_sla_retimes_them() {
    let h = Harness::new().await;
    setup(&h).await;
    sla(&h, json!({"name": "Gold", "calendar": "Office", "first_response_minutes": 60, "solution_minutes": 480, "services": ["Email"]})).await;
    sla(&h, json!({"name": "Platinum", "calendar": "Office", "first_response_minutes": 60, "solution_minutes": 960, "services": ["Email"]})).await;
    sla(&h, json!({"name": "Voice", "calendar": "Always", "first_response_minutes": 5, "services": ["Phone"]})).await;

    let t = open(&h, json!({"service": "Email", "sla": "Gold"})).await;
    let number = t["number"].as_str().unwrap().to_string();
    assert_eq!(t["sla"], "Gold");
    let e = &t["escalation"];
    assert_eq!((e["sla"].as_str(), e["calendar"].as_str()), (Some("Gold"), Some("Office")));
    // Opened Friday 22:37 UTC: the clocks start Monday 09:00.
    assert_eq!(e["first_response_due"], "2026-11-30T10:00:00Z", "{e}");
    assert_eq!(e["solution_due"], "2026-11-30T17:00:00Z", "{e}");
    assert_eq!(e["update_due"], Value::Null, "no update target");
    assert_eq!((e["first_response_left_minutes"].as_i64(), e["solution_left_minutes"].as_i64()), (Some(60), Some(480)));
    assert_eq!(
        (e["first_response_met"].clone(), e["escalated"].as_bool(), e["at_risk"].as_bool()),
        (Value::Null, Some(false), Some(false))
    );
    assert_eq!(e["first_response_paused"], false);
    let listed = h.call("GET", "/api/v1/tickets", Some(ADMIN_TOKEN), None).await;
    let item =
        listed.json["tickets"].as_array().unwrap().iter().find(|t| t["number"] == number.as_str()).unwrap().clone();
    assert_eq!(
        (item["sla"].clone(), item["escalation"].clone()),
        (t["sla"].clone(), t["escalation"].clone()),
        "listings carry the clocks too"
    );

    // The SLA must be one of the ticket's service's.
    let body = json!({"title": "x", "body": "y", "queue": "Raw", "customer_user": "alice", "service": "Email", "sla": "Voice"});
    let r = h.call("POST", "/api/v1/tickets", Some(ADMIN_TOKEN), Some(body)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.json["detail"].as_str().unwrap().contains("Voice"), "{}", r.text);
    let body =
        json!({"title": "x", "body": "y", "queue": "Raw", "customer_user": "alice", "service": "Email", "sla": "Nope"});
    assert_eq!(h.call("POST", "/api/v1/tickets", Some(ADMIN_TOKEN), Some(body)).await.status, StatusCode::NOT_FOUND);

    // A new SLA re-times the clocks: 960 working minutes are two working days.
    let path = format!("/api/v1/tickets/{number}");
    let r = h.admin("PATCH", &path, Some(json!({"sla": "Platinum"}))).await;
    assert_eq!((r.json["sla"].as_str(), r.json["escalation"]["sla"].as_str()), (Some("Platinum"), Some("Platinum")));
    assert_eq!(r.json["escalation"]["solution_due"], "2026-12-01T17:00:00Z", "{}", r.json["escalation"]);
    assert_eq!(r.json["escalation"]["first_response_due"], "2026-11-30T10:00:00Z");
    let r = h.call("PATCH", &path, Some(ADMIN_TOKEN), Some(json!({"sla": "Voice"}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    // Cleared: no SLA and no queue targets, so nothing runs.
    let r = h.admin("PATCH", &path, Some(json!({"sla": ""}))).await;
    assert_eq!(
        (r.json["sla"].clone(), r.json["escalation"]["solution_due"].clone()),
        (Value::Null, Value::Null),
        "{}",
        r.text
    );

    // A service change drops an SLA the new service does not have.
    h.admin("PATCH", &path, Some(json!({"sla": "Gold"}))).await;
    h.admin("PUT", "/api/v1/customer-users/alice/services/Phone", None).await;
    let r = h.admin("PATCH", &path, Some(json!({"service": "Phone"}))).await;
    assert_eq!((r.json["service"].as_str(), r.json["sla"].clone()), (Some("Phone"), Value::Null), "{}", r.text);
    let r = h.admin("PATCH", &path, Some(json!({"sla": "Voice"}))).await;
    assert_eq!(r.json["escalation"]["calendar"], "Always");
    assert_eq!(
        r.json["escalation"]["first_response_due"], "2026-11-27T22:42:52Z",
        "5 minutes from now, around the clock"
    );
}

#[tokio::test]
async fn customer_service_and_sla_changes_are_checked_against_the_callers_permissions() {
    let h = Harness::new().await;
    setup(&h).await;
    h.customer("globex").await;
    h.customer_user("carol", "globex").await;
    let number = open(&h, json!({"service": "Email"})).await["number"].as_str().unwrap().to_string();
    let path = format!("/api/v1/tickets/{number}");

    let reader = h.agent("rita", json!({"users": ["ro"]})).await;
    let stranger = h.agent("sam", json!({})).await;
    let writer = h.agent("walt", json!({"users": ["rw"]})).await;
    let alice = h.login("alice").await;
    for (token, body, status) in [
        (&reader, json!({"customer_user": "carol"}), StatusCode::FORBIDDEN),
        (&reader, json!({"service": ""}), StatusCode::FORBIDDEN),
        (&stranger, json!({"customer_user": "carol"}), StatusCode::NOT_FOUND),
        (&alice, json!({"customer_user": "carol"}), StatusCode::FORBIDDEN),
    ] {
        let r = h.call("PATCH", &path, Some(token), Some(body.clone())).await;
        assert_eq!(r.status, status, "{body}: {}", r.text);
    }
    let t = h.admin("GET", &path, None).await;
    assert_eq!(
        (t.json["customer_user"].as_str(), t.json["service"].as_str()),
        (Some("alice"), Some("Email")),
        "nothing changed"
    );

    let r = h.call("PATCH", &path, Some(&writer), Some(json!({"customer_user": "carol"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.json["customer_user"].as_str(), r.json["customer_id"].as_str()),
        (Some("carol"), Some("globex")),
        "the customer follows"
    );
    let r = h.call("PATCH", &path, Some(&writer), Some(json!({"service": "Phone"}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "carol does not hold Phone: {}", r.text);
    let r = h.call("PATCH", &path, Some(&writer), Some(json!({"customer_user": "nobody"}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = h.call("PATCH", &path, Some(&writer), Some(json!({"service": ""}))).await;
    assert_eq!((r.status, r.json["service"].clone()), (StatusCode::OK, Value::Null), "{}", r.text);
    let history = h.admin("GET", &format!("{path}/history"), None).await;
    let kinds: Vec<&str> =
        history.json["history"].as_array().unwrap().iter().filter_map(|e| e["kind"].as_str()).collect();
    assert!(kinds.contains(&"customer_changed") && kinds.contains(&"service_changed"), "{kinds:?}");
}

#[tokio::test]
async fn breached_and_warned_tickets_are_listed_and_the_report_counts_them() {
    let h = Harness::new().await;
    setup(&h).await;
    sla(&h, json!({"name": "Fast", "calendar": "Always", "first_response_minutes": 1, "services": ["Email"]})).await;
    sla(&h, json!({"name": "Slow", "calendar": "Always", "first_response_minutes": 10, "services": ["Email"]})).await;
    let fast = open(&h, json!({"service": "Email", "sla": "Fast"})).await["number"].as_str().unwrap().to_string();
    let slow = open(&h, json!({"service": "Email", "sla": "Slow"})).await["number"].as_str().unwrap().to_string();
    let plain = open(&h, json!({})).await["number"].as_str().unwrap().to_string();
    assert!(h.numbers(ADMIN_TOKEN, "?escalated=true").await.is_empty());

    // Two minutes on: Fast's first response is overdue; Slow's is not yet at its warning point (8 min).
    h.clock.set(at(120));
    let report = h.engine.tick(at(120)).await.unwrap();
    assert_eq!(report.escalations, 1, "Fast's breach (a warning point passed with the due time fires only the breach)");
    assert_eq!(h.numbers(ADMIN_TOKEN, "?escalated=true").await, [fast.as_str()]);
    assert!(h.numbers(ADMIN_TOKEN, "?at_risk=true").await.is_empty());
    let t = h.admin("GET", &format!("/api/v1/tickets/{fast}"), None).await;
    let e = &t.json["escalation"];
    assert_eq!((e["escalated"].as_bool(), e["first_response_left_minutes"].as_i64()), (Some(true), Some(-1)), "{e}");

    // Nine minutes on: Slow is at risk.
    h.clock.set(at(540));
    h.engine.tick(at(540)).await.unwrap();
    assert_eq!(h.numbers(ADMIN_TOKEN, "?at_risk=true").await, [slow.as_str()]);
    let mut both = h.numbers(ADMIN_TOKEN, "?escalated=true&at_risk=true").await;
    both.sort();
    let mut expected = vec![fast.clone(), slow.clone()];
    expected.sort();
    assert_eq!(both, expected);
    assert!(!both.contains(&plain));
    // The filters narrow a listing by queue too, and customers see their own tickets' state.
    assert_eq!(h.numbers(ADMIN_TOKEN, "?escalated=true&queue=Misc").await, Vec::<String>::new());

    // Slow is answered in time: its first response is met, and it is no longer at risk.
    let r = h
        .call("POST", &format!("/api/v1/tickets/{slow}/articles"), Some(ADMIN_TOKEN), Some(json!({"body": "On it."})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let t = h.admin("GET", &format!("/api/v1/tickets/{slow}"), None).await;
    assert_eq!(
        (t.json["escalation"]["first_response_met"].as_bool(), t.json["escalation"]["first_response_due"].clone()),
        (Some(true), Value::Null)
    );
    assert!(h.numbers(ADMIN_TOKEN, "?at_risk=true").await.is_empty());

    // The report: per queue and SLA, over the tickets opened in the period.
    let r = h.admin("GET", "/api/v1/reports/sla?from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z", None).await;
    let rows = r.json["rows"].as_array().unwrap();
    let row = |sla: &str| rows.iter().find(|x| x["sla"] == sla).unwrap_or_else(|| panic!("no row {sla}: {}", r.text));
    assert_eq!(row("Fast")["queue"], "Raw");
    assert_eq!(row("Fast")["tickets"], 1);
    assert_eq!(row("Fast")["first_response"]["measured"], 1, "a clock past due counts as missed");
    assert_eq!(row("Fast")["first_response"]["met"], 0);
    assert_eq!(row("Fast")["first_response"]["met_percent"], 0.0);
    assert_eq!(row("Slow")["first_response"]["met_percent"], 100.0);
    assert_eq!(row("Slow")["first_response"]["median_minutes"], 9);
    assert_eq!(row("Slow")["first_response"]["p90_minutes"], 9);
    assert!(rows.iter().all(|x| x["sla"] != Value::Null), "the plain ticket has no clock: {}", r.text);
    let r =
        h.admin("GET", "/api/v1/reports/sla?from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z&sla=Slow", None).await;
    assert_eq!(r.json["rows"].as_array().unwrap().len(), 1);
    assert_eq!(r.json["sla"], "Slow");
    let r = h.admin("GET", "/api/v1/reports/sla?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z", None).await;
    assert_eq!(r.json["rows"], json!([]), "nothing was opened then");

    let alice = h.login("alice").await;
    let r = h
        .call("GET", "/api/v1/reports/sla?from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z", Some(&alice), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "reports are for agents: {}", r.text);
    let r = h.call("GET", "/api/v1/reports/sla?from=yesterday&to=2026-11-28T00:00:00Z", Some(ADMIN_TOKEN), None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = h.call("GET", "/api/v1/reports/sla?to=2026-11-28T00:00:00Z", Some(ADMIN_TOKEN), None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
}
