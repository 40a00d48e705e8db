//! What the admin endpoints share: the admin check (the engine's) and listing parameters.

use chamado::{Admin, Record, RecordKind};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::{ApiResult, Problem};
use serde::Deserialize;
use utoipa::IntoParams;

/// The engine's admin handle for the caller (agents with `rw` on group `admin`), else 403.
pub async fn admin<'a>(st: &'a AppState, caller: &ApiCaller) -> ApiResult<Admin<'a>> {
    Ok(st.engine.admin(&caller.actor).await?)
}

/// Searching and paging a directory listing.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only records whose fields contain this text (case-insensitive).
    pub search: Option<String>,
    /// At most this many (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
    /// Continue after this key (the last key of the previous page).
    pub after: Option<String>,
}

/// Records of a kind: searched, or a page in key order.
pub async fn list_records(admin: &Admin<'_>, kind: RecordKind, p: &ListParams) -> ApiResult<Vec<Record>> {
    let limit = p.limit.unwrap_or(100);
    if limit == 0 || limit > 1000 {
        return Err(Problem::bad_request("malformed_query", "limit must be between 1 and 1000"));
    }
    Ok(match &p.search {
        Some(q) => admin.search(kind, q, limit).await?,
        None => admin.list(kind, p.after.as_deref(), limit).await?,
    })
}

/// 409 when a record already exists (POST creates; PATCH changes).
pub async fn must_not_exist(admin: &Admin<'_>, kind: RecordKind, key: &str, what: &str) -> ApiResult<()> {
    if admin.get(kind, key).await?.is_some() {
        return Err(Problem::conflict("duplicate", format!("{what} {key:?} already exists; change it with PATCH")));
    }
    Ok(())
}
