//! The load itself: HTTP workers drawing operations from the mix, SMTP workers sending mail, each
//! closed loop on its own connection.

use crate::error::{LoadError, excerpt};
use crate::http::{Answer, Client, encode, json_field};
use crate::ops::{Mix, Op};
use crate::pool::{Pool, User};
use crate::rng::Rng;
use crate::smtp::{SmtpClient, ticket_of};
use crate::stats::{Outcome, Recorder};
use crate::text;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What every worker shares.
pub struct Ctx {
    /// The helpdesk's `host:port`.
    pub addr: String,
    /// The admin agent's API token (the agent side of the mix).
    pub admin: String,
    /// Customer users and tickets.
    pub pool: Arc<Pool>,
    /// HTTP weights.
    pub mix: Mix,
    /// The queue tickets open in and agents list.
    pub queue: String,
    /// The end of the warm-up.
    pub measure_from: Instant,
    /// When workers stop starting requests.
    pub deadline: Instant,
    /// Seeds the workers' generators.
    pub seed: u64,
    /// Different in every run, so Message-IDs never repeat (the server drops repeated ones).
    pub run_tag: u128,
    /// The SMTP recipient (the system address).
    pub mail_to: String,
    /// Percent of mails that answer one of the sender's tickets.
    pub mail_reply_percent: usize,
    /// Per SMTP connection: the time between mails (fixed rate), or none (closed loop).
    pub mail_period: Option<Duration>,
}

/// One HTTP worker until the deadline.
pub async fn http_worker(ctx: Arc<Ctx>, id: usize) -> Recorder {
    let mut rng = Rng::new(ctx.seed.wrapping_mul(1_000_003).wrapping_add(id as u64));
    let mut client = Client::new(&ctx.addr);
    let mut rec = Recorder::new(ctx.measure_from);
    while Instant::now() < ctx.deadline {
        let started = Instant::now();
        let (op, outcome) = http_op(&ctx, &mut client, ctx.mix.pick(&mut rng), &mut rng).await;
        rec.record(op, started, outcome);
    }
    rec
}

/// Runs `op`; an operation on an existing ticket opens one instead while there are none.
async fn http_op(ctx: &Ctx, client: &mut Client, op: Op, rng: &mut Rng) -> (Op, Outcome) {
    let admin = Some(ctx.admin.as_str());
    match op {
        Op::Open | Op::MailNew | Op::MailReply => (Op::Open, open(ctx, client, rng).await),
        Op::FollowUp | Op::Reply | Op::Get => {
            let Some((user, ticket)) = ctx.pool.user_ticket(rng) else {
                return (Op::Open, open(ctx, client, rng).await);
            };
            let path = format!("/api/v1/tickets/{ticket}");
            let outcome = match op {
                Op::Get => judge(client.send("GET", &path, admin, None).await, 200),
                _ => {
                    let token = if op == Op::Reply { admin } else { Some(user.session.as_str()) };
                    let body = json!({ "body": text::body(rng) }).to_string();
                    judge(client.send("POST", &format!("{path}/articles"), token, Some(body)).await, 201)
                }
            };
            (op, outcome)
        }
        Op::Mine => {
            let token = ctx.pool.user(rng).map(|u| u.session.as_str());
            (op, judge(client.send("GET", "/api/v1/tickets?limit=25", token, None).await, 200))
        }
        Op::Queue => {
            let path = format!("/api/v1/tickets?queue={}&limit=25", encode(&ctx.queue));
            (op, judge(client.send("GET", &path, admin, None).await, 200))
        }
        Op::Search => {
            let path = format!("/api/v1/tickets?q={}&limit=25", text::word(rng));
            let outcome = match client.send("GET", &path, admin, None).await {
                // Stores without full-text search (redb without its word index) answer 400 `unsupported`.
                Ok(a) if a.status == 400 && String::from_utf8_lossy(&a.body).contains("unsupported") => {
                    Outcome::Unsupported
                }
                other => judge(other, 200),
            };
            (op, outcome)
        }
    }
}

/// A customer user opens a ticket; its number joins their tickets.
async fn open(ctx: &Ctx, client: &mut Client, rng: &mut Rng) -> Outcome {
    let Some(user) = ctx.pool.user(rng) else {
        return Outcome::Failed("no-users".into(), "run --setup first".into());
    };
    let body = json!({ "title": text::title(rng), "body": text::body(rng), "queue": ctx.queue }).to_string();
    match client.send("POST", "/api/v1/tickets", Some(&user.session), Some(body)).await {
        Ok(a) if a.status == 201 => match json_field(&a.body, "number", "POST /api/v1/tickets") {
            Ok(n) => {
                user.add_ticket(n);
                Outcome::Ok
            }
            Err(e) => Outcome::Failed("bad-json".into(), e.to_string()),
        },
        other => judge(other, 201),
    }
}

/// Ok when the status is `expected`; otherwise keyed by the status or the transport failure.
fn judge(answer: Result<Answer, LoadError>, expected: u16) -> Outcome {
    match answer {
        Ok(a) if a.status == expected => Outcome::Ok,
        Ok(a) => Outcome::Failed(a.status.to_string(), excerpt(&a.body)),
        Err(e @ LoadError::Connect { .. }) => Outcome::Failed("connect".into(), e.to_string()),
        Err(e) => Outcome::Failed("io".into(), e.to_string()),
    }
}

/// One SMTP worker until the deadline: new mails and replies from random customer users.
pub async fn smtp_worker(ctx: Arc<Ctx>, smtp: String, id: usize) -> Recorder {
    let mut rng = Rng::new(ctx.seed.wrapping_mul(7_000_003).wrapping_add(id as u64));
    let mut rec = Recorder::new(ctx.measure_from);
    let mut session: Option<SmtpClient> = None;
    let mut pace = ctx.mail_period.map(|p| {
        let mut i = tokio::time::interval(p);
        // Behind schedule (a slow server) it sends as fast as answers come, without bursts to catch up.
        i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        i
    });
    let mut seq = 0u64;
    while Instant::now() < ctx.deadline {
        if let Some(p) = &mut pace {
            p.tick().await;
            if Instant::now() >= ctx.deadline {
                break;
            }
        }
        let Some(user) = ctx.pool.user(&mut rng) else { break };
        let answers = if rng.below(100) < ctx.mail_reply_percent { user.random_ticket(&mut rng) } else { None };
        let op = if answers.is_some() { Op::MailReply } else { Op::MailNew };
        let conn = match &mut session {
            Some(c) => c,
            None => match SmtpClient::connect(&smtp).await {
                Ok(c) => session.insert(c),
                Err(e) => {
                    rec.record(op, Instant::now(), Outcome::Failed("connect".into(), e.to_string()));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        seq += 1;
        let message = mail(&ctx, user, answers.as_deref(), id, seq, &mut rng);
        let started = Instant::now();
        let outcome = match conn.send(&user.email, &ctx.mail_to, &message).await {
            Ok(r) if r.code == 250 => match (answers, ticket_of(&r)) {
                (None, Some(n)) => {
                    user.add_ticket(n.to_string());
                    Outcome::Ok
                }
                (Some(t), Some(n)) if t == n => Outcome::Ok,
                (Some(t), Some(n)) => Outcome::Failed("threaded-elsewhere".into(), format!("{t} went to {n}")),
                // Accepted, durably; the listener names the ticket only to a verified sender (the
                // helpdesk's default sender-authentication policy verifies, these mails are unsigned),
                // so the tool cannot follow up on it.
                (_, None) => Outcome::Ok,
            },
            Ok(r) => Outcome::Failed(r.code.to_string(), r.text),
            Err(e) => {
                session = None;
                Outcome::Failed("io".into(), e.to_string())
            }
        };
        rec.record(op, started, outcome);
    }
    rec
}

/// A plain-text mail from `user`; with `ticket`, a reply carrying `[Ticket#N]` in its subject.
fn mail(ctx: &Ctx, user: &User, ticket: Option<&str>, worker: usize, seq: u64, rng: &mut Rng) -> String {
    let subject = match ticket {
        Some(n) => format!("Re: [Ticket#{n}] {}", text::title(rng)),
        None => text::title(rng),
    };
    format!(
        "From: {email}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <load-{tag:x}-{worker}-{seq}@load.example>\r\n\
         Date: Tue, 1 Jul 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        email = user.email,
        to = ctx.mail_to,
        tag = ctx.run_tag,
        body = text::body(rng),
    )
}
