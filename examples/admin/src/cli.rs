//! The command line: global options, nouns and verbs.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Administers a chamado help desk: customers, customer users, agents, groups, queues, services, roles,
/// states, priorities, grants, mail accounts, texts, notifications, calendars, SLAs and webhooks, directly on the
/// store file (while the helpdesk is stopped), on its PostgreSQL database, or through its HTTP API.
#[derive(Debug, Parser)]
#[command(name = "chamado-admin", version, propagate_version = true)]
pub struct Cli {
    /// The helpdesk's data directory (direct mode; the store is `chamado.redb` inside).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "CHAMADO_DATA_DIR",
        default_value = "./data",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,
    /// Work on the helpdesk's PostgreSQL database instead of the redb file (as the helpdesk, e.g.
    /// `postgres://chamado@127.0.0.1/chamado`); fine while the helpdesk runs.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "CHAMADO_DATABASE_URL",
        hide_env_values = true,
        value_name = "URL",
        conflicts_with = "url"
    )]
    pub store_url: Option<String>,
    /// Let webhooks point at private, loopback and link-local addresses (as the helpdesk's setting
    /// `webhooks.allow_private_targets`; direct modes only: through --url the helpdesk's setting decides).
    #[arg(long, global = true, help_heading = "Global options", env = "CHAMADO_WEBHOOKS_ALLOW_PRIVATE_TARGETS")]
    pub allow_private_targets: bool,
    /// Go through a running server's HTTP API instead, e.g. `http://127.0.0.1:8080`.
    #[arg(long, global = true, help_heading = "Global options", env = "CHAMADO_ADMIN_URL", value_name = "URL")]
    pub url: Option<String>,
    /// An admin agent's API token for --url (default: the data directory's `admin.token`).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "CHAMADO_ADMIN_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// Print JSON for scripts instead of tables.
    #[arg(long, global = true, help_heading = "Global options")]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The nouns.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Creates the store in the data directory with what OTRS ships (groups, queues, states, agent admin).
    Init {
        /// The login of the first admin agent.
        #[arg(long, default_value = "admin")]
        admin: String,
    },
    /// Customers (companies).
    #[command(subcommand)]
    Customers(CustomersCmd),
    /// Customer users: the people who open tickets.
    #[command(subcommand, name = "customer-users", alias = "users")]
    CustomerUsers(CustomerUsersCmd),
    /// Permission groups.
    #[command(subcommand)]
    Groups(NamedCmd),
    /// Queues.
    #[command(subcommand)]
    Queues(QueuesCmd),
    /// Services, named `Parent::Child`.
    #[command(subcommand)]
    Services(ServicesCmd),
    /// Agents and their API tokens.
    #[command(subcommand)]
    Agents(AgentsCmd),
    /// Roles and their agents.
    #[command(subcommand)]
    Roles(RolesCmd),
    /// Ticket states (each of a type the rules know).
    #[command(subcommand)]
    States(StatesCmd),
    /// The five priorities: their names and validity.
    #[command(subcommand)]
    Priorities(PrioritiesCmd),
    /// Permissions: customer users, customers, default groups, agents and roles on groups; services.
    #[command(subcommand)]
    Grants(GrantsCmd),
    /// Mailboxes (IMAP, POP3) the helpdesk pulls mail from.
    #[command(subcommand, name = "mail-accounts")]
    MailAccounts(crate::commands::mail_accounts::MailAccountsCmd),
    /// Auto-responses: what queues send customers (a new ticket, a refused or taken follow-up, a
    /// follow-up that opened a new ticket).
    #[command(subcommand, name = "auto-responses")]
    AutoResponses(crate::commands::texts::TextsCmd),
    /// Salutations: put above agents' replies, per queue.
    #[command(subcommand)]
    Salutations(crate::commands::texts::TextsCmd),
    /// Signatures: put below agents' replies, per queue.
    #[command(subcommand)]
    Signatures(crate::commands::texts::TextsCmd),
    /// Standard templates agents start replies, notes and tickets from, per queue.
    #[command(subcommand)]
    Templates(crate::commands::texts::TextsCmd),
    /// Agent notifications: what each kind does (channels, whether agents choose, texts).
    #[command(subcommand)]
    Notifications(crate::commands::texts::NotificationsCmd),
    /// Business-hours calendars: the working time escalation clocks count.
    #[command(subcommand)]
    Calendars(crate::commands::slas::CalendarsCmd),
    /// Service level agreements: first-response, update and solution targets per service.
    #[command(subcommand)]
    Slas(crate::commands::slas::SlasCmd),
    /// Webhooks: subscriptions that receive signed events, their deliveries and replays.
    #[command(subcommand)]
    Webhooks(crate::commands::webhooks::WebhooksCmd),
    /// The effective groups and services of a customer user.
    Show {
        /// The customer user's login.
        login: String,
    },
    /// Writes the whole store as JSON Lines (direct mode only; `-` for standard output).
    Export {
        /// The backup file.
        file: PathBuf,
    },
    /// Restores a JSON Lines backup into a new, empty store (direct mode only).
    Import {
        /// The backup file.
        file: PathBuf,
    },
    /// Imports a Znuny 6/7 or OTRS 6 database: the directory, then every ticket with its number,
    /// articles, files and history, into the store (--data-dir, --store-url) or a running helpdesk
    /// through its API (--url, --token); a re-run imports only what changed.
    #[command(name = "import-znuny")]
    ImportZnuny(crate::commands::import_znuny::ImportZnunyArgs),
}

/// Paging options of a listing.
#[derive(Debug, Args)]
pub struct Page {
    /// Continue after this key (the last one of the previous page).
    #[arg(long)]
    pub after: Option<String>,
    /// At most this many (1 to 1000).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub limit: u16,
}

/// A search.
#[derive(Debug, Args)]
pub struct Search {
    /// Text found anywhere in the fields (case-insensitive).
    pub text: String,
    /// At most this many (1 to 1000).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub limit: u16,
}

/// The fields of a customer.
#[derive(Debug, Args, Default)]
pub struct CustomerFields {
    /// Display name.
    #[arg(long)]
    pub name: Option<String>,
    /// Street.
    #[arg(long)]
    pub street: Option<String>,
    /// Postal code.
    #[arg(long)]
    pub zip: Option<String>,
    /// City.
    #[arg(long)]
    pub city: Option<String>,
    /// Country.
    #[arg(long)]
    pub country: Option<String>,
    /// Web address.
    #[arg(long)]
    pub url: Option<String>,
    /// Free text for agents.
    #[arg(long)]
    pub comment: Option<String>,
}

/// Customer verbs.
#[derive(Debug, Subcommand)]
pub enum CustomersCmd {
    /// Adds a customer.
    Add {
        /// The CustomerID, e.g. `acme`.
        id: String,
        /// Fields (the name defaults to the id).
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// Changes a customer's fields.
    Edit {
        /// The CustomerID.
        id: String,
        /// Fields to change.
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// One customer with its group grants.
    Get {
        /// The CustomerID.
        id: String,
    },
    /// Lists customers in id order.
    List(Page),
    /// Finds customers.
    Search(Search),
    /// Marks a customer valid.
    Valid {
        /// The CustomerID.
        id: String,
    },
    /// Marks a customer invalid: its users keep their own grants but lose the company's.
    Invalid {
        /// The CustomerID.
        id: String,
    },
}

/// How a customer user's password is set.
#[derive(Debug, Args, Default)]
#[group(multiple = false)]
pub struct PasswordArgs {
    /// The portal password (visible in the process list: prefer --password-stdin).
    #[arg(long)]
    pub password: Option<String>,
    /// Reads the portal password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
    /// Generates a portal password and prints it once.
    #[arg(long)]
    pub generate_password: bool,
}

/// The fields of a customer user.
#[derive(Debug, Args, Default)]
pub struct CustomerUserFields {
    /// Email address (unique).
    #[arg(long)]
    pub email: Option<String>,
    /// The primary customer (CustomerID).
    #[arg(long)]
    pub customer: Option<String>,
    /// First name.
    #[arg(long)]
    pub first_name: Option<String>,
    /// Last name.
    #[arg(long)]
    pub last_name: Option<String>,
    /// Phone number.
    #[arg(long)]
    pub phone: Option<String>,
    /// The language of the user's portal pages and mail (`en`, `pt-BR`); `none` for the browser's,
    /// else the system's.
    #[arg(long, value_name = "TAG")]
    pub language: Option<String>,
}

/// Customer user verbs.
#[derive(Debug, Subcommand)]
pub enum CustomerUsersCmd {
    /// Adds a customer user; without a password option the user cannot log into the portal.
    Add {
        /// The login.
        login: String,
        /// Fields.
        #[command(flatten)]
        fields: CustomerUserFields,
        /// Password.
        #[command(flatten)]
        password: PasswordArgs,
    },
    /// Changes a customer user's fields or password.
    Edit {
        /// The login.
        login: String,
        /// Fields to change.
        #[command(flatten)]
        fields: CustomerUserFields,
        /// New password.
        #[command(flatten)]
        password: PasswordArgs,
    },
    /// One customer user.
    Get {
        /// The login.
        login: String,
    },
    /// Lists customer users in login order.
    List(Page),
    /// Finds customer users (login, email, names, customer, phone).
    Search(Search),
    /// Marks a customer user valid.
    Valid {
        /// The login.
        login: String,
    },
    /// Marks a customer user invalid: kept, but may do nothing.
    Invalid {
        /// The login.
        login: String,
    },
    /// Adds a further customer the user belongs to.
    AddCustomer {
        /// The login.
        login: String,
        /// The CustomerID.
        customer: String,
    },
    /// Removes a further customer from the user.
    RemoveCustomer {
        /// The login.
        login: String,
        /// The CustomerID.
        customer: String,
    },
}

/// Group verbs.
#[derive(Debug, Subcommand)]
pub enum NamedCmd {
    /// Adds a group.
    Add {
        /// The name.
        name: String,
        /// Free text.
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Changes a group's comment or name (its queues and grants follow; group `admin` keeps its name).
    Edit {
        /// The name.
        name: String,
        /// The new name.
        #[arg(long, value_name = "NEW")]
        rename: Option<String>,
        /// Free text.
        #[arg(long)]
        comment: Option<String>,
    },
    /// One group.
    Get {
        /// The name.
        name: String,
    },
    /// Lists groups in name order.
    List(Page),
    /// Finds groups (name, comment).
    Search(Search),
    /// Marks a group valid.
    Valid {
        /// The name.
        name: String,
    },
    /// Marks a group invalid: it grants nothing (group `admin` stays valid).
    Invalid {
        /// The name.
        name: String,
    },
}

/// Service verbs.
#[derive(Debug, Subcommand)]
pub enum ServicesCmd {
    /// Adds a service.
    Add {
        /// The name, `Parent::Child` (the parent must exist).
        name: String,
        /// Free text.
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Changes a service's comment (tickets carry its name, so it keeps it).
    Edit {
        /// The name.
        name: String,
        /// Free text.
        #[arg(long)]
        comment: Option<String>,
    },
    /// One service.
    Get {
        /// The name.
        name: String,
    },
    /// Who has a service: its customer users, their customers, whether it is a default service.
    Holders {
        /// The name.
        name: String,
    },
    /// Lists services in name order.
    List(Page),
    /// Finds services (name, comment).
    Search(Search),
    /// Marks a service valid.
    Valid {
        /// The name.
        name: String,
    },
    /// Marks a service invalid: it and the services below it cannot be chosen.
    Invalid {
        /// The name.
        name: String,
    },
}

/// State verbs.
#[derive(Debug, Subcommand)]
pub enum StatesCmd {
    /// Adds a state.
    Add {
        /// The name.
        name: String,
        /// Its type: new, open, pending_reminder, pending_auto, closed, merged, removed.
        #[arg(long = "type", value_name = "TYPE")]
        state_type: String,
        /// For pending_auto states: the state the ticket goes to when due.
        #[arg(long)]
        next_state: Option<String>,
    },
    /// Changes a state's next state (its name and type stay: tickets carry them).
    Edit {
        /// The name.
        name: String,
        /// For pending_auto states: the state the ticket goes to when due.
        #[arg(long)]
        next_state: Option<String>,
    },
    /// Lists states in name order.
    List(Page),
    /// Finds states.
    Search(Search),
    /// Marks a state valid.
    Valid {
        /// The name.
        name: String,
    },
    /// Marks a state invalid: it cannot be set (the states the engine sets on its own stay valid).
    Invalid {
        /// The name.
        name: String,
    },
}

/// Priority verbs.
#[derive(Debug, Subcommand)]
pub enum PrioritiesCmd {
    /// Lists the five priorities, lowest first.
    List,
    /// Renames a priority or changes its comment (tickets keep the level and show the new name).
    Edit {
        /// The level, 1 to 5.
        #[arg(value_parser = clap::value_parser!(u8).range(1..=5))]
        level: u8,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// Free text.
        #[arg(long)]
        comment: Option<String>,
    },
    /// Marks a priority valid.
    Valid {
        /// The level, 1 to 5.
        #[arg(value_parser = clap::value_parser!(u8).range(1..=5))]
        level: u8,
    },
    /// Marks a priority invalid: it cannot be set on a ticket (level 3, the default, stays valid).
    Invalid {
        /// The level, 1 to 5.
        #[arg(value_parser = clap::value_parser!(u8).range(1..=5))]
        level: u8,
    },
}

/// Queue verbs.
#[derive(Debug, Subcommand)]
pub enum QueuesCmd {
    /// Adds a queue.
    Add {
        /// The name.
        name: String,
        /// The group whose permissions govern it.
        #[arg(long)]
        group: String,
        /// Follow-ups on closed tickets: possible (reopen), reject, new_ticket.
        #[arg(long, default_value = "possible", value_parser = ["possible", "reject", "new_ticket"])]
        follow_up: String,
        /// Free text.
        #[arg(long, default_value = "")]
        comment: String,
        /// Its texts and unlock timeout.
        #[command(flatten)]
        texts: QueueTexts,
        /// The fallback time promises of its tickets without an SLA.
        #[command(flatten)]
        escalation: QueueEscalationArgs,
    },
    /// Changes a queue's group, follow-up policy or comment (tickets carry its name, so it keeps it).
    Edit {
        /// The name.
        name: String,
        /// The group whose permissions govern it.
        #[arg(long)]
        group: Option<String>,
        /// Follow-ups on closed tickets: possible (reopen), reject, new_ticket.
        #[arg(long, value_parser = ["possible", "reject", "new_ticket"])]
        follow_up: Option<String>,
        /// Free text.
        #[arg(long)]
        comment: Option<String>,
        /// Its texts and unlock timeout (`none` removes a text).
        #[command(flatten)]
        texts: QueueTexts,
        /// The fallback time promises of its tickets without an SLA (what is not given stays).
        #[command(flatten)]
        escalation: QueueEscalationArgs,
    },
    /// One queue.
    Get {
        /// The name.
        name: String,
    },
    /// Lists queues in name order.
    List(Page),
    /// Finds queues (name, group, comment).
    Search(Search),
    /// Marks a queue valid.
    Valid {
        /// The name.
        name: String,
    },
    /// Marks a queue invalid: it takes no new tickets; its tickets stay.
    Invalid {
        /// The name.
        name: String,
    },
}

/// Agent verbs.
#[derive(Debug, Subcommand)]
pub enum AgentsCmd {
    /// Adds an agent and prints its API token once.
    Add {
        /// The login.
        login: String,
        /// First name.
        #[arg(long, default_value = "")]
        first_name: String,
        /// Last name.
        #[arg(long, default_value = "")]
        last_name: String,
        /// Email address.
        #[arg(long, default_value = "")]
        email: String,
        /// Permissions on a group, `GROUP=PERM[,PERM...]` (ro, move_into, create, note, owner, priority,
        /// rw); repeatable.
        #[arg(long = "group", value_name = "GROUP=PERMS")]
        groups: Vec<String>,
        /// A role to join; repeatable.
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
        /// A console password (optional).
        #[arg(long)]
        password: Option<String>,
        /// The language of the agent's console and mail (`en`, `pt-BR`); default: the browser's, else
        /// the system's.
        #[arg(long, value_name = "TAG")]
        language: Option<String>,
        /// The agent's time zone, an IANA name (`America/Sao_Paulo`); default: the system's.
        #[arg(long, value_name = "ZONE")]
        time_zone: Option<String>,
    },
    /// Changes an agent's language or time zone (`none` returns to the system's).
    Edit {
        /// The login.
        login: String,
        /// The language (`en`, `pt-BR`), or `none`.
        #[arg(long, value_name = "TAG")]
        language: Option<String>,
        /// The time zone, an IANA name (`America/Sao_Paulo`), or `none`.
        #[arg(long, value_name = "ZONE")]
        time_zone: Option<String>,
    },
    /// Lists agents with their direct group permissions, language and time zone.
    List(Page),
    /// Issues another API token for an agent and prints it once.
    Token {
        /// The login.
        login: String,
    },
    /// Revokes every API token of an agent.
    RevokeTokens {
        /// The login.
        login: String,
    },
    /// Marks an agent valid.
    Valid {
        /// The login.
        login: String,
    },
    /// Marks an agent invalid: kept, but may do nothing (its tokens stop working).
    Invalid {
        /// The login.
        login: String,
    },
}

/// Role verbs.
#[derive(Debug, Subcommand)]
pub enum RolesCmd {
    /// Adds a role.
    Add {
        /// The name.
        name: String,
        /// Free text.
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Changes a role's comment or name (its permissions and members follow).
    Edit {
        /// The name.
        name: String,
        /// The new name.
        #[arg(long, value_name = "NEW")]
        rename: Option<String>,
        /// Free text.
        #[arg(long)]
        comment: Option<String>,
    },
    /// One role.
    Get {
        /// The name.
        name: String,
    },
    /// Lists roles in name order.
    List(Page),
    /// Finds roles (name, comment).
    Search(Search),
    /// Marks a role valid.
    Valid {
        /// The name.
        name: String,
    },
    /// Marks a role invalid: it grants nothing.
    Invalid {
        /// The name.
        name: String,
    },
    /// Makes an agent a member of a role.
    AddAgent {
        /// The role.
        role: String,
        /// The agent's login.
        agent: String,
    },
    /// Removes an agent from a role.
    RemoveAgent {
        /// The role.
        role: String,
        /// The agent's login.
        agent: String,
    },
}

/// Grant verbs: `SUBJECT ... TARGET PERMISSION`.
#[derive(Debug, Subcommand)]
pub enum GrantsCmd {
    /// A customer user's permission on a group: ro, rw or none (revoke).
    CustomerUser {
        /// The login.
        login: String,
        /// The group.
        group: String,
        /// ro, rw or none.
        #[arg(value_parser = ["ro", "rw", "none"])]
        permission: String,
    },
    /// Every user of a customer gets a permission on a group: ro, rw or none.
    Customer {
        /// The CustomerID.
        id: String,
        /// The group.
        group: String,
        /// ro, rw or none.
        #[arg(value_parser = ["ro", "rw", "none"])]
        permission: String,
    },
    /// A default group of every customer user: ro, rw or none.
    DefaultGroup {
        /// The group.
        group: String,
        /// ro, rw or none.
        #[arg(value_parser = ["ro", "rw", "none"])]
        permission: String,
    },
    /// An agent's permissions on a group: comma-separated ro, move_into, create, note, owner, priority,
    /// rw; or none.
    Agent {
        /// The login.
        login: String,
        /// The group.
        group: String,
        /// e.g. `rw` or `ro,note,owner`; `none` revokes.
        permissions: String,
    },
    /// A role's permissions on a group (every member agent holds them); or none.
    Role {
        /// The role.
        role: String,
        /// The group.
        group: String,
        /// e.g. `rw` or `ro,note`; `none` revokes.
        permissions: String,
    },
    /// Grants a customer user a service (`--revoke` takes it away).
    Service {
        /// The login.
        login: String,
        /// The service, `Parent::Child`.
        service: String,
        /// Take the service away instead.
        #[arg(long)]
        revoke: bool,
    },
    /// Makes a service a default service of every customer user (`--revoke` undoes it).
    DefaultService {
        /// The service.
        service: String,
        /// Remove it from the defaults instead.
        #[arg(long)]
        revoke: bool,
    },
    /// The grants a subject holds directly.
    #[command(subcommand)]
    List(GrantSubjectArg),
}

/// Whose grants to list.
#[derive(Debug, Subcommand)]
pub enum GrantSubjectArg {
    /// A customer user's.
    CustomerUser {
        /// The login.
        login: String,
    },
    /// A customer's.
    Customer {
        /// The CustomerID.
        id: String,
    },
    /// The defaults of every customer user.
    Defaults,
    /// An agent's (groups and roles).
    Agent {
        /// The login.
        login: String,
    },
    /// A role's.
    Role {
        /// The role.
        role: String,
    },
}

/// A queue's texts and unlock timeout: auto-responses, salutation and signature by name.
#[derive(Debug, Args, Default)]
pub struct QueueTexts {
    /// The auto-response sent for a new ticket (kind reply).
    #[arg(long, value_name = "NAME")]
    pub auto_reply: Option<String>,
    /// The auto-response sent when a follow-up is refused (kind reject).
    #[arg(long, value_name = "NAME")]
    pub auto_reject: Option<String>,
    /// The auto-response sent when a follow-up is taken (kind follow_up).
    #[arg(long, value_name = "NAME")]
    pub auto_follow_up: Option<String>,
    /// The auto-response sent when a follow-up opened a new ticket (kind reply_new_ticket).
    #[arg(long, value_name = "NAME")]
    pub auto_reply_new_ticket: Option<String>,
    /// The salutation put above agents' replies.
    #[arg(long, value_name = "NAME")]
    pub salutation: Option<String>,
    /// The signature put below agents' replies.
    #[arg(long, value_name = "NAME")]
    pub signature: Option<String>,
    /// Minutes after which a locked ticket whose owner has not answered is unlocked (0: never).
    #[arg(long, value_name = "MINUTES")]
    pub unlock_timeout: Option<u32>,
}

/// A queue's fallback escalation targets: the calendar and working minutes its tickets without an SLA
/// count by.
#[derive(Debug, Args, Default)]
pub struct QueueEscalationArgs {
    /// The calendar the fallback clocks count by (`none`: around the clock, UTC).
    #[arg(long, value_name = "CALENDAR")]
    pub escalation_calendar: Option<String>,
    /// Fallback first-response target in working minutes (0: none).
    #[arg(long, value_name = "MINUTES")]
    pub first_response_minutes: Option<u32>,
    /// Fallback update target in working minutes (0: none).
    #[arg(long, value_name = "MINUTES")]
    pub update_minutes: Option<u32>,
    /// Fallback solution target in working minutes (0: none).
    #[arg(long, value_name = "MINUTES")]
    pub solution_minutes: Option<u32>,
    /// When the fallback clocks warn, in percent of a target (1 to 100).
    #[arg(long, value_name = "PERCENT")]
    pub notify_before: Option<u8>,
}

impl QueueEscalationArgs {
    /// True when no option is given.
    pub fn is_empty(&self) -> bool {
        self.escalation_calendar.is_none()
            && self.first_response_minutes.is_none()
            && self.update_minutes.is_none()
            && self.solution_minutes.is_none()
            && self.notify_before.is_none()
    }

    /// `e` with the given options laid over it.
    pub fn apply(&self, e: &mut chamado_api_types::slas::QueueEscalationBody) {
        if let Some(c) = crate::commands::choice(self.escalation_calendar.clone()) {
            e.calendar = c;
        }
        if let Some(m) = self.first_response_minutes {
            e.first_response_minutes = m;
        }
        if let Some(m) = self.update_minutes {
            e.update_minutes = m;
        }
        if let Some(m) = self.solution_minutes {
            e.solution_minutes = m;
        }
        if let Some(p) = self.notify_before {
            e.notify_before_percent = p;
        }
    }
}
