//! `groups`, `services`, `queues` and `roles`: add and list; role membership.

use crate::backend::Backend;
use crate::cli::{NamedCmd, QueuesCmd, RolesCmd};
use crate::error::Result;
use crate::model::{NamedKind, NamedView, QueueView};
use crate::output::{Output, more, table, yes_no};
use serde_json::json;

/// `groups ...` and `services ...`.
pub(super) async fn named<B: Backend>(b: &B, kind: NamedKind, cmd: NamedCmd) -> Result<Output> {
    match cmd {
        NamedCmd::Add { name, comment } => add(b, kind, name, comment).await,
        NamedCmd::List(p) => list(b, kind, super::page(&p)).await,
    }
}

async fn add<B: Backend>(b: &B, kind: NamedKind, name: String, comment: String) -> Result<Output> {
    let n = NamedView { name, comment, valid: true };
    b.named_add(kind, &n).await?;
    Ok(Output::new(format!("{} {:?} added", kind.noun(), n.name), &n))
}

async fn list<B: Backend>(b: &B, kind: NamedKind, q: crate::model::Query) -> Result<Output> {
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
        QueuesCmd::Add { name, group, follow_up, comment } => {
            let q = QueueView { name, group, follow_up, comment, valid: true };
            b.queue_add(&q).await?;
            Ok(Output::new(format!("queue {:?} added (group {:?}, follow-up {})", q.name, q.group, q.follow_up), &q))
        }
        QueuesCmd::List(p) => {
            let q = super::page(&p);
            let found = b.queues(&q).await?;
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|x| vec![x.name.clone(), x.group.clone(), x.follow_up.clone(), yes_no(x.valid), x.comment.clone()])
                .collect();
            let mut text = table(&["NAME", "GROUP", "FOLLOW-UP", "VALID", "COMMENT"], &rows);
            text.push_str(&more(found.len(), q.limit, found.last().map(|x| x.name.as_str())));
            Ok(Output::new(text, &found))
        }
    }
}

/// `roles ...`.
pub(super) async fn roles<B: Backend>(b: &B, cmd: RolesCmd) -> Result<Output> {
    match cmd {
        RolesCmd::Add { name, comment } => add(b, NamedKind::Role, name, comment).await,
        RolesCmd::List(p) => list(b, NamedKind::Role, super::page(&p)).await,
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
