//! The zoom's "Customer" action (OTRS's AgentTicketCustomer): the ticket's customer user, service and
//! SLA changed after it was opened. The SLA field offers the SLAs of one service
//! ([`chamado::Engine::slas_for_service`]); without script, choosing another service reloads the zoom
//! with `?service=NAME` (the way the template pickers work) so the SLA field offers that service's SLAs.
//! The engine decides: the customer user must hold the service, the SLA must be one of the service's,
//! and the agent needs `rw`.

use super::records;
use chamado::{Record, RecordKind, Ticket};
use chamado_http::{AppState, Problem};

/// What the Customer form shows.
#[derive(Debug, Clone, Default)]
pub struct CustomerForm {
    /// The customer user field's value: the ticket's.
    pub customer_user: String,
    /// The services offered: those the ticket's customer user holds (all valid ones without a customer
    /// user), and the ticket's own.
    pub services: Vec<String>,
    /// The service the form sends and whose SLAs it offers: the one chosen with `?service=`, else the
    /// ticket's; empty for none.
    pub service: String,
    /// The valid SLAs of that service.
    pub slas: Vec<String>,
    /// The SLA selected: the ticket's when the service offers it.
    pub sla: String,
    /// A service was just chosen (the form opens).
    pub picked: bool,
}

impl CustomerForm {
    /// The form for ticket `t`, with `picked` the service chosen with `?service=` (if any).
    pub async fn load(st: &AppState, t: &Ticket, picked: Option<&str>) -> Result<CustomerForm, Problem> {
        let held = match &t.customer_user {
            // A customer user the engine no longer resolves (removed, invalid) holds nothing.
            Some(login) => st.engine.customer_access(login).await.ok().map(|a| a.services().clone()),
            None => None,
        };
        let mut services: Vec<String> = match held {
            Some(set) => set.into_iter().collect(),
            None => records(st, RecordKind::Service)
                .await?
                .into_iter()
                .filter_map(|r| match r {
                    Record::Service(s) if s.valid => Some(s.name),
                    _ => None,
                })
                .collect(),
        };
        if let Some(own) = &t.service
            && !services.contains(own)
        {
            services.push(own.clone());
            services.sort();
        }
        let service = match picked {
            Some(p) => p.trim().to_string(),
            None => t.service.clone().unwrap_or_default(),
        };
        let slas: Vec<String> = if service.is_empty() {
            Vec::new()
        } else {
            st.engine.slas_for_service(&service).await?.into_iter().map(|s| s.name).collect()
        };
        let sla = t.sla.clone().filter(|s| slas.contains(s)).unwrap_or_default();
        Ok(CustomerForm {
            customer_user: t.customer_user.clone().unwrap_or_default(),
            services,
            service,
            slas,
            sla,
            picked: picked.is_some(),
        })
    }
}
