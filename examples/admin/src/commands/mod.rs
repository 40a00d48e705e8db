//! The commands, each on any [`Backend`]; `init`, `export` and `import` need the store file.

mod agents;
pub mod backup;
mod customer_users;
mod customers;
mod directory;
mod grants;
pub mod import_target;
pub mod import_znuny;
pub(crate) mod mail_accounts;
mod show;
pub(crate) mod slas;
mod states;
pub(crate) mod texts;
pub(crate) mod webhooks;

use crate::backend::Backend;
use crate::cli::{Command, Page, Search};
use crate::error::{AdminError, Result};
use crate::model::Query;
use crate::output::Output;

/// Runs a directory command on `backend`.
pub(crate) async fn run<B: Backend + mail_accounts::MailAccounts + texts::Texts + slas::Slas + webhooks::Webhooks>(
    backend: &B,
    command: Command,
) -> Result<Output> {
    match command {
        Command::Customers(c) => customers::run(backend, c).await,
        Command::CustomerUsers(c) => customer_users::run(backend, c).await,
        Command::Groups(c) => directory::groups(backend, c).await,
        Command::Services(c) => directory::services(backend, c).await,
        Command::States(c) => states::states(backend, c).await,
        Command::Priorities(c) => states::priorities(backend, c).await,
        Command::Queues(c) => directory::queues(backend, c).await,
        Command::Roles(c) => directory::roles(backend, c).await,
        Command::Agents(c) => agents::run(backend, c).await,
        Command::Grants(c) => grants::run(backend, c).await,
        Command::MailAccounts(c) => mail_accounts::run(backend, c).await,
        Command::AutoResponses(c) => texts::run(backend, texts::TextKind::AutoResponses, c).await,
        Command::Salutations(c) => texts::run(backend, texts::TextKind::Salutations, c).await,
        Command::Signatures(c) => texts::run(backend, texts::TextKind::Signatures, c).await,
        Command::Templates(c) => texts::run(backend, texts::TextKind::Templates, c).await,
        Command::Notifications(c) => texts::notifications(backend, c).await,
        Command::Calendars(c) => slas::calendars(backend, c).await,
        Command::Slas(c) => slas::slas(backend, c).await,
        Command::Webhooks(c) => webhooks::run(backend, c).await,
        Command::Show { login } => show::run(backend, &login).await,
        Command::Init { .. } => Err(AdminError::DirectOnly { command: "init" }),
        Command::Export { .. } => Err(AdminError::DirectOnly { command: "export" }),
        Command::Import { .. } => Err(AdminError::DirectOnly { command: "import" }),
        Command::ImportZnuny(_) => Err(AdminError::DirectOnly { command: "import-znuny" }),
    }
}

fn page(p: &Page) -> Query {
    Query { search: None, after: p.after.clone(), limit: usize::from(p.limit) }
}

fn search(s: &Search) -> Query {
    Query { search: Some(s.text.clone()), after: None, limit: usize::from(s.limit) }
}

/// A `--language`/`--time-zone` option of an edit: absent leaves it, `none` clears it, else the value.
pub(crate) fn choice(option: Option<String>) -> Option<Option<String>> {
    option.map(|v| if v.trim().eq_ignore_ascii_case("none") { None } else { Some(v.trim().to_string()) })
}

/// A person's language or time zone as shown: the value, else whose applies.
pub(crate) fn shown_choice(value: Option<&str>, otherwise: &str) -> String {
    value.map_or_else(|| otherwise.to_string(), str::to_string)
}
