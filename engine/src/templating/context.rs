//! What a template can read: plain values, filled by the engine from the ticket and the directory.

use serde::Serialize;

/// Everything a template can read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TemplateContext {
    /// The ticket.
    pub ticket: TicketVars,
    /// The article the text is about.
    pub article: ArticleVars,
    /// The ticket's customer user.
    pub customer_user: CustomerUserVars,
    /// The ticket's customer.
    pub customer: CustomerVars,
    /// The agent told (notifications) or writing (replies, templates).
    pub agent: AgentVars,
    /// The ticket's queue.
    pub queue: QueueVars,
    /// Links into the helpdesk.
    pub urls: UrlVars,
    /// For notifications: which and who caused it.
    pub notification: NotificationVars,
}

/// `ticket.*`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct TicketVars {
    pub number: String,
    pub title: String,
    pub queue: String,
    pub state: String,
    pub priority: String,
    pub owner: String,
    pub responsible: String,
    pub customer_user: String,
    pub customer_id: String,
    pub service: String,
    pub created_at: String,
}

/// `article.*`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct ArticleVars {
    pub from: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub sender: String,
    pub channel: String,
}

/// `customer_user.*`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct CustomerUserVars {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub name: String,
    pub email: String,
}

/// `customer.*`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct CustomerVars {
    pub id: String,
    pub name: String,
}

/// `agent.*`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct AgentVars {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub name: String,
    pub email: String,
}

/// `queue.*`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct QueueVars {
    pub name: String,
    pub group: String,
}

/// `urls.*`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct UrlVars {
    pub console: String,
    pub portal: String,
    pub ticket: String,
    pub portal_ticket: String,
}

/// `notification.*`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct NotificationVars {
    pub kind: String,
    pub actor: String,
}

impl TemplateContext {
    /// A context with every value filled, for checking templates when they are saved.
    pub fn sample() -> Self {
        let s = |v: &str| v.to_string();
        TemplateContext {
            ticket: TicketVars {
                number: s("2026120610000017"),
                title: s("Printer does not print"),
                queue: s("Raw"),
                state: s("open"),
                priority: s("3 normal"),
                owner: s("ana"),
                responsible: s("ben"),
                customer_user: s("joao"),
                customer_id: s("acme"),
                service: s("IT::Printing"),
                created_at: s("2026-12-06T10:00:00Z"),
            },
            article: ArticleVars {
                from: s("joao@example.com"),
                to: s("support@example.com"),
                subject: s("Printer does not print"),
                body: s("Hello"),
                sender: s("customer"),
                channel: s("email"),
            },
            customer_user: CustomerUserVars {
                login: s("joao"),
                first_name: s("João"),
                last_name: s("Silva"),
                name: s("João Silva"),
                email: s("joao@example.com"),
            },
            customer: CustomerVars { id: s("acme"), name: s("ACME") },
            agent: AgentVars {
                login: s("ana"),
                first_name: s("Ana"),
                last_name: s("Souza"),
                name: s("Ana Souza"),
                email: s("ana@example.com"),
            },
            queue: QueueVars { name: s("Raw"), group: s("users") },
            urls: UrlVars {
                console: s("https://helpdesk.example.com/console"),
                portal: s("https://helpdesk.example.com/portal"),
                ticket: s("https://helpdesk.example.com/console/tickets/2026120610000017"),
                portal_ticket: s("https://helpdesk.example.com/portal/tickets/2026120610000017"),
            },
            notification: NotificationVars { kind: s("new_ticket"), actor: s("ben") },
        }
    }
}
