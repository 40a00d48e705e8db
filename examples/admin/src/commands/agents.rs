//! `agents add|edit|list|token|revoke-tokens|valid|invalid`.

use crate::backend::Backend;
use crate::cli::AgentsCmd;
use crate::error::{AdminError, Result};
use crate::model::{AgentPatch, AgentToken, NewAgent};
use crate::output::{Output, more, table, yes_no};
use chamado::Permission;
use std::collections::BTreeMap;

pub(super) async fn run<B: Backend>(b: &B, cmd: AgentsCmd) -> Result<Output> {
    match cmd {
        AgentsCmd::Add { login, first_name, last_name, email, groups, roles, password, language, time_zone } => {
            if password.as_deref() == Some("") {
                return Err(AdminError::Usage("--password must not be empty".into()));
            }
            let a = NewAgent {
                login,
                first_name,
                last_name,
                email,
                password,
                groups: group_specs(&groups)?,
                roles,
                language: super::choice(language).flatten(),
                time_zone: super::choice(time_zone).flatten(),
            };
            let t = b.agent_add(&a).await?;
            Ok(token_output(format!("agent {:?} added", t.login), &t))
        }
        AgentsCmd::Edit { login, language, time_zone } => {
            let p = AgentPatch {
                language: super::choice(language),
                time_zone: super::choice(time_zone),
                ..Default::default()
            };
            if p == AgentPatch::default() {
                return Err(AdminError::Usage("nothing to change: give --language or --time-zone".into()));
            }
            b.agent_patch(&login, &p).await?;
            Ok(Output::done(
                format!("agent {login:?} changed"),
                serde_json::json!({ "login": login, "language": p.language, "time_zone": p.time_zone }),
            ))
        }
        AgentsCmd::List(p) => {
            let q = super::page(&p);
            let found = b.agents(&q).await?;
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|a| {
                    let groups: Vec<String> = a.groups.iter().map(|(g, p)| format!("{g}={}", p.join(","))).collect();
                    vec![
                        a.login.clone(),
                        format!("{} {}", a.first_name, a.last_name).trim().to_string(),
                        yes_no(a.valid),
                        a.tokens.to_string(),
                        groups.join(" "),
                        super::shown_choice(a.language.as_deref(), "-"),
                        super::shown_choice(a.time_zone.as_deref(), "-"),
                    ]
                })
                .collect();
            let mut text = table(&["LOGIN", "NAME", "VALID", "TOKENS", "GROUPS", "LANGUAGE", "TIME ZONE"], &rows);
            text.push_str(&more(found.len(), q.limit, found.last().map(|a| a.login.as_str())));
            Ok(Output::new(text, &found))
        }
        AgentsCmd::Token { login } => {
            let t = b.agent_token_issue(&login).await?;
            Ok(token_output(format!("new API token for agent {login:?}"), &t))
        }
        AgentsCmd::Valid { login } => set_valid(b, login, true).await,
        AgentsCmd::Invalid { login } => set_valid(b, login, false).await,
        AgentsCmd::RevokeTokens { login } => {
            let n = b.agent_tokens_revoke(&login).await?;
            Ok(Output::done(
                format!("revoked {n} API token(s) of agent {login:?}"),
                serde_json::json!({ "login": login, "revoked": n }),
            ))
        }
    }
}

async fn set_valid<B: Backend>(b: &B, login: String, valid: bool) -> Result<Output> {
    b.agent_set_valid(&login, valid).await?;
    let word = if valid { "valid" } else { "invalid" };
    Ok(Output::done(format!("agent {login:?} is now {word}"), serde_json::json!({ "login": login, "valid": valid })))
}

fn token_output(headline: String, t: &AgentToken) -> Output {
    let text =
        format!("{headline}\nAPI token (shown only now; send it as `Authorization: Bearer <token>`):\n{}", t.token);
    Output::new(text, t)
}

/// Parses `GROUP=PERM[,PERM...]` options into the API's group map.
pub(super) fn group_specs(specs: &[String]) -> Result<BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for spec in specs {
        let Some((group, perms)) = spec.split_once('=') else {
            return Err(AdminError::Usage(format!(
                "--group {spec:?} is not GROUP=PERMS, e.g. users=rw or sales=ro,note"
            )));
        };
        if group.trim().is_empty() {
            return Err(AdminError::Usage(format!("--group {spec:?} names no group")));
        }
        let set = super::grants::agent_permissions(perms)?;
        if set.is_empty() {
            return Err(AdminError::Usage(format!("--group {spec:?} grants nothing; leave it out instead")));
        }
        out.insert(group.trim().to_string(), set.iter().map(|p: Permission| p.as_str().to_string()).collect());
    }
    Ok(out)
}
