//! The admin screens in the admin's language (their own choice, else Accept-Language, else English),
//! and the language and time zone fields of the customer user and agent forms.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod console_support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Harness, Resp};
use console_support::{Console, HOST, location, login, set_password};

/// A GET of the console session asking for `language` with Accept-Language.
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

/// The text of the page's error notice.
fn alert(html: &str) -> &str {
    let start = html.find("role=\"alert\">").map_or(html.len(), |i| i + "role=\"alert\">".len());
    html[start..].split("</p>").next().unwrap_or("")
}

/// Signs in the `admin` agent, with a customer `acme` and its customer user `bob`.
async fn admin_with_bob(h: &Harness) -> Console<'_> {
    set_password(&h.engine, "admin", "pw-admin").await;
    let admin = login(h, "admin", "pw-admin").await;
    let r = admin.post("/admin/customers", &[("id", "acme"), ("name", "Acme"), ("valid", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = admin
        .post(
            "/admin/customer-users",
            &[("login", "bob"), ("email", "bob@acme.example"), ("customer_id", "acme"), ("valid", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    admin
}

/// The `admin` agent's form fields as they are, with `changes` over them.
fn agent_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields =
        vec![("first_name", "Ada"), ("last_name", "Admin"), ("email", "admin@desk.example"), ("valid", "1")];
    fields.extend_from_slice(changes);
    fields
}

#[tokio::test]
async fn admin_screens_speak_accept_language_then_the_agents_own() {
    let h = Harness::new().await;
    let admin = admin_with_bob(&h).await;

    // Nobody chose: English, whatever the screen.
    let r = admin.get("/admin/customer-users").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("<html lang=\"en\">") && r.text.contains("Add customer user"), "{}", r.text);
    assert!(!r.text.contains("Usuários clientes"));

    // The browser asks for Portuguese: the OTRS pt-BR vocabulary.
    let r = get_in(&admin, "/admin/customer-users", "pt-BR,pt;q=0.9,en;q=0.5").await;
    assert!(r.text.contains("<html lang=\"pt-BR\">"), "{}", r.text);
    for text in ["Administração", "Usuários clientes", "Adicionar usuário cliente", "Clientes", "Grupos", "Serviços"]
    {
        assert!(r.text.contains(text), "{text} missing: {}", r.text);
    }
    assert!(!r.text.contains("Add customer user"), "{}", r.text);
    let r = get_in(&admin, "/admin/customers", "pt-BR").await;
    assert!(r.text.contains("Adicionar cliente"), "{}", r.text);
    // The grant grid: OTRS's heading, "Salvar"/"Salvar e concluir", permissions still `ro`/`rw`.
    let r = get_in(&admin, "/admin/customer-users/bob/groups", "pt-BR").await;
    assert!(r.text.contains("Usuário cliente &#60;-&#62; Grupos: bob"), "{}", r.text);
    assert!(r.text.contains(">Salvar</button>") && r.text.contains(">Salvar e concluir</button>"), "{}", r.text);
    assert!(r.text.contains("<th scope=\"col\">ro</th>") && r.text.contains("<th scope=\"col\">rw</th>"));
    let r = get_in(&admin, "/admin/customer-users/bob/services", "pt-BR").await;
    assert!(r.text.contains("Usuário cliente &#60;-&#62; Serviços: bob"), "{}", r.text);
    let r = get_in(&admin, "/admin/default-services", "pt-BR").await;
    assert!(r.text.contains("Alterar serviços padrão"), "{}", r.text);
    let r = get_in(&admin, "/admin/states", "pt-BR").await;
    assert!(r.text.contains("pendente automático") && r.text.contains("fechado"), "{}", r.text);

    // The admin chooses Portuguese and São Paulo on its own form: pages follow it, whatever is asked.
    let r = admin
        .post("/admin/agents/admin", &agent_fields(&[("language", "pt_BR"), ("time_zone", "America/Sao_Paulo")]))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(location(&r), "/admin/agents?done=saved");
    let stored = h.engine.agent("admin").await.unwrap().unwrap();
    assert_eq!(stored.language.as_deref(), Some("pt-BR"), "stored in its one spelling");
    assert_eq!(stored.time_zone.as_deref(), Some("America/Sao_Paulo"));
    let r = admin.get("/admin/agents?done=saved").await;
    assert!(r.text.contains("<html lang=\"pt-BR\">") && r.text.contains("Salvo."), "{}", r.text);
    assert!(r.text.contains("Adicionar agente") && r.text.contains("Pesquisar agentes"), "{}", r.text);
    let r = get_in(&admin, "/admin", "en").await;
    assert!(r.text.contains("Administração") && r.text.contains("Escolha uma tela acima."), "{}", r.text);
    // The form shows the choices back: the language selected, the zone in its field with suggestions.
    let r = admin.get("/admin/agents/admin").await;
    assert!(r.text.contains("<option value=\"pt-BR\" selected>"), "{}", r.text);
    assert!(r.text.contains("name=\"time_zone\" list=\"time-zones\" value=\"America/Sao_Paulo\""), "{}", r.text);
    assert!(r.text.contains("<option value=\"Europe/Lisbon\">"), "the zones are suggested");

    // Back to the system default: English again.
    let r = admin.post("/admin/agents/admin", &agent_fields(&[("language", ""), ("time_zone", "")])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let stored = h.engine.agent("admin").await.unwrap().unwrap();
    assert_eq!((stored.language, stored.time_zone), (None, None));
    assert!(admin.get("/admin").await.text.contains("Choose a screen above."));
}

#[tokio::test]
async fn a_customer_users_language_is_set_through_the_form() {
    let h = Harness::new().await;
    let admin = admin_with_bob(&h).await;
    let r = admin.get("/admin/customer-users/bob").await;
    assert!(r.text.contains("<select id=\"language\" name=\"language\"><option value=\"\">System default</option>"));
    assert!(r.text.contains("<option value=\"pt-BR\">Português"), "every language by its name: {}", r.text);

    let edit = |language: &'static str| {
        [("email", "bob@acme.example"), ("customer_id", "acme"), ("language", language), ("valid", "1")]
    };
    let r = admin.post("/admin/customer-users/bob", &edit("pt-BR")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let bob = h.engine.customer_user("bob").await.unwrap().unwrap();
    assert_eq!(bob.language.as_deref(), Some("pt-BR"));
    let r = admin.get("/admin/customer-users").await;
    assert!(r.text.contains("<td data-label=\"Language\">pt-BR</td>"), "the list shows it: {}", r.text);

    // A new customer user with its language from the add form.
    let r = admin
        .post(
            "/admin/customer-users",
            &[
                ("login", "ana"),
                ("email", "ana@acme.example"),
                ("customer_id", "acme"),
                ("language", "en"),
                ("valid", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(h.engine.customer_user("ana").await.unwrap().unwrap().language.as_deref(), Some("en"));

    // A language chamado does not speak is refused on the form, which keeps what was typed.
    let r = admin.post("/admin/customer-users/bob", &edit("tlh")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(alert(&r.text).contains("“tlh” is not a language this help desk speaks"), "{}", r.text);
    assert!(r.text.contains("action=\"/admin/customer-users/bob\""), "the form is shown again");
    assert_eq!(h.engine.customer_user("bob").await.unwrap().unwrap().language.as_deref(), Some("pt-BR"));

    // Cleared: the system's language.
    let r = admin.post("/admin/customer-users/bob", &edit("")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(h.engine.customer_user("bob").await.unwrap().unwrap().language, None);
}

#[tokio::test]
async fn a_bad_time_zone_is_refused_with_the_form_shown_again() {
    let h = Harness::new().await;
    let admin = admin_with_bob(&h).await;

    let r = admin.post("/admin/agents/admin", &agent_fields(&[("time_zone", "Mars/Olympus")])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(alert(&r.text).contains("“Mars/Olympus” is not a time zone name such as America/Sao_Paulo"), "{}", r.text);
    assert!(r.text.contains("action=\"/admin/agents/admin\""), "the form is shown again");
    assert!(r.text.contains("value=\"Mars/Olympus\""), "with what was typed: {}", r.text);
    assert_eq!(h.engine.agent("admin").await.unwrap().unwrap().time_zone, None, "nothing stored");

    // In Portuguese, the refusal is too.
    let r = admin.post("/admin/agents/admin", &agent_fields(&[("language", "pt-BR")])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r =
        admin.post("/admin/agents/admin", &agent_fields(&[("language", "pt-BR"), ("time_zone", "Mars/Olympus")])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(alert(&r.text).contains("“Mars/Olympus” não é um nome de fuso horário"), "{}", r.text);

    // A new agent with a bad zone: the add form again, filled in; no agent made.
    let new_agent = [("login", "carla"), ("first_name", "Carla"), ("time_zone", "Nowhere"), ("valid", "1")];
    let r = admin.post("/admin/agents", &new_agent).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("action=\"/admin/agents\"") && r.text.contains("value=\"carla\""), "{}", r.text);
    assert!(h.engine.agent("carla").await.unwrap().is_none());

    // A good one is stored as given.
    let new_agent = [("login", "carla"), ("first_name", "Carla"), ("time_zone", "Europe/Lisbon"), ("valid", "1")];
    let r = admin.post("/admin/agents", &new_agent).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let carla = h.engine.agent("carla").await.unwrap().unwrap();
    assert_eq!(carla.time_zone.as_deref(), Some("Europe/Lisbon"));
}
