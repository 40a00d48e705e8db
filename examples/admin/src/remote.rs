//! HTTP mode: every operation as a call of the helpdesk's REST API (issue 4), as an admin agent.

use crate::backend::{Backend, customer_permission};
use crate::error::{AdminError, Result};
use crate::http_client::{HttpClient, encode};
use crate::model::{
    AccessView, AgentPatch, AgentToken, AgentView, CustomerPatch, CustomerUserPatch, CustomerUserView, CustomerView,
    GrantView, NamedKind, NamedView, NewAgent, NewCustomerUser, PriorityPatch, PriorityView, Query, QueuePatch,
    QueueView, RenamablePatch, ServiceHoldersView, StatePatch, StateView, Subject, permission_names,
};
use chamado::PermissionSet;
use chamado_api_types::directory::ServicePatch;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use std::collections::BTreeMap;

/// The API of a running server.
pub struct Remote {
    http: HttpClient,
}

#[derive(Deserialize)]
struct CustomerList {
    customers: Vec<CustomerView>,
}

#[derive(Deserialize)]
struct CustomerUserList {
    customer_users: Vec<CustomerUserView>,
}

#[derive(Deserialize)]
struct Items<T> {
    items: Vec<T>,
}

#[derive(Deserialize)]
struct AgentList {
    agents: Vec<AgentView>,
}

#[derive(Deserialize)]
struct Revoked {
    revoked: usize,
}

#[derive(Deserialize)]
struct GroupGrant {
    group: String,
    permissions: Vec<String>,
}

#[derive(Deserialize)]
struct GroupGrants {
    grants: Vec<GroupGrant>,
    #[serde(default)]
    effective: Option<BTreeMap<String, Vec<String>>>,
}

#[derive(Deserialize)]
struct ServiceList {
    services: Vec<String>,
    #[serde(default)]
    own: Option<Vec<String>>,
}

/// `?search=..&after=..&limit=..`.
fn query(q: &Query) -> String {
    let mut parts = vec![format!("limit={}", q.limit)];
    if let Some(s) = &q.search {
        parts.push(format!("search={}", encode(s)));
    }
    if let Some(a) = &q.after {
        parts.push(format!("after={}", encode(a)));
    }
    format!("?{}", parts.join("&"))
}

fn group_views(grants: Vec<GroupGrant>) -> impl Iterator<Item = GrantView> {
    grants.into_iter().map(|g| GrantView { target: "group".into(), name: g.group, permissions: g.permissions })
}

fn service_views(services: Vec<String>) -> impl Iterator<Item = GrantView> {
    services.into_iter().map(|s| GrantView { target: "service".into(), name: s, permissions: Vec::new() })
}

impl Remote {
    /// A client of the server at `url` with an admin agent's token.
    pub fn new(url: &str, token: String) -> Result<Remote> {
        Ok(Remote { http: HttpClient::new(url, token)? })
    }

    /// The API client.
    pub(crate) fn http(&self) -> &HttpClient {
        &self.http
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.http.get(path).await
    }

    /// The path of a subject's grant on a group.
    fn group_path(s: &Subject, group: &str) -> String {
        let g = encode(group);
        match s {
            Subject::CustomerUser(l) => format!("/customer-users/{}/groups/{g}", encode(l)),
            Subject::Customer(c) => format!("/customers/{}/groups/{g}", encode(c)),
            Subject::Default => format!("/default-groups/{g}"),
            Subject::Agent(l) => format!("/agents/{}/groups/{g}", encode(l)),
            Subject::Role(r) => format!("/roles/{}/groups/{g}", encode(r)),
        }
    }
}

impl Backend for Remote {
    async fn named_get(&self, kind: NamedKind, name: &str) -> Result<NamedView> {
        self.get(&format!("{}/{}", kind.path(), encode(name))).await
    }

    async fn named_patch(&self, kind: NamedKind, name: &str, p: &RenamablePatch) -> Result<NamedView> {
        let path = format!("{}/{}", kind.path(), encode(name));
        match kind {
            NamedKind::Service => {
                self.http.patch(&path, &ServicePatch { comment: p.comment.clone(), valid: p.valid }).await
            }
            NamedKind::Group | NamedKind::Role => self.http.patch(&path, p).await,
        }
    }

    async fn service_holders(&self, name: &str) -> Result<ServiceHoldersView> {
        self.get(&format!("/services/{}/holders", encode(name))).await
    }

    async fn queue_get(&self, name: &str) -> Result<QueueView> {
        self.get(&format!("/queues/{}", encode(name))).await
    }

    async fn queue_patch(&self, name: &str, p: &QueuePatch) -> Result<QueueView> {
        self.http.patch(&format!("/queues/{}", encode(name)), p).await
    }

    async fn state_add(&self, s: &StateView) -> Result<StateView> {
        self.http.post("/states", s).await
    }

    async fn states(&self, q: &Query) -> Result<Vec<StateView>> {
        Ok(self.get::<Items<StateView>>(&format!("/states{}", query(q))).await?.items)
    }

    async fn state_patch(&self, name: &str, p: &StatePatch) -> Result<StateView> {
        self.http.patch(&format!("/states/{}", encode(name)), p).await
    }

    async fn priorities(&self) -> Result<Vec<PriorityView>> {
        Ok(self.get::<Items<PriorityView>>("/priorities").await?.items)
    }

    async fn priority_patch(&self, level: u8, p: &PriorityPatch) -> Result<PriorityView> {
        self.http.patch(&format!("/priorities/{level}"), p).await
    }

    async fn customer_add(&self, c: &CustomerView) -> Result<CustomerView> {
        self.http.post("/customers", c).await
    }

    async fn customer_get(&self, id: &str) -> Result<CustomerView> {
        self.get(&format!("/customers/{}", encode(id))).await
    }

    async fn customer_patch(&self, id: &str, p: &CustomerPatch) -> Result<CustomerView> {
        self.http.patch(&format!("/customers/{}", encode(id)), p).await
    }

    async fn customers(&self, q: &Query) -> Result<Vec<CustomerView>> {
        Ok(self.get::<CustomerList>(&format!("/customers{}", query(q))).await?.customers)
    }

    async fn customer_user_add(&self, u: &NewCustomerUser) -> Result<CustomerUserView> {
        self.http.post("/customer-users", u).await
    }

    async fn customer_user_get(&self, login: &str) -> Result<CustomerUserView> {
        self.get(&format!("/customer-users/{}", encode(login))).await
    }

    async fn customer_user_patch(&self, login: &str, p: &CustomerUserPatch) -> Result<CustomerUserView> {
        self.http.patch(&format!("/customer-users/{}", encode(login)), p).await
    }

    async fn customer_users(&self, q: &Query) -> Result<Vec<CustomerUserView>> {
        Ok(self.get::<CustomerUserList>(&format!("/customer-users{}", query(q))).await?.customer_users)
    }

    async fn named_add(&self, kind: NamedKind, n: &NamedView) -> Result<()> {
        self.http.post::<serde_json::Value>(kind.path(), n).await.map(|_| ())
    }

    async fn named_list(&self, kind: NamedKind, q: &Query) -> Result<Vec<NamedView>> {
        Ok(self.get::<Items<NamedView>>(&format!("{}{}", kind.path(), query(q))).await?.items)
    }

    async fn queue_add(&self, q: &QueueView) -> Result<()> {
        self.http.post::<serde_json::Value>("/queues", q).await.map(|_| ())
    }

    async fn queues(&self, q: &Query) -> Result<Vec<QueueView>> {
        Ok(self.get::<Items<QueueView>>(&format!("/queues{}", query(q))).await?.items)
    }

    async fn agent_add(&self, a: &NewAgent) -> Result<AgentToken> {
        self.http.post("/agents", a).await
    }

    async fn agents(&self, q: &Query) -> Result<Vec<AgentView>> {
        Ok(self.get::<AgentList>(&format!("/agents{}", query(q))).await?.agents)
    }

    async fn agent_token_issue(&self, login: &str) -> Result<AgentToken> {
        self.http.post(&format!("/agents/{}/tokens", encode(login)), &json!({})).await
    }

    async fn agent_tokens_revoke(&self, login: &str) -> Result<usize> {
        Ok(self.http.delete_json::<Revoked>(&format!("/agents/{}/tokens", encode(login))).await?.revoked)
    }

    async fn agent_set_valid(&self, login: &str, valid: bool) -> Result<()> {
        let path = format!("/agents/{}", encode(login));
        self.http.patch_empty(&path, &json!({ "valid": valid })).await
    }

    async fn agent_patch(&self, login: &str, p: &AgentPatch) -> Result<()> {
        self.http.patch_empty(&format!("/agents/{}", encode(login)), p).await
    }

    async fn role_member(&self, role: &str, agent: &str, member: bool) -> Result<()> {
        let path = format!("/agents/{}/roles/{}", encode(agent), encode(role));
        if member { self.http.put(&path, None::<&()>).await } else { self.http.delete(&path).await }
    }

    async fn group_grant(&self, s: &Subject, group: &str, perms: PermissionSet) -> Result<()> {
        let path = Self::group_path(s, group);
        if perms.is_empty() {
            return self.http.delete(&path).await;
        }
        if s.is_customer_side() {
            let p = customer_permission(perms).map(|p| p.as_str()).unwrap_or("ro");
            self.http.put(&path, Some(&json!({ "permission": p }))).await
        } else {
            self.http.put(&path, Some(&json!({ "permissions": permission_names(perms) }))).await
        }
    }

    async fn service_grant(&self, s: &Subject, service: &str, on: bool) -> Result<()> {
        let path = match s {
            Subject::CustomerUser(l) => format!("/customer-users/{}/services/{}", encode(l), encode(service)),
            Subject::Default => format!("/default-services/{}", encode(service)),
            _ => return Err(AdminError::Usage("services are granted to customer users or as defaults".into())),
        };
        if on { self.http.put(&path, None::<&()>).await } else { self.http.delete(&path).await }
    }

    async fn grants_of(&self, s: &Subject) -> Result<Vec<GrantView>> {
        match s {
            Subject::CustomerUser(l) => {
                let groups: GroupGrants = self.get(&format!("/customer-users/{}/groups", encode(l))).await?;
                let services: ServiceList = self.get(&format!("/customer-users/{}/services", encode(l))).await?;
                Ok(group_views(groups.grants).chain(service_views(services.own.unwrap_or_default())).collect())
            }
            Subject::Customer(c) => {
                let groups: GroupGrants = self.get(&format!("/customers/{}/groups", encode(c))).await?;
                Ok(group_views(groups.grants).collect())
            }
            Subject::Default => {
                let groups: GroupGrants = self.get("/default-groups").await?;
                let services: ServiceList = self.get("/default-services").await?;
                Ok(group_views(groups.grants).chain(service_views(services.services)).collect())
            }
            Subject::Agent(l) => {
                let q = Query { search: Some(l.clone()), after: None, limit: 1000 };
                let found = self.agents(&q).await?;
                let Some(a) = found.into_iter().find(|a| a.login == *l) else {
                    return Err(AdminError::NotFound { what: "agent", key: l.clone() });
                };
                Ok(a.groups
                    .into_iter()
                    .map(|(name, permissions)| GrantView { target: "group".into(), name, permissions })
                    .collect())
            }
            Subject::Role(_) => Err(AdminError::NotInApi { what: "listing a role's grants" }),
        }
    }

    async fn access(&self, login: &str) -> Result<AccessView> {
        let u = self.customer_user_get(login).await?;
        let groups: GroupGrants = self.get(&format!("/customer-users/{}/groups", encode(login))).await?;
        let services: ServiceList = self.get(&format!("/customer-users/{}/services", encode(login))).await?;
        let mut customer_ids: Vec<String> = Some(u.customer_id.clone()).filter(|c| !c.is_empty()).into_iter().collect();
        customer_ids.extend(u.extra_customer_ids.iter().filter(|c| !c.is_empty()).cloned());
        Ok(AccessView {
            login: u.login,
            valid: u.valid,
            customer_ids,
            groups: groups.effective.unwrap_or_default(),
            services: services.services,
            own_services: services.own.unwrap_or_default(),
        })
    }
}
