//! The admin console's mail account screens over HTTP: the list with each account's status, adding,
//! editing (an empty secret field keeps the stored secret), the engine's refusals shown translated,
//! the account page with its last error, deleting after a confirmation; non-admins are refused, and
//! no page ever holds a secret. One test fills the form in a headless Chromium (skipped without one,
//! unless `CHAMADO_E2E=1`) and writes screenshots of the list and the account page to `docs/screenshots/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod browser_support;
mod common;
mod console_support;

use axum::http::StatusCode;
use chamado::{MailAccountStatus, MailCredential, Timestamp};
use common::Harness;
use console_support::{Console, location, login, set_password};
use serde_json::json;

const PASSWORD: &str = "Pw-7c1f-never-on-a-page";
const REFRESH: &str = "Rt-93ab-never-on-a-page";
const CLIENT_SECRET: &str = "Cs-51d0-never-on-a-page";
const SECRETS: [&str; 3] = [PASSWORD, REFRESH, CLIENT_SECRET];

/// The add form's fields for account `name`, with `changes` over them.
fn fields<'a>(name: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("name", name),
        ("protocol", "imap"),
        ("host", "imap.example.com"),
        ("port", ""),
        ("tls", "implicit"),
        ("login", "support@example.com"),
        ("auth", "password"),
        ("password", PASSWORD),
        ("folders", "INBOX\r\nArchive\r\n"),
        ("queue", "Raw"),
        ("after_import", "keep"),
        ("first_sync", "all"),
        ("poll_seconds", "60"),
        ("idle", "1"),
        ("comment", "Support <inbox>"),
        ("valid", "1"),
    ];
    for (k, v) in changes {
        f.retain(|(name, _)| name != k);
        f.push((k, v));
    }
    f
}

/// Fails when `html` holds a secret, or a secret input that is filled in or may be autofilled.
fn assert_no_secret(html: &str) {
    for s in SECRETS {
        assert!(!html.contains(s), "a secret on a page: {html}");
    }
    for input in html.split("<input").skip(1) {
        let tag = input.split('>').next().unwrap();
        if tag.contains("type=\"password\"") {
            assert!(tag.contains("autocomplete=\"new-password\""), "{tag}");
            assert!(!tag.contains("value="), "a secret field filled in: {tag}");
        }
    }
}

/// The page's error notice.
fn alert(html: &str) -> &str {
    let start = html.find("role=\"alert\">").map_or(html.len(), |i| i + "role=\"alert\">".len());
    html[start..].split("</p>").next().unwrap_or("")
}

/// Signs the `admin` agent in.
async fn admin(h: &Harness) -> Console<'_> {
    set_password(&h.engine, "admin", "pw-admin").await;
    login(h, "admin", "pw-admin").await
}

/// Adds account `name` through the form, asserting it was saved.
async fn add(admin: &Console<'_>, name: &str, changes: &[(&str, &str)]) {
    let r = admin.post("/admin/mail-accounts", &fields(name, changes)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(location(&r), format!("/admin/mail-accounts/{name}?done=saved"));
}

#[tokio::test]
async fn list_create_and_show_without_secrets() {
    let h = Harness::new().await;
    let admin = admin(&h).await;
    let r = admin.get("/admin").await;
    assert!(r.text.contains("href=\"/admin/mail-accounts\"") && r.text.contains("Mail accounts"), "menu link");
    let r = admin.get("/admin/mail-accounts").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("No mail account yet."), "{}", r.text);
    assert!(r.text.contains("<option value=\"Raw\" selected>Raw</option>"), "queues offered: {}", r.text);
    assert_no_secret(&r.text);

    add(&admin, "support", &[]).await;
    let stored = h.engine.mail_account("support").await.unwrap().unwrap();
    assert_eq!(stored.credential, MailCredential::Password { password: PASSWORD.into() });
    assert_eq!((stored.port, stored.folders.len(), stored.idle), (993, 2, true), "empty port: the standard one");
    // A second one with OAuth2, POP3 and delete.
    add(
        &admin,
        "sales",
        &[
            ("protocol", "pop3"),
            ("host", "pop.example.com"),
            ("port", "995"),
            ("folders", ""),
            ("auth", "xoauth2"),
            ("password", ""),
            ("refresh_token", REFRESH),
            ("client_id", "client-1"),
            ("client_secret", CLIENT_SECRET),
            ("token_url", "https://oauth.example.com/token"),
            ("after_import", "delete"),
            ("first_sync", "since"),
            ("since", "2026-01-31"),
        ],
    )
    .await;
    let r = admin.post("/admin/mail-accounts", &fields("support", &[])).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "names are unique");

    let r = admin.get("/admin/mail-accounts").await;
    assert_eq!(r.status, StatusCode::OK);
    for text in [
        "href=\"/admin/mail-accounts/support\"",
        "imap.example.com:993",
        "pop.example.com:995",
        "support@example.com",
        "INBOX, Archive",
        "Keep on the server",
        "Delete from the server",
        "IMAP",
        "POP3",
    ] {
        assert!(r.text.contains(text), "{text} missing: {}", r.text);
    }
    assert!(!r.text.contains("mail-error"), "no error marker without an error");
    assert_no_secret(&r.text);

    let r = admin.get("/admin/mail-accounts/sales").await;
    assert_eq!(r.status, StatusCode::OK);
    for text in ["Messages since 2026-01-31", "client-1", "https://oauth.example.com/token", "never"] {
        assert!(r.text.contains(text), "{text} missing: {}", r.text);
    }
    assert_eq!(r.text.matches("<dd>set</dd>").count(), 2, "refresh token and client secret: {}", r.text);
    assert_no_secret(&r.text);
    let r = admin.get("/admin/mail-accounts/support").await;
    assert!(r.text.contains("<dd>set</dd>") && r.text.contains("Support &#60;inbox&#62;"), "{}", r.text);
    assert!(r.text.contains("<textarea id=\"folders\" name=\"folders\" rows=\"3\">INBOX\nArchive</textarea>"));
    assert_no_secret(&r.text);
    assert_no_secret(&admin.get("/admin/mail-accounts/support/delete").await.text);
    assert_eq!(admin.get("/admin/mail-accounts/nope").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn edit_keeps_the_secrets_unless_new_ones_are_typed() {
    let h = Harness::new().await;
    let admin = admin(&h).await;
    add(&admin, "support", &[]).await;

    // Empty password: kept; everything else changes, the name stays.
    // (An edit form posts no name; one that does renames nothing.)
    let mut edit =
        fields("ignored", &[("password", ""), ("host", "mail.example.org"), ("tls", "starttls"), ("port", "143")]);
    edit.retain(|(k, _)| *k != "valid");
    let r = admin.post("/admin/mail-accounts/support", &edit).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(location(&r), "/admin/mail-accounts/support?done=saved");
    let a = h.engine.mail_account("support").await.unwrap().unwrap();
    assert_eq!(a.credential, MailCredential::Password { password: PASSWORD.into() });
    assert_eq!((a.host.as_str(), a.port, a.valid), ("mail.example.org", 143, false));
    assert!(h.engine.mail_account("ignored").await.unwrap().is_none());
    let r = admin.get("/admin/mail-accounts/support?done=saved").await;
    assert!(r.text.contains("Saved.") && r.text.contains("mail.example.org:143"), "{}", r.text);
    assert_no_secret(&r.text);

    // A typed password replaces it.
    let r = admin.post("/admin/mail-accounts/support", &fields("support", &[("password", "brand-new")])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let a = h.engine.mail_account("support").await.unwrap().unwrap();
    assert_eq!(a.credential, MailCredential::Password { password: "brand-new".into() });

    // Switched to OAuth2: no token typed and none stored is refused; then the refresh token and the
    // client secret stay when their fields are left empty, and the client secret can be removed.
    let oauth = |extra: &[(&'static str, &'static str)]| {
        let mut f = fields(
            "support",
            &[
                ("auth", "xoauth2"),
                ("password", ""),
                ("client_id", "cid"),
                ("token_url", "https://oauth.example.com/token"),
                ("move_folder", "Done"),
                ("after_import", "move"),
            ],
        );
        f.extend_from_slice(extra);
        f
    };
    let r = admin.post("/admin/mail-accounts/support", &oauth(&[])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(alert(&r.text).contains("XOAUTH2 needs a refresh token"), "{}", r.text);
    let r = admin
        .post("/admin/mail-accounts/support", &oauth(&[("refresh_token", REFRESH), ("client_secret", CLIENT_SECRET)]))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = admin.post("/admin/mail-accounts/support", &oauth(&[("scope", "mail")])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let a = h.engine.mail_account("support").await.unwrap().unwrap();
    assert_eq!(
        a.credential,
        MailCredential::Xoauth2 {
            refresh_token: REFRESH.into(),
            client_id: "cid".into(),
            client_secret: CLIENT_SECRET.into(),
            token_url: "https://oauth.example.com/token".into(),
            scope: "mail".into(),
        }
    );
    let r = admin.get("/admin/mail-accounts/support").await;
    assert!(r.text.contains("Move to Done"), "{}", r.text);
    assert_no_secret(&r.text);
    let r = admin.post("/admin/mail-accounts/support", &oauth(&[("client_secret_clear", "1")])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let a = h.engine.mail_account("support").await.unwrap().unwrap();
    assert!(matches!(a.credential, MailCredential::Xoauth2 { ref client_secret, ref refresh_token, .. }
        if client_secret.is_empty() && refresh_token == REFRESH));

    // Forms without the CSRF token change nothing.
    let r = admin.post_without_csrf("/admin/mail-accounts/support", &fields("support", &[("host", "evil")])).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(h.engine.mail_account("support").await.unwrap().unwrap().host, "imap.example.com");
}

#[tokio::test]
async fn refusals_are_shown_in_the_admins_language() {
    let h = Harness::new().await;
    let admin = admin(&h).await;
    let r = admin
        .post(
            "/admin/agents/admin",
            &[("first_name", "Ada"), ("email", "admin@desk.example"), ("language", "pt-BR"), ("valid", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

    let r = admin.get("/admin/mail-accounts").await;
    assert!(r.text.contains("Adicionar conta de e-mail") && r.text.contains("Contas de e-mail"), "{}", r.text);

    // The engine's check, translated; the form comes back with what was typed but the password.
    let r = admin.post("/admin/mail-accounts", &fields("support", &[("poll_seconds", "1")])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(alert(&r.text).contains("O intervalo de verificação deve ficar entre"), "{}", r.text);
    assert!(
        r.text.contains("value=\"imap.example.com\"")
            && r.text.contains("name=\"poll_seconds\" inputmode=\"numeric\" value=\"1\""),
        "{}",
        r.text
    );
    assert_no_secret(&r.text);
    assert!(h.engine.mail_account("support").await.unwrap().is_none());

    // The form's own checks (a port that is no number), and a plain-text connection to a remote host.
    let r = admin.post("/admin/mail-accounts", &fields("support", &[("port", "imap")])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(alert(&r.text).contains("A porta do servidor de e-mail deve estar entre 1 e 65535"), "{}", r.text);
    let r = admin.post("/admin/mail-accounts", &fields("support", &[("tls", "none")])).await;
    assert!(alert(&r.text).contains("Conexão sem TLS só é permitida"), "{}", r.text);
    let r = admin.post("/admin/mail-accounts", &fields("support", &[("protocol", "smtp")])).await;
    assert!(alert(&r.text).contains("Escolha um dos valores"), "{}", r.text);
    let r = admin.post("/admin/mail-accounts", &fields("support", &[("queue", "Nope")])).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);

    // On the edit form too.
    add(&admin, "support", &[]).await;
    let r = admin.post("/admin/mail-accounts/support", &fields("support", &[("folders", "a\"b")])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(alert(&r.text).contains("Informe de 1 a 50 pastas distintas"), "{}", r.text);
    assert!(r.text.contains("a&#34;b"), "the typed folders come back: {}", r.text);
    assert_no_secret(&r.text);
}

#[tokio::test]
async fn status_and_last_error_are_shown_in_the_admins_time_zone() {
    let h = Harness::new().await;
    let admin = admin(&h).await;
    let r = admin
        .post(
            "/admin/agents/admin",
            &[
                ("first_name", "Ada"),
                ("email", "admin@desk.example"),
                ("time_zone", "America/Sao_Paulo"),
                ("valid", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    add(&admin, "support", &[]).await;
    add(&admin, "quiet", &[]).await;

    let error = "LOGIN failed: [AUTHENTICATIONFAILED] Authentication failed <for support@example.com>";
    let status = MailAccountStatus {
        imported: 42,
        failed: 3,
        // 2026-11-27 22:37:52 UTC, 19:37 in São Paulo; the error an hour later.
        last_success: Some(Timestamp::from_unix_seconds(1_795_819_072)),
        last_error_at: Some(Timestamp::from_unix_seconds(1_795_819_072 + 3600)),
        last_error: Some(error.into()),
        pending: Some(7),
    };
    h.engine.set_mail_account_status("support", Some(&status)).await.unwrap();

    let r = admin.get("/admin/mail-accounts").await;
    let row = r.text.split("href=\"/admin/mail-accounts/support\"").nth(1).unwrap().split("</tr>").next().unwrap();
    for text in [">42<", ">3<", ">7<", "2026-11-27 19:37", "mail-error"] {
        assert!(row.contains(text), "{text} missing: {row}");
    }
    let quiet = r.text.split("href=\"/admin/mail-accounts/quiet\"").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(quiet.contains("never") && !quiet.contains("mail-error"), "{quiet}");

    let r = admin.get("/admin/mail-accounts/support").await;
    assert!(r.text.contains("Last error"), "{}", r.text);
    assert!(r.text.contains("at 2026-11-27 20:37"), "when, in the admin's zone: {}", r.text);
    assert!(
        r.text.contains("LOGIN failed: [AUTHENTICATIONFAILED] Authentication failed &#60;for support@example.com&#62;"),
        "the error in full, escaped: {}",
        r.text
    );
    assert!(r.text.contains("<dd>2026-11-27 19:37</dd>"), "{}", r.text);

    // A complete pass clears the error: no marker, no error box.
    let cleared = MailAccountStatus { last_error: None, last_error_at: None, ..status };
    h.engine.set_mail_account_status("support", Some(&cleared)).await.unwrap();
    let r = admin.get("/admin/mail-accounts/support").await;
    assert!(!r.text.contains("mail-error") && r.text.contains("No error since the last complete check."));
}

#[tokio::test]
async fn agents_without_admin_rights_are_refused() {
    let h = Harness::new().await;
    let admin = admin(&h).await;
    add(&admin, "support", &[]).await;
    h.agent("dora", json!({})).await;
    set_password(&h.engine, "dora", "pw-dora").await;
    let dora = login(&h, "dora", "pw-dora").await;
    for path in ["/admin/mail-accounts", "/admin/mail-accounts/support", "/admin/mail-accounts/support/delete"] {
        let r = dora.get(path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert_no_secret(&r.text);
    }
    let r = dora.post("/admin/mail-accounts", &fields("mine", &[])).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = dora.post("/admin/mail-accounts/support/delete", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(h.engine.mail_account("mine").await.unwrap().is_none());
    assert!(h.engine.mail_account("support").await.unwrap().is_some());
    // Nor can anyone who is not signed in.
    let r = console_support::get(&h, "/admin/mail-accounts", None).await;
    assert!(r.status.is_redirection(), "{}", r.status);
}

#[tokio::test]
async fn delete_after_confirmation() {
    let h = Harness::new().await;
    let admin = admin(&h).await;
    add(&admin, "support", &[]).await;
    let status = MailAccountStatus { imported: 1, ..MailAccountStatus::default() };
    h.engine.set_mail_account_status("support", Some(&status)).await.unwrap();

    let r = admin.get("/admin/mail-accounts/support").await;
    assert!(r.text.contains("href=\"/admin/mail-accounts/support/delete\""), "{}", r.text);
    let r = admin.get("/admin/mail-accounts/support/delete").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text.contains("action=\"/admin/mail-accounts/support/delete\"") && r.text.contains("Delete mail account")
    );
    assert!(h.engine.mail_account("support").await.unwrap().is_some(), "asking deletes nothing");

    let r = admin.post_without_csrf("/admin/mail-accounts/support/delete", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin.post("/admin/mail-accounts/support/delete", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(location(&r), "/admin/mail-accounts?done=deleted");
    assert!(h.engine.mail_account("support").await.unwrap().is_none());
    assert!(h.engine.mail_account_status("support").await.unwrap().is_none(), "its status goes too");
    let r = admin.get("/admin/mail-accounts?done=deleted").await;
    assert!(r.text.contains("Done.") && !r.text.contains("href=\"/admin/mail-accounts/support\""), "{}", r.text);
    assert_eq!(admin.get("/admin/mail-accounts/support/delete").await.status, StatusCode::NOT_FOUND);
    let r = admin.post("/admin/mail-accounts/support/delete", &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_added_in_a_browser() {
    let Some(wd) = browser_support::Browser::start("an_account_added_in_a_browser", 1280, 1100).await else {
        return;
    };
    let h = Harness::new().await;
    set_password(&h.engine, "admin", "pw-admin").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    let app = h.app.clone();
    tokio::spawn(async move { axum::serve(listener, app).await });

    wd.goto(&format!("{site}/admin/mail-accounts")).await;
    wd.wait_for("the agent login page", |url, _| url.ends_with("/agent/login")).await;
    wd.type_into("#login", "admin").await;
    wd.type_into("#password", "pw-admin").await;
    wd.follow("main form button[type=submit]").await;
    wd.goto(&format!("{site}/admin/mail-accounts")).await;
    wd.wait_for("the mail accounts", |_, src| src.contains("No mail account yet.")).await;

    wd.type_into("#name", "support").await;
    wd.type_into("#host", "imap.example.com").await;
    wd.type_into("#login", "support@example.com").await;
    wd.type_into("#password", PASSWORD).await;
    wd.type_into("#folders", "\nArchive").await;
    wd.type_into("#comment", "The support inbox").await;
    wd.follow("form[method=post][action='/admin/mail-accounts'] button[type=submit]").await;
    let (_, src) = wd
        .wait_for("the saved account", |url, src| {
            url.ends_with("/admin/mail-accounts/support?done=saved") && src.contains("Saved.")
        })
        .await;
    assert_no_secret(&src);
    let a = h.engine.mail_account("support").await.unwrap().unwrap();
    assert_eq!(a.credential, MailCredential::Password { password: PASSWORD.into() });
    assert_eq!((a.port, a.folders.clone()), (993, vec!["INBOX".to_string(), "Archive".to_string()]));

    // A second account whose last pass failed, as the puller records it.
    add_directly(&h, "sales").await;
    let status = MailAccountStatus {
        imported: 128,
        failed: 2,
        pending: Some(5),
        last_success: Some(Timestamp::from_unix_seconds(1_795_819_072)),
        last_error_at: Some(Timestamp::from_unix_seconds(1_795_819_072 + 600)),
        last_error: Some("LOGIN failed: [AUTHENTICATIONFAILED] Authentication failed.".into()),
    };
    h.engine.set_mail_account_status("sales", Some(&status)).await.unwrap();
    let ok =
        MailAccountStatus { imported: 17, pending: Some(0), last_error: None, last_error_at: None, ..status.clone() };
    h.engine.set_mail_account_status("support", Some(&ok)).await.unwrap();

    wd.goto(&format!("{site}/admin/mail-accounts")).await;
    let (_, src) = wd.wait_for("the list", |_, src| src.contains("pop.example.com:995")).await;
    assert!(src.contains("mail-error"));
    assert_no_secret(&src);
    wd.screenshot("console-admin-mail-accounts").await;
    wd.goto(&format!("{site}/admin/mail-accounts/sales")).await;
    let (_, src) = wd.wait_for("the account page", |_, src| src.contains("AUTHENTICATIONFAILED")).await;
    assert_no_secret(&src);
    // The whole page: status, settings and the form.
    wd.resize(1280, 3200).await;
    wd.screenshot("console-admin-mail-account").await;
    wd.quit().await;
}

/// Adds a POP3 account with OAuth2 straight through the engine.
async fn add_directly(h: &Harness, name: &str) {
    let account = chamado::MailAccount {
        name: name.into(),
        protocol: chamado::MailProtocol::Pop3,
        host: "pop.example.com".into(),
        port: 995,
        login: format!("{name}@example.com"),
        credential: MailCredential::Xoauth2 {
            refresh_token: REFRESH.into(),
            client_id: "helpdesk".into(),
            client_secret: CLIENT_SECRET.into(),
            token_url: "https://oauth.example.com/token".into(),
            scope: String::new(),
        },
        queue: "Raw".into(),
        after_import: chamado::AfterImport::Delete,
        ..chamado::MailAccount::default()
    };
    let admin = h.engine.admin(&chamado::Actor::System).await.unwrap();
    admin.put_mail_account(account).await.unwrap();
}
