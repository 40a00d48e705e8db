//! `/agent/reports/sla`: the SLA report ([`chamado::Engine::sla_report`]). For the tickets opened in a
//! period (dates in the agent's time zone, both days included), optionally of one queue or SLA, a row
//! per queue and SLA: how many tickets, and for the first-response and solution targets the share met,
//! the median and the 90th percentile of the working time taken. The engine counts only the tickets
//! the agent may read.

use super::session::AgentUser;
use super::time_left::duration;
use super::{all_queues, frame};
use crate::page::{Frame, problem_text, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chamado::{Permission, SlaReportQuery, TargetStats, Timestamp};
use chamado_http::extract::ApiQuery;
use chamado_http::{AppState, Problem};
use chamado_i18n::{Message, TimeZoneName, Tr};
use serde::Deserialize;

/// The period a report covers when none is asked for: the last 30 days.
const DEFAULT_DAYS: i64 = 30;

/// The report form's fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    /// First day (`YYYY-MM-DD`, the agent's time zone); empty: 30 days ago.
    from: String,
    /// Last day, included; empty: today.
    to: String,
    /// Only this queue; empty: every queue.
    queue: String,
    /// Only this SLA; empty: every SLA and none.
    sla: String,
}

/// How one target fared, as the table shows it.
#[derive(Debug, Clone)]
struct Figures {
    /// The share met as whole percent and tenths (`95.5`), when anything was measured.
    met: Option<(i64, i64)>,
    /// Clocks measured and met.
    measured: u64,
    met_count: u64,
    /// Median and 90th percentile in working minutes.
    median: Option<i64>,
    p90: Option<i64>,
}

impl Figures {
    /// The share met (`95.5 %`), or `-` when nothing was measured.
    fn met_words(&self, tr: &Tr) -> String {
        self.met.map_or_else(
            || "-".to_string(),
            |(whole, tenths)| tr.t2("console-sla-report-percent", "whole", whole, "tenths", tenths),
        )
    }

    /// The median working time (`2 h 15 min`), or `-`.
    fn median_words(&self, tr: &Tr) -> String {
        self.median.map_or_else(|| "-".to_string(), |m| duration(tr, m))
    }

    /// The 90th percentile, or `-`.
    fn p90_words(&self, tr: &Tr) -> String {
        self.p90.map_or_else(|| "-".to_string(), |m| duration(tr, m))
    }

    fn of(s: &TargetStats) -> Figures {
        let met = s.met_percent.map(|p| {
            // One decimal, as the engine rounds it; tenths kept apart so each language writes its separator.
            let tenths = (p * 10.0).round() as i64;
            (tenths / 10, tenths % 10)
        });
        Figures { met, measured: s.measured, met_count: s.met, median: s.median_minutes, p90: s.p90_minutes }
    }
}

/// One row of the table.
#[derive(Debug, Clone)]
struct Row {
    queue: String,
    /// The SLA; `None`: tickets under the queue's targets.
    sla: Option<String>,
    tickets: u64,
    first_response: Figures,
    solution: Figures,
}

/// The report page.
#[derive(Template)]
#[template(path = "console/sla_report.html")]
struct ReportPage {
    frame: Frame,
    from: String,
    to: String,
    queue: String,
    sla: String,
    /// The queues the agent may read, for the queue field.
    queues: Vec<String>,
    /// Every SLA, for the SLA field.
    slas: Vec<String>,
    /// The rows; `None` when the form was refused.
    rows: Option<Vec<Row>>,
}

/// A refusal of a date field.
fn bad_date(text: &str) -> Problem {
    Problem::validation(format!("{text:?} is not a date (YYYY-MM-DD)"))
        .with_message(Message::new("console-sla-report-date-invalid").arg("date", text))
}

/// The first instant of day `date` (`YYYY-MM-DD`) in `zone`, as Unix seconds; `end` takes the first
/// instant after the day instead.
fn day_bound(zone: &TimeZoneName, date: &str, end: bool) -> Result<i64, Problem> {
    let date = date.trim();
    if date.len() != 10 {
        return Err(bad_date(date));
    }
    // The day's last second, plus one: the next day's first instant, whatever daylight saving does.
    let wall = if end { format!("{date}T23:59:59") } else { format!("{date}T00:00:00") };
    let at = zone.local_to_unix(&wall).ok_or_else(|| bad_date(date))?;
    Ok(if end { at + 1 } else { at })
}

/// The engine's query for the form's fields.
fn query_of(zone: &TimeZoneName, from: &str, to: &str, queue: &str, sla: &str) -> Result<SlaReportQuery, Problem> {
    let (start, end) = (day_bound(zone, from, false)?, day_bound(zone, to, true)?);
    if end <= start {
        return Err(Problem::validation("the period must end after it starts")
            .with_message(Message::new("console-sla-report-period-invalid")));
    }
    let named = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(SlaReportQuery {
        from: Timestamp::from_unix_seconds(start),
        to: Timestamp::from_unix_seconds(end),
        queue: named(queue),
        sla: named(sla),
    })
}

/// `GET /agent/reports/sla`: the form, and the report for what it asks.
pub async fn show(State(st): State<AppState>, user: AgentUser, ApiQuery(q): ApiQuery<ReportQuery>) -> Response {
    let choices = async {
        let queues: Vec<String> = all_queues(&st)
            .await?
            .into_iter()
            .filter(|queue| user.access.has(&queue.group, Permission::Ro))
            .map(|queue| queue.name)
            .collect();
        let slas: Vec<String> = st.engine.slas().await?.into_iter().map(|s| s.name).collect();
        Ok::<_, Problem>((queues, slas))
    };
    let (queues, slas) = match choices.await {
        Ok(x) => x,
        Err(p) => return user.error(&p),
    };
    let zone = user.tr.time_zone().clone();
    let now = st.engine.now().as_unix_seconds();
    let or_day = |typed: &str, at: i64| match typed.trim() {
        "" => zone.local_date(at).unwrap_or_default(),
        typed => typed.to_string(),
    };
    let from = or_day(&q.from, now - DEFAULT_DAYS * 86_400);
    let to = or_day(&q.to, now);
    let mut frame = frame::of(&user, "/agent/reports/sla");
    let report = match query_of(&zone, &from, &to, &q.queue, &q.sla) {
        Ok(query) => st.engine.sla_report(&user.actor(), query).await.map_err(Problem::from),
        Err(p) => Err(p),
    };
    let (status, rows) = match report {
        Ok(r) => {
            let rows = r
                .rows
                .iter()
                .map(|row| Row {
                    queue: row.queue.clone(),
                    sla: row.sla.clone(),
                    tickets: row.tickets,
                    first_response: Figures::of(&row.first_response),
                    solution: Figures::of(&row.solution),
                })
                .collect();
            (StatusCode::OK, Some(rows))
        }
        Err(p) => {
            frame = frame.with_notice(problem_text(&user.tr, &p), true);
            (p.status(), None)
        }
    };
    let page = ReportPage { frame, from, to, queue: q.queue, sla: q.sla, queues, slas, rows };
    render(status, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_in_the_agents_zone_with_the_last_day_included() {
        let sp = TimeZoneName::parse("America/Sao_Paulo").unwrap_or_else(TimeZoneName::utc);
        let q = query_of(&sp, "2026-12-05", "2026-12-05", " Raw ", "").unwrap_or_else(|p| panic!("{p:?}"));
        // 2026-12-05T00:00 in São Paulo (UTC-3) is 03:00 UTC; the day ends 24 hours later.
        assert_eq!(q.from.as_unix_seconds(), 1_796_439_600);
        assert_eq!(q.to.as_unix_seconds() - q.from.as_unix_seconds(), 86_400);
        assert_eq!((q.queue.as_deref(), q.sla), (Some("Raw"), None));
        assert!(query_of(&sp, "2026-12-06", "2026-12-05", "", "").is_err(), "backwards");
        assert!(query_of(&sp, "yesterday", "2026-12-05", "", "").is_err());
        assert!(query_of(&sp, "2026-02-30", "2026-03-01", "", "").is_err());
    }

    #[test]
    fn shares_keep_one_decimal() {
        let s =
            TargetStats { measured: 3, met: 2, met_percent: Some(66.7), median_minutes: Some(5), p90_minutes: None };
        let f = Figures::of(&s);
        assert_eq!((f.met, f.measured, f.met_count, f.median, f.p90), (Some((66, 7)), 3, 2, Some(5), None));
    }
}
