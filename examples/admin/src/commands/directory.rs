//! `groups`, `services`, `queues` and `roles`: add, edit, get, list, search, valid and invalid; the
//! per-service view; role membership.

use crate::backend::Backend;
use crate::cli::{NamedCmd, QueuesCmd, RolesCmd, ServicesCmd};
use crate::error::Result;
use crate::model::{NamedKind, NamedView, Query, QueuePatch, QueueView, RenamablePatch};
use crate::output::{Output, fields, more, table, yes_no};
use chamado_api_types::directory::{QueueAutoResponsesBody, QueueAutoResponsesPatch};
use chamado_api_types::slas::QueueEscalationBody;
use serde_json::json;

/// `groups ...`.
pub(super) async fn groups<B: Backend>(b: &B, cmd: NamedCmd) -> Result<Output> {
    let kind = NamedKind::Group;
    match cmd {
        NamedCmd::Add { name, comment } => add(b, kind, name, comment).await,
        NamedCmd::Edit { name, rename, comment } => {
            patch(b, kind, &name, RenamablePatch { name: rename, comment, valid: None }).await
        }
        NamedCmd::Get { name } => get(b, kind, &name).await,
        NamedCmd::List(p) => list(b, kind, super::page(&p)).await,
        NamedCmd::Search(s) => list(b, kind, super::search(&s)).await,
        NamedCmd::Valid { name } => set_valid(b, kind, &name, true).await,
        NamedCmd::Invalid { name } => set_valid(b, kind, &name, false).await,
    }
}

/// `services ...`.
pub(super) async fn services<B: Backend>(b: &B, cmd: ServicesCmd) -> Result<Output> {
    let kind = NamedKind::Service;
    match cmd {
        ServicesCmd::Add { name, comment } => add(b, kind, name, comment).await,
        ServicesCmd::Edit { name, comment } => {
            patch(b, kind, &name, RenamablePatch { name: None, comment, valid: None }).await
        }
        ServicesCmd::Get { name } => get(b, kind, &name).await,
        ServicesCmd::Holders { name } => {
            let h = b.service_holders(&name).await?;
            let text = fields(&[
                ("service", h.service.name.clone()),
                ("usable", yes_no(h.usable)),
                ("default", yes_no(h.default)),
                ("customer users", h.customer_users.join(", ")),
                ("customers", h.customers.join(", ")),
            ]);
            Ok(Output::new(text, &h))
        }
        ServicesCmd::List(p) => list(b, kind, super::page(&p)).await,
        ServicesCmd::Search(s) => list(b, kind, super::search(&s)).await,
        ServicesCmd::Valid { name } => set_valid(b, kind, &name, true).await,
        ServicesCmd::Invalid { name } => set_valid(b, kind, &name, false).await,
    }
}

async fn add<B: Backend>(b: &B, kind: NamedKind, name: String, comment: String) -> Result<Output> {
    let n = NamedView { name, comment, valid: true };
    b.named_add(kind, &n).await?;
    Ok(Output::new(format!("{} {:?} added", kind.noun(), n.name), &n))
}

fn one(n: &NamedView) -> String {
    fields(&[("name", n.name.clone()), ("valid", yes_no(n.valid)), ("comment", n.comment.clone())])
}

async fn get<B: Backend>(b: &B, kind: NamedKind, name: &str) -> Result<Output> {
    let n = b.named_get(kind, name).await?;
    Ok(Output::new(one(&n), &n))
}

async fn patch<B: Backend>(b: &B, kind: NamedKind, name: &str, p: RenamablePatch) -> Result<Output> {
    let n = b.named_patch(kind, name, &p).await?;
    Ok(Output::new(format!("{} {name:?} changed\n{}", kind.noun(), one(&n)), &n))
}

async fn set_valid<B: Backend>(b: &B, kind: NamedKind, name: &str, valid: bool) -> Result<Output> {
    let n = b.named_patch(kind, name, &RenamablePatch { valid: Some(valid), ..Default::default() }).await?;
    let word = if valid { "valid" } else { "invalid" };
    Ok(Output::new(format!("{} {name:?} is now {word}", kind.noun()), &n))
}

async fn list<B: Backend>(b: &B, kind: NamedKind, q: Query) -> Result<Output> {
    let found = b.named_list(kind, &q).await?;
    let rows: Vec<Vec<String>> =
        found.iter().map(|n| vec![n.name.clone(), yes_no(n.valid), n.comment.clone()]).collect();
    let mut text = table(&["NAME", "VALID", "COMMENT"], &rows);
    text.push_str(&more(found.len(), q.limit, found.last().map(|n| n.name.as_str())));
    Ok(Output::new(text, &found))
}

/// `queues ...`.
pub(super) async fn queues<B: Backend>(b: &B, cmd: QueuesCmd) -> Result<Output> {
    match cmd {
        QueuesCmd::Add { name, group, follow_up, comment, texts, escalation } => {
            let mut fallback = QueueEscalationBody::default();
            escalation.apply(&mut fallback);
            let q = QueueView {
                name,
                group,
                follow_up: follow_up.parse()?,
                comment,
                valid: true,
                auto_responses: QueueAutoResponsesBody {
                    reply: texts.auto_reply,
                    reject: texts.auto_reject,
                    follow_up: texts.auto_follow_up,
                    reply_new_ticket: texts.auto_reply_new_ticket,
                },
                salutation: texts.salutation,
                signature: texts.signature,
                unlock_timeout_minutes: texts.unlock_timeout.unwrap_or(0),
                escalation: fallback,
            };
            b.queue_add(&q).await?;
            Ok(Output::new(format!("queue {:?} added (group {:?}, follow-up {})", q.name, q.group, q.follow_up), &q))
        }
        QueuesCmd::Edit { name, group, follow_up, comment, texts, escalation } => {
            // A patch replaces the escalation whole: start from the queue's.
            let fallback = if escalation.is_empty() {
                None
            } else {
                let mut e = b.queue_get(&name).await?.escalation;
                escalation.apply(&mut e);
                Some(e)
            };
            let follow_up = follow_up.map(|f| f.parse()).transpose()?;
            let auto = QueueAutoResponsesPatch {
                reply: super::choice(texts.auto_reply),
                reject: super::choice(texts.auto_reject),
                follow_up: super::choice(texts.auto_follow_up),
                reply_new_ticket: super::choice(texts.auto_reply_new_ticket),
            };
            let p = QueuePatch {
                group,
                follow_up,
                comment,
                valid: None,
                auto_responses: (auto != QueueAutoResponsesPatch::default()).then_some(auto),
                salutation: super::choice(texts.salutation),
                signature: super::choice(texts.signature),
                unlock_timeout_minutes: texts.unlock_timeout,
                escalation: fallback,
            };
            let q = b.queue_patch(&name, &p).await?;
            Ok(Output::new(format!("queue {name:?} changed\n{}", one_queue(&q)), &q))
        }
        QueuesCmd::Get { name } => {
            let q = b.queue_get(&name).await?;
            Ok(Output::new(one_queue(&q), &q))
        }
        QueuesCmd::List(p) => list_queues(b, super::page(&p)).await,
        QueuesCmd::Search(s) => list_queues(b, super::search(&s)).await,
        QueuesCmd::Valid { name } => queue_valid(b, &name, true).await,
        QueuesCmd::Invalid { name } => queue_valid(b, &name, false).await,
    }
}

fn one_queue(q: &QueueView) -> String {
    let name = |n: &Option<String>| n.clone().unwrap_or_else(|| "-".into());
    let a = &q.auto_responses;
    fields(&[
        ("name", q.name.clone()),
        ("group", q.group.clone()),
        ("follow-up", q.follow_up.to_string()),
        ("valid", yes_no(q.valid)),
        ("comment", q.comment.clone()),
        ("auto-reply", a.reply.clone().unwrap_or_else(|| "(shipped)".into())),
        ("auto-reject", name(&a.reject)),
        ("auto-follow-up", name(&a.follow_up)),
        ("auto-reply-new-ticket", name(&a.reply_new_ticket)),
        ("salutation", name(&q.salutation)),
        ("signature", name(&q.signature)),
        ("escalation", escalation(&q.escalation)),
        (
            "unlock timeout",
            if q.unlock_timeout_minutes == 0 {
                "never".into()
            } else {
                format!("{} minutes", q.unlock_timeout_minutes)
            },
        ),
    ])
}

/// A queue's fallback targets in one line.
fn escalation(e: &QueueEscalationBody) -> String {
    if e.first_response_minutes == 0 && e.update_minutes == 0 && e.solution_minutes == 0 {
        return "none".into();
    }
    let m = |x: u32| if x == 0 { "-".to_string() } else { format!("{x} min") };
    format!(
        "first response {}, update {}, solution {} ({}; warn at {}%)",
        m(e.first_response_minutes),
        m(e.update_minutes),
        m(e.solution_minutes),
        e.calendar.as_deref().unwrap_or("around the clock, UTC"),
        e.notify_before_percent
    )
}

async fn queue_valid<B: Backend>(b: &B, name: &str, valid: bool) -> Result<Output> {
    let q = b.queue_patch(name, &QueuePatch { valid: Some(valid), ..Default::default() }).await?;
    let word = if valid { "valid" } else { "invalid" };
    Ok(Output::new(format!("queue {name:?} is now {word}"), &q))
}

async fn list_queues<B: Backend>(b: &B, q: Query) -> Result<Output> {
    let found = b.queues(&q).await?;
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|x| vec![x.name.clone(), x.group.clone(), x.follow_up.to_string(), yes_no(x.valid), x.comment.clone()])
        .collect();
    let mut text = table(&["NAME", "GROUP", "FOLLOW-UP", "VALID", "COMMENT"], &rows);
    text.push_str(&more(found.len(), q.limit, found.last().map(|x| x.name.as_str())));
    Ok(Output::new(text, &found))
}

/// `roles ...`.
pub(super) async fn roles<B: Backend>(b: &B, cmd: RolesCmd) -> Result<Output> {
    let kind = NamedKind::Role;
    match cmd {
        RolesCmd::Add { name, comment } => add(b, kind, name, comment).await,
        RolesCmd::Edit { name, rename, comment } => {
            patch(b, kind, &name, RenamablePatch { name: rename, comment, valid: None }).await
        }
        RolesCmd::Get { name } => get(b, kind, &name).await,
        RolesCmd::List(p) => list(b, kind, super::page(&p)).await,
        RolesCmd::Search(s) => list(b, kind, super::search(&s)).await,
        RolesCmd::Valid { name } => set_valid(b, kind, &name, true).await,
        RolesCmd::Invalid { name } => set_valid(b, kind, &name, false).await,
        RolesCmd::AddAgent { role, agent } => {
            b.role_member(&role, &agent, true).await?;
            Ok(Output::done(
                format!("agent {agent:?} is now a member of role {role:?}"),
                json!({"role": role, "agent": agent}),
            ))
        }
        RolesCmd::RemoveAgent { role, agent } => {
            b.role_member(&role, &agent, false).await?;
            Ok(Output::done(
                format!("agent {agent:?} is no member of role {role:?}"),
                json!({"role": role, "agent": agent}),
            ))
        }
    }
}
