//! Groups and roles: the records an admin may rename (the engine carries queues and grants along).

use super::forms::NamedForm;
use super::{AgentUser, admin, found};
use chamado::{Record, RecordKind};
use chamado_api_types::directory::{NamedBody, RenamablePatch, patch_renamable};
use chamado_http::{AppState, Problem};

/// The group or role (`kind`) named `name`, as its name, comment and validity.
pub(super) async fn load(st: &AppState, user: &AgentUser, kind: RecordKind, name: &str) -> Result<NamedBody, Problem> {
    let record = admin(st, user).await?.get(kind, name).await?;
    let body = match record {
        Some(Record::Group(g)) => Some(NamedBody::from(g)),
        Some(Record::Role(r)) => Some(NamedBody::from(r)),
        _ => None,
    };
    found(body, kind, name)
}

/// Saves the group or role (`kind`) named `name` as `f` says, renaming it first when the name changed
/// (the one rule the API and the command line follow too). Answers the name it has now.
pub(super) async fn save(
    st: &AppState,
    user: &AgentUser,
    kind: RecordKind,
    name: &str,
    f: &NamedForm,
) -> Result<String, Problem> {
    let current = load(st, user, kind, name).await?;
    let patch = RenamablePatch {
        name: Some(f.name.trim().to_string()),
        comment: Some(f.comment.trim().to_string()),
        valid: Some(f.valid),
    };
    Ok(patch_renamable(&admin(st, user).await?, kind, current, &patch).await?.name)
}
