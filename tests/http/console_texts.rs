//! The console's texts and notifications over HTTP: admins write auto-responses, salutations,
//! signatures, templates and notification settings through the forms (a broken template shows its
//! line and keeps what was typed; non-admins are refused), queues pick their texts; agents choose their
//! notifications and "My queues" (another group's queue is refused), link Telegram with a code, watch
//! tickets from the zoom, and fill the reply, note and phone-ticket forms from templates; Portuguese
//! pages speak Portuguese.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamado::{Actor, AutoResponseKind, LocalizedText, NotificationKind, TemplateKind};
use common::{ADMIN_TOKEN, Harness, Resp};
use console_support::{Console, HOST, get, location, login, set_password};
use serde_json::json;

/// The admin signed in, and agent `ana` (rw on `users`) with a password.
async fn setup(h: &Harness) -> Console<'_> {
    h.customer("acme").await;
    h.customer_user("alice", "acme").await;
    h.agent("ana", json!({"users": ["rw"]})).await;
    set_password(&h.engine, "ana", "pw-ana").await;
    set_password(&h.engine, "admin", "pw-admin").await;
    login(h, "admin", "pw-admin").await
}

/// The error notice next to a form.
fn form_error(html: &str) -> &str {
    let marker = "id=\"form-error\">";
    let start = html.find(marker).map_or(html.len(), |i| i + marker.len());
    html[start..].split("</p>").next().unwrap_or("")
}

/// The page's error notice (on top).
fn alert(html: &str) -> &str {
    let start = html.find("role=\"alert\">").map_or(html.len(), |i| i + "role=\"alert\">".len());
    html[start..].split("</p>").next().unwrap_or("")
}

/// A GET asking for `language` with Accept-Language.
async fn get_in(c: &Console<'_>, path: &str, language: &str) -> Resp {
    let req = Request::builder()
        .method("GET")
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::COOKIE, &c.cookie)
        .header(header::ACCEPT_LANGUAGE, language)
        .body(Body::empty())
        .unwrap();
    c.h.raw(req).await
}

/// Posts `fields`, asserting the redirect to `to`.
async fn saved(c: &Console<'_>, path: &str, fields: &[(&str, &str)], to: &str) {
    let r = c.post(path, fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.text);
    assert_eq!(location(&r), to, "{path}");
}

/// Adds answer template `name` offered in `queues`, through the form.
async fn add_template(admin: &Console<'_>, name: &str, kind: &str, queues: &[&str], subject: &str, body: &str) {
    let mut f = vec![
        ("name", name),
        ("kind", kind),
        ("subject:en", subject),
        ("body:en", body),
        ("subject:pt-BR", ""),
        ("body:pt-BR", ""),
        ("valid", "1"),
    ];
    for q in queues {
        f.push(("queue", q));
    }
    saved(admin, "/admin/templates", &f, &format!("/admin/templates/{}?done=saved", name.replace(' ', "%20"))).await;
}

#[tokio::test]
async fn admin_writes_every_kind_of_text_through_the_forms() {
    let h = Harness::new().await;
    let admin = setup(&h).await;
    let r = admin.get("/admin").await;
    for (href, label) in [
        ("/admin/auto-responses", "Auto-responses"),
        ("/admin/salutations", "Salutations"),
        ("/admin/signatures", "Signatures"),
        ("/admin/templates", "Templates"),
        ("/admin/notifications", "Agent notifications"),
    ] {
        assert!(r.text.contains(&format!("href=\"{href}\">{label}</a>")), "menu: {href}: {}", r.text);
    }

    // Auto-response: kinds offered, two languages, the variables box.
    let r = admin.get("/admin/auto-responses").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("No auto-response yet."), "{}", r.text);
    for text in ["Auto reply (new ticket)", "Auto reject (follow-up refused)", "name=\"subject:pt-BR\"", "urls"] {
        assert!(r.text.contains(text), "{text} missing: {}", r.text);
    }
    assert!(r.text.contains("<code>{{ ticket.number }}</code>"), "the help box shows the syntax: {}", r.text);
    saved(
        &admin,
        "/admin/auto-responses",
        &[
            ("name", "Welcome"),
            ("kind", "reply"),
            ("subject:en", "Re: {{ ticket.title }}"),
            ("body:en", "Hello {{ customer_user.first_name }},\r\nwe got it."),
            ("subject:pt-BR", "Re: {{ ticket.title }}"),
            ("body:pt-BR", "Olá {{ customer_user.first_name }},\r\nrecebemos."),
            ("comment", "new <tickets>"),
            ("valid", "1"),
        ],
        "/admin/auto-responses/Welcome?done=saved",
    )
    .await;
    let a = h.engine.auto_response("Welcome").await.unwrap().unwrap();
    assert_eq!(a.kind, AutoResponseKind::Reply);
    assert_eq!(a.texts.len(), 2);
    assert_eq!(
        a.texts[0],
        LocalizedText::new("en", "Re: {{ ticket.title }}", "Hello {{ customer_user.first_name }},\nwe got it.")
    );
    assert_eq!(a.comment, "new <tickets>");
    let r = admin.get("/admin/auto-responses/Welcome?done=saved").await;
    assert!(r.text.contains("Saved.") && r.text.contains("Olá {{ customer_user.first_name }},\nrecebemos.</textarea>"));
    let r = admin.get("/admin/auto-responses").await;
    assert!(r.text.contains("href=\"/admin/auto-responses/Welcome\"") && r.text.contains("en, pt-BR"), "{}", r.text);
    assert!(r.text.contains("new &#60;tickets&#62;"), "escaped: {}", r.text);
    // The same name again is refused, keeping the form.
    let r = admin
        .post("/admin/auto-responses", &[("name", "Welcome"), ("kind", "reply"), ("subject:en", "x"), ("body:en", "y")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    // Edit: a change of kind and comment; the name stays.
    saved(
        &admin,
        "/admin/auto-responses/Welcome",
        &[("name", "Other"), ("kind", "follow_up"), ("subject:en", "Got it"), ("body:en", "Thanks."), ("valid", "1")],
        "/admin/auto-responses/Welcome?done=saved",
    )
    .await;
    let a = h.engine.auto_response("Welcome").await.unwrap().unwrap();
    assert_eq!((a.kind, a.texts.len(), a.comment.as_str()), (AutoResponseKind::FollowUp, 1, ""));
    assert!(h.engine.auto_response("Other").await.unwrap().is_none());

    // Salutation and signature: bodies only.
    let r = admin.get("/admin/salutations").await;
    assert!(!r.text.contains("name=\"subject:en\"") && r.text.contains("name=\"body:en\""), "{}", r.text);
    saved(
        &admin,
        "/admin/salutations",
        &[("name", "Dear"), ("body:en", "Dear {{ customer_user.first_name }},"), ("valid", "1")],
        "/admin/salutations/Dear?done=saved",
    )
    .await;
    saved(
        &admin,
        "/admin/signatures",
        &[("name", "Team"), ("body:en", "-- \n{{ agent.name }}"), ("body:pt-BR", "-- \n{{ agent.name }}, equipe")],
        "/admin/signatures/Team?done=saved",
    )
    .await;
    assert_eq!(
        h.engine.salutation("Dear").await.unwrap().unwrap().texts[0].body,
        "Dear {{ customer_user.first_name }},"
    );
    let sig = h.engine.signature("Team").await.unwrap().unwrap();
    assert_eq!((sig.texts.len(), sig.valid), (2, false), "the valid box was not ticked");

    // Templates: kind and queues.
    let r = admin.get("/admin/templates").await;
    assert!(r.text.contains("<select id=\"queues\" name=\"queue\" multiple"), "{}", r.text);
    for kind in ["Answer", "Note", "Create (phone ticket)"] {
        assert!(r.text.contains(kind), "{kind}");
    }
    add_template(&admin, "Printer fixed", "answer", &["Raw", "Misc"], "Fixed", "It prints again.").await;
    let t = h.engine.template("Printer fixed").await.unwrap().unwrap();
    assert_eq!((t.kind, t.queues.clone()), (TemplateKind::Answer, vec!["Raw".to_string(), "Misc".to_string()]));
    let r = admin.get("/admin/templates/Printer%20fixed").await;
    assert!(r.text.contains("<option value=\"Misc\" selected>") && r.text.contains("<option value=\"Junk\">"));
    assert!(r.text.contains("<option value=\"answer\" selected>"), "{}", r.text);
    let r = admin.get("/admin/templates").await;
    assert!(r.text.contains("Raw, Misc"), "{}", r.text);
    // A queue that does not exist is refused with the engine's reason.
    let r = admin
        .post("/admin/templates", &[("name", "Ghost"), ("kind", "note"), ("body:en", "x"), ("queue", "Nowhere")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(form_error(&r.text).contains("Nowhere"), "{}", r.text);

    // Notifications: ten kinds; one changed, then back to the shipped settings.
    let r = admin.get("/admin/notifications").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text.matches("<tr id=\"notification-").count(), NotificationKind::ALL.len(), "{}", r.text);
    assert!(r.text.contains("Pending reminder due") && r.text.contains("Bounced reply"));
    let r = admin.get("/admin/notifications/follow_up").await;
    assert!(r.text.contains("name=\"agent_may_choose\" value=\"1\" checked"), "{}", r.text);
    assert!(!r.text.contains("/admin/notifications/follow_up/reset"), "nothing to reset yet");
    saved(
        &admin,
        "/admin/notifications/follow_up",
        &[
            ("valid", "1"),
            ("telegram", "1"),
            ("subject:en", "[{{ ticket.number }}] follow-up"),
            ("body:en", "{{ urls.ticket }}"),
        ],
        "/admin/notifications/follow_up?done=saved",
    )
    .await;
    let n = h.engine.notification_def(NotificationKind::FollowUp).await.unwrap();
    assert!(n.valid && !n.email && n.telegram && !n.agent_may_choose);
    assert_eq!(n.texts, vec![LocalizedText::new("en", "[{{ ticket.number }}] follow-up", "{{ urls.ticket }}")]);
    // A notification text needs a subject.
    let r = admin.post("/admin/notifications/follow_up", &[("valid", "1"), ("body:en", "no subject")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form_error(&r.text).contains("needs a subject") && r.text.contains(">no subject</textarea>"), "{}", r.text);
    assert_eq!(admin.get("/admin/notifications/no_such_thing").await.status, StatusCode::NOT_FOUND);
    let r = admin.get("/admin/notifications").await;
    assert!(r.text.contains("<td data-label=\"Texts\">en</td>"), "{}", r.text);
    let r = admin.post("/admin/notifications/follow_up/reset", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let n = h.engine.notification_def(NotificationKind::FollowUp).await.unwrap();
    assert!(n.email && n.agent_may_choose && n.texts.is_empty(), "shipped again");

    // Delete after a confirmation; one a queue uses is kept, naming the queue.
    let r = admin.get("/admin/salutations/Dear/delete").await;
    assert!(r.text.contains("action=\"/admin/salutations/Dear/delete\""), "{}", r.text);
    let mut raw = h.engine.queue("Raw").await.unwrap();
    raw.salutation = Some("Dear".into());
    h.engine.admin(&Actor::System).await.unwrap().put_queue(raw).await.unwrap();
    let r = admin.post("/admin/salutations/Dear/delete", &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(alert(&r.text).contains("Raw"), "{}", r.text);
    saved(&admin, "/admin/signatures/Team/delete", &[], "/admin/signatures?done=deleted").await;
    assert!(h.engine.signature("Team").await.unwrap().is_none());
    assert_eq!(admin.get("/admin/signatures/Team").await.status, StatusCode::NOT_FOUND);
    // Without the CSRF token nothing happens.
    let r = admin.post_without_csrf("/admin/templates/Printer%20fixed/delete", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(h.engine.template("Printer fixed").await.unwrap().is_some());
}

#[tokio::test]
async fn a_broken_template_shows_its_line_and_keeps_what_was_typed() {
    let h = Harness::new().await;
    let admin = setup(&h).await;
    let broken = "Hello {{ customer_user.first_name }},\r\n<b>owner</b>\r\n{% if %}\r\n";
    let r = admin
        .post(
            "/admin/templates",
            &[
                ("name", "Broken"),
                ("kind", "note"),
                ("subject:en", "Kept <subject>"),
                ("body:en", broken),
                ("queue", "Misc"),
                ("comment", "my comment"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let e = form_error(&r.text);
    assert!(e.contains("does not work as a template") && e.contains("(line 3)"), "{e}");
    // The form holds what was typed (escaped), the kind and queue chosen.
    assert!(r.text.contains("value=\"Broken\""), "{}", r.text);
    assert!(r.text.contains("value=\"Kept &#60;subject&#62;\""), "{}", r.text);
    assert!(
        r.text.contains(">Hello {{ customer_user.first_name }},\n&#60;b&#62;owner&#60;/b&#62;\n{% if %}\n</textarea>"),
        "{}",
        r.text
    );
    assert!(r.text.contains("<option value=\"note\" selected>") && r.text.contains("<option value=\"Misc\" selected>"));
    assert!(r.text.contains("value=\"my comment\""));
    assert!(h.engine.template("Broken").await.unwrap().is_none(), "nothing saved");
    // An unknown variable is named too, on an edit.
    add_template(&admin, "Fine", "answer", &["Raw"], "", "ok").await;
    let r = admin.post("/admin/templates/Fine", &[("kind", "answer"), ("body:en", "one\n{{ custmer.name }}")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form_error(&r.text).contains("(line 2)"), "{}", r.text);
    assert!(r.text.contains(">one\n{{ custmer.name }}</textarea>"), "{}", r.text);
    assert_eq!(h.engine.template("Fine").await.unwrap().unwrap().texts[0].body, "ok", "the stored one stays");
    // Nothing in any language: refused, translated.
    let r = admin.post("/admin/salutations", &[("name", "Empty"), ("body:en", "  ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form_error(&r.text).contains("at least one text"), "{}", r.text);
    // A kind outside the choices.
    let r = admin
        .post("/admin/auto-responses", &[("name", "X"), ("kind", "shout"), ("subject:en", "s"), ("body:en", "b")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form_error(&r.text).contains("shout"), "{}", r.text);
}

#[tokio::test]
async fn non_admins_are_refused() {
    let h = Harness::new().await;
    let admin = setup(&h).await;
    add_template(&admin, "Fine", "answer", &["Raw"], "", "ok").await;
    let ana = login(&h, "ana", "pw-ana").await;
    for path in [
        "/admin/auto-responses",
        "/admin/salutations",
        "/admin/signatures",
        "/admin/templates",
        "/admin/templates/Fine",
        "/admin/templates/Fine/delete",
        "/admin/notifications",
        "/admin/notifications/new_ticket",
    ] {
        assert_eq!(ana.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
        let r = get(&h, path, None).await;
        assert_eq!((r.status, location(&r).as_str()), (StatusCode::SEE_OTHER, "/agent/login"), "{path}");
    }
    let r = ana.post("/admin/templates", &[("name", "Mine"), ("kind", "answer"), ("body:en", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = ana.post("/admin/templates/Fine/delete", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = ana.post("/admin/notifications/new_ticket", &[("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(h.engine.template("Mine").await.unwrap().is_none() && h.engine.template("Fine").await.unwrap().is_some());
    assert!(h.engine.notification_def(NotificationKind::NewTicket).await.unwrap().email, "unchanged");
    assert!(!ana.get("/agent").await.text.contains("href=\"/admin\""), "no admin link for ana");
}

#[tokio::test]
async fn the_queue_form_assigns_texts() {
    let h = Harness::new().await;
    let admin = setup(&h).await;
    for (name, kind) in
        [("Welcome", "reply"), ("Refused", "reject"), ("Taken", "follow_up"), ("Reopened", "reply_new_ticket")]
    {
        let fields = [("name", name), ("kind", kind), ("subject:en", "s"), ("body:en", "b"), ("valid", "1")];
        saved(&admin, "/admin/auto-responses", &fields, &format!("/admin/auto-responses/{name}?done=saved")).await;
    }
    saved(
        &admin,
        "/admin/salutations",
        &[("name", "Dear"), ("body:en", "Dear,")],
        "/admin/salutations/Dear?done=saved",
    )
    .await;
    saved(&admin, "/admin/signatures", &[("name", "Team"), ("body:en", "Team")], "/admin/signatures/Team?done=saved")
        .await;

    let r = admin.get("/admin/queues/Raw").await;
    assert_eq!(r.status, StatusCode::OK);
    // Each kind offers its own auto-responses only, with what "none" means.
    let select = |id: &str| {
        let start = r.text.find(&format!("<select id=\"{id}\"")).unwrap_or_else(|| panic!("no {id}: {}", r.text));
        r.text[start..].split("</select>").next().unwrap().to_string()
    };
    assert!(select("auto_reply").contains(">the shipped answer<") && select("auto_reply").contains(">Welcome<"));
    assert!(!select("auto_reply").contains("Refused"));
    assert!(select("auto_reject").contains(">none (nothing is sent)<") && select("auto_reject").contains(">Refused<"));
    assert!(select("auto_follow_up").contains(">Taken<") && select("auto_reply_new_ticket").contains(">Reopened<"));
    assert!(select("salutation").contains(">Dear<") && select("signature").contains(">Team<"));

    let form = |extra: &[(&'static str, &'static str)]| {
        let mut f = vec![("group", "users"), ("follow_up", "possible"), ("valid", "1")];
        f.extend_from_slice(extra);
        f
    };
    let all = [
        ("auto_reply", "Welcome"),
        ("auto_reject", "Refused"),
        ("auto_follow_up", ""),
        ("auto_reply_new_ticket", "Reopened"),
        ("salutation", "Dear"),
        ("signature", "Team"),
        ("unlock_timeout_minutes", "30"),
    ];
    saved(&admin, "/admin/queues/Raw", &form(&all), "/admin/queues/Raw?done=saved").await;
    let q = h.engine.queue("Raw").await.unwrap();
    assert_eq!(q.auto_responses.reply.as_deref(), Some("Welcome"));
    assert_eq!(q.auto_responses.reject.as_deref(), Some("Refused"));
    assert_eq!(q.auto_responses.follow_up, None);
    assert_eq!(q.auto_responses.reply_new_ticket.as_deref(), Some("Reopened"));
    assert_eq!(
        (q.salutation.as_deref(), q.signature.as_deref(), q.unlock_timeout_minutes),
        (Some("Dear"), Some("Team"), 30)
    );
    let r = admin.get("/admin/queues/Raw").await;
    assert!(
        r.text.contains("<option value=\"Welcome\" selected>") && r.text.contains("<option value=\"Dear\" selected>")
    );
    assert!(r.text.contains("value=\"30\""), "{}", r.text);

    // The engine refuses an auto-response of another kind; the form refuses a timeout that is no number.
    let r = admin.post("/admin/queues/Raw", &form(&[("auto_follow_up", "Welcome")])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(alert(&r.text).contains("Welcome") && alert(&r.text).contains("follow_up"), "{}", r.text);
    let r = admin.post("/admin/queues/Raw", &form(&[("unlock_timeout_minutes", "soon")])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(alert(&r.text).contains("whole number of minutes"), "{}", r.text);
    assert_eq!(h.engine.queue("Raw").await.unwrap().unlock_timeout_minutes, 30, "unchanged");
    // A new queue with its texts; then back to the shipped answer and nothing else.
    saved(
        &admin,
        "/admin/queues",
        &[("name", "Sales"), ("group", "users"), ("follow_up", "reject"), ("auto_reject", "Refused"), ("valid", "1")],
        "/admin/queues?done=saved",
    )
    .await;
    assert_eq!(h.engine.queue("Sales").await.unwrap().auto_responses.reject.as_deref(), Some("Refused"));
    saved(&admin, "/admin/queues/Raw", &form(&[]), "/admin/queues/Raw?done=saved").await;
    let q = h.engine.queue("Raw").await.unwrap();
    assert_eq!((q.auto_responses.reply, q.salutation, q.unlock_timeout_minutes), (None, None, 0));
}

#[tokio::test]
async fn agents_choose_notifications_and_my_queues() {
    let h = Harness::new().await;
    let admin = setup(&h).await;
    h.admin("POST", "/api/v1/groups", Some(json!({"name": "secret"}))).await;
    h.admin("POST", "/api/v1/queues", Some(json!({"name": "Vault", "group": "secret"}))).await;
    // Owner set: the admins decide (by mail, also by Telegram); agents may not choose.
    saved(
        &admin,
        "/admin/notifications/owner_set",
        &[("valid", "1"), ("email", "1"), ("telegram", "1")],
        "/admin/notifications/owner_set?done=saved",
    )
    .await;
    let ana = login(&h, "ana", "pw-ana").await;
    let r = ana.get("/agent/preferences").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text.matches("<tr id=\"notify-").count(), NotificationKind::ALL.len(), "{}", r.text);
    let row = |html: &str, kind: &str| {
        let start = html.find(&format!("<tr id=\"notify-{kind}\"")).unwrap_or_else(|| panic!("no row {kind}"));
        html[start..].split("</tr>").next().unwrap().to_string()
    };
    let owner = row(&r.text, "owner_set");
    assert!(owner.contains("class=\"fixed\"") && owner.contains("(set by the admins)"), "{owner}");
    assert_eq!(owner.matches(" checked disabled>").count(), 2, "the admins' values, not to change: {owner}");
    let new_ticket = row(&r.text, "new_ticket");
    assert!(new_ticket.contains("name=\"email:new_ticket\" value=\"1\" checked>"), "shipped: by mail: {new_ticket}");
    assert!(new_ticket.contains("name=\"telegram:new_ticket\" value=\"1\">"), "{new_ticket}");
    // My queues: the queues ana may read, not Vault.
    assert!(r.text.contains("name=\"queue:Raw\"") && r.text.contains("name=\"queue:Misc\""), "{}", r.text);
    assert!(!r.text.contains("Vault"), "{}", r.text);
    assert!(r.text.contains("Telegram notifications reach you once you link"));

    // Save: new tickets by Telegram only, follow-ups by both, the rest off; Raw and Misc are mine.
    saved(
        &ana,
        "/agent/preferences/notifications",
        &[
            ("telegram:new_ticket", "1"),
            ("email:follow_up", "1"),
            ("telegram:follow_up", "1"),
            ("queue:Raw", "1"),
            ("queue:Misc", "1"),
        ],
        "/agent/preferences?done=notifications",
    )
    .await;
    let s = h.engine.notification_settings(&Actor::Agent("ana".into())).await.unwrap();
    assert_eq!(s.my_queues, vec!["Raw".to_string(), "Misc".to_string()]);
    let of = |k: NotificationKind| s.kinds.iter().find(|x| x.def.kind == k).map(|x| (x.email, x.telegram)).unwrap();
    assert_eq!(of(NotificationKind::NewTicket), (false, true));
    assert_eq!(of(NotificationKind::FollowUp), (true, true));
    assert_eq!(of(NotificationKind::LockTimeout), (false, false));
    assert_eq!(of(NotificationKind::OwnerSet), (true, true), "the admins' setting binds");
    let r = ana.get("/agent/preferences?done=notifications").await;
    assert!(r.text.contains("role=\"status\"") && r.text.contains("name=\"queue:Misc\" value=\"1\" checked>"));
    assert!(row(&r.text, "new_ticket").contains("name=\"telegram:new_ticket\" value=\"1\" checked>"));

    // Another group's queue is refused, and nothing changes.
    let r = ana.post("/agent/preferences/notifications", &[("queue:Raw", "1"), ("queue:Vault", "1")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(alert(&r.text).contains("Vault"), "{}", r.text);
    let s = h.engine.notification_settings(&Actor::Agent("ana".into())).await.unwrap();
    assert_eq!(s.my_queues, vec!["Raw".to_string(), "Misc".to_string()]);
    // Without the CSRF token: refused.
    let r = ana.post_without_csrf("/agent/preferences/notifications", &[("queue:Junk", "1")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The language form beside it does not touch the notifications.
    saved(&ana, "/agent/preferences", &[("language", "en"), ("time_zone", "")], "/agent/preferences?done=saved").await;
    let s = h.engine.notification_settings(&Actor::Agent("ana".into())).await.unwrap();
    assert_eq!(s.my_queues.len(), 2);
}

#[tokio::test]
async fn a_link_code_links_telegram_and_unlink_forgets_it() {
    let h = Harness::new().await;
    let _admin = setup(&h).await;
    let ana = login(&h, "ana", "pw-ana").await;
    let r = ana.get("/agent/preferences").await;
    assert!(r.text.contains("action=\"/agent/preferences/telegram-code\"") && !r.text.contains("id=\"link-code\""));
    let r = ana.post("/agent/preferences/telegram-code", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let marker = "id=\"link-code\">";
    let start = r.text.find(marker).unwrap_or_else(|| panic!("no code: {}", r.text)) + marker.len();
    let code = r.text[start..].split('<').next().unwrap().to_string();
    assert_eq!(code.len(), 10);
    assert!(code.bytes().all(|b| b.is_ascii_alphanumeric()), "{code}");
    assert!(r.text.contains(&format!("<kbd>/link {code}</kbd>")) && r.text.contains("Get another code"));
    // A second code is another one.
    let again = ana.post("/agent/preferences/telegram-code", &[]).await;
    assert!(!again.text.contains(&format!("{marker}{code}<")));
    assert_eq!(ana.post_without_csrf("/agent/preferences/telegram-code", &[]).await.status, StatusCode::FORBIDDEN);

    // The bot redeems it: ana's chat.
    let linked = h.engine.redeem_agent_link_code("telegram", &code, "4242").await.unwrap();
    assert_eq!(linked, Ok("ana".to_string()));
    let r = ana.get("/agent/preferences").await;
    assert!(
        r.text.contains("id=\"telegram-linked\"") && r.text.contains("action=\"/agent/preferences/telegram-unlink\"")
    );
    assert!(!r.text.contains("Telegram notifications reach you once you link"));
    saved(&ana, "/agent/preferences/telegram-unlink", &[], "/agent/preferences?done=unlinked").await;
    assert_eq!(h.engine.agent("ana").await.unwrap().unwrap().telegram_chat, None);
    let r = ana.get("/agent/preferences?done=unlinked").await;
    assert!(r.text.contains("Telegram is unlinked") && r.text.contains("Get a link code"), "{}", r.text);
}

#[tokio::test]
async fn agents_watch_and_unwatch_from_the_zoom() {
    let h = Harness::new().await;
    let _admin = setup(&h).await;
    let number =
        h.open(ADMIN_TOKEN, json!({"title": "Printer", "body": "x", "queue": "Raw", "customer_user": "alice"})).await;
    let ana = login(&h, "ana", "pw-ana").await;
    let zoom = format!("/agent/tickets/{number}");
    let r = ana.get(&zoom).await;
    assert!(r.text.contains("Nobody watches this ticket.") && r.text.contains(&format!("action=\"{zoom}/watch\"")));
    assert_eq!(ana.post_without_csrf(&format!("{zoom}/watch"), &[]).await.status, StatusCode::FORBIDDEN);
    saved(&ana, &format!("{zoom}/watch"), &[], &format!("{zoom}?done=watch")).await;
    let t = h.engine.ticket(&Actor::System, &number).await.unwrap().ticket;
    assert_eq!(t.watchers, vec!["ana".to_string()]);
    let r = ana.get(&format!("{zoom}?done=watch")).await;
    assert!(r.text.contains("You watch this ticket") && r.text.contains("<li>ana</li>"), "{}", r.text);
    assert!(
        r.text.contains(&format!("action=\"{zoom}/unwatch\"")) && !r.text.contains(&format!("action=\"{zoom}/watch\""))
    );
    saved(&ana, &format!("{zoom}/unwatch"), &[], &format!("{zoom}?done=unwatch")).await;
    assert!(h.engine.ticket(&Actor::System, &number).await.unwrap().ticket.watchers.is_empty());
    assert!(ana.get(&format!("{zoom}?done=unwatch")).await.text.contains("You no longer watch this ticket."));
    // An agent who cannot read the ticket cannot watch it.
    h.agent("nobody", json!({})).await;
    set_password(&h.engine, "nobody", "pw-nobody").await;
    let nobody = login(&h, "nobody", "pw-nobody").await;
    assert_eq!(nobody.post(&format!("{zoom}/watch"), &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn template_pickers_fill_the_reply_note_and_phone_forms() {
    let h = Harness::new().await;
    let admin = setup(&h).await;
    add_template(
        &admin,
        "Thanks",
        "answer",
        &["Raw"],
        "Re: [{{ ticket.number }}]",
        "Hello {{ customer_user.first_name }},\n{{ agent.name }} <desk>",
    )
    .await;
    add_template(&admin, "Elsewhere", "answer", &["Misc"], "", "not for Raw").await;
    add_template(&admin, "Checked", "note", &["Raw"], "", "Checked the {{ queue.name }} queue.").await;
    add_template(
        &admin,
        "Phone call",
        "create",
        &["Raw"],
        "Call from {{ customer_user.name }}",
        "{{ customer.name }} called.",
    )
    .await;
    let number =
        h.open(ADMIN_TOKEN, json!({"title": "Printer", "body": "x", "queue": "Raw", "customer_user": "alice"})).await;
    let ana = login(&h, "ana", "pw-ana").await;
    let zoom = format!("/agent/tickets/{number}");

    let r = ana.get(&zoom).await;
    assert!(
        r.text.contains("<select id=\"answer_template\" name=\"answer_template\"><option value=\"Thanks\">"),
        "{}",
        r.text
    );
    assert!(
        r.text.contains("<select id=\"note_template\" name=\"note_template\"><option value=\"Checked\">"),
        "{}",
        r.text
    );
    assert!(!r.text.contains("Elsewhere") && !r.text.contains("Phone call"), "only the queue's, of the kind");
    assert!(r.text.contains("<details class=\"card\" id=\"act-reply\"><summary>"), "closed until used");

    let r = ana.get(&format!("{zoom}?answer_template=Thanks")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("<details class=\"card\" id=\"act-reply\" open>"), "{}", r.text);
    assert!(r.text.contains(&format!("id=\"reply-subject\" name=\"subject\" value=\"Re: [{number}]\"")), "{}", r.text);
    assert!(r.text.contains("name=\"body\" required>Hello alice,\nana &#60;desk&#62;</textarea>"), "{}", r.text);
    assert!(r.text.contains("<option value=\"Thanks\" selected>"));
    let r = ana.get(&format!("{zoom}?note_template=Checked")).await;
    assert!(r.text.contains("name=\"body\" required>Checked the Raw queue.</textarea>"), "{}", r.text);
    // A template of another queue is not offered: said, the forms empty.
    let r = ana.get(&format!("{zoom}?answer_template=Elsewhere")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(alert(&r.text).contains("Elsewhere") && !r.text.contains("not for Raw"), "{}", r.text);

    // The filled reply sent as it is.
    let body = "Hello alice,\nana <desk>";
    let subject = format!("Re: [{number}]");
    let r = ana.post(&format!("{zoom}/reply"), &[("subject", &subject), ("body", body)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let view = h.engine.ticket(&Actor::System, &number).await.unwrap();
    let last = view.articles.last().unwrap();
    assert_eq!((last.subject.as_str(), last.body.as_str()), (subject.as_str(), body));

    // The phone-ticket form: the queue's create templates, filled for the customer user.
    let r = ana.get("/agent/tickets/new?customer_user=alice").await;
    assert!(r.text.contains("<select id=\"template-queue\" name=\"queue\">") && !r.text.contains("create_template"));
    let r = ana.get("/agent/tickets/new?customer_user=alice&queue=Misc").await;
    assert!(r.text.contains("This queue has no template for new tickets."), "{}", r.text);
    let r = ana.get("/agent/tickets/new?customer_user=alice&queue=Raw").await;
    assert!(r.text.contains("<option value=\"Phone call\">"), "{}", r.text);
    let r = ana.get("/agent/tickets/new?customer_user=alice&queue=Raw&create_template=Phone%20call").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("id=\"title\" name=\"title\" required value=\"Call from alice Tester\""), "{}", r.text);
    assert!(r.text.contains(">acme Inc. called.</textarea>"), "{}", r.text);
    assert!(r.text.contains("<option value=\"Raw\" selected>Raw</option>"), "the queue chosen: {}", r.text);
    // A template of another queue fills nothing.
    let r = ana.get("/agent/tickets/new?customer_user=alice&queue=Misc&create_template=Phone%20call").await;
    assert!(!r.text.contains("Call from"), "{}", r.text);
}

#[tokio::test]
async fn portuguese_pages_speak_portuguese() {
    let h = Harness::new().await;
    let admin = setup(&h).await;
    for (path, texts) in [
        (
            "/admin/templates",
            &["Modelos", "Adicionar modelo", "Variáveis de modelo", "Oferecido nas filas", "Resposta"][..],
        ),
        ("/admin/auto-responses", &["Respostas automáticas", "Rejeição automática (acompanhamento recusado)"][..]),
        ("/admin/salutations", &["Saudações", "Nenhuma saudação ainda."][..]),
        ("/admin/signatures", &["Assinaturas"][..]),
        ("/admin/notifications", &["Notificações de agentes", "Novo chamado", "Agentes podem escolher"][..]),
        ("/admin/queues/Raw", &["a resposta padrão", "Tempo para desbloqueio (minutos)"][..]),
    ] {
        let r = get_in(&admin, path, "pt-BR").await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.text.contains("<html lang=\"pt-BR\">"), "{path}");
        for text in texts {
            assert!(r.text.contains(text), "{path}: {text} missing: {}", r.text);
        }
    }
    // The engine's refusal, in Portuguese, with its line.
    let req = Request::builder()
        .method("POST")
        .uri("/admin/templates")
        .header(header::HOST, HOST)
        .header(header::COOKIE, &admin.cookie)
        .header(header::ACCEPT_LANGUAGE, "pt-BR")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={}&name=X&kind=answer&body%3Aen=%7B%25+if+%25%7D", admin.csrf)))
        .unwrap();
    let r = h.raw(req).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form_error(&r.text).contains("não funciona como modelo (linha 1)"), "{}", r.text);

    // The agent chose Portuguese.
    let number = h
        .open(ADMIN_TOKEN, json!({"title": "Impressora", "body": "x", "queue": "Raw", "customer_user": "alice"}))
        .await;
    let ana = login(&h, "ana", "pw-ana").await;
    saved(&ana, "/agent/preferences", &[("language", "pt-BR"), ("time_zone", "")], "/agent/preferences?done=saved")
        .await;
    let r = ana.get("/agent/preferences").await;
    for text in [
        "Notificações",
        "Minhas filas",
        "Obter um código de vínculo",
        "Resposta do cliente",
        "Salvar notificações e filas",
    ] {
        assert!(r.text.contains(text), "{text} missing: {}", r.text);
    }
    let r = ana.get(&format!("/agent/tickets/{number}")).await;
    assert!(r.text.contains("Observadores") && r.text.contains("Acompanhar este chamado"), "{}", r.text);
}
