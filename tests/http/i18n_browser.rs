//! The portal and the console in a real headless Chromium whose language is Brazilian Portuguese,
//! then English: the browser's own `Accept-Language` picks the pages' language. Screenshots of the
//! Portuguese portal list, portal ticket and console ticket zoom go to `docs/screenshots/`.
//!
//! Without a browser the test prints that it skipped; with `CHAMADO_E2E=1` a missing browser fails.
//! `CHROMIUM` and `CHROMEDRIVER` override the binaries. The WebDriver client is `browser_support`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod browser_support;
mod common;
mod console_support;

use browser_support::Browser;
use common::Harness;
use console_support::set_password;
use serde_json::json;

/// What each language's pages must say.
struct Words {
    lang: &'static str,
    login: &'static str,
    my_tickets: &'static str,
    your_reply: &'static str,
    state_new: &'static str,
    queue_view: &'static str,
    history: &'static str,
}

const PT: Words = Words {
    lang: "pt-BR",
    login: ">Entrar</button>",
    my_tickets: "<h1>Meus chamados</h1>",
    your_reply: ">Sua resposta</label>",
    state_new: ">novo<",
    queue_view: ">Visão de filas</a>",
    history: "<h2>Histórico</h2>",
};

const EN: Words = Words {
    lang: "en",
    login: ">Log in</button>",
    my_tickets: "<h1>My tickets</h1>",
    your_reply: ">Your reply</label>",
    state_new: ">new<",
    queue_view: ">Queue view</a>",
    history: "<h2>History</h2>",
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portal_and_console_in_the_browsers_language() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.agent("maria", json!({"users": ["rw"]})).await;
    set_password(&h.engine, "maria", "pw-maria").await;
    let token = h.login("alice").await;
    let number = h
        .open(
            &token,
            json!({"title": "Impressora não imprime", "body": "A impressora do 2º andar parou de imprimir.", "queue": "Raw"}),
        )
        .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    let app = h.app.clone();
    tokio::spawn(async move { axum::serve(listener, app).await });

    for words in [PT, EN] {
        let Some(wd) =
            Browser::start_in("portal_and_console_in_the_browsers_language", 1280, 900, Some(words.lang)).await
        else {
            return;
        };
        let shots = words.lang == "pt-BR";
        let lang_attr = format!("lang=\"{}\"", words.lang);

        // The portal: login page, list, ticket.
        wd.goto(&format!("{site}/portal/login")).await;
        let (_, login) = wd.wait_for("the portal login page", |url, _| url.ends_with("/portal/login")).await;
        assert!(login.contains(&lang_attr) && login.contains(words.login), "{}: {login}", words.lang);
        wd.type_into("#login", "alice").await;
        wd.type_into("#password", "pw-alice").await;
        wd.follow("main form button[type=submit]").await;
        let (_, list) = wd.wait_for("the ticket list", |url, _| url.ends_with("/portal/tickets")).await;
        assert!(list.contains(&lang_attr) && list.contains(words.my_tickets), "{}: {list}", words.lang);
        assert!(list.contains(words.state_new) && list.contains(&number));
        if shots {
            wd.screenshot("portal-tickets-pt-BR").await;
        }
        wd.follow(&format!("a[href='/portal/tickets/{number}']")).await;
        let (_, ticket) =
            wd.wait_for("the ticket page", |url, _| url.ends_with(&format!("/portal/tickets/{number}"))).await;
        assert!(ticket.contains(words.your_reply) && ticket.contains("Impressora não imprime"), "{ticket}");
        if shots {
            wd.screenshot("portal-ticket-zoom-pt-BR").await;
        }

        // The console: login, queue view, ticket zoom.
        wd.goto(&format!("{site}/agent/login")).await;
        let (_, login) = wd.wait_for("the agent login page", |url, _| url.ends_with("/agent/login")).await;
        assert!(login.contains(&lang_attr) && login.contains(words.login), "{login}");
        wd.type_into("#login", "maria").await;
        wd.type_into("#password", "pw-maria").await;
        wd.follow("main form button[type=submit]").await;
        let (_, queue) = wd.wait_for("the queue view", |url, _| url.ends_with("/agent")).await;
        assert!(queue.contains(&lang_attr) && queue.contains(words.queue_view), "{queue}");
        assert!(queue.contains(&number) && queue.contains(words.state_new), "{queue}");
        wd.follow(&format!("a[href='/agent/tickets/{number}']")).await;
        let (_, zoom) =
            wd.wait_for("the ticket zoom", |url, _| url.ends_with(&format!("/agent/tickets/{number}"))).await;
        assert!(zoom.contains(&lang_attr) && zoom.contains(words.history) && zoom.contains(words.state_new), "{zoom}");
        if shots {
            wd.screenshot("console-ticket-zoom-pt-BR").await;
        }
        wd.quit().await;
    }
}
