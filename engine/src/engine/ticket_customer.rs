//! OTRS's "Customer" action on a ticket: its customer user, service and SLA changed after it was opened.
//! The caller's `rw` is checked by [`Engine::update_ticket`]; this holds the rules of the values.

use super::build::history;
use super::{Engine, TicketUpdate};
use crate::error::{Error, Result};
use crate::history::{HistoryEntry, HistoryKind};
use crate::ticket::Ticket;
use crate::time::Timestamp;
use chamado_i18n::Message;

impl Engine {
    /// Applies the customer user, service and SLA of `u` to `t`, returning the history of what changed.
    pub(super) async fn change_customer_fields(
        &self,
        t: &mut Ticket,
        u: &TicketUpdate,
        now: Timestamp,
        who: &str,
    ) -> Result<Vec<HistoryEntry>> {
        let mut hist = Vec::new();
        if let Some(login) = &u.customer_user {
            let login = Some(login.clone()).filter(|l| !l.is_empty());
            let customer_id = match &login {
                Some(l) => match self.customer_user(l).await? {
                    Some(cu) if cu.valid => Some(cu.customer_id).filter(|c| !c.is_empty()),
                    Some(_) => {
                        return Err(Error::rejected(
                            Message::new("error-customer-user-invalid").arg("login", format!("{l:?}")),
                        ));
                    }
                    None => {
                        return Err(Error::not_found(
                            Message::new("error-customer-user-not-found").arg("login", format!("{l:?}")),
                        ));
                    }
                },
                None => None,
            };
            if login != t.customer_user || customer_id != t.customer_id {
                let text = match &login {
                    Some(l) => Message::new("history-customer-changed")
                        .arg("login", l)
                        .arg("customer", customer_id.clone().unwrap_or_default()),
                    None => Message::new("history-customer-cleared"),
                };
                hist.push(history(t.id, now, who, HistoryKind::CustomerChanged, text));
                t.customer_user = login;
                t.customer_id = customer_id;
            }
        }
        if let Some(service) = &u.service {
            let service = Some(service.clone()).filter(|s| !s.is_empty());
            if let Some(s) = &service {
                self.check_service_for(t, s).await?;
            }
            if service != t.service {
                let text = match &service {
                    Some(s) => Message::new("history-service-changed").arg("service", s),
                    None => Message::new("history-service-cleared"),
                };
                hist.push(history(t.id, now, who, HistoryKind::ServiceChanged, text));
                t.service = service;
            }
        } else if u.customer_user.is_some()
            && let Some(s) = t.service.clone()
        {
            // A new customer user must hold the ticket's service too.
            self.check_service_for(t, &s).await?;
        }
        let sla = match &u.sla {
            Some(s) => {
                let s = Some(s.clone()).filter(|s| !s.is_empty());
                if let Some(name) = &s {
                    self.check_sla_for(t.service.as_deref(), name).await?;
                }
                s
            }
            // The SLA belongs to the service: a service change drops an SLA the new service does not have.
            None => match t.sla.clone() {
                Some(name) if u.service.is_some() => {
                    self.check_sla_for(t.service.as_deref(), &name).await.is_ok().then_some(name)
                }
                kept => kept,
            },
        };
        if sla != t.sla {
            let text = match &sla {
                Some(s) => Message::new("history-sla-changed").arg("sla", s),
                None => Message::new("history-sla-cleared"),
            };
            hist.push(history(t.id, now, who, HistoryKind::SlaChanged, text));
            t.sla = sla;
        }
        Ok(hist)
    }

    /// The ticket's customer user (if any) holds `service`, else (no customer user) it exists and is valid.
    async fn check_service_for(&self, t: &Ticket, service: &str) -> Result<()> {
        let allowed = match &t.customer_user {
            Some(login) => self.customer_access(login).await?.has_service(service),
            None => self.services().await?.iter().any(|s| s.name == service && s.valid),
        };
        if allowed {
            Ok(())
        } else {
            Err(Error::permission_denied(
                Message::new("error-service-not-available").arg("service", format!("{service:?}")),
            ))
        }
    }

    /// `sla` exists, is valid and is one of `service`'s SLAs.
    pub(super) async fn check_sla_for(&self, service: Option<&str>, sla: &str) -> Result<()> {
        let snap = self.directory().await?;
        let Some(def) = snap.slas.get(sla) else {
            return Err(Error::not_found(Message::new("error-sla-not-found").arg("sla", format!("{sla:?}"))));
        };
        if !def.valid {
            return Err(Error::rejected(Message::new("error-sla-invalid").arg("sla", format!("{sla:?}"))));
        }
        match service {
            Some(s) if def.services.iter().any(|x| x == s) => Ok(()),
            Some(s) => Err(Error::rejected(
                Message::new("error-sla-not-for-service")
                    .arg("sla", format!("{sla:?}"))
                    .arg("service", format!("{s:?}")),
            )),
            None => Err(Error::rejected(Message::new("error-sla-needs-service").arg("sla", format!("{sla:?}")))),
        }
    }
}
