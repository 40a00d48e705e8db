//! Admins' texts and agent notifications over the API: auto-responses, salutations, signatures and
//! standard templates (CRUD, broken templates refused naming their line, texts a queue uses kept),
//! the queues' new fields, what each notification kind does, each agent's own choices and Telegram
//! link, watching tickets, and the templates offered on a ticket, rendered.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{ADMIN_TOKEN, Harness, ticket};
use serde_json::{Value, json};

fn text(language: &str, subject: &str, body: &str) -> Value {
    json!({"language": language, "subject": subject, "body": body})
}

/// The names of a listing's items.
fn names(r: &common::Resp) -> Vec<String> {
    r.json["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn admins_add_read_replace_and_remove_each_kind_of_text() {
    let h = Harness::new().await;
    let kinds = [
        (
            "/api/v1/auto-responses",
            json!({"name": "thanks", "kind": "reply", "texts": [text("en", "Re: {{ ticket.title }}", "We got it.")]}),
            json!({"kind": "reply", "texts": [text("en", "Got it", "Ticket {{ ticket.number }}"), text("pt-BR", "Recebido", "Chamado {{ ticket.number }}")], "valid": false}),
        ),
        (
            "/api/v1/salutations",
            json!({"name": "dear", "texts": [{"language": "en", "body": "Dear {{ customer_user.first_name }},"}]}),
            json!({"texts": [{"language": "pt-BR", "body": "Prezado(a) {{ customer_user.first_name }},"}], "comment": "pt"}),
        ),
        (
            "/api/v1/signatures",
            json!({"name": "team", "texts": [{"language": "en", "body": "{{ agent.name }}\n{{ queue.name }}"}]}),
            json!({"texts": [{"language": "en", "body": "-- \n{{ agent.name }}"}]}),
        ),
        (
            "/api/v1/templates",
            json!({"name": "reset", "kind": "answer", "queues": ["Raw"], "texts": [text("en", "", "Reset your password at {{ urls.portal }}.")]}),
            json!({"kind": "note", "queues": ["Raw", "Misc", "Raw"], "texts": [text("en", "", "Checked.")]}),
        ),
    ];
    for (path, new, changes) in kinds {
        let r = h.call("POST", path, Some(ADMIN_TOKEN), Some(new.clone())).await;
        assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.text);
        let name = new["name"].as_str().unwrap();
        assert_eq!(r.json["name"], name);
        assert_eq!(r.json["valid"], true, "valid unless said otherwise");

        let again = h.call("POST", path, Some(ADMIN_TOKEN), Some(new.clone())).await;
        assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "duplicate"), "{path}: {}", again.text);

        assert_eq!(names(&h.admin("GET", path, None).await), [name]);
        let one = h.admin("GET", &format!("{path}/{name}"), None).await;
        assert_eq!(one.json["texts"][0]["body"], new["texts"][0]["body"], "{path}");

        let put = h.call("PUT", &format!("{path}/{name}"), Some(ADMIN_TOKEN), Some(changes.clone())).await;
        assert_eq!(put.status, StatusCode::OK, "{path}: {}", put.text);
        let one = h.admin("GET", &format!("{path}/{name}"), None).await;
        assert_eq!(one.json, put.json, "{path}: the answer is what is stored");
        assert_eq!(one.json["texts"].as_array().unwrap().len(), changes["texts"].as_array().unwrap().len());
        assert_eq!(one.json["texts"][0]["body"], changes["texts"][0]["body"], "{path}");

        let missing = h.call("PUT", &format!("{path}/nosuch"), Some(ADMIN_TOKEN), Some(changes)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{path}: PUT replaces, POST adds: {}", missing.text);

        assert_eq!(
            h.call("DELETE", &format!("{path}/{name}"), Some(ADMIN_TOKEN), None).await.status,
            StatusCode::NO_CONTENT
        );
        let gone = h.call("GET", &format!("{path}/{name}"), Some(ADMIN_TOKEN), None).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{path}");
        let gone = h.call("DELETE", &format!("{path}/{name}"), Some(ADMIN_TOKEN), None).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{path}");
    }

    // What was stored is the engine's: the template's queues once each, the auto-response invalid.
    h.admin(
        "POST",
        "/api/v1/templates",
        Some(json!({"name": "t", "kind": "create", "queues": ["Raw", "Raw"], "texts": [text("en", "", "x")]})),
    )
    .await;
    assert_eq!(h.engine.template("t").await.unwrap().unwrap().queues, ["Raw"]);
    let r = h
        .call(
            "POST",
            "/api/v1/templates",
            Some(ADMIN_TOKEN),
            Some(json!({"name": "u", "kind": "note", "queues": ["Nope"], "texts": [text("en", "", "x")]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "a template's queues must exist: {}", r.text);
    assert!(h.engine.template("u").await.unwrap().is_none());
}

#[tokio::test]
async fn a_broken_template_is_422_naming_its_line_and_nothing_is_stored() {
    let h = Harness::new().await;
    let broken =
        json!({"name": "oops", "kind": "reply", "texts": [text("en", "Hi", "Hello\n{{ ticket.number }}\n{% if %}\n")]});
    let r = h.call("POST", "/api/v1/auto-responses", Some(ADMIN_TOKEN), Some(broken)).await;
    assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation"), "{}", r.text);
    let detail = r.json["detail"].as_str().unwrap();
    assert!(detail.contains("line 3"), "the detail names the line: {detail}");
    assert!(h.engine.auto_response("oops").await.unwrap().is_none(), "nothing is stored");

    // An unknown variable is caught when saved too, in the reader's language when asked.
    let r = h
        .call_with(
            "POST",
            "/api/v1/salutations",
            Some(ADMIN_TOKEN),
            Some(json!({"name": "dear", "texts": [{"language": "pt-BR", "body": "Prezado {{ custmer.name }}"}]})),
            &[("accept-language", "pt-BR")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let detail = r.json["detail"].as_str().unwrap();
    assert!(detail.contains("linha 1"), "Portuguese, naming line 1: {detail}");

    // A replacement that breaks keeps what was there.
    h.admin(
        "POST",
        "/api/v1/signatures",
        Some(json!({"name": "team", "texts": [{"language": "en", "body": "The team"}]})),
    )
    .await;
    let r = h
        .call(
            "PUT",
            "/api/v1/signatures/team",
            Some(ADMIN_TOKEN),
            Some(json!({"texts": [{"language": "en", "body": "ok\n{{ agent.name }"}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.json["detail"].as_str().unwrap().contains("line 2"), "{}", r.text);
    assert_eq!(h.engine.signature("team").await.unwrap().unwrap().texts[0].body, "The team");

    // Other refusals the schema cannot say: one language twice; a language spelled otherwise.
    let twice = json!({"name": "x", "texts": [{"language": "en", "body": "a"}, {"language": "en", "body": "b"}]});
    let r = h.call("POST", "/api/v1/signatures", Some(ADMIN_TOKEN), Some(twice)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = h
        .call(
            "POST",
            "/api/v1/signatures",
            Some(ADMIN_TOKEN),
            Some(json!({"name": "x", "texts": [{"language": "pt_br", "body": "a"}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    // A message without a subject, an unknown kind, no texts at all: refused as the schema says.
    let r = h
        .call(
            "POST",
            "/api/v1/auto-responses",
            Some(ADMIN_TOKEN),
            Some(json!({"name": "x", "kind": "reply", "texts": [text("en", " ", "b")]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = h
        .call(
            "POST",
            "/api/v1/auto-responses",
            Some(ADMIN_TOKEN),
            Some(json!({"name": "x", "kind": "bounce", "texts": [text("en", "s", "b")]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = h
        .call("POST", "/api/v1/templates", Some(ADMIN_TOKEN), Some(json!({"name": "x", "kind": "note", "texts": []})))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
}

#[tokio::test]
async fn only_admins_manage_texts_and_notifications() {
    let h = Harness::new().await;
    let agent = h.agent("ana", json!({"users": ["rw"]})).await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let customer = h.login("alice").await;
    h.admin("POST", "/api/v1/salutations", Some(json!({"name": "dear", "texts": [{"language": "en", "body": "Hi"}]})))
        .await;
    for token in [agent.as_str(), customer.as_str()] {
        for (method, path, body) in [
            ("GET", "/api/v1/auto-responses", None),
            ("POST", "/api/v1/salutations", Some(json!({"name": "x", "texts": [{"language": "en", "body": "Hi"}]}))),
            ("GET", "/api/v1/salutations/dear", None),
            ("PUT", "/api/v1/salutations/dear", Some(json!({"texts": [{"language": "en", "body": "Yo"}]}))),
            ("DELETE", "/api/v1/salutations/dear", None),
            ("GET", "/api/v1/signatures", None),
            ("GET", "/api/v1/templates", None),
            ("GET", "/api/v1/notifications", None),
            ("PUT", "/api/v1/notifications/new_ticket", Some(json!({"valid": false}))),
            ("DELETE", "/api/v1/notifications/new_ticket", None),
        ] {
            let r = h.call(method, path, Some(token), body).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path}: {}", r.text);
        }
    }
    assert_eq!(h.engine.salutation("dear").await.unwrap().unwrap().texts[0].body, "Hi");
    assert!(h.engine.notification_def(chamado::NotificationKind::NewTicket).await.unwrap().valid);
    let r = h.call("GET", "/api/v1/templates", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn queues_name_their_auto_responses_salutation_signature_and_unlock_timeout() {
    let h = Harness::new().await;
    h.admin(
        "POST",
        "/api/v1/auto-responses",
        Some(json!({"name": "refused", "kind": "reject", "texts": [text("en", "No", "Closed for good.")]})),
    )
    .await;
    h.admin(
        "POST",
        "/api/v1/auto-responses",
        Some(json!({"name": "hello", "kind": "reply", "texts": [text("en", "Hi", "Got it.")]})),
    )
    .await;
    h.admin(
        "POST",
        "/api/v1/salutations",
        Some(json!({"name": "dear", "texts": [{"language": "en", "body": "Dear,"}]})),
    )
    .await;
    h.admin(
        "POST",
        "/api/v1/signatures",
        Some(json!({"name": "team", "texts": [{"language": "en", "body": "The team"}]})),
    )
    .await;

    // Absent on an existing queue: nothing assigned.
    let q = h.admin("GET", "/api/v1/queues/Raw", None).await.json;
    assert_eq!(
        q["auto_responses"],
        json!({"reply": null, "reject": null, "follow_up": null, "reply_new_ticket": null})
    );
    assert_eq!((q["salutation"].clone(), q["unlock_timeout_minutes"].clone()), (Value::Null, json!(0)));

    let r = h
        .admin(
            "PATCH",
            "/api/v1/queues/Raw",
            Some(json!({"auto_responses": {"reject": "refused"}, "salutation": "dear", "signature": "team", "unlock_timeout_minutes": 30.0})),
        )
        .await;
    assert_eq!(r.json["auto_responses"]["reject"], "refused");
    assert_eq!((r.json["salutation"].clone(), r.json["signature"].clone()), (json!("dear"), json!("team")));
    let stored = h.engine.queue("Raw").await.unwrap();
    assert_eq!(stored.auto_responses.reject.as_deref(), Some("refused"));
    assert_eq!((stored.salutation.as_deref(), stored.unlock_timeout_minutes), (Some("dear"), 30));

    // A patch keeps what it does not name; null removes.
    let r = h
        .admin("PATCH", "/api/v1/queues/Raw", Some(json!({"auto_responses": {"reply": "hello"}, "comment": "inbox"})))
        .await;
    assert_eq!(r.json["auto_responses"]["reject"], "refused");
    assert_eq!(r.json["auto_responses"]["reply"], "hello");
    assert_eq!(r.json["salutation"], "dear");
    let r = h
        .admin("PATCH", "/api/v1/queues/Raw", Some(json!({"signature": null, "auto_responses": {"reply": null}})))
        .await;
    assert_eq!((r.json["signature"].clone(), r.json["auto_responses"]["reply"].clone()), (Value::Null, Value::Null));
    assert_eq!(r.json["salutation"], "dear");

    // A text a queue uses is kept; the refusal names the queue.
    let r = h.call("DELETE", "/api/v1/salutations/dear", Some(ADMIN_TOKEN), None).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.json["detail"].as_str().unwrap().contains("Raw"), "{}", r.text);
    let r = h
        .call(
            "PUT",
            "/api/v1/auto-responses/refused",
            Some(ADMIN_TOKEN),
            Some(json!({"kind": "reply", "texts": [text("en", "s", "b")]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "a queue uses it as its reject: {}", r.text);

    // Names that do not exist, or an auto-response of another kind, are refused; nothing changes.
    let r = h.call("PATCH", "/api/v1/queues/Raw", Some(ADMIN_TOKEN), Some(json!({"salutation": "nope"}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = h
        .call("PATCH", "/api/v1/queues/Raw", Some(ADMIN_TOKEN), Some(json!({"auto_responses": {"follow_up": "hello"}})))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "conflict"), "{}", r.text);
    assert!(r.json["detail"].as_str().unwrap().contains("not of kind follow_up"), "{}", r.text);
    let r =
        h.call("PATCH", "/api/v1/queues/Raw", Some(ADMIN_TOKEN), Some(json!({"auto_responses": [null, null]}))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "only an object: {}", r.text);
    let r = h.call("PATCH", "/api/v1/queues/Raw", Some(ADMIN_TOKEN), Some(json!({"unlock_timeout_minutes": -1}))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(h.engine.queue("Raw").await.unwrap().salutation.as_deref(), Some("dear"));

    // A new queue takes them all at once.
    let r = h
        .admin(
            "POST",
            "/api/v1/queues",
            Some(json!({"name": "Sales", "group": "users", "auto_responses": {"reply": "hello"}, "signature": "team", "unlock_timeout_minutes": 45})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let stored = h.engine.queue("Sales").await.unwrap();
    assert_eq!((stored.auto_responses.reply.as_deref(), stored.signature.as_deref()), (Some("hello"), Some("team")));
    assert_eq!(stored.unlock_timeout_minutes, 45);
    let listed = h.admin("GET", "/api/v1/queues?search=Sales", None).await.json;
    assert_eq!(listed["items"][0]["unlock_timeout_minutes"], 45);

    // Once no queue uses it, it goes.
    h.admin("PATCH", "/api/v1/queues/Raw", Some(json!({"salutation": null}))).await;
    assert_eq!(
        h.call("DELETE", "/api/v1/salutations/dear", Some(ADMIN_TOKEN), None).await.status,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn admins_set_what_each_notification_does_and_restore_the_shipped_settings() {
    let h = Harness::new().await;
    let list = h.admin("GET", "/api/v1/notifications", None).await.json;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 10);
    assert_eq!(items[0]["kind"], "new_ticket");
    assert!(items.iter().all(|n| n["shipped"] == true && n["email"] == true && n["telegram"] == false));

    let body = json!({"email": false, "telegram": true, "agent_may_choose": false,
        "texts": [text("en", "Owner: {{ ticket.number }}", "You own {{ ticket.title }} now.")]});
    let r = h.admin("PUT", "/api/v1/notifications/owner_set", Some(body)).await;
    assert_eq!((r.json["email"].clone(), r.json["telegram"].clone()), (json!(false), json!(true)));
    assert_eq!((r.json["shipped"].clone(), r.json["valid"].clone()), (json!(false), json!(true)));
    let def = h.engine.notification_def(chamado::NotificationKind::OwnerSet).await.unwrap();
    assert!(!def.email && def.telegram && !def.agent_may_choose);
    assert_eq!(def.texts[0].subject, "Owner: {{ ticket.number }}");
    assert_eq!(h.admin("GET", "/api/v1/notifications/owner_set", None).await.json, r.json);

    let r = h
        .call(
            "PUT",
            "/api/v1/notifications/owner_set",
            Some(ADMIN_TOKEN),
            Some(json!({"texts": [text("en", "{{ ticket. }}", "x")]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.json["detail"].as_str().unwrap().contains("line 1"), "{}", r.text);
    let r = h.call("PUT", "/api/v1/notifications/coffee_ready", Some(ADMIN_TOKEN), Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(h.engine.notification_def(chamado::NotificationKind::OwnerSet).await.unwrap().telegram, "unchanged");

    let r = h.admin("DELETE", "/api/v1/notifications/owner_set", None).await;
    assert_eq!((r.json["shipped"].clone(), r.json["email"].clone()), (json!(true), json!(true)));
    let def = h.engine.notification_def(chamado::NotificationKind::OwnerSet).await.unwrap();
    assert_eq!(def, chamado::NotificationDef::shipped(chamado::NotificationKind::OwnerSet));
    // Restoring what is shipped already is no error.
    h.admin("DELETE", "/api/v1/notifications/owner_set", None).await;
}

#[tokio::test]
async fn agents_choose_their_queues_and_channels_and_link_telegram() {
    let h = Harness::new().await;
    h.admin("POST", "/api/v1/groups", Some(json!({"name": "secret"}))).await;
    h.admin("POST", "/api/v1/queues", Some(json!({"name": "Vault", "group": "secret"}))).await;
    let ana = h.agent("ana", json!({"users": ["rw"]})).await;

    let r = h.call("GET", "/api/v1/preferences/notifications", Some(&ana), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.json["my_queues"].clone(), r.json["telegram_linked"].clone()), (json!([]), json!(false)));
    let kinds = r.json["notifications"].as_array().unwrap();
    assert_eq!(kinds.len(), 10);
    assert_eq!(
        kinds[0],
        json!({"kind": "new_ticket", "email": true, "telegram": false, "agent_may_choose": true, "valid": true})
    );

    let r = h
        .call(
            "PUT",
            "/api/v1/preferences/notifications",
            Some(&ana),
            Some(json!({"my_queues": ["Raw", "Misc", "Raw"], "notifications": [{"kind": "new_ticket", "email": false, "telegram": true}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["my_queues"], json!(["Raw", "Misc"]));
    assert_eq!(
        (r.json["notifications"][0]["email"].clone(), r.json["notifications"][0]["telegram"].clone()),
        (json!(false), json!(true))
    );
    let a = h.engine.agent("ana").await.unwrap().unwrap();
    assert_eq!(a.my_queues, ["Raw", "Misc"]);

    // What GET answered can be sent back as it is; absent fields stay.
    let back = h.call("PUT", "/api/v1/preferences/notifications", Some(&ana), Some(r.json.clone())).await;
    assert_eq!((back.status, back.json.clone()), (StatusCode::OK, r.json.clone()), "{}", back.text);
    let r = h.call("PUT", "/api/v1/preferences/notifications", Some(&ana), Some(json!({}))).await;
    assert_eq!(r.json["my_queues"], json!(["Raw", "Misc"]));

    // A queue the agent cannot read is refused as if it did not exist; nothing changes.
    for q in ["Vault", "Nowhere"] {
        let r = h
            .call("PUT", "/api/v1/preferences/notifications", Some(&ana), Some(json!({"my_queues": ["Raw", q]})))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{q}: {}", r.text);
    }
    assert_eq!(h.engine.agent("ana").await.unwrap().unwrap().my_queues, ["Raw", "Misc"]);

    // Where the admins decide the channels, the agent's differing choice is 403 and theirs binds.
    h.admin("PUT", "/api/v1/notifications/owner_set", Some(json!({"telegram": true, "agent_may_choose": false}))).await;
    let r = h
        .call(
            "PUT",
            "/api/v1/preferences/notifications",
            Some(&ana),
            Some(json!({"notifications": [{"kind": "owner_set", "email": false, "telegram": false}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = h.call("GET", "/api/v1/preferences/notifications", Some(&ana), None).await;
    let owner_set =
        r.json["notifications"].as_array().unwrap().iter().find(|n| n["kind"] == "owner_set").unwrap().clone();
    assert_eq!(
        owner_set,
        json!({"kind": "owner_set", "email": true, "telegram": true, "agent_may_choose": false, "valid": true})
    );

    // A Telegram link code, redeemed by the bot, links the chat; unlinking forgets it.
    let r = h.call("POST", "/api/v1/preferences/telegram-link", Some(&ana), None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let code = r.json["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 10);
    assert!(code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()), "{code}");
    assert_eq!(r.json["command"], format!("/link {code}"));
    assert!(r.json["expires_at"].as_str().unwrap() > "2026-11-27T", "{}", r.json["expires_at"]);
    let other = h.call("POST", "/api/v1/preferences/telegram-link", Some(&ana), None).await;
    assert_ne!(other.json["code"], r.json["code"], "every code is fresh");
    let linked = h.engine.redeem_agent_link_code("telegram", &code, "4242").await.unwrap();
    assert_eq!(linked, Ok("ana".to_string()));
    let r = h.call("GET", "/api/v1/preferences/notifications", Some(&ana), None).await;
    assert_eq!(r.json["telegram_linked"], true);
    assert_eq!(
        h.call("DELETE", "/api/v1/preferences/telegram-link", Some(&ana), None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(h.engine.agent("ana").await.unwrap().unwrap().telegram_chat, None);
    let r = h.call("GET", "/api/v1/preferences/notifications", Some(&ana), None).await;
    assert_eq!(r.json["telegram_linked"], false);

    // Customer users have none of this.
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let alice = h.login("alice").await;
    for (method, path) in [
        ("GET", "/api/v1/preferences/notifications"),
        ("POST", "/api/v1/preferences/telegram-link"),
        ("DELETE", "/api/v1/preferences/telegram-link"),
    ] {
        assert_eq!(h.call(method, path, Some(&alice), None).await.status, StatusCode::FORBIDDEN, "{method} {path}");
    }
    let r = h.call("PUT", "/api/v1/preferences/notifications", Some(&alice), Some(json!({"my_queues": []}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
}

/// Who watches ticket `number`, as stored.
async fn watchers(h: &Harness, number: &str) -> Vec<String> {
    h.engine.ticket(&chamado::Actor::System, number).await.unwrap().ticket.watchers
}

#[tokio::test]
async fn agents_watch_and_unwatch_tickets_they_can_read() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let alice = h.login("alice").await;
    let number = h.open(&alice, ticket("Printer", "Raw")).await;
    let ana = h.agent("ana", json!({"users": ["ro"]})).await;
    let bob = h.agent("bob", json!({"users": ["rw"]})).await;
    let outsider = h.agent("olga", json!({})).await;

    let r = h.call("PUT", &format!("/api/v1/tickets/{number}/watch"), Some(&ana), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.json["watching"].clone(), r.json["watchers"].clone()), (json!(true), json!(["ana"])));
    h.call("PUT", &format!("/api/v1/tickets/{number}/watch"), Some(&bob), None).await;
    let again = h.call("PUT", &format!("/api/v1/tickets/{number}/watch"), Some(&ana), None).await;
    assert_eq!(again.json["watchers"], json!(["ana", "bob"]), "watching again changes nothing");

    let seen = h.call("GET", &format!("/api/v1/tickets/{number}"), Some(&bob), None).await;
    assert_eq!((seen.json["watching"].clone(), seen.json["watchers"].clone()), (json!(true), json!(["ana", "bob"])));
    let as_customer = h.call("GET", &format!("/api/v1/tickets/{number}"), Some(&alice), None).await;
    assert!(as_customer.json.get("watchers").is_none(), "customers do not see watchers: {}", as_customer.text);
    assert_eq!(as_customer.json["watching"], false);

    let r = h.call("DELETE", &format!("/api/v1/tickets/{number}/watch"), Some(&ana), None).await;
    assert_eq!(
        (r.status, r.json["watching"].clone(), r.json["watchers"].clone()),
        (StatusCode::OK, json!(false), json!(["bob"]))
    );
    assert_eq!(watchers(&h, &number).await, ["bob"]);

    // Who cannot read it finds no ticket; customers do not watch.
    let r = h.call("PUT", &format!("/api/v1/tickets/{number}/watch"), Some(&outsider), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = h.call("PUT", "/api/v1/tickets/1999010110000010/watch", Some(&ana), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = h.call("PUT", &format!("/api/v1/tickets/{number}/watch"), Some(&alice), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(watchers(&h, &number).await, ["bob"]);
}

#[tokio::test]
async fn a_ticket_offers_its_queues_templates_rendered_for_it() {
    let h = Harness::new().await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let alice = h.login("alice").await;
    let number = h.open(&alice, ticket("Printer", "Raw")).await;
    let ana = h.agent("ana", json!({"users": ["rw"]})).await;
    h.admin("PATCH", "/api/v1/agents/ana", Some(json!({"language": "pt-BR"}))).await;
    let answer = json!({"name": "fixed", "kind": "answer", "queues": ["Raw"], "texts": [
        text("en", "Re: {{ ticket.title }}", "Dear {{ customer_user.first_name }}, ticket {{ ticket.number }} is fixed."),
        text("pt-BR", "Resp: {{ ticket.title }}", "Prezado(a) {{ customer_user.first_name }}, o chamado {{ ticket.number }} foi resolvido.\n{{ agent.login }}"),
    ]});
    h.admin("POST", "/api/v1/templates", Some(answer)).await;
    h.admin("POST", "/api/v1/templates", Some(json!({"name": "checked", "kind": "note", "queues": ["Raw"], "texts": [text("en", "", "Checked by {{ agent.login }}.")]}))).await;
    h.admin(
        "POST",
        "/api/v1/templates",
        Some(json!({"name": "elsewhere", "kind": "answer", "queues": ["Misc"], "texts": [text("en", "", "x")]})),
    )
    .await;
    h.admin(
        "POST",
        "/api/v1/templates",
        Some(
            json!({"name": "off", "kind": "answer", "queues": ["Raw"], "valid": false, "texts": [text("en", "", "x")]}),
        ),
    )
    .await;

    let r = h.call("GET", &format!("/api/v1/tickets/{number}/templates"), Some(&ana), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json, json!({"items": [{"name": "fixed", "kind": "answer"}]}));
    let r = h.call("GET", &format!("/api/v1/tickets/{number}/templates?kind=note"), Some(&ana), None).await;
    assert_eq!(names(&r), ["checked"]);

    let r = h.call("GET", &format!("/api/v1/tickets/{number}/templates/fixed"), Some(&ana), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["subject"], "Resp: Printer", "in the agent's language");
    assert_eq!(r.json["body"], format!("Prezado(a) alice, o chamado {number} foi resolvido.\nana"));
    let r = h.call("GET", &format!("/api/v1/tickets/{number}/templates/checked?kind=note"), Some(&ana), None).await;
    assert_eq!(r.json["body"], "Checked by ana.");

    // Templates not offered here, of another kind, or invalid are 404; a kind not offered per ticket is 400.
    for path in ["templates/elsewhere", "templates/off", "templates/checked", "templates/nosuch"] {
        let r = h.call("GET", &format!("/api/v1/tickets/{number}/{path}"), Some(&ana), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
    }
    let r = h.call("GET", &format!("/api/v1/tickets/{number}/templates?kind=create"), Some(&ana), None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    // Agents who cannot read the ticket, and customers, get none.
    let olga = h.agent("olga", json!({})).await;
    let r = h.call("GET", &format!("/api/v1/tickets/{number}/templates"), Some(&olga), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = h.call("GET", &format!("/api/v1/tickets/{number}/templates/fixed"), Some(&olga), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = h.call("GET", &format!("/api/v1/tickets/{number}/templates"), Some(&alice), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
}
