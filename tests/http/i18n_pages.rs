//! The portal and the console in the reader's language, over HTTP: the browser's `Accept-Language`
//! picks the language of anonymous and signed-in pages, a person's saved language wins over it, times
//! are shown in an agent's time zone, and the preferences pages save and refuse.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamado::{Actor, Preferences};
use common::{ADMIN_TOKEN, Harness, Resp};
use console_support::{HOST, csrf_of, enc, location, set_cookie, set_password};
use serde_json::json;

/// A request as a browser sends it: to [`HOST`] from its own pages, with a cookie and a language.
async fn send(
    h: &Harness,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    lang: Option<&str>,
    form: &[(&str, &str)],
) -> Resp {
    let mut b = Request::builder().method(method).uri(path).header(header::HOST, HOST);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    if let Some(l) = lang {
        b = b.header(header::ACCEPT_LANGUAGE, l);
    }
    let body = if method == "POST" {
        b = b
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        form.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
    } else {
        String::new()
    };
    h.raw(b.body(Body::from(body)).unwrap()).await
}

async fn get(h: &Harness, path: &str, cookie: Option<&str>, lang: Option<&str>) -> Resp {
    send(h, "GET", path, cookie, lang, &[]).await
}

/// Logs a customer user in through the portal's form; returns the session cookie.
async fn portal_login(h: &Harness, login: &str) -> String {
    let pw = format!("pw-{login}");
    let r = send(h, "POST", "/portal/login", None, None, &[("login", login), ("password", &pw)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    set_cookie(&r, "chamado_session").unwrap()
}

/// Logs an agent in through the console's form; returns the session cookie.
async fn console_login(h: &Harness, login: &str, pw: &str) -> String {
    let r = send(h, "POST", "/agent/login", None, None, &[("login", login), ("password", pw)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    set_cookie(&r, "chamado_agent_session").unwrap()
}

fn assert_lang(r: &Resp, lang: &str) {
    assert!(r.text.contains(&format!("<html lang=\"{lang}\">")), "not in {lang}: {}", r.text);
}

/// A customer user alice of acme with one ticket; returns its number.
async fn setup(h: &Harness) -> String {
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let token = h.login("alice").await;
    h.open(&token, json!({"title": "Impressora quebrada", "body": "Não imprime.", "queue": "Raw"})).await
}

#[tokio::test]
async fn login_pages_follow_the_browser_language() {
    let h = Harness::new().await;
    for path in ["/portal/login", "/agent/login"] {
        let pt = get(&h, path, None, Some("pt-BR,pt;q=0.9,en;q=0.8")).await;
        assert_eq!(pt.status, StatusCode::OK);
        assert_lang(&pt, "pt-BR");
        assert!(pt.text.contains(">Senha</label>") && pt.text.contains(">Entrar</button>"), "{path}: {}", pt.text);
        let en = get(&h, path, None, None).await;
        assert_lang(&en, "en");
        assert!(en.text.contains(">Password</label>") && en.text.contains(">Log in</button>"), "{path}");
        // A language chamado does not speak falls back to the system default.
        assert_lang(&get(&h, path, None, Some("de-DE")).await, "en");
    }
    // A wrong password is told in the page's language.
    let wrong =
        send(&h, "POST", "/portal/login", None, Some("pt-BR"), &[("login", "nobody"), ("password", "nope")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains("Login ou senha incorretos."), "{}", wrong.text);
}

#[tokio::test]
async fn portal_list_and_ticket_follow_the_browser_language() {
    let h = Harness::new().await;
    let number = setup(&h).await;
    let cookie = portal_login(&h, "alice").await;

    let list = get(&h, "/portal/tickets", Some(&cookie), Some("pt-BR")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_lang(&list, "pt-BR");
    for words in ["<h1>Meus chamados</h1>", ">Novo chamado<", ">Sair</button>", ">Preferências</a>", ">novo</td>"] {
        assert!(list.text.contains(words), "{words}: {}", list.text);
    }
    // Times in the language's format (the system's zone, UTC, for customer users).
    assert!(list.text.contains("27/11/2026 22:37"), "{}", list.text);

    let ticket = get(&h, &format!("/portal/tickets/{number}"), Some(&cookie), Some("pt-BR")).await;
    assert_lang(&ticket, "pt-BR");
    for words in [format!("Chamado {number}: Impressora quebrada"), "Sua resposta".into(), "Enviar resposta".into()] {
        assert!(ticket.text.contains(&words), "{words}: {}", ticket.text);
    }

    let en = get(&h, "/portal/tickets", Some(&cookie), None).await;
    assert_lang(&en, "en");
    assert!(en.text.contains("<h1>My tickets</h1>") && en.text.contains(">new</td>"), "{}", en.text);
    assert!(en.text.contains("2026-11-27 22:37"), "{}", en.text);
    let en_ticket = get(&h, &format!("/portal/tickets/{number}"), Some(&cookie), None).await;
    assert!(en_ticket.text.contains("Your reply") && en_ticket.text.contains(&format!("Ticket {number}:")));

    // An error page is in the language too, titled by the problem's code.
    let missing = get(&h, "/portal/tickets/999999", Some(&cookie), Some("pt-BR")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text.contains("<h1>Não encontrado</h1>") && missing.text.contains("Voltar para meus chamados"));
}

#[tokio::test]
async fn a_saved_language_wins_over_the_browser() {
    let h = Harness::new().await;
    setup(&h).await;
    let prefs = Preferences { language: Some("pt-BR".into()), time_zone: None };
    h.engine.set_own_preferences(&Actor::customer("alice"), prefs).await.unwrap();
    let cookie = portal_login(&h, "alice").await;
    let list = get(&h, "/portal/tickets", Some(&cookie), Some("en-US,en;q=0.9")).await;
    assert_lang(&list, "pt-BR");
    assert!(list.text.contains("Meus chamados"));
}

#[tokio::test]
async fn console_pages_follow_the_language_and_show_times_in_the_agents_zone() {
    let h = Harness::new().await;
    let number = setup(&h).await;
    h.agent("maria", json!({"users": ["rw"]})).await;
    set_password(&h.engine, "maria", "pw-maria").await;
    let cookie = console_login(&h, "maria", "pw-maria").await;

    let queue = get(&h, "/agent", Some(&cookie), Some("pt-BR")).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.text);
    assert_lang(&queue, "pt-BR");
    for words in [">Visão de filas</a>", "Todas as minhas filas", ">Proprietário</th>", "Ordenado por idade."] {
        assert!(queue.text.contains(words), "{words}: {}", queue.text);
    }
    let zoom = get(&h, &format!("/agent/tickets/{number}"), Some(&cookie), Some("pt-BR")).await;
    assert_lang(&zoom, "pt-BR");
    for words in [format!("Chamado {number}: Impressora quebrada"), ">novo</dd>".into(), "3 normal".into()] {
        assert!(zoom.text.contains(&words), "{words}: {}", zoom.text);
    }
    // No zone of her own yet: the system's (UTC).
    assert!(zoom.text.contains("27/11/2026 22:37"), "{}", zoom.text);

    // In her zone, São Paulo (UTC-3), every time of the zoom moves three hours back.
    let prefs = Preferences { language: None, time_zone: Some("America/Sao_Paulo".into()) };
    h.engine.set_own_preferences(&Actor::Agent("maria".into()), prefs).await.unwrap();
    let zoom = get(&h, &format!("/agent/tickets/{number}"), Some(&cookie), None).await;
    assert_lang(&zoom, "en");
    assert!(zoom.text.contains("2026-11-27 19:37"), "{}", zoom.text);
    assert!(!zoom.text.contains("22:37"), "a time left in UTC: {}", zoom.text);
    assert!(zoom.text.contains(">Owner</dt>") && zoom.text.contains(">new</dd>"));

    // A pending time she types is her wall clock: 09:30 in São Paulo is 12:30 UTC.
    assert!(zoom.text.contains("Pending until (America/Sao_Paulo"), "{}", zoom.text);
    let csrf = csrf_of(&zoom.text);
    let r = send(
        &h,
        "POST",
        &format!("/agent/tickets/{number}/state"),
        Some(&cookie),
        None,
        &[("csrf", &csrf), ("state", "pending reminder"), ("pending_until", "2027-01-10T09:30")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let v = h.admin("GET", &format!("/api/v1/tickets/{number}"), None).await;
    assert_eq!(v.json["pending_until"], "2027-01-10T12:30:00Z", "{}", v.text);
}

#[tokio::test]
async fn portal_preferences_save_and_refuse() {
    let h = Harness::new().await;
    setup(&h).await;
    let cookie = portal_login(&h, "alice").await;
    let page = get(&h, "/portal/preferences", Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(">System default</option>") && page.text.contains(">Português (Brasil)</option>"));
    let csrf = csrf_of(&page.text);

    // Without the session's CSRF token nothing is saved.
    let forged = send(&h, "POST", "/portal/preferences", Some(&cookie), None, &[("language", "pt-BR")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // A language chamado does not speak is refused, in the page's language.
    let bad = send(
        &h,
        "POST",
        "/portal/preferences",
        Some(&cookie),
        Some("pt-BR"),
        &[("csrf", &csrf), ("language", "klingon")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("“klingon” não é um idioma"), "{}", bad.text);
    assert_eq!(h.engine.customer_user("alice").await.unwrap().unwrap().language, None);

    let saved =
        send(&h, "POST", "/portal/preferences", Some(&cookie), None, &[("csrf", &csrf), ("language", "pt_BR")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    assert_eq!(location(&saved), "/portal/preferences?done=saved");
    assert_eq!(h.engine.customer_user("alice").await.unwrap().unwrap().language.as_deref(), Some("pt-BR"));
    let after = get(&h, &location(&saved), Some(&cookie), Some("en")).await;
    assert_lang(&after, "pt-BR");
    assert!(
        after.text.contains("Suas preferências foram salvas.")
            && after.text.contains("value=\"pt-BR\" lang=\"pt-BR\" selected")
    );

    // Back to the system default: the browser decides again.
    send(&h, "POST", "/portal/preferences", Some(&cookie), None, &[("csrf", &csrf), ("language", "")]).await;
    assert_lang(&get(&h, "/portal/tickets", Some(&cookie), None).await, "en");
}

#[tokio::test]
async fn console_preferences_save_and_refuse() {
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    let cookie = console_login(&h, "admin", "pw-admin").await;
    let page = get(&h, "/agent/preferences", Some(&cookie), None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(
        page.text.contains("<datalist id=\"time-zones\">")
            && page.text.contains("<option value=\"America/Sao_Paulo\">")
    );
    assert!(page.text.contains("href=\"/agent/preferences\" aria-current=\"page\""));
    let csrf = csrf_of(&page.text);

    let bad = send(
        &h,
        "POST",
        "/agent/preferences",
        Some(&cookie),
        None,
        &[("csrf", &csrf), ("language", "pt-BR"), ("time_zone", "Mars/Olympus")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("“Mars/Olympus” is not a time zone name"), "{}", bad.text);
    assert!(bad.text.contains("value=\"Mars/Olympus\""), "the form keeps what was typed");
    let agent = h.engine.agent("admin").await.unwrap().unwrap();
    assert_eq!((agent.language, agent.time_zone), (None, None));

    let saved = send(
        &h,
        "POST",
        "/agent/preferences",
        Some(&cookie),
        None,
        &[("csrf", &csrf), ("language", "pt-BR"), ("time_zone", "America/Sao_Paulo")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let agent = h.engine.agent("admin").await.unwrap().unwrap();
    assert_eq!(agent.language.as_deref(), Some("pt-BR"));
    assert_eq!(agent.time_zone.as_deref(), Some("America/Sao_Paulo"));
    let after = get(&h, &location(&saved), Some(&cookie), None).await;
    assert_lang(&after, "pt-BR");
    assert!(
        after.text.contains("Suas preferências foram salvas.") && after.text.contains("value=\"America/Sao_Paulo\"")
    );

    // Times now follow the zone: a ticket opened at 22:37 UTC reads 19:37.
    let number = h.open(ADMIN_TOKEN, json!({"title": "t", "body": "b", "queue": "Raw"})).await;
    let zoom = get(&h, &format!("/agent/tickets/{number}"), Some(&cookie), None).await;
    assert!(zoom.text.contains("27/11/2026 19:37"), "{}", zoom.text);
}
