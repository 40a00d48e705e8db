//! A real Znuny 7 database for the import tests: a scratch database on PostgreSQL or MariaDB loaded
//! with Znuny 7.0.19's own schema and initial data (`../shared/znuny-db`) and rows added as Znuny
//! writes them, and the checks of what an import of it must bring (shared by the direct and the
//! `--url` tests).
#![allow(dead_code)]

use base64::Engine as _;
use chamado::Clock as _;
use chamado::{
    Actor, AuthResult, ChannelKind, CustomerUser, Engine, FollowUpPolicy, Grant, GrantSubject, GrantTarget,
    HistoryKind, InboundMessage, IntakeOutcome, Lock, NumberFormat, Permission, PermissionSet, Record, RecordKind,
    Sender, SenderAuth, SenderType, StandardNumbers, StateType, SystemClock, TicketNumberGenerator, Timestamp,
};
use std::path::{Path, PathBuf};
use std::process::Stdio;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Db {
    Postgres,
    Mariadb,
}

/// A scratch database on one server, dropped at the end (also when the test fails).
pub struct Scratch {
    db: Db,
    name: String,
}

impl Scratch {
    pub fn create(db: Db) -> Scratch {
        let name = format!("znuny_import_{}_{}", std::process::id(), if db == Db::Postgres { "pg" } else { "my" });
        let s = Scratch { db, name };
        s.drop_db();
        match db {
            Db::Postgres => admin_sql(db, &format!("CREATE DATABASE {}", s.name)),
            Db::Mariadb => admin_sql(db, &format!("CREATE DATABASE {} CHARACTER SET utf8mb4", s.name)),
        }
        s
    }

    pub fn url(&self) -> String {
        match self.db {
            Db::Postgres => format!("postgres://postgres@127.0.0.1:5432/{}", self.name),
            Db::Mariadb => format!("mysql://root@127.0.0.1:3306/{}", self.name),
        }
    }

    /// Runs SQL in the scratch database through the server's own client.
    pub fn sql(&self, sql: &str) {
        run_client(self.db, Some(&self.name), sql);
    }

    /// The one value a query prints.
    pub fn value(&self, sql: &str) -> String {
        let mut c = client(self.db, Some(&self.name));
        match self.db {
            Db::Postgres => c.arg("-At"),
            Db::Mariadb => c.args(["-N", "-B"]),
        };
        let out = c.stdin(Stdio::piped()).output_with(sql).expect("run the database client");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn load(&self, file: &Path) {
        let sql = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        self.sql(&sql);
    }

    pub fn drop_db(&self) {
        let sql = format!("DROP DATABASE IF EXISTS {}", self.name);
        let _ = client(self.db, None).stdin(Stdio::piped()).output_with(&sql);
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.drop_db();
    }
}

pub fn client(db: Db, database: Option<&str>) -> std::process::Command {
    let mut c = match db {
        Db::Postgres => {
            let mut c = std::process::Command::new("psql");
            c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]);
            c.args(["-d", database.unwrap_or("postgres")]);
            c
        }
        Db::Mariadb => {
            let mut c = std::process::Command::new("mysql");
            c.args(["--protocol=tcp", "-h", "127.0.0.1", "-P", "3306", "-uroot"]);
            if let Some(d) = database {
                c.arg(d);
            }
            c
        }
    };
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

pub trait OutputWith {
    fn output_with(&mut self, input: &str) -> std::io::Result<std::process::Output>;
}

impl OutputWith for std::process::Command {
    fn output_with(&mut self, input: &str) -> std::io::Result<std::process::Output> {
        use std::io::Write;
        let mut child = self.spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(input.as_bytes())?;
        }
        child.wait_with_output()
    }
}

pub fn run_client(db: Db, database: Option<&str>, sql: &str) {
    let out = client(db, database).stdin(Stdio::piped()).output_with(sql).expect("run the database client");
    assert!(
        out.status.success(),
        "{db:?} client failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        sql.chars().take(2000).collect::<String>()
    );
}

pub fn admin_sql(db: Db, sql: &str) {
    run_client(db, None, sql);
}

/// Znuny's SQL files beside the checkout, or `None` (with a notice) where they are not.
pub fn znuny_files() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/znuny-db");
    if dir.join("schema.postgresql.sql").is_file() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent (Znuny's schema and initial data)", dir.display());
        None
    }
}

/// SQL text as a literal (no backslashes are used, so MySQL's escapes never apply).
pub fn lit(s: &str) -> String {
    assert!(!s.contains('\\'), "the fixture avoids backslashes");
    format!("'{}'", s.replace('\'', "''"))
}

/// The fixed columns Znuny's tables carry.
pub const STAMP: &str = "'2026-01-10 09:00:00', 1, '2026-01-10 09:00:00', 1";
pub const STAMP_COLS: &str = "create_time, create_by, change_time, change_by";

pub fn insert(table: &str, cols: &str, values: &[String]) -> String {
    format!("INSERT INTO {table} ({cols}, {STAMP_COLS}) VALUES ({}, {STAMP});\n", values.join(", "))
}

pub fn id_of(table: &str, column: &str, value: &str) -> String {
    format!("(SELECT id FROM {table} WHERE {column} = {})", lit(value))
}

pub fn article_id(fingerprint: &str) -> String {
    id_of("article", "insert_fingerprint", fingerprint)
}

/// The bytes of a file column as each server keeps them: base64 text broken at 76 characters on
/// PostgreSQL (Znuny's encode_base64), the raw bytes on MySQL.
pub fn content(db: Db, bytes: &[u8]) -> String {
    match db {
        Db::Postgres => {
            let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
            let lines: Vec<String> =
                b64.as_bytes().chunks(76).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
            lit(&(lines.join("\n") + "\n"))
        }
        Db::Mariadb => format!("X'{}'", bytes.iter().map(|b| format!("{b:02X}")).collect::<String>()),
    }
}

pub const PDF: &[u8] = b"%PDF-1.4\n\x00\xff\xfe binary \x80\x81 bytes\n%%EOF";
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";

/// Today's first number of chamado's own format: an imported ticket holds it, so a new ticket must
/// skip it.
pub fn todays_first_number() -> String {
    let g = StandardNumbers::new(NumberFormat::DateChecksum, "10").unwrap();
    g.format(SystemClock.now(), 1)
}

pub struct Numbers {
    pub t1: String,
    pub t2: &'static str,
    pub t3: &'static str,
}

pub const WELCOME: &str = "2021012710123456";

/// Rows following Znuny 7's schema: customers, customer users, an agent, a role, a group, services, an
/// SLA, a queue, grants of every kind, and three tickets with MIME articles, an internal note, files and
/// history.
pub fn fixture(db: Db, n: &Numbers) -> String {
    let mut s = String::new();
    let group = || id_of("permission_groups", "name", "support");
    let users_group = || id_of("permission_groups", "name", "users");
    let maria = || id_of("users", "login", "maria");
    let helpdesk = || id_of("roles", "name", "Helpdesk");
    s += &insert(
        "customer_company",
        "customer_id, name, street, zip, city, country, url, comments, valid_id",
        &[
            lit("acme"),
            lit("Acme Ltd"),
            lit("Rua A 1"),
            lit("01000"),
            lit("São Paulo"),
            lit("Brazil"),
            lit("https://acme.example"),
            lit(""),
            "1".into(),
        ],
    );
    s += &insert("customer_company", "customer_id, name, valid_id", &[lit("globex"), lit("Globex"), "2".into()]);
    s += &insert(
        "customer_user",
        "login, email, customer_id, pw, first_name, last_name, phone, valid_id",
        &[
            lit("alice"),
            lit("alice@acme.example"),
            lit("acme"),
            lit("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"),
            lit("Alice"),
            lit("O'Hara"),
            lit("+55 11 5555"),
            "1".into(),
        ],
    );
    s += &insert(
        "customer_user",
        "login, email, customer_id, first_name, last_name, valid_id",
        &[lit("bob"), lit("bob@globex.example"), lit("globex"), lit("Bob"), lit("B"), "1".into()],
    );
    s += &insert("customer_user_customer", "user_id, customer_id", &[lit("alice"), lit("globex")]);
    s += "INSERT INTO customer_preferences (user_id, preferences_key, preferences_value) VALUES ('alice', 'UserLanguage', 'pt_BR');\n";
    s += &insert("permission_groups", "name, comments, valid_id", &[lit("support"), lit("First level"), "1".into()]);
    s += &insert("roles", "name, comments, valid_id", &[lit("Helpdesk"), lit(""), "1".into()]);
    // The groups every customer user is in: Znuny's default, and an admin's change that wins over it.
    s += &insert(
        "sysconfig_default",
        "name, description, navigation, is_invisible, is_readonly, is_required, is_valid, has_configlevel, \
         user_modification_possible, user_modification_active, xml_content_raw, xml_content_parsed, xml_filename, \
         effective_value, is_dirty, exclusive_lock_guid",
        &[
            lit("CustomerGroupAlwaysGroups"),
            lit("Defines the groups every customer user will be in."),
            lit("Frontend::Customer"),
            "0".into(),
            "0".into(),
            "0".into(),
            "1".into(),
            "0".into(),
            "0".into(),
            "0".into(),
            lit("<Setting/>"),
            lit("---"),
            lit("Framework.xml"),
            lit("---\n- users\n"),
            "0".into(),
            lit("0"),
        ],
    );
    s += &insert(
        "sysconfig_modified",
        "sysconfig_default_id, name, user_id, is_valid, user_modification_active, effective_value, is_dirty, \
         reset_to_default",
        &[
            id_of("sysconfig_default", "name", "CustomerGroupAlwaysGroups"),
            lit("CustomerGroupAlwaysGroups"),
            "NULL".into(),
            "1".into(),
            "0".into(),
            lit("---\n- users\n- 'support'\n"),
            "0".into(),
            "0".into(),
        ],
    );
    s += &insert(
        "users",
        "login, pw, first_name, last_name, valid_id",
        &[
            lit("maria"),
            lit("$2a$12$abcdefghijklmnopqrstuuv0123456789abcdefghijklmnopqrs"),
            lit("Maria"),
            lit("Silva"),
            "1".into(),
        ],
    );
    for (k, v) in [("UserEmail", "maria@helpdesk.example"), ("UserLanguage", "pt_BR")] {
        s += &format!(
            "INSERT INTO user_preferences (user_id, preferences_key, preferences_value) VALUES ({}, {}, {});\n",
            maria(),
            lit(k),
            lit(v)
        );
    }
    for key in ["ro", "move_into", "note"] {
        s += &insert("group_user", "user_id, group_id, permission_key", &[maria(), group(), lit(key)]);
    }
    s += &insert("group_user", "user_id, group_id, permission_key", &[maria(), users_group(), lit("rw")]);
    s += &insert("role_user", "user_id, role_id", &[maria(), helpdesk()]);
    for (key, value) in [("create", 1), ("priority", 1), ("rw", 0)] {
        s += &insert(
            "group_role",
            "role_id, group_id, permission_key, permission_value",
            &[helpdesk(), group(), lit(key), value.to_string()],
        );
    }
    for (login, key, value) in [("alice", "ro", 1), ("alice", "rw", 0), ("bob", "rw", 1)] {
        s += &insert(
            "group_customer_user",
            "user_id, group_id, permission_key, permission_value",
            &[lit(login), group(), lit(key), value.to_string()],
        );
    }
    s += &insert(
        "group_customer",
        "customer_id, group_id, permission_key, permission_value, permission_context",
        &[lit("acme"), group(), lit("rw"), "1".into(), lit("Ticket::CustomerID::Same")],
    );
    s += &insert(
        "group_customer",
        "customer_id, group_id, permission_key, permission_value, permission_context",
        &[lit("globex"), group(), lit("ro"), "1".into(), lit("Ticket::CustomerID::Other")],
    );
    for name in ["IT", "IT::Email"] {
        s += &insert("service", "name, comments, valid_id", &[lit(name), lit(""), "1".into()]);
    }
    for (login, service) in [("alice", "IT::Email"), ("<DEFAULT>", "IT")] {
        s += &format!(
            "INSERT INTO service_customer_user (customer_user_login, service_id, create_time, create_by) VALUES ({}, {}, '2026-01-10 09:00:00', 1);\n",
            lit(login),
            id_of("service", "name", service)
        );
    }
    s += &insert(
        "sla",
        "name, first_response_time, first_response_notify, update_time, update_notify, solution_time, solution_notify, valid_id, comments",
        &[
            lit("Gold"),
            "60".into(),
            "80".into(),
            "120".into(),
            "0".into(),
            "480".into(),
            "70".into(),
            "1".into(),
            lit(""),
        ],
    );
    s += &format!(
        "INSERT INTO service_sla (service_id, sla_id) VALUES ({}, {});\n",
        id_of("service", "name", "IT::Email"),
        id_of("sla", "name", "Gold")
    );
    s += &insert(
        "queue",
        "name, group_id, unlock_timeout, system_address_id, salutation_id, signature_id, follow_up_id, follow_up_lock, comments, valid_id",
        &[
            lit("Support"),
            group(),
            "30".into(),
            "1".into(),
            "1".into(),
            "1".into(),
            id_of("follow_up_possible", "name", "reject"),
            "0".into(),
            lit("Front desk"),
            "1".into(),
        ],
    );
    // The welcome ticket has no customer; as an agent would, give it to alice, whose replies follow.
    s += &format!("UPDATE ticket SET customer_user_id = 'alice', customer_id = 'acme' WHERE tn = '{WELCOME}';\n");

    let ticket = |tn: &str,
                  title: &str,
                  queue: &str,
                  lock: &str,
                  owner: String,
                  prio: &str,
                  state: &str,
                  customer: Option<(&str, &str)>,
                  service: Option<&str>,
                  sla: Option<&str>,
                  until: i64| {
        let (cu, cid) = customer.map_or(("NULL".to_string(), "NULL".to_string()), |(u, c)| (lit(u), lit(c)));
        insert(
            "ticket",
            "tn, title, queue_id, ticket_lock_id, service_id, sla_id, user_id, responsible_user_id, ticket_priority_id, ticket_state_id, customer_user_id, customer_id, timeout, until_time, escalation_time, escalation_update_time, escalation_response_time, escalation_solution_time",
            &[
                lit(tn),
                lit(title),
                id_of("queue", "name", queue),
                id_of("ticket_lock_type", "name", lock),
                service.map_or("NULL".into(), |s| id_of("service", "name", s)),
                sla.map_or("NULL".into(), |s| id_of("sla", "name", s)),
                owner,
                "1".into(),
                id_of("ticket_priority", "name", prio),
                id_of("ticket_state", "name", state),
                cu,
                cid,
                "0".into(),
                until.to_string(),
                "0".into(),
                "0".into(),
                "0".into(),
                "0".into(),
            ],
        )
    };
    s += &ticket(
        &n.t1,
        "Printer on fire",
        "Support",
        "lock",
        maria(),
        "4 high",
        "open",
        Some(("alice", "acme")),
        Some("IT::Email"),
        Some("Gold"),
        0,
    );
    s += &ticket(
        n.t2,
        "Password reset",
        "Support",
        "unlock",
        "1".into(),
        "2 low",
        "pending reminder",
        Some(("bob", "globex")),
        None,
        None,
        1_900_000_000,
    );
    s += &ticket(
        n.t3,
        "Old question",
        "Misc",
        "tmp_lock",
        maria(),
        "3 normal",
        "closed successful",
        Some(("alice", "acme")),
        None,
        None,
        0,
    );
    s += &article_rows(db, n);
    let history = |tn: &str, kind: &str, text: &str, by: String| {
        insert(
            "ticket_history",
            "name, history_type_id, ticket_id, type_id, queue_id, owner_id, priority_id, state_id",
            &[
                lit(text),
                id_of("ticket_history_type", "name", kind),
                id_of("ticket", "tn", tn),
                "1".into(),
                "1".into(),
                "1".into(),
                "3".into(),
                "1".into(),
            ],
        )
        .replace(STAMP, &format!("'2026-01-10 09:05:00', {by}, '2026-01-10 09:05:00', 1"))
    };
    s += &history(&n.t1, "NewTicket", &format!("New Ticket [{}] created.", n.t1), "1".into());
    s += &history(&n.t1, "AddNote", "Added note (Note)", maria());
    s += &history(&n.t1, "StateUpdate", "Old: \"new\" New: \"open\"", maria());
    s += &history(&n.t1, "TimeAccounting", "15 time unit(s) accounted.", maria());
    s += &history(n.t2, "NewTicket", &format!("New Ticket [{}] created.", n.t2), "1".into());
    s += &history(n.t3, "NewTicket", &format!("New Ticket [{}] created.", n.t3), "1".into());
    s
}

/// One article with its MIME row; `id` is kept in `insert_fingerprint` to find it again.
#[allow(clippy::too_many_arguments)]
pub fn article(
    tn: &str,
    id: &str,
    sender: &str,
    channel: &str,
    visible: bool,
    by: String,
    from: &str,
    to: &str,
    cc: &str,
    subject: &str,
    body: &str,
    message_id: &str,
    in_reply_to: &str,
    incoming: i64,
) -> String {
    let mut s = insert(
        "article",
        "ticket_id, article_sender_type_id, communication_channel_id, is_visible_for_customer, insert_fingerprint",
        &[
            id_of("ticket", "tn", tn),
            id_of("article_sender_type", "name", sender),
            id_of("communication_channel", "name", channel),
            if visible { "1".into() } else { "0".into() },
            lit(id),
        ],
    )
    .replace(STAMP, &format!("'2026-01-10 09:00:00', {by}, '2026-01-10 09:00:00', 1"));
    s += &insert(
        "article_data_mime",
        "article_id, a_from, a_to, a_cc, a_subject, a_body, a_message_id, a_in_reply_to, a_references, a_content_type, incoming_time, content_path",
        &[
            article_id(id),
            lit(from),
            lit(to),
            lit(cc),
            lit(subject),
            lit(body),
            lit(message_id),
            lit(in_reply_to),
            lit(in_reply_to),
            lit("text/plain; charset=utf-8"),
            incoming.to_string(),
            lit("2026/01/10"),
        ],
    );
    s
}

pub fn attachment(
    db: Db,
    id: &str,
    name: &str,
    content_type: &str,
    content_id: &str,
    disposition: Option<&str>,
    bytes: &[u8],
) -> String {
    insert(
        "article_data_mime_attachment",
        "article_id, filename, content_size, content_type, content_id, disposition, content",
        &[
            article_id(id),
            lit(name),
            lit(&bytes.len().to_string()),
            lit(content_type),
            lit(content_id),
            disposition.map_or("NULL".into(), lit),
            content(db, bytes),
        ],
    )
}

pub fn article_rows(db: Db, n: &Numbers) -> String {
    let maria = || id_of("users", "login", "maria");
    let mut s = String::new();
    s += &article(
        &n.t1,
        "t1-a1",
        "customer",
        "Email",
        true,
        "1".into(),
        "Alice O'Hara <alice@acme.example>",
        "support@helpdesk.example",
        "boss@acme.example",
        "Printer on fire",
        "It's on fire.\nPlease help.",
        "<t1a1@acme.example>",
        "",
        1_768_035_600,
    );
    s += &attachment(db, "t1-a1", "invoice.pdf", "application/pdf", "", Some("attachment"), PDF);
    s += &article(
        &n.t1,
        "t1-a2",
        "agent",
        "Internal",
        false,
        maria(),
        "Maria Silva",
        "",
        "",
        "Note",
        "Called the fire brigade.",
        "",
        "",
        0,
    );
    s += &article(
        &n.t1,
        "t1-a3",
        "agent",
        "Email",
        true,
        maria(),
        "Support <support@helpdesk.example>",
        "alice@acme.example",
        "",
        &format!("RE: [Ticket#{}] Printer on fire", n.t1),
        "The fire is out.",
        "<t1a3@helpdesk.example>",
        "<t1a1@acme.example>",
        1_768_039_200,
    );
    s += &attachment(db, "t1-a3", "logo.png", "image/png", "<logo@helpdesk.example>", None, PNG);
    s += &attachment(db, "t1-a3", "file-2", "text/html; charset=utf-8", "", Some("inline"), b"<p>The fire is out.</p>");
    s += &article(
        n.t2,
        "t2-a1",
        "customer",
        "Phone",
        true,
        maria(),
        "Bob B <bob@globex.example>",
        "",
        "",
        "Password reset",
        "Bob called: reset please.",
        "",
        "",
        0,
    );
    s += &article(
        n.t3,
        "t3-a1",
        "customer",
        "Email",
        true,
        "1".into(),
        "alice@acme.example",
        "support@helpdesk.example",
        "",
        "Old question",
        "Long ago.",
        "<t3a1@acme.example>",
        "",
        1_700_000_000,
    );
    s += &attachment(db, "t3-a1", "notes.txt", "text/plain", "", None, "ação\n".repeat(40).as_bytes());
    s
}

/// A later change in Znuny: an agent answers the pending ticket.
pub fn change(n: &Numbers) -> String {
    let mut s = article(
        n.t2,
        "t2-a2",
        "agent",
        "Email",
        true,
        id_of("users", "login", "maria"),
        "Support <support@helpdesk.example>",
        "bob@globex.example",
        "",
        "Your password",
        "Done.",
        "<t2a2@helpdesk.example>",
        "",
        1_768_050_000,
    );
    s += &insert(
        "ticket_history",
        "name, history_type_id, ticket_id, type_id, queue_id, owner_id, priority_id, state_id",
        &[
            lit("Sent answer"),
            id_of("ticket_history_type", "name", "SendAnswer"),
            id_of("ticket", "tn", n.t2),
            "1".into(),
            "1".into(),
            "1".into(),
            "2".into(),
            "1".into(),
        ],
    );
    s += &format!("UPDATE ticket SET change_time = '2026-01-10 12:00:00' WHERE tn = '{}';\n", n.t2);
    s
}

pub fn count(report: &serde_json::Value, kind: &str, outcome: &str) -> u64 {
    report["counts"][kind][outcome].as_u64().unwrap_or(0)
}

pub fn mail(from: &str, subject: &str, message_id: &str, in_reply_to: Option<&str>) -> InboundMessage {
    let sender = Sender::Email { address: from.into(), name: None, reply_to: None };
    let mut m = InboundMessage::new(ChannelKind::Email, sender, subject, "a reply");
    m.external_id = Some(message_id.into());
    m.references = in_reply_to.into_iter().map(str::to_string).collect();
    // As the mail adapter reports a sender whose domain passed DMARC: only those may follow up.
    m.sender_auth = Some(SenderAuth { dmarc: AuthResult::Pass, verified_by: "smtp".into(), ..Default::default() });
    m
}

pub async fn grants(engine: &Engine, subject: GrantSubject) -> Vec<Grant> {
    let mut g = engine.admin(&Actor::System).await.unwrap().grants_of(&subject).await.unwrap();
    g.sort_by_key(Grant::key);
    g
}

pub fn perms(ps: &[Permission]) -> PermissionSet {
    PermissionSet::of(ps)
}

pub async fn check_directory(engine: &Engine) {
    let admin = engine.admin(&Actor::System).await.unwrap();
    let get = |kind, key: &'static str| {
        let admin = &admin;
        async move { admin.get(kind, key).await.unwrap().unwrap_or_else(|| panic!("{kind:?} {key} missing")) }
    };
    let Record::CustomerUser(alice) = get(RecordKind::CustomerUser, "alice").await else { panic!() };
    let expected = CustomerUser {
        login: "alice".into(),
        email: "alice@acme.example".into(),
        first_name: "Alice".into(),
        last_name: "O'Hara".into(),
        phone: "+55 11 5555".into(),
        customer_id: "acme".into(),
        extra_customer_ids: vec!["globex".into()],
        valid: true,
        password_hash: Some("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b".into()),
        identities: Vec::new(),
        language: Some("pt-BR".into()),
    };
    assert_eq!(alice, expected);
    let Record::Customer(acme) = get(RecordKind::Customer, "acme").await else { panic!() };
    assert_eq!((acme.name.as_str(), acme.city.as_str(), acme.valid), ("Acme Ltd", "São Paulo", true));
    let Record::Customer(globex) = get(RecordKind::Customer, "globex").await else { panic!() };
    assert!(!globex.valid, "valid_id 2 is invalid");
    let Record::Agent(maria) = get(RecordKind::Agent, "maria").await else { panic!() };
    assert_eq!(maria.email, "maria@helpdesk.example");
    assert_eq!(maria.language.as_deref(), Some("pt-BR"));
    assert_eq!(maria.password_hash.as_deref(), Some("$2a$12$abcdefghijklmnopqrstuuv0123456789abcdefghijklmnopqrs"));
    assert!(matches!(get(RecordKind::Agent, "root@localhost").await, Record::Agent(_)));
    for group in ["users", "admin", "stats", "support"] {
        assert!(admin.get(RecordKind::Group, group).await.unwrap().is_some(), "group {group}");
    }
    assert!(matches!(get(RecordKind::Role, "Helpdesk").await, Record::Role(_)));
    let Record::Queue(q) = get(RecordKind::Queue, "Support").await else { panic!() };
    assert_eq!((q.group.as_str(), q.follow_up, q.unlock_timeout_minutes), ("support", FollowUpPolicy::Reject, 30));
    assert_eq!(q.comment, "Front desk");
    let Record::Service(child) = get(RecordKind::Service, "IT::Email").await else { panic!() };
    assert_eq!(child.parent(), Some("IT"));
    let Record::Sla(gold) = get(RecordKind::Sla, "Gold").await else { panic!() };
    assert_eq!(gold.calendar, chamado_znuny::CALENDAR);
    assert_eq!(gold.services, ["IT::Email"]);
    assert_eq!(
        (gold.targets.first_response_minutes, gold.targets.update_minutes, gold.targets.solution_minutes),
        (60, 120, 480)
    );
    assert_eq!(gold.targets.notify_before_percent, 70);
    assert!(matches!(get(RecordKind::Calendar, chamado_znuny::CALENDAR).await, Record::Calendar(_)));
    let Record::State(pending) = get(RecordKind::State, "pending auto close+").await else { panic!() };
    assert_eq!(
        (pending.state_type, pending.next_state.as_deref()),
        (StateType::PendingAuto, Some("closed successful"))
    );

    use Permission::*;
    let g = |subject, target: GrantTarget, permissions| Grant { subject, target, permissions };
    let group = |n: &str| GrantTarget::Group(n.into());
    assert_eq!(
        grants(engine, GrantSubject::Agent("maria".into())).await,
        [
            g(GrantSubject::Agent("maria".into()), group("support"), perms(&[Ro, MoveInto, Note])),
            g(GrantSubject::Agent("maria".into()), group("users"), perms(&[Rw])),
            Grant::role_membership("maria", "Helpdesk"),
        ]
    );
    assert_eq!(
        grants(engine, GrantSubject::Role("Helpdesk".into())).await,
        [g(GrantSubject::Role("Helpdesk".into()), group("support"), perms(&[Create, Priority]))],
        "a row with permission_value 0 grants nothing"
    );
    assert_eq!(
        grants(engine, GrantSubject::CustomerUser("alice".into())).await,
        [
            g(GrantSubject::CustomerUser("alice".into()), group("support"), perms(&[Ro])),
            Grant::service(GrantSubject::CustomerUser("alice".into()), "IT::Email"),
        ]
    );
    assert_eq!(
        grants(engine, GrantSubject::CustomerUser("bob".into())).await,
        [g(GrantSubject::CustomerUser("bob".into()), group("support"), perms(&[Rw]))]
    );
    assert_eq!(
        grants(engine, GrantSubject::Customer("acme".into())).await,
        [g(GrantSubject::Customer("acme".into()), group("support"), perms(&[Rw]))]
    );
    assert!(grants(engine, GrantSubject::Customer("globex".into())).await.is_empty(), "context Other is skipped");
    // A help desk's seeded default grant on group users is not Znuny's: only the services are, and the
    // groups of CustomerGroupAlwaysGroups (as changed in sysconfig_modified: support besides users).
    let defaults = grants(engine, GrantSubject::DefaultCustomerUsers).await;
    assert!(
        defaults.contains(&Grant::group(
            GrantSubject::DefaultCustomerUsers,
            "support",
            perms(&[Permission::Ro, Permission::Rw])
        )),
        "{defaults:?}"
    );
    let services: Vec<&Grant> = defaults.iter().filter(|g| matches!(g.target, GrantTarget::Service(_))).collect();
    assert_eq!(services, [&Grant::service(GrantSubject::DefaultCustomerUsers, "IT")]);
}

pub async fn file(
    engine: &Engine,
    number: &str,
    article: &chamado::Article,
    i: usize,
) -> (String, String, bool, Vec<u8>) {
    let f = engine.attachment(&Actor::System, number, article.id, chamado::AttachmentRef::Index(i)).await.unwrap();
    (f.meta.name, f.meta.content_type, f.meta.inline, f.data)
}

pub async fn check_tickets(engine: &Engine, n: &Numbers) {
    let view = engine.ticket(&Actor::System, &n.t1).await.unwrap();
    let t = &view.ticket;
    assert_eq!((t.title.as_str(), t.queue.as_str(), t.state.as_str()), ("Printer on fire", "Support", "open"));
    assert_eq!(
        (t.priority.level(), t.lock, t.owner.as_deref(), t.responsible.as_deref()),
        (4, Lock::Lock, Some("maria"), None)
    );
    assert_eq!((t.customer_user.as_deref(), t.customer_id.as_deref()), (Some("alice"), Some("acme")));
    assert_eq!(
        (t.service.as_deref(), t.sla.as_deref(), t.channel),
        (Some("IT::Email"), Some("Gold"), ChannelKind::Email)
    );
    assert_eq!(t.created_at, Timestamp::from_unix_seconds(1_768_035_600), "2026-01-10 09:00:00 taken as UTC");
    let a = &view.articles;
    assert_eq!(a.len(), 3);
    assert_eq!((a[0].sender, a[0].channel, a[0].visible_to_customer), (SenderType::Customer, ChannelKind::Email, true));
    assert_eq!(a[0].from, "Alice O'Hara <alice@acme.example>");
    assert_eq!(a[0].to, "support@helpdesk.example, boss@acme.example");
    assert_eq!((a[0].subject.as_str(), a[0].body.as_str()), ("Printer on fire", "It's on fire.\nPlease help."));
    assert_eq!(a[0].external_id.as_deref(), Some("<t1a1@acme.example>"));
    assert_eq!(
        (a[0].created_by.as_str(), a[0].created_at),
        ("customer:alice", Timestamp::from_unix_seconds(1_768_035_600))
    );
    assert_eq!(
        file(engine, &n.t1, &a[0], 0).await,
        ("invoice.pdf".into(), "application/pdf".into(), false, PDF.to_vec())
    );
    assert_eq!(
        (a[1].sender, a[1].channel, a[1].visible_to_customer),
        (SenderType::Agent, ChannelKind::Internal, false)
    );
    assert_eq!((a[1].body.as_str(), a[1].created_by.as_str()), ("Called the fire brigade.", "agent:maria"));
    assert_eq!(a[2].references, ["<t1a1@acme.example>"]);
    assert_eq!(file(engine, &n.t1, &a[2], 0).await, ("logo.png".into(), "image/png".into(), true, PNG.to_vec()));
    assert_eq!(file(engine, &n.t1, &a[2], 1).await.3, b"<p>The fire is out.</p>");
    let history = engine.history(&Actor::System, &n.t1).await.unwrap();
    let kinds: Vec<HistoryKind> = history.iter().map(|h| h.kind).collect();
    assert_eq!(
        kinds,
        [HistoryKind::Created, HistoryKind::ArticleAdded, HistoryKind::StateChanged],
        "TimeAccounting has no kind"
    );
    assert_eq!(history[1].actor, "agent:maria");
    assert_eq!(history[1].message, "AddNote: Added note (Note)");

    let t2 = engine.ticket(&Actor::System, n.t2).await.unwrap();
    assert_eq!(
        (t2.ticket.state_type, t2.ticket.pending_until),
        (StateType::PendingReminder, Some(Timestamp::from_unix_seconds(1_900_000_000)))
    );
    assert_eq!((t2.ticket.owner.as_deref(), t2.ticket.lock, t2.ticket.priority.level()), (None, Lock::Unlock, 2));
    assert_eq!((t2.ticket.channel, t2.articles.len()), (ChannelKind::Phone, 1));
    let t3 = engine.ticket(&Actor::System, n.t3).await.unwrap();
    assert_eq!(
        (t3.ticket.state_type, t3.ticket.lock, t3.ticket.queue.as_str()),
        (StateType::Closed, Lock::Lock, "Misc")
    );
    assert_eq!(file(engine, n.t3, &t3.articles[0], 0).await.3, "ação\n".repeat(40).into_bytes(), "base64 over lines");

    let welcome = engine.ticket(&Actor::System, WELCOME).await.unwrap();
    assert_eq!((welcome.ticket.title.as_str(), welcome.ticket.queue.as_str()), ("Znuny says hi!", "Raw"));
    assert_eq!(welcome.ticket.customer_user.as_deref(), Some("alice"));
    assert_eq!(welcome.articles.len(), 1);
    assert_eq!(welcome.articles[0].external_id.as_deref(), Some("<007@localhost>"));
    assert!(welcome.articles[0].body.starts_with("We welcome you to Znuny"));
    assert_eq!(welcome.articles[0].created_at, Timestamp::from_unix_seconds(1_611_745_200));
    let history = engine.history(&Actor::System, WELCOME).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].message, "NewTicket: New Ticket [2021012710123456] created.");
}

/// Replies to old mail land in the old tickets; a new ticket's number is none of the imported ones.
pub async fn check_threading(engine: &Engine, n: &Numbers) {
    let by_number =
        mail("alice@acme.example", &format!("Re: [Ticket#{WELCOME}] Znuny says hi!"), "<r1@acme.example>", None);
    match engine.intake(by_number).await.unwrap() {
        IntakeOutcome::FollowUp { ticket, .. } => assert_eq!(ticket.number, WELCOME),
        other => panic!("not threaded by number: {other:?}"),
    }
    let by_reference = mail("alice@acme.example", "Re: hello", "<r2@acme.example>", Some("<007@localhost>"));
    match engine.intake(by_reference).await.unwrap() {
        IntakeOutcome::FollowUp { ticket, .. } => assert_eq!(ticket.number, WELCOME),
        other => panic!("not threaded by In-Reply-To: {other:?}"),
    }
    let fresh = mail("alice@acme.example", "A new problem", "<r3@acme.example>", None);
    match engine.intake(fresh).await.unwrap() {
        IntakeOutcome::NewTicket { ticket, .. } => {
            assert!(![WELCOME, &n.t1, n.t2, n.t3].contains(&ticket.number.as_str()), "collided: {}", ticket.number);
        }
        other => panic!("expected a new ticket: {other:?}"),
    }
}

/// A scratch database of `db` with Znuny's schema, initial data and the fixture; its ticket numbers.
pub fn prepare(db: Db, files: &Path) -> (Scratch, Numbers) {
    let scratch = Scratch::create(db);
    let ext = if db == Db::Postgres { "postgresql" } else { "mysql" };
    for f in ["schema", "initial_insert", "schema-post"] {
        scratch.load(&files.join(format!("{f}.{ext}.sql")));
    }
    let numbers = Numbers { t1: todays_first_number(), t2: "1000123", t3: "1098765432" };
    scratch.sql(&fixture(db, &numbers));
    (scratch, numbers)
}
