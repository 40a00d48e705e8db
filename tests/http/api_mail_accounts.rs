//! `/api/v1/mail-accounts` over HTTP: admins add, list, show, change and remove the mailboxes the
//! helpdesk pulls mail from; nobody ever reads a secret back; refusals name the field, in the
//! language asked for.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use chamado::{MailAccountStatus, MailCredential, Timestamp};
use common::{ADMIN_TOKEN, Harness};
use serde_json::{Value, json};

const PASSWORD: &str = "pw-Very-Secret-1";
const REFRESH: &str = "rt-Very-Secret-2";
const CLIENT_SECRET: &str = "cs-Very-Secret-3";
const SECRETS: [&str; 3] = [PASSWORD, REFRESH, CLIENT_SECRET];

fn imap_body(name: &str) -> Value {
    json!({"name": name, "protocol": "imap", "host": "imap.example.com", "tls": "implicit",
        "login": "support@example.com", "password": PASSWORD, "folders": ["INBOX", "Support"], "queue": "Raw"})
}

fn oauth_body(name: &str) -> Value {
    json!({"name": name, "host": "outlook.office365.com", "login": "help@example.com", "queue": "Misc",
        "oauth2": {"refresh_token": REFRESH, "client_id": "cid-1", "client_secret": CLIENT_SECRET,
            "token_url": "https://login.example.com/token", "scope": "https://outlook.office.com/IMAP.AccessAsUser.All offline_access"}})
}

/// No answer may carry a secret, in any field or spelling.
fn no_secret(text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "a secret leaked: {text}");
    }
}

#[tokio::test]
async fn an_admin_adds_lists_shows_changes_and_removes_accounts_without_ever_seeing_a_secret() {
    let h = Harness::new().await;
    let r = h.admin("POST", "/api/v1/mail-accounts", Some(imap_body("support"))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    no_secret(&r.text);
    assert_eq!(r.json["port"], 993, "the protocol's port under TLS");
    assert_eq!(r.json["password_set"], true);
    assert_eq!(r.json["oauth2"], Value::Null);
    assert_eq!(r.json["folders"], json!(["INBOX", "Support"]));
    assert_eq!(r.json["after_import"], "keep");
    assert_eq!(r.json["first_sync"], "all");
    assert_eq!((r.json["poll_seconds"].clone(), r.json["idle"].clone()), (json!(60), json!(true)));
    assert_eq!(
        r.json["status"],
        json!({"imported": 0, "failed": 0, "last_success": null, "last_error": null, "last_error_at": null, "pending": null})
    );

    let o = h.admin("POST", "/api/v1/mail-accounts", Some(oauth_body("office"))).await;
    no_secret(&o.text);
    assert_eq!(o.json["password_set"], false);
    assert_eq!(
        o.json["oauth2"],
        json!({"client_id": "cid-1", "token_url": "https://login.example.com/token",
            "scope": "https://outlook.office.com/IMAP.AccessAsUser.All offline_access",
            "refresh_token_set": true, "client_secret_set": true})
    );

    let again = h.call("POST", "/api/v1/mail-accounts", Some(ADMIN_TOKEN), Some(imap_body("support"))).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    no_secret(&again.text);

    let list = h.admin("GET", "/api/v1/mail-accounts", None).await;
    no_secret(&list.text);
    let names: Vec<&str> =
        list.json["mail_accounts"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["office", "support"]);
    let found = h.admin("GET", "/api/v1/mail-accounts?search=office365", None).await;
    assert_eq!(found.json["mail_accounts"].as_array().unwrap().len(), 1);

    let one = h.admin("GET", "/api/v1/mail-accounts/support", None).await;
    no_secret(&one.text);
    assert_eq!(one.json["host"], "imap.example.com");

    // Changing the protocol and the host keeps the password; the standard port follows the protocol.
    let p = h
        .admin(
            "PATCH",
            "/api/v1/mail-accounts/support",
            Some(json!({"protocol": "pop3", "host": "pop.example.com", "folders": ["INBOX"], "after_import": "delete",
                "first_sync": {"since": "2026-01-31"}, "comment": "moved"})),
        )
        .await;
    no_secret(&p.text);
    assert_eq!((p.json["protocol"].clone(), p.json["port"].clone()), (json!("pop3"), json!(995)));
    assert_eq!(p.json["first_sync"], json!({"since": "2026-01-31"}));
    assert_eq!(p.json["password_set"], true);
    let stored = h.engine.mail_account("support").await.unwrap().unwrap();
    assert_eq!(stored.credential, MailCredential::Password { password: PASSWORD.into() });
    assert_eq!(stored.comment, "moved");

    // A new password replaces the stored one; a chosen port stays when TLS changes.
    let p =
        h.admin("PATCH", "/api/v1/mail-accounts/support", Some(json!({"password": "another-one", "port": 1995}))).await;
    assert!(!p.text.contains("another-one"));
    h.admin("PATCH", "/api/v1/mail-accounts/support", Some(json!({"tls": "starttls"}))).await;
    let stored = h.engine.mail_account("support").await.unwrap().unwrap();
    assert_eq!(stored.credential, MailCredential::Password { password: "another-one".into() });
    assert_eq!(stored.port, 1995);

    // Changing one OAuth2 field keeps the others (the secrets among them).
    let p = h.admin("PATCH", "/api/v1/mail-accounts/office", Some(json!({"oauth2": {"client_id": "cid-2"}}))).await;
    no_secret(&p.text);
    let stored = h.engine.mail_account("office").await.unwrap().unwrap();
    let MailCredential::Xoauth2 { refresh_token, client_id, client_secret, .. } = stored.credential else {
        panic!("still OAuth2")
    };
    assert_eq!((refresh_token.as_str(), client_id.as_str(), client_secret.as_str()), (REFRESH, "cid-2", CLIENT_SECRET));

    // A password switches an OAuth2 account to a password.
    let p = h.admin("PATCH", "/api/v1/mail-accounts/office", Some(json!({"password": PASSWORD}))).await;
    no_secret(&p.text);
    assert_eq!((p.json["password_set"].clone(), p.json["oauth2"].clone()), (json!(true), Value::Null));

    let gone = h.call("DELETE", "/api/v1/mail-accounts/office", Some(ADMIN_TOKEN), None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.text);
    assert!(h.engine.mail_account("office").await.unwrap().is_none());
    for (method, path) in [
        ("DELETE", "/api/v1/mail-accounts/office"),
        ("GET", "/api/v1/mail-accounts/office"),
        ("PATCH", "/api/v1/mail-accounts/office"),
        ("GET", "/api/v1/mail-accounts/no%20such%2Fname"),
        ("DELETE", "/api/v1/mail-accounts/no%20such%2Fname"),
    ] {
        let body = (method == "PATCH").then(|| json!({"comment": "x"}));
        let r = h.call(method, path, Some(ADMIN_TOKEN), body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}: {}", r.text);
        assert_eq!(r.content_type, "application/problem+json");
    }
}

#[tokio::test]
async fn each_answer_shows_the_pulling_status() {
    let h = Harness::new().await;
    h.admin("POST", "/api/v1/mail-accounts", Some(imap_body("support"))).await;
    let status = MailAccountStatus {
        imported: 12,
        failed: 1,
        last_success: Some(Timestamp::from_unix_seconds(1_795_819_072)),
        last_error_at: Some(Timestamp::from_unix_seconds(1_795_819_000)),
        last_error: Some("LOGIN failed".into()),
        pending: Some(3),
    };
    h.engine.set_mail_account_status("support", Some(&status)).await.unwrap();
    let want = json!({"imported": 12, "failed": 1, "last_success": "2026-11-27T22:37:52Z",
        "last_error": "LOGIN failed", "last_error_at": "2026-11-27T22:36:40Z", "pending": 3});
    assert_eq!(h.admin("GET", "/api/v1/mail-accounts/support", None).await.json["status"], want);
    assert_eq!(h.admin("GET", "/api/v1/mail-accounts", None).await.json["mail_accounts"][0]["status"], want);
    let p = h.admin("PATCH", "/api/v1/mail-accounts/support", Some(json!({"valid": false}))).await;
    assert_eq!((p.json["status"].clone(), p.json["valid"].clone()), (want, json!(false)));
}

#[tokio::test]
async fn each_broken_field_is_a_422_naming_it_in_the_language_asked_for() {
    let h = Harness::new().await;
    let cases: Vec<(&str, Value)> = vec![
        ("name", json!({"name": "sup port"})),
        ("host", json!({"host": "imap/example"})),
        ("port", json!({"port": 0})),
        ("tls", json!({"tls": "none"})),
        ("login", json!({"login": ""})),
        ("login", json!({"login": "x".repeat(81)})),
        ("password", json!({"password": "a\r\nb"})),
        ("password", json!({"password": ""})),
        ("folders", json!({"folders": []})),
        ("folders", json!({"folders": ["INBOX", "INBOX"]})),
        ("folders", json!({"folders": ["a\"b"]})),
        ("after_import", json!({"after_import": {"move": "INBOX"}})),
        ("first_sync", json!({"first_sync": {"since": "2026-02-30"}})),
        ("first_sync", json!({"first_sync": {"since": "20260131"}})),
        ("poll_seconds", json!({"poll_seconds": 1})),
        ("authserv_id", json!({"authserv_id": "mx example"})),
        ("protocol", json!({"protocol": "pop3"})),
        ("queue", json!({"queue": ""})),
    ];
    for (field, change) in cases {
        let mut body = imap_body("broken");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = h.call("POST", "/api/v1/mail-accounts", Some(ADMIN_TOKEN), Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.text);
        assert_eq!((r.code(), r.content_type.as_str()), ("validation", "application/problem+json"), "{field}");
        no_secret(&r.text);
        let pt = h
            .call_with(
                "POST",
                "/api/v1/mail-accounts",
                Some(ADMIN_TOKEN),
                Some(body),
                &[("accept-language", "pt-BR,pt;q=0.9,en;q=0.5")],
            )
            .await;
        assert_eq!(pt.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_ne!(pt.json["detail"], r.json["detail"], "{field}: the detail is translated: {}", pt.text);
        assert_eq!(pt.code(), "validation");
    }
    // One example in full, both languages.
    let mut body = imap_body("broken");
    body["poll_seconds"] = json!(1);
    let en = h.call("POST", "/api/v1/mail-accounts", Some(ADMIN_TOKEN), Some(body.clone())).await;
    assert!(en.json["detail"].as_str().unwrap().contains("86400"), "{}", en.text);
    let pt = h
        .call_with("POST", "/api/v1/mail-accounts", Some(ADMIN_TOKEN), Some(body), &[("accept-language", "pt-BR")])
        .await;
    assert!(pt.json["detail"].as_str().unwrap().contains("intervalo"), "{}", pt.text);

    // Both credentials, or neither.
    let mut both = oauth_body("both");
    both["password"] = json!(PASSWORD);
    let mut neither = imap_body("neither");
    neither.as_object_mut().unwrap().remove("password");
    for body in [both, neither] {
        let r = h.call("POST", "/api/v1/mail-accounts", Some(ADMIN_TOKEN), Some(body)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        no_secret(&r.text);
    }
    // Null is no password (the schema says a string).
    let mut null_password = imap_body("nullpw");
    null_password["password"] = Value::Null;
    let r = h.call("POST", "/api/v1/mail-accounts", Some(ADMIN_TOKEN), Some(null_password)).await;
    assert!(r.status.is_client_error(), "{}", r.text);

    // Shape errors are 400s, an unknown queue a 404.
    let mut unknown = imap_body("x");
    unknown["colour"] = json!("red");
    let r = h.call("POST", "/api/v1/mail-accounts", Some(ADMIN_TOKEN), Some(unknown)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let mut bad_port = imap_body("x");
    bad_port["port"] = json!(70000);
    let r = h.call("POST", "/api/v1/mail-accounts", Some(ADMIN_TOKEN), Some(bad_port)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let mut no_queue = imap_body("x");
    no_queue["queue"] = json!("Nope");
    let r = h.call("POST", "/api/v1/mail-accounts", Some(ADMIN_TOKEN), Some(no_queue)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);

    // A patch that breaks a rule changes nothing: its own faults are 422s, a clash with the account's
    // other settings a 409 (translated too).
    h.admin("POST", "/api/v1/mail-accounts", Some(imap_body("support"))).await;
    for bad in [json!({"host": "a b"}), json!({"tls": "none", "host": "imap.example.com"}), json!({"poll_seconds": 2})]
    {
        let r = h.call("PATCH", "/api/v1/mail-accounts/support", Some(ADMIN_TOKEN), Some(bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    }
    let r = h.call("PATCH", "/api/v1/mail-accounts/support", Some(ADMIN_TOKEN), Some(json!({"tls": "none"}))).await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "conflict"), "{}", r.text);
    let pt = h
        .call_with(
            "PATCH",
            "/api/v1/mail-accounts/support",
            Some(ADMIN_TOKEN),
            Some(json!({"tls": "none"})),
            &[("accept-language", "pt-BR")],
        )
        .await;
    assert!(pt.json["detail"].as_str().unwrap().contains("loopback"), "{}", pt.text);
    assert_ne!(pt.json["detail"], r.json["detail"]);
    let r =
        h.call("PATCH", "/api/v1/mail-accounts/support", Some(ADMIN_TOKEN), Some(json!({"protocol": "pop3"}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "POP3 with the IMAP folders: {}", r.text);
    let r = h
        .call(
            "PATCH",
            "/api/v1/mail-accounts/support",
            Some(ADMIN_TOKEN),
            Some(json!({"password": "x", "oauth2": {"client_id": "c"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(h.engine.mail_account("support").await.unwrap().unwrap().tls, chamado::MailTls::Implicit);
    // Switching to OAuth2 needs the whole client.
    let r = h
        .call("PATCH", "/api/v1/mail-accounts/support", Some(ADMIN_TOKEN), Some(json!({"oauth2": {"client_id": "c"}})))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let r = h.call("PATCH", "/api/v1/mail-accounts/support", Some(ADMIN_TOKEN), Some(json!({"queue": "Nope"}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);

    // Loopback servers may go without TLS (tests, a local relay).
    let mut local = imap_body("local");
    local["host"] = json!("127.0.0.1");
    local["tls"] = json!("none");
    let r = h.admin("POST", "/api/v1/mail-accounts", Some(local)).await;
    assert_eq!(r.json["port"], 143);
}

#[tokio::test]
async fn only_admins_may_touch_mail_accounts() {
    let h = Harness::new().await;
    h.admin("POST", "/api/v1/mail-accounts", Some(imap_body("support"))).await;
    let agent = h.agent("bob", json!({"users": ["rw"]})).await;
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    let customer = h.login("alice").await;
    for token in [agent.as_str(), customer.as_str()] {
        for (method, path, body) in [
            ("GET", "/api/v1/mail-accounts", None),
            ("POST", "/api/v1/mail-accounts", Some(imap_body("other"))),
            ("GET", "/api/v1/mail-accounts/support", None),
            ("PATCH", "/api/v1/mail-accounts/support", Some(json!({"comment": "mine"}))),
            ("DELETE", "/api/v1/mail-accounts/support", None),
        ] {
            let r = h.call(method, path, Some(token), body).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path}: {}", r.text);
            no_secret(&r.text);
        }
    }
    let r = h.call("GET", "/api/v1/mail-accounts", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let stored = h.engine.mail_account("support").await.unwrap().unwrap();
    assert_eq!(stored.comment, "");
    assert!(h.engine.mail_account("other").await.unwrap().is_none());
}

#[tokio::test]
async fn the_openapi_document_describes_the_routes_and_their_rules() {
    let h = Harness::new().await;
    let doc = h.call("GET", "/api/openapi.json", None, None).await.json;
    let paths = &doc["paths"];
    for (path, methods) in
        [("/api/v1/mail-accounts", &["get", "post"][..]), ("/api/v1/mail-accounts/{name}", &["get", "patch", "delete"])]
    {
        for m in methods {
            let op = &paths[path][m];
            assert!(op.is_object(), "{m} {path} is documented");
            assert!(op["responses"]["4XX"].is_object(), "{m} {path} documents its problems");
        }
    }
    for code in ["400", "401", "403", "404", "409", "422"] {
        assert!(paths["/api/v1/mail-accounts"]["post"]["responses"][code].is_object(), "POST documents {code}");
    }
    let text = doc.to_string();
    assert!(text.contains("password_set") && text.contains("refresh_token_set"), "the answer's shape is there");
    let body = &paths["/api/v1/mail-accounts"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(body["$ref"], "#/components/schemas/NewMailAccount");
    let schema = &doc["components"]["schemas"]["NewMailAccount"];
    assert_eq!(schema["allOf"].as_array().map(Vec::len), Some(4), "the fields and the rules joining them: {schema}");
}
