//! Settings from the file, the environment over it, and errors that name what was wrong.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::config_file::{FileError, FileSettings, path_from};
use crate::settings::Settings;
use crate::source::{KEYS, Source};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

const EXAMPLE: &str = include_str!("helpdesk.toml");

fn file(text: &str) -> Result<FileSettings, FileError> {
    FileSettings::parse(Path::new("helpdesk.toml"), text)
}

fn source(env: &[(&'static str, &str)], text: Option<&str>) -> Source {
    let env: HashMap<&'static str, String> = env.iter().map(|(k, v)| (*k, v.to_string())).collect();
    let parsed = text.map(|t| file(t).unwrap());
    Source::new(env, parsed.as_ref().map(|f| (Path::new("helpdesk.toml"), f)))
}

fn error(r: Result<Settings, crate::settings::SettingsError>) -> String {
    r.err().map(|e| e.to_string()).unwrap_or_else(|| panic!("expected an error"))
}

const FILE: &str = r#"
[http]
addr = "127.0.0.1:9090"
metrics = false

[store]
data_dir = "/var/lib/helpdesk"

[smtp]
addr = ""
mail_from = "help@acme.example"
max_bytes = 1000

[telegram]
bot_token = "1:abc"
queue = "Chat"

[engine]
tick_seconds = 60
"#;

#[test]
fn settings_from_the_file_only() {
    let s = source(&[], Some(FILE));
    let settings = Settings::load(&s).unwrap();
    assert_eq!(settings.http_addr.to_string(), "127.0.0.1:9090");
    assert!(!settings.metrics);
    assert_eq!(settings.data_dir, Path::new("/var/lib/helpdesk"));
    assert_eq!(settings.tick_every, Duration::from_secs(60));
    assert_eq!(settings.deliver_every, Duration::from_secs(5), "unset keys keep their defaults");
    assert_eq!(settings.log_filter, "info");
    let email = &settings.email;
    assert_eq!(email.smtp_addr, None, "an empty smtp.addr switches SMTP intake off");
    assert_eq!((email.mail_from.as_str(), email.max_message_bytes), ("help@acme.example", 1000));
    let tg = settings.telegram.clone().unwrap();
    assert_eq!((tg.token.as_str(), tg.queue.as_str()), ("1:abc", "Chat"));
}

#[test]
fn the_environment_overrides_the_file() {
    let s = source(
        &[
            ("CHAMADO_HTTP_ADDR", "127.0.0.1:7070"),
            ("CHAMADO_SMTP_ADDR", "127.0.0.1:2626"),
            ("CHAMADO_TELEGRAM_QUEUE", "Misc"),
            ("RUST_LOG", "debug"),
            // Empty counts as unset: the file's value stays.
            ("CHAMADO_MAIL_FROM", " "),
        ],
        Some(FILE),
    );
    let settings = Settings::load(&s).unwrap();
    assert_eq!(settings.http_addr.to_string(), "127.0.0.1:7070");
    assert!(!settings.metrics, "keys without a variable set still come from the file");
    assert_eq!(settings.log_filter, "debug");
    let email = &settings.email;
    assert_eq!(email.smtp_addr.as_deref(), Some("127.0.0.1:2626"));
    assert_eq!(email.mail_from, "help@acme.example");
    assert_eq!(settings.telegram.clone().unwrap().queue, "Misc");
    // And with no file at all, the environment alone, as before the file existed.
    let env_only = Settings::load(&source(&[("CHAMADO_DATA_DIR", "/tmp/x")], None)).unwrap();
    assert_eq!(env_only.data_dir, Path::new("/tmp/x"));
    assert_eq!(env_only.http_addr.to_string(), "127.0.0.1:8080");
    assert!(env_only.full_text_search, "the redb word index is on unless turned off");
}

#[test]
fn full_text_search_is_a_flag_from_the_file_or_the_environment() {
    let off = Settings::load(&source(&[], Some("[store]\nfull_text_search = false\n"))).unwrap();
    assert!(!off.full_text_search);
    let on =
        Settings::load(&source(&[("CHAMADO_FULL_TEXT_SEARCH", "on")], Some("[store]\nfull_text_search = false\n")));
    assert!(on.unwrap().full_text_search, "the variable overrides the file");
    let bad = source(&[("CHAMADO_FULL_TEXT_SEARCH", "maybe")], None);
    assert_eq!(error(Settings::load(&bad)), "CHAMADO_FULL_TEXT_SEARCH = \"maybe\": not true or false");
}

#[test]
fn the_store_cache_size_is_bytes_with_a_floor() {
    let default = Settings::load(&source(&[], None)).unwrap();
    assert_eq!(default.cache_size, crate::settings::DEFAULT_CACHE_SIZE);
    let file = Settings::load(&source(&[], Some("[store]\ncache_size = 268435456\n"))).unwrap();
    assert_eq!(file.cache_size, 256 << 20);
    let env = source(&[("CHAMADO_STORE_CACHE_SIZE", "8388608")], Some("[store]\ncache_size = 268435456\n"));
    assert_eq!(Settings::load(&env).unwrap().cache_size, 8 << 20, "the variable overrides the file");
    let small = source(&[("CHAMADO_STORE_CACHE_SIZE", "1024")], None);
    assert_eq!(
        error(Settings::load(&small)),
        "CHAMADO_STORE_CACHE_SIZE = \"1024\": not a number of bytes of at least 4194304 (4 MiB)"
    );
    let text = source(&[("CHAMADO_STORE_CACHE_SIZE", "64M")], None);
    assert!(error(Settings::load(&text)).starts_with("CHAMADO_STORE_CACHE_SIZE = \"64M\": "));
}

#[test]
fn a_bad_value_names_its_key_or_variable() {
    let from_file = source(&[], Some("[http]\naddr = \"x\"\n"));
    assert_eq!(
        error(Settings::load(&from_file)),
        "helpdesk.toml: http.addr = \"x\": not an address like 127.0.0.1:8080"
    );
    let from_env = source(&[("CHAMADO_HTTP_ADDR", "y")], Some("[http]\naddr = \"x\"\n"));
    assert_eq!(error(Settings::load(&from_env)), "CHAMADO_HTTP_ADDR = \"y\": not an address like 127.0.0.1:8080");
    let token = source(&[], Some("[admin]\ntoken = \"short\"\n"));
    let msg = error(Settings::load(&token));
    assert_eq!(msg, "helpdesk.toml: admin.token: must be at least 16 visible ASCII characters");
    assert!(!msg.contains("short"), "a secret is never echoed");
    let seconds = source(&[("CHAMADO_TICK_SECONDS", "0")], None);
    assert!(error(Settings::load(&seconds)).starts_with("CHAMADO_TICK_SECONDS = \"0\": "));
    // The adapters' errors name their field; the host maps it to where the value came from.
    let mail = source(&[], Some("[smtp]\nmail_from = \"nobody\"\n"));
    let e = Settings::load(&mail).unwrap_err();
    assert_eq!(e.at, "helpdesk.toml: smtp.mail_from");
    assert_eq!(source(&[], None).origin_of("CHAMADO_MAIL_FROM"), "CHAMADO_MAIL_FROM");
    let tls = source(&[], Some("[smtp]\ntls_cert = \"/nonexistent/cert.pem\"\ntls_key = \"/nonexistent/key.pem\"\n"));
    let e = Settings::load(&tls).unwrap_err();
    assert_eq!(e.at, "helpdesk.toml: smtp.tls_cert");
    assert!(e.message.contains("/nonexistent/cert.pem"), "{}", e.message);
    let url = source(&[("CHAMADO_HTTP_PUBLIC_URL", "help.example.com")], None);
    let e = Settings::load(&url).unwrap_err();
    assert_eq!(e.at, "CHAMADO_HTTP_PUBLIC_URL");
    assert!(e.message.contains("https://"), "{}", e.message);
    let url = source(&[], Some("[http]\npublic_url = \"https://help.example.com\"\n"));
    assert_eq!(Settings::load(&url).unwrap().public_url.as_deref(), Some("https://help.example.com"));
    assert_eq!(Settings::load(&source(&[], None)).unwrap().public_url, None);
    let tg = source(&[("TELEGRAM_WEBHOOK_URL", "https://x/y")], Some("[telegram]\nbot_token = \"1:a\"\n"));
    assert_eq!(tg.origins_in("telegram."), ["helpdesk.toml: telegram.bot_token", "TELEGRAM_WEBHOOK_URL"]);
}

#[test]
fn unknown_keys_and_wrong_types_are_named() {
    let unknown = file("[http]\naddr = \"127.0.0.1:1\"\nadr = \"x\"\n").unwrap_err().to_string();
    assert!(unknown.starts_with("helpdesk.toml: http.adr (line 3): unknown field `adr`"), "{unknown}");
    let section = file("[htp]\naddr = \"x\"\n").unwrap_err().to_string();
    assert!(section.starts_with("helpdesk.toml: htp (line 1): unknown field `htp`"), "{section}");
    let typed = file("[smtp]\nmax_bytes = \"lots\"\n").unwrap_err().to_string();
    assert!(typed.starts_with("helpdesk.toml: smtp.max_bytes (line 2): invalid type"), "{typed}");
    let syntax = file("[http\n").unwrap_err().to_string();
    assert!(syntax.starts_with("helpdesk.toml: "), "{syntax}");
}

#[test]
fn a_missing_file_is_named() {
    let e = FileSettings::load(Path::new("/nonexistent/helpdesk.toml")).unwrap_err().to_string();
    assert!(e.starts_with("/nonexistent/helpdesk.toml: cannot read the configuration file: "), "{e}");
}

#[test]
fn the_config_file_comes_from_the_argument_else_the_variable() {
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let env = Some("env.toml".to_string());
    assert_eq!(path_from(&args(&["--config", "a.toml"]), env.clone()).unwrap(), Some("a.toml".into()));
    assert_eq!(path_from(&args(&["--config=b.toml"]), env.clone()).unwrap(), Some("b.toml".into()));
    assert_eq!(path_from(&args(&[]), env).unwrap(), Some("env.toml".into()));
    assert_eq!(path_from(&args(&[]), None).unwrap(), None);
    assert!(path_from(&args(&["--config"]), None).is_err());
    assert!(path_from(&args(&["--verbose"]), None).unwrap_err().contains("--verbose"));
}

/// The example file as shipped, and with every commented-out key switched on.
#[test]
fn the_example_file_documents_every_key_and_parses() {
    let shipped = source(&[], Some(EXAMPLE));
    let defaults = Settings::load(&source(&[], None)).unwrap();
    let settings = Settings::load(&shipped).unwrap();
    assert_eq!(format!("{settings:?}"), format!("{defaults:?}"), "the shipped values are the defaults");
    assert_eq!(settings.email, defaults.email);
    assert_eq!(settings.email, chamado_email::EmailConfig::default());
    assert_eq!(settings.telegram, None);

    let all: String = EXAMPLE
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if rest
                    .split_once(" = ")
                    .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '_')) =>
            {
                rest
            }
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    // The TLS files named in the example must exist and hold a certificate and its key.
    let dir = tempfile::tempdir().unwrap();
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert, key) = (dir.path().join("fullchain.pem"), dir.path().join("privkey.pem"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    assert!(all.contains("/etc/chamado/fullchain.pem") && all.contains("/etc/chamado/privkey.pem"));
    // So must the spool folder.
    assert!(all.contains("\"/var/spool/chamado\""));
    let all = all
        .replace("/etc/chamado/fullchain.pem", &cert.to_string_lossy())
        .replace("/etc/chamado/privkey.pem", &key.to_string_lossy())
        .replace("/etc/chamado/mail-ca.pem", &cert.to_string_lossy())
        .replace("/var/spool/chamado", &dir.path().to_string_lossy());
    let everything = file(&all).unwrap();
    let set: Vec<&str> = everything.keys();
    let keys: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
    assert_eq!(set, keys, "every key is in the example file, in the order of KEYS");
    for (key, var) in KEYS {
        assert!(EXAMPLE.contains(&format!("# {var}\n")), "{key}: the comment names {var}");
    }
    let s = source(&[], Some(&all));
    let settings = Settings::load(&s).unwrap();
    let email = &settings.email;
    assert!(email.tls().unwrap().is_some() && email.require_tls);
    assert!(settings.telegram.is_some_and(|t| t.webhook.is_some()));
    assert_eq!(settings.mail.accounts.len(), 1, "the example URL makes one account");
    assert!(settings.mail.maildir.is_some() && settings.mail.settings.ca_file.is_some());
}

#[test]
fn a_variable_of_the_wrong_shape_is_named() {
    let queues = source(&[("CHAMADO_MAIL_QUEUES", "nonsense")], None);
    let e = error(Settings::load(&queues));
    assert!(e.starts_with("CHAMADO_MAIL_QUEUES = \"nonsense\": queue mapping"), "{e}");
    let bytes = source(&[("CHAMADO_SMTP_MAX_BYTES", "lots")], None);
    assert_eq!(error(Settings::load(&bytes)), "CHAMADO_SMTP_MAX_BYTES = \"lots\": not a number of bytes");
    let require = source(&[("CHAMADO_SMTP_REQUIRE_TLS", "on")], None);
    assert!(error(Settings::load(&require)).starts_with("CHAMADO_SMTP_REQUIRE_TLS: TLS is required"));
    let half = source(&[("TELEGRAM_WEBHOOK_URL", "https://x/y")], Some("[telegram]\nbot_token = \"1:a\"\n"));
    let e = error(Settings::load(&half));
    assert!(e.starts_with("TELEGRAM_WEBHOOK_URL: ") && e.contains("must be set together"), "{e}");
    let secret = source(
        &[("TELEGRAM_WEBHOOK_URL", "https://x/y"), ("TELEGRAM_WEBHOOK_SECRET", "not allowed!")],
        Some("[telegram]\nbot_token = \"1:a\"\n"),
    );
    let e = error(Settings::load(&secret));
    assert!(e.starts_with("TELEGRAM_WEBHOOK_SECRET: ") && !e.contains("not allowed!"), "{e}");
    let token = source(&[], Some("[telegram]\nbot_token = \"1 a\"\n"));
    assert_eq!(error(Settings::load(&token)), "helpdesk.toml: telegram.bot_token: the bot token is empty or malformed");
}

#[test]
fn the_ticket_number_generator_and_system_id_are_settings() {
    let defaults = Settings::load(&source(&[], None)).unwrap();
    assert_eq!(defaults.engine.number_format, chamado::NumberFormat::DateChecksum);
    assert_eq!(defaults.engine.system_id, "10");
    let file = "[engine]\nticket_number_generator = \"date\"\nsystem_id = 7\n";
    let from_file = Settings::load(&source(&[], Some(file))).unwrap();
    assert_eq!(
        (from_file.engine.number_format, from_file.engine.system_id.as_str()),
        (chamado::NumberFormat::Date, "7")
    );
    let env = [("CHAMADO_TICKET_NUMBER_GENERATOR", "auto_increment"), ("CHAMADO_SYSTEM_ID", "42")];
    let from_env = Settings::load(&source(&env, Some(file))).unwrap();
    assert_eq!(from_env.engine.number_format, chamado::NumberFormat::AutoIncrement, "the variable wins");
    assert_eq!(from_env.engine.system_id, "42");

    let bad_name = source(&[("CHAMADO_TICKET_NUMBER_GENERATOR", "random")], None);
    assert_eq!(
        error(Settings::load(&bad_name)),
        "CHAMADO_TICKET_NUMBER_GENERATOR = \"random\": not one of date_checksum, date, auto_increment"
    );
    let bad_id = source(&[], Some("[engine]\nsystem_id = \"4x\"\n"));
    let e = error(Settings::load(&bad_id));
    assert!(e.starts_with("helpdesk.toml: engine.system_id = \"4x\": ") && e.contains("1 to 10 digits"), "{e}");
    let long_id = source(&[("CHAMADO_SYSTEM_ID", "12345678901")], None);
    assert!(error(Settings::load(&long_id)).starts_with("CHAMADO_SYSTEM_ID = \"12345678901\": "));
    let typed = file_error("[engine]\nsystem_id = true\n");
    assert!(typed.starts_with("helpdesk.toml: engine.system_id (line 2): "), "{typed}");
}

fn file_error(text: &str) -> String {
    file(text).err().map(|e| e.to_string()).unwrap_or_else(|| panic!("expected an error"))
}

/// A helpdesk engine built from the settings numbers its tickets with the configured format and
/// SystemID.
#[tokio::test]
async fn the_engine_numbers_tickets_as_configured() {
    let env = [("CHAMADO_TICKET_NUMBER_GENERATOR", "auto_increment"), ("CHAMADO_SYSTEM_ID", "42")];
    let settings = Settings::load(&source(&env, None)).unwrap();
    let engine = chamado::Engine::builder(chamado::MemoryStore::new()).config(settings.engine.clone()).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let sender = chamado::Sender::Email { address: "ann@customer.example".into(), name: None, reply_to: None };
    let mut numbers = Vec::new();
    for n in 0..2 {
        let msg = chamado::InboundMessage::new(chamado::ChannelKind::Email, sender.clone(), format!("help {n}"), "x");
        match engine.intake(msg).await.unwrap() {
            chamado::IntakeOutcome::NewTicket { ticket, .. } => numbers.push(ticket.number),
            other => panic!("expected a new ticket, got {other:?}"),
        }
    }
    assert_eq!(numbers, ["4200001", "4200002"]);
    assert_eq!(settings.engine.system_addresses[0], "support@localhost", "the email settings still apply");
}

#[test]
fn the_bounce_queue_is_a_setting() {
    assert_eq!(Settings::load(&source(&[], None)).unwrap().engine.bounce_queue, "Postmaster");
    let file = "[engine]\nbounce_queue = \"Bounces\"\n";
    assert_eq!(Settings::load(&source(&[], Some(file))).unwrap().engine.bounce_queue, "Bounces");
    let env = [("CHAMADO_BOUNCE_QUEUE", "Junk")];
    assert_eq!(Settings::load(&source(&env, Some(file))).unwrap().engine.bounce_queue, "Junk", "the variable wins");
}

#[test]
fn the_default_language_and_time_zone_are_settings_and_unknown_ones_stop_the_start() {
    let defaults = Settings::load(&source(&[], None)).unwrap();
    assert_eq!(
        (defaults.engine.i18n.default_language.as_str(), defaults.engine.i18n.default_time_zone.as_str()),
        ("en", "UTC")
    );
    let file = "[i18n]\ndefault_language = \"pt_br\"\ndefault_time_zone = \"america/sao_paulo\"\n";
    let s = Settings::load(&source(&[], Some(file))).unwrap();
    assert_eq!(s.engine.i18n.default_language, "pt-BR", "kept in one spelling");
    assert_eq!(s.engine.i18n.default_time_zone, "America/Sao_Paulo");
    let env = [("CHAMADO_DEFAULT_LANGUAGE", "en"), ("CHAMADO_DEFAULT_TIME_ZONE", "Europe/Lisbon")];
    let s = Settings::load(&source(&env, Some(file))).unwrap();
    assert_eq!(
        (s.engine.i18n.default_language.as_str(), s.engine.i18n.default_time_zone.as_str()),
        ("en", "Europe/Lisbon")
    );

    let e = error(Settings::load(&source(&[("CHAMADO_DEFAULT_LANGUAGE", "klingon")], None)));
    assert!(e.contains("CHAMADO_DEFAULT_LANGUAGE") && e.contains("klingon") && e.contains("pt-BR"), "{e}");
    let e = error(Settings::load(&source(&[("CHAMADO_DEFAULT_TIME_ZONE", "Mars/Base")], None)));
    assert!(e.contains("CHAMADO_DEFAULT_TIME_ZONE") && e.contains("Mars/Base"), "{e}");
    let e = error(Settings::load(&source(&[], Some("[i18n]\ndefault_language = \"xx\"\n"))));
    assert!(e.contains("i18n.default_language"), "{e}");
}

const MAIL: &str = r#"
[mail]
reload_seconds = 3
max_message_bytes = 1000000

[[mail.accounts]]
name = "support"
host = "imap.example.com"
login = "support@example.com"
password = "app-password"
queue = "Raw"
folders = ["INBOX", "Support"]
after_import = "move"
move_to = "Archive"
since = "2026-01-01"

[[mail.accounts]]
name = "pop"
protocol = "pop3"
tls = "starttls"
host = "pop.example.com"
login = "pop@example.com"
oauth2_refresh_token = "rt"
oauth2_client_id = "cid"
oauth2_token_url = "https://oauth2.example.com/token"
queue = "Postmaster"
"#;

#[test]
fn mail_accounts_from_the_file() {
    let settings = Settings::load(&source(&[], Some(MAIL))).unwrap();
    let mail = &settings.mail;
    assert_eq!((mail.settings.reload_seconds, mail.settings.max_message_bytes), (3, 1_000_000));
    assert_eq!(mail.settings.limits().command_timeout, Duration::from_secs(300), "unset limits keep their defaults");
    let [support, pop] = &mail.accounts[..] else { panic!("two accounts: {:?}", mail.accounts) };
    assert_eq!((support.name.as_str(), support.port, support.tls), ("support", 993, chamado::MailTls::Implicit));
    assert_eq!(support.folders, vec!["INBOX".to_string(), "Support".into()]);
    assert_eq!(support.after_import, chamado::AfterImport::Move { folder: "Archive".into() });
    assert_eq!(support.first_sync, chamado::FirstSync::Since { date: "2026-01-01".into() });
    assert_eq!((pop.protocol, pop.port, pop.tls), (chamado::MailProtocol::Pop3, 110, chamado::MailTls::Starttls));
    assert_eq!((pop.credential.kind(), pop.queue.as_str()), ("xoauth2", "Postmaster"));
    assert!(!format!("{settings:?}").contains("app-password"), "secrets stay out of Debug");
    assert_eq!(mail.maildir, None);
}

#[test]
fn one_account_from_the_environment_and_a_maildir() {
    let s = source(
        &[
            ("CHAMADO_IMAP_URL", "imap://support:s3cret@127.0.0.1:1143/INBOX?tls=none&queue=Raw"),
            ("CHAMADO_MAILDIR", "/var/mail/help"),
        ],
        Some(MAIL),
    );
    let settings = Settings::load(&s).unwrap();
    let accounts = &settings.mail.accounts;
    assert_eq!(accounts.len(), 3, "the URL's account comes besides the file's");
    let url = &accounts[2];
    assert_eq!((url.name.as_str(), url.host.as_str(), url.port), ("mailbox", "127.0.0.1", 1143));
    assert_eq!((url.tls, url.queue.as_str()), (chamado::MailTls::None, "Raw"));
    assert_eq!(settings.mail.maildir.as_deref(), Some(Path::new("/var/mail/help")));
}

#[test]
fn a_bad_mailbox_setting_names_the_variable_or_key_and_never_the_password() {
    let e = error(Settings::load(&source(&[("CHAMADO_IMAP_URL", "imap://u:hunter2@h?tls=ssl")], None)));
    assert!(e.starts_with("CHAMADO_IMAP_URL: tls="), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
    // TLS none only for this machine: the account's own check, named the same way.
    let e = error(Settings::load(&source(&[("CHAMADO_IMAP_URL", "imap://u:hunter2@imap.example.com")], None)));
    assert!(e.starts_with("CHAMADO_IMAP_URL: ") && !e.contains("hunter2"), "{e}");
    let e = error(Settings::load(&source(&[], Some("[mail]\nimap_url = \"imap://u:hunter2@h:0\"\n"))));
    assert!(e.starts_with("helpdesk.toml: mail.imap_url: port"), "{e}");

    let bad_after = MAIL.replace("after_import = \"move\"", "after_import = \"archive\"");
    let e = error(Settings::load(&source(&[], Some(&bad_after))));
    assert!(e.starts_with("helpdesk.toml: mail.accounts[0].after_import: "), "{e}");
    let no_queue = MAIL.replace("queue = \"Postmaster\"\n", "");
    let e = error(Settings::load(&source(&[], Some(&no_queue))));
    assert!(e.starts_with("helpdesk.toml: mail.accounts[1]."), "{e}");
    let twice = format!(
        "{MAIL}\n[[mail.accounts]]\nname = \"pop\"\nhost = \"h.example.com\"\nlogin = \"x\"\npassword = \"y\"\nqueue = \"Raw\"\n"
    );
    let e = error(Settings::load(&source(&[], Some(&twice))));
    assert!(e.contains("\"pop\"") && e.contains("two accounts"), "{e}");
    // A typo in an account is caught when the file is read.
    let typo = MAIL.replace("move_to =", "moveto =");
    assert!(file(&typo).unwrap_err().to_string().contains("moveto"));

    let e = error(Settings::load(&source(&[("CHAMADO_MAIL_CA_FILE", "/nonexistent/ca.pem")], None)));
    assert!(e.starts_with("CHAMADO_MAIL_CA_FILE: CA file /nonexistent/ca.pem"), "{e}");
}

/// Links in notifications start at the public URL when one is set, else at the address the HTTP
/// server bound, so that they work out of the box on this machine.
#[test]
fn links_start_at_the_public_url_or_the_bound_address() {
    use crate::settings::links_base;
    let bound: std::net::SocketAddr = "127.0.0.1:40123".parse().unwrap();
    assert_eq!(links_base(None, bound), "http://127.0.0.1:40123");
    assert_eq!(links_base(Some("https://help.example.com/"), bound), "https://help.example.com");
    assert_eq!(links_base(Some("https://example.com/helpdesk"), bound), "https://example.com/helpdesk");
    assert_eq!(links_base(Some("  "), bound), "http://127.0.0.1:40123", "empty counts as unset");
    assert_eq!(links_base(None, "0.0.0.0:8080".parse().unwrap()), "http://127.0.0.1:8080");
    assert_eq!(links_base(None, "[::]:8080".parse().unwrap()), "http://[::1]:8080");
    assert_eq!(links_base(None, "192.0.2.7:8080".parse().unwrap()), "http://192.0.2.7:8080");

    let unset = Settings::load(&source(&[], None)).unwrap();
    assert_eq!(unset.engine_for(bound).public_url, "http://127.0.0.1:40123");
    assert_eq!(unset.engine_for(bound).system_id, unset.engine.system_id, "the rest as configured");
    let env = [("CHAMADO_HTTP_PUBLIC_URL", "https://help.example.com")];
    let set = Settings::load(&source(&env, Some("[http]\npublic_url = \"https://file.example.com\"\n"))).unwrap();
    assert_eq!(set.engine_for(bound).public_url, "https://help.example.com", "the variable wins");
}

/// The engine built as the helpdesk builds it puts links under the public URL into notification
/// texts: `urls.ticket` names the ticket's page in the console.
#[tokio::test]
async fn ticket_links_in_texts_start_at_the_public_url() {
    let env = [("CHAMADO_HTTP_PUBLIC_URL", "https://help.example.com/")];
    let settings = Settings::load(&source(&env, None)).unwrap();
    let config = settings.engine_for("127.0.0.1:8080".parse().unwrap());
    let engine = chamado::Engine::builder(chamado::MemoryStore::new()).config(config).build().unwrap();
    engine.seed_defaults("admin").await.unwrap();
    let sender = chamado::Sender::Email { address: "ann@customer.example".into(), name: None, reply_to: None };
    let msg = chamado::InboundMessage::new(chamado::ChannelKind::Email, sender, "help", "x");
    let chamado::IntakeOutcome::NewTicket { ticket, .. } = engine.intake(msg).await.unwrap() else {
        panic!("expected a new ticket");
    };
    let agent = engine.agent("admin").await.unwrap();
    let context = engine.template_context(&ticket, None, agent.as_ref()).await.unwrap();
    assert_eq!(context.urls.ticket, format!("https://help.example.com/agent/tickets/{}", ticket.number));
}

#[test]
fn webhook_settings_come_from_the_file_and_private_targets_also_from_the_environment() {
    let defaults = Settings::load(&source(&[], None)).unwrap();
    assert_eq!(defaults.engine.webhooks, chamado::WebhookConfig::default());
    assert_eq!(defaults.webhooks, chamado_webhooks::WorkerConfig::default());
    let file = "[webhooks]\nretry_hours = 2\nbackoff_secs = 1\nmax_backoff_secs = 8\nlease_secs = 30\n\
                delivery_retention_days = 3\nclaim_batch = 10\npoll_interval_ms = 250\n";
    let s = Settings::load(&source(&[], Some(file))).unwrap();
    let w = &s.engine.webhooks;
    assert_eq!((w.retry_hours, w.backoff_secs, w.max_backoff_secs, w.lease_secs), (2, 1, 8, 30));
    assert_eq!((w.delivery_retention_days, w.event_retention_days, w.allow_private_targets), (3, 7, false));
    assert_eq!((s.webhooks.claim_batch, s.webhooks.poll_interval_ms), (10, 250));
    for on in ["true", "1"] {
        let env = [("CHAMADO_WEBHOOKS_ALLOW_PRIVATE_TARGETS", on)];
        assert!(Settings::load(&source(&env, Some(file))).unwrap().engine.webhooks.allow_private_targets);
    }
    let off = [("CHAMADO_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "0")];
    let on_in_file = "[webhooks]\nallow_private_targets = true\n";
    assert!(Settings::load(&source(&[], Some(on_in_file))).unwrap().engine.webhooks.allow_private_targets);
    assert!(!Settings::load(&source(&off, Some(on_in_file))).unwrap().engine.webhooks.allow_private_targets);

    let bad = [("CHAMADO_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "maybe")];
    assert_eq!(
        error(Settings::load(&source(&bad, None))),
        "CHAMADO_WEBHOOKS_ALLOW_PRIVATE_TARGETS = \"maybe\": not true or false"
    );
    let short = "[webhooks]\nlease_secs = 1\n";
    assert_eq!(
        error(Settings::load(&source(&[], Some(short)))),
        "helpdesk.toml: webhooks.lease_secs = \"1\": must be 2 to 3600 seconds"
    );
    let backwards = "[webhooks]\nbackoff_secs = 60\nmax_backoff_secs = 10\n";
    assert!(
        error(Settings::load(&source(&[], Some(backwards)))).starts_with("helpdesk.toml: webhooks.max_backoff_secs")
    );
    let batch = "[webhooks]\nclaim_batch = 0\n";
    assert!(error(Settings::load(&source(&[], Some(batch)))).starts_with("helpdesk.toml: webhooks.claim_batch: "));
    let typo = file_error("[webhooks]\nlease_sec = 30\n");
    assert!(typo.starts_with("helpdesk.toml: webhooks.lease_sec (line 2): unknown field"), "{typo}");
}
