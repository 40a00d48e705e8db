//! `states` and `priorities`: what tickets are in and how urgent they are.

use crate::backend::Backend;
use crate::cli::{PrioritiesCmd, StatesCmd};
use crate::error::Result;
use crate::model::{PriorityPatch, PriorityView, Query, StatePatch, StateView};
use crate::output::{Output, fields, more, table, yes_no};

/// `states ...`.
pub(super) async fn states<B: Backend>(b: &B, cmd: StatesCmd) -> Result<Output> {
    match cmd {
        StatesCmd::Add { name, state_type, next_state } => {
            let s = StateView { name, state_type: state_type.parse()?, next_state, valid: true };
            let s = b.state_add(&s).await?;
            Ok(Output::new(format!("state {:?} added (type {})", s.name, s.state_type), &s))
        }
        StatesCmd::Edit { name, next_state } => {
            let s = b.state_patch(&name, &StatePatch { next_state, valid: None }).await?;
            Ok(Output::new(format!("state {name:?} changed\n{}", one_state(&s)), &s))
        }
        StatesCmd::List(p) => list(b, super::page(&p)).await,
        StatesCmd::Search(s) => list(b, super::search(&s)).await,
        StatesCmd::Valid { name } => state_valid(b, &name, true).await,
        StatesCmd::Invalid { name } => state_valid(b, &name, false).await,
    }
}

fn one_state(s: &StateView) -> String {
    fields(&[
        ("name", s.name.clone()),
        ("type", s.state_type.to_string()),
        ("next state", s.next_state.clone().unwrap_or_default()),
        ("valid", yes_no(s.valid)),
    ])
}

async fn state_valid<B: Backend>(b: &B, name: &str, valid: bool) -> Result<Output> {
    let s = b.state_patch(name, &StatePatch { valid: Some(valid), ..Default::default() }).await?;
    let word = if valid { "valid" } else { "invalid" };
    Ok(Output::new(format!("state {name:?} is now {word}"), &s))
}

async fn list<B: Backend>(b: &B, q: Query) -> Result<Output> {
    let found = b.states(&q).await?;
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|s| {
            vec![s.name.clone(), s.state_type.to_string(), s.next_state.clone().unwrap_or_default(), yes_no(s.valid)]
        })
        .collect();
    let mut text = table(&["NAME", "TYPE", "NEXT STATE", "VALID"], &rows);
    text.push_str(&more(found.len(), q.limit, found.last().map(|s| s.name.as_str())));
    Ok(Output::new(text, &found))
}

/// `priorities ...`.
pub(super) async fn priorities<B: Backend>(b: &B, cmd: PrioritiesCmd) -> Result<Output> {
    match cmd {
        PrioritiesCmd::List => {
            let all = b.priorities().await?;
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|p| vec![p.level.to_string(), p.name.clone(), yes_no(p.valid), p.comment.clone()])
                .collect();
            Ok(Output::new(table(&["LEVEL", "NAME", "VALID", "COMMENT"], &rows), &all))
        }
        PrioritiesCmd::Edit { level, name, comment } => {
            let p = b.priority_patch(level, &PriorityPatch { name, comment, valid: None }).await?;
            Ok(Output::new(format!("priority {level} changed\n{}", one_priority(&p)), &p))
        }
        PrioritiesCmd::Valid { level } => priority_valid(b, level, true).await,
        PrioritiesCmd::Invalid { level } => priority_valid(b, level, false).await,
    }
}

fn one_priority(p: &PriorityView) -> String {
    fields(&[
        ("level", p.level.to_string()),
        ("name", p.name.clone()),
        ("valid", yes_no(p.valid)),
        ("comment", p.comment.clone()),
    ])
}

async fn priority_valid<B: Backend>(b: &B, level: u8, valid: bool) -> Result<Output> {
    let p = b.priority_patch(level, &PriorityPatch { valid: Some(valid), ..Default::default() }).await?;
    let word = if valid { "valid" } else { "invalid" };
    Ok(Output::new(format!("priority {level} ({:?}) is now {word}", p.name), &p))
}
