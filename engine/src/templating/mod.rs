//! The one template language of every text admins write (auto-responses, notifications, salutations,
//! signatures, standard templates): [MiniJinja](https://docs.rs/minijinja), sandboxed. Templates can
//! read the [`TemplateContext`] they are given and nothing else: no files, no includes, no network,
//! bounded work (fuel) and recursion, bounded output.
//!
//! Variables (every one always present; absent values are empty strings):
//! - `ticket`: `number`, `title`, `queue`, `state`, `priority`, `owner`, `responsible`, `customer_user`,
//!   `customer_id`, `service`, `created_at` (RFC 3339, UTC)
//! - `article` (the article the text is about, else empty): `from`, `to`, `subject`, `body`, `sender`,
//!   `channel`
//! - `customer_user`: `login`, `first_name`, `last_name`, `name`, `email`
//! - `customer`: `id`, `name`
//! - `agent` (the agent told, or the one writing): `login`, `first_name`, `last_name`, `name`, `email`
//! - `queue`: `name`, `group`
//! - `urls`: `console`, `portal`, `ticket` (the agent's zoom), `portal_ticket` (the customer's view)
//! - `notification`: `kind`, `actor` (who caused it)
//!
//! A template is checked when it is saved ([`check`]: an error names its line); one that fails when it is
//! sent is replaced by the shipped plain text, and the failure is logged in the ticket's history.

mod context;
mod render;

pub use context::{
    AgentVars, ArticleVars, CustomerUserVars, CustomerVars, NotificationVars, QueueVars, TemplateContext, TicketVars,
    UrlVars,
};
pub use render::{TemplateError, check, render};
