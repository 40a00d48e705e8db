//! Service grants: customer user <-> services and the default services.

use super::forms::Checks;
use super::services::valid_service_names;
use super::view::{Head, bad, chrome, show};
use super::{AdminUser, AgentUser, ListQuery, admin, href, must_exist, see_other};
use crate::csrf::CsrfForm;
use crate::page::Frame;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{Grant, GrantSubject, GrantTarget, RecordKind};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};
use chamado_i18n::Tr;

/// A service's checkbox.
struct Item {
    name: String,
    held: bool,
}

/// The list of services with a checkbox each.
#[derive(Template)]
#[template(path = "admin/service_grants.html")]
struct ServicesPage {
    frame: Frame,
    head: Head,
    action: String,
    /// Offer "Select all services" (the defaults).
    all_toggle: bool,
    items: Vec<Item>,
}

/// The services screen of one subject.
struct Screen {
    subject: GrantSubject,
    heading: String,
    section: &'static str,
    here: String,
    back: &'static str,
    all_toggle: bool,
}

impl Screen {
    fn customer_user(tr: &Tr, login: &str) -> Self {
        Screen {
            subject: GrantSubject::CustomerUser(login.to_string()),
            heading: tr.t1("admin-heading-customer-user-services", "login", login),
            section: "customer-users",
            here: href("/admin/customer-users", login, "/services"),
            back: "/admin/customer-users",
            all_toggle: false,
        }
    }

    fn defaults(tr: &Tr) -> Self {
        Screen {
            subject: GrantSubject::DefaultCustomerUsers,
            heading: tr.t("admin-heading-default-services"),
            section: "default-services",
            here: "/admin/default-services".into(),
            back: "/admin",
            all_toggle: true,
        }
    }

    /// The services the subject is granted directly.
    async fn held(&self, st: &AppState, user: &AgentUser) -> Result<Vec<String>, Problem> {
        Ok(admin(st, user)
            .await?
            .grants_of(&self.subject)
            .await?
            .into_iter()
            .filter_map(|g| if let GrantTarget::Service(s) = g.target { Some(s) } else { None })
            .collect())
    }

    async fn page(self, st: &AppState, user: &AgentUser, exists: Option<&str>, done: &str) -> Response {
        let r = async {
            if let Some(login) = exists {
                must_exist(st, RecordKind::CustomerUser, login).await?;
            }
            let held = self.held(st, user).await?;
            let names = valid_service_names(st).await?;
            Ok::<_, Problem>(names.into_iter().map(|name| Item { held: held.contains(&name), name }).collect())
        };
        match r.await {
            Ok(items) => {
                let (frame, head) = chrome(user, self.heading, self.section, done);
                show(&ServicesPage { frame, head, action: self.here, all_toggle: self.all_toggle, items })
            }
            Err(p) => bad(user, &p),
        }
    }

    /// Grants the ticked services (all with "select all") and revokes the others.
    async fn save(&self, st: &AppState, user: &AgentUser, f: &Checks) -> Result<(), Problem> {
        let a = admin(st, user).await?;
        let held = self.held(st, user).await?;
        for s in valid_service_names(st).await? {
            let want = (self.all_toggle && f.all) || f.services.contains(&s);
            let has = held.contains(&s);
            if want && !has {
                a.grant(Grant::service(self.subject.clone(), s)).await?;
            } else if !want && has {
                a.revoke(&self.subject, &GrantTarget::Service(s)).await?;
            }
        }
        Ok(())
    }

    async fn submit(self, st: &AppState, user: &AgentUser, exists: Option<&str>, f: &Checks) -> Response {
        let r = async {
            if let Some(login) = exists {
                must_exist(st, RecordKind::CustomerUser, login).await?;
            }
            self.save(st, user, f).await
        };
        match r.await {
            Ok(()) if f.finish => see_other(&format!("{}?done=saved", self.back)),
            Ok(()) => see_other(&format!("{}?done=saved", self.here)),
            Err(p) => bad(user, &p),
        }
    }
}

/// `GET /admin/customer-users/{login}/services`.
pub async fn customer_user(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    Path(login): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    Screen::customer_user(&user.tr, &login).page(&st, &user, Some(&login), &q.done).await
}

/// `POST /admin/customer-users/{login}/services`.
pub async fn customer_user_save(
    State(st): State<AppState>,
    Path(login): Path<String>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, Checks>,
) -> Response {
    Screen::customer_user(&user.tr, &login).submit(&st, &user, Some(&login), &f).await
}

/// `GET /admin/default-services`: the services of all customer users, with "select all".
pub async fn defaults(
    State(st): State<AppState>,
    AdminUser(user): AdminUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    Screen::defaults(&user.tr).page(&st, &user, None, &q.done).await
}

/// `POST /admin/default-services`.
pub async fn defaults_save(
    State(st): State<AppState>,
    CsrfForm(AdminUser(user), f): CsrfForm<AdminUser, Checks>,
) -> Response {
    Screen::defaults(&user.tr).submit(&st, &user, None, &f).await
}
