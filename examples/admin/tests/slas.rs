//! `chamado-admin calendars` and `slas`: the same scenario on the store file and through the HTTP API,
//! with holidays imported from an iCalendar file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Run, admin, admin_http};
use serde_json::json;

const TOKEN: &str = "test-admin-token-0123456789";

/// Starts a seeded help desk on a free port in a background thread; answers its base URL.
fn server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        rt.block_on(async move {
            let engine = chamado::Engine::builder(chamado::MemoryStore::new()).build().unwrap();
            let token_file = std::env::temp_dir().join(format!("chamado-admin-slas-{}.token", std::process::id()));
            chamado_runtime::bootstrap(&engine, "admin", Some(TOKEN), &token_file).await.unwrap();
            let app = chamado_api::router(engine, chamado_http::HttpConfig::default());
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(format!("http://{}", listener.local_addr().unwrap())).unwrap();
            chamado_http::server::serve(listener, app, std::future::pending::<()>()).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// Brazilian holidays as a calendar program exports them: Christmas every year, Carnival (two days)
/// and Tiradentes once, and a meeting that is no holiday.
const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
BEGIN:VEVENT\r\nUID:natal\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Natal\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:carnaval\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260216\r\nDTEND;VALUE=DATE:20260218\r\nSUMMARY:Carnaval\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:meeting\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T100000Z\r\nDTEND:20260301T110000Z\r\nSUMMARY:Meeting\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:tiradentes\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260421\r\nSUMMARY:Tiradentes\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

fn scenario(a: &dyn Fn(&[&str]) -> Run) {
    // A calendar from options.
    let r = a(&[
        "calendars",
        "add",
        "Office",
        "--time-zone",
        "America/Sao_Paulo",
        "--hours",
        "mon-fri=09:00-12:00,13:00-18:00",
        "--hours",
        "sat=9:00-13:00",
        "--holiday",
        "01-01",
    ]);
    assert!(r.out().contains("calendar \"Office\" added"), "{}", r.stdout);
    assert!(r.stdout.contains("09:00-12:00, 13:00-18:00") && r.stdout.contains("America/Sao_Paulo"), "{}", r.stdout);
    let j = a(&["--json", "calendars", "show", "Office"]).json();
    assert_eq!(j["hours"]["wed"], json!([["09:00", "12:00"], ["13:00", "18:00"]]));
    assert_eq!((j["hours"]["sat"].clone(), j["hours"]["sun"].clone()), (json!([["09:00", "13:00"]]), json!([])));
    assert_eq!(j["holidays"], json!(["01-01"]));
    let e = a(&["calendars", "add", "Office", "--hours", "mon=09:00-10:00"]);
    assert!(e.err().contains("already exists"), "{}", e.stderr);

    // Refusals name the value.
    let e = a(&["calendars", "add", "Bad", "--time-zone", "Mars/Olympus", "--hours", "mon=09:00-10:00"]);
    assert!(e.err().contains("Mars/Olympus"), "{}", e.stderr);
    let e = a(&["calendars", "add", "Bad", "--hours", "mon=09:00-12:00,11:00-13:00"]);
    assert!(e.err().contains("11:00-13:00"), "{}", e.stderr);
    let e = a(&["calendars", "add", "Bad", "--hours", "mon=09:00-12:00", "--holiday", "02-30"]);
    assert!(e.err().contains("02-30"), "{}", e.stderr);
    let e = a(&["calendars", "add", "Bad", "--hours", "someday=09:00-12:00"]);
    assert!(e.err().contains("someday"), "{}", e.stderr);
    assert!(a(&["calendars", "show", "Bad"]).err().contains("not found"));

    // `set` changes what it names and keeps the rest.
    let j = a(&["--json", "calendars", "set", "Office", "--hours", "sat=", "--comment", "HQ"]).json();
    assert_eq!((j["hours"]["sat"].clone(), j["comment"].clone()), (json!([]), json!("HQ")));
    assert_eq!(j["hours"]["mon"], json!([["09:00", "12:00"], ["13:00", "18:00"]]));
    assert_eq!(j["time_zone"], "America/Sao_Paulo");

    // Holidays from an iCalendar file, added to those there.
    let dir = tempfile::tempdir().unwrap();
    let ics = dir.path().join("feriados.ics");
    std::fs::write(&ics, ICS).unwrap();
    let ics = ics.to_string_lossy().into_owned();
    let r = a(&["calendars", "import-ics", "Office", &ics]);
    assert!(r.out().contains("4 holidays added") && r.stdout.contains("1 events skipped"), "{}", r.stdout);
    let j = a(&["--json", "calendars", "show", "Office"]).json();
    assert_eq!(j["holidays"], json!(["01-01", "12-25", "2026-02-16", "2026-02-17", "2026-04-21"]));
    let r = a(&["calendars", "import-ics", "Office", &ics]);
    assert!(r.out().contains("0 holidays added"), "importing again adds nothing: {}", r.stdout);
    let j = a(&["--json", "calendars", "import-ics", "Office", &ics, "--replace"]).json();
    assert_eq!(j["holidays"].as_array().unwrap().len(), 4);
    let bad = dir.path().join("bad.ics");
    std::fs::write(&bad, "hello").unwrap();
    let e = a(&["calendars", "import-ics", "Office", &bad.to_string_lossy()]);
    assert!(e.err().contains("iCalendar"), "{}", e.stderr);

    let list = a(&["calendars", "list"]);
    let lines: Vec<&str> = list.out().lines().collect();
    assert_eq!(lines[0].split_whitespace().take(2).collect::<Vec<_>>(), ["NAME", "TIME"]);
    assert!(lines[1].starts_with("Office") && lines[1].contains("mon,tue,wed,thu,fri"), "{lines:?}");

    // SLAs: the calendar and services must exist.
    a(&["services", "add", "Email"]).out();
    let r = a(&[
        "slas",
        "add",
        "Gold",
        "--calendar",
        "Office",
        "--first-response",
        "60",
        "--solution",
        "480",
        "--service",
        "Email",
    ]);
    assert!(r.out().contains("SLA \"Gold\" added") && r.stdout.contains("60 min"), "{}", r.stdout);
    let j = a(&["--json", "slas", "show", "Gold"]).json();
    assert_eq!(
        (j["notify_before_percent"].clone(), j["pause_in"].clone()),
        (json!(80), json!(["pending_reminder", "pending_auto"]))
    );
    assert_eq!(j["services"], json!(["Email"]));
    let e = a(&["slas", "add", "Silver", "--calendar", "Nope"]);
    assert!(e.err().contains("Nope"), "{}", e.stderr);
    let e = a(&["slas", "add", "Silver", "--calendar", "Office", "--service", "Fax"]);
    assert!(e.err().contains("Fax"), "{}", e.stderr);
    let e = a(&["slas", "add", "Silver"]);
    assert!(e.err().contains("--calendar"), "{}", e.stderr);
    let e = a(&["slas", "add", "Silver", "--calendar", "Office", "--pause-in", "closed"]);
    assert!(e.err().contains("closed"), "{}", e.stderr);
    let j = a(&[
        "--json",
        "slas",
        "set",
        "Gold",
        "--update",
        "120",
        "--notify-before",
        "90",
        "--pause-in",
        "pending_reminder",
    ])
    .json();
    assert_eq!((j["update_minutes"].clone(), j["first_response_minutes"].clone()), (json!(120), json!(60)));
    assert_eq!((j["notify_before_percent"].clone(), j["pause_in"].clone()), (json!(90), json!(["pending_reminder"])));
    let list = a(&["slas", "list"]);
    assert!(
        list.out().lines().nth(1).is_some_and(|l| l.starts_with("Gold") && l.contains("Office")),
        "{}",
        list.stdout
    );

    // A queue's fallback targets: what is given changes, the rest stays.
    let q =
        a(&["--json", "queues", "edit", "Raw", "--escalation-calendar", "Office", "--first-response-minutes", "30"])
            .json();
    assert_eq!(
        (q["escalation"]["calendar"].clone(), q["escalation"]["first_response_minutes"].clone()),
        (json!("Office"), json!(30))
    );
    let q = a(&["--json", "queues", "edit", "Raw", "--solution-minutes", "480"]).json();
    assert_eq!(
        (q["escalation"]["first_response_minutes"].clone(), q["escalation"]["solution_minutes"].clone()),
        (json!(30), json!(480))
    );
    let q = a(&["--json", "queues", "edit", "Raw", "--comment", "inbox"]).json();
    assert_eq!(q["escalation"]["solution_minutes"], 480, "other changes keep the targets");
    let shown = a(&["queues", "get", "Raw"]);
    assert!(shown.out().contains("first response 30 min, update -, solution 480 min (Office"), "{}", shown.stdout);
    let e = a(&["queues", "edit", "Raw", "--escalation-calendar", "Nope"]);
    assert!(e.err().contains("Nope"), "{}", e.stderr);
    let q = a(&[
        "--json",
        "queues",
        "add",
        "Night",
        "--group",
        "users",
        "--escalation-calendar",
        "Office",
        "--update-minutes",
        "60",
    ])
    .json();
    assert_eq!(q["escalation"]["update_minutes"], 60);
    let q = a(&["--json", "queues", "edit", "Night", "--escalation-calendar", "none"]).json();
    assert_eq!(q["escalation"]["calendar"], json!(null));

    // Invalidated, not removed.
    assert!(a(&["slas", "invalidate", "Gold"]).out().contains("now invalid"));
    assert_eq!(a(&["--json", "slas", "show", "Gold"]).json()["valid"], false);
    assert!(a(&["calendars", "invalidate", "Office"]).out().contains("now invalid"));
    assert_eq!(a(&["--json", "calendars", "show", "Office"]).json()["valid"], false);
    assert!(a(&["slas", "show", "Nope"]).err().contains("not found"));
}

#[test]
fn calendars_and_slas_on_the_store_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    admin(d, &["init"]).out();
    scenario(&|args| admin(d, args));
}

#[test]
fn calendars_and_slas_through_the_http_api() {
    let url = server();
    scenario(&|args| admin_http(&url, TOKEN, args));
}
