//! `/api/v1/reports/sla`: per queue and SLA, for the tickets opened in a period, how often the
//! first-response and solution targets were met, and the median and 90th-percentile working times
//! (agents; over the tickets the caller may read).

use crate::mail_accounts::localized;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use chamado::{SlaReport, SlaReportQuery, SlaReportRow, TargetStats};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::ApiQuery;
use chamado_http::time::parse_rfc3339;
use chamado_http::{ApiResult, Problem, ProblemBody};
use chamado_i18n::Message;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The report routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sla_report))
}

/// Which tickets the SLA report covers. The times' pattern is `chamado_http::time::RFC3339_PATTERN`
/// written out (the attribute takes a literal, and `schema_with` would drop `required`); the OpenAPI
/// test holds the two equal.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlaReportParams {
    /// Tickets opened at or after this time (RFC 3339).
    #[param(
        pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
    )]
    pub from: String,
    /// Tickets opened before this time (RFC 3339).
    #[param(
        pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
    )]
    pub to: String,
    /// Only this queue.
    pub queue: Option<String>,
    /// Only tickets with this SLA.
    pub sla: Option<String>,
}

/// How one target fared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TargetStatsOut {
    /// Tickets whose clock finished, or still runs past its due time (those count as missed).
    pub measured: u64,
    /// Of those, finished within the target.
    pub met: u64,
    /// `met / measured` in percent, one decimal (`null` when nothing was measured).
    pub met_percent: Option<f64>,
    /// Median working minutes of the finished clocks (`null`: none finished).
    pub median_minutes: Option<i64>,
    /// 90th percentile of the same (`null`: none finished).
    pub p90_minutes: Option<i64>,
}

impl From<TargetStats> for TargetStatsOut {
    fn from(s: TargetStats) -> Self {
        TargetStatsOut {
            measured: s.measured,
            met: s.met,
            met_percent: s.met_percent,
            median_minutes: s.median_minutes,
            p90_minutes: s.p90_minutes,
        }
    }
}

/// One queue and SLA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SlaReportRowOut {
    /// The queue.
    pub queue: String,
    /// The SLA (`null`: tickets without one, counted by the queue's fallback targets).
    pub sla: Option<String>,
    /// Tickets opened in the period with a clock of either target.
    pub tickets: u64,
    /// The first-response target.
    pub first_response: TargetStatsOut,
    /// The solution target.
    pub solution: TargetStatsOut,
}

impl From<SlaReportRow> for SlaReportRowOut {
    fn from(r: SlaReportRow) -> Self {
        SlaReportRowOut {
            queue: r.queue,
            sla: r.sla,
            tickets: r.tickets,
            first_response: r.first_response.into(),
            solution: r.solution.into(),
        }
    }
}

/// The SLA report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SlaReportOut {
    /// Opened at or after (RFC 3339).
    pub from: String,
    /// Opened before (RFC 3339).
    pub to: String,
    /// The queue asked for, if any.
    pub queue: Option<String>,
    /// The SLA asked for, if any.
    pub sla: Option<String>,
    /// One row per queue and SLA, in queue and SLA order.
    pub rows: Vec<SlaReportRowOut>,
}

impl From<SlaReport> for SlaReportOut {
    fn from(r: SlaReport) -> Self {
        SlaReportOut {
            from: r.query.from.to_string(),
            to: r.query.to.to_string(),
            queue: r.query.queue,
            sla: r.query.sla,
            rows: r.rows.into_iter().map(SlaReportRowOut::from).collect(),
        }
    }
}

fn time(field: &'static str, value: &str) -> ApiResult<chamado::Timestamp> {
    parse_rfc3339(value).ok_or_else(|| {
        let m = Message::new("error-api-report-time").arg("field", field).arg("value", format!("{value:?}"));
        Problem::bad_request("malformed_query", m.english()).with_message(m)
    })
}

/// The SLA report (agents; customer users are refused): per queue and SLA, for the tickets opened in
/// `[from, to)` that the caller may read, how many met their first-response and solution targets, and
/// the median and 90th-percentile working minutes.
#[utoipa::path(get, path = "/reports/sla", tag = "tickets", params(SlaReportParams),
    responses((status = 200, description = "The report", body = SlaReportOut),
        (status = 400, description = "A time that is not RFC 3339", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an agent", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn sla_report(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<SlaReportParams>,
) -> ApiResult<Json<SlaReportOut>> {
    let run = async {
        let query = SlaReportQuery { from: time("from", &p.from)?, to: time("to", &p.to)?, queue: p.queue, sla: p.sla };
        Ok(st.engine.sla_report(&caller.actor, query).await?.into())
    };
    Ok(Json(run.await.map_err(|p| localized(p, &headers))?))
}
