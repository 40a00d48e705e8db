//! Webhook mode: the route checks the secret token and hands updates to the engine.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chamado::{Actor, Engine, MemoryStore, TicketFilter};
use chamado_telegram::standin::{self, StandIn, TOKEN};
use chamado_telegram::{SECRET_HEADER, TelegramBot, TelegramConfig, WebhookConfig};
use serde_json::Value;
use tower::ServiceExt;

fn post(update: &Value, secret: Option<&str>) -> Request<Body> {
    let mut req = Request::builder().method("POST").uri("/telegram/webhook").header("content-type", "application/json");
    if let Some(s) = secret {
        req = req.header(SECRET_HEADER, s);
    }
    req.body(Body::from(serde_json::to_vec(update).unwrap())).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_checks_the_secret_and_takes_each_update_once() {
    let api = StandIn::start().await.unwrap();
    let engine = Engine::builder(MemoryStore::new()).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let mut config = TelegramConfig::new(TOKEN).with_api_url(&api.url);
    config.webhook = Some(WebhookConfig {
        url: "https://helpdesk.example/telegram/webhook".into(),
        path: "/telegram/webhook".into(),
        secret_token: "s3cret-Token_1".into(),
    });
    let bot = TelegramBot::new(engine.clone(), config).unwrap();
    let info = bot.register_webhook().await.unwrap();
    assert_eq!(info.username, standin::BOT_USERNAME);
    assert!(api.calls().contains(&"setwebhook".to_string()));
    // The command menu is registered with the webhook: the default list and one per other language.
    let menus = api.my_commands();
    assert_eq!(menus.len(), 2, "{menus:?}");
    assert_eq!(menus[1]["language_code"], "pt");
    let router = bot.webhook_router().unwrap();

    let m = api.message(4242, "Webhook ticket");
    let update = serde_json::json!({"update_id": 1, "message": m});
    let res = router.clone().oneshot(post(&update, None)).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = router.clone().oneshot(post(&update, Some("wrong"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res =
        router.clone().oneshot(post(&serde_json::json!({"nonsense": true}), Some("s3cret-Token_1"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    for _ in 0..2 {
        let res = router.clone().oneshot(post(&update, Some("s3cret-Token_1"))).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
    let tickets = engine.list_tickets(&Actor::customer("tg:4242"), &TicketFilter::default(), None, 10).await.unwrap();
    assert_eq!(tickets.items.len(), 1);
    let view = engine.ticket(&Actor::customer("tg:4242"), &tickets.items[0].number).await.unwrap();
    assert_eq!(view.articles.len(), 1, "the repeated update added nothing");
    assert_eq!(api.sent_to(4242).len(), 1, "one acknowledgement");
}
