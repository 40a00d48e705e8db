//! The SLA report: per queue and SLA, for the tickets opened in a period, how often the first-response and
//! solution targets were met, and the median and 90th-percentile working times.

use super::access::caller_sees;
use super::{Actor, Engine};
use crate::directory::StateType;
use crate::error::{Error, Result};
use crate::sla::{ClockKind, SlaClock};
use crate::store::TicketIndex;
use crate::ticket::Ticket;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which tickets a report covers: those opened in `[from, to)`, optionally of one queue or SLA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaReportQuery {
    /// Opened at or after.
    pub from: Timestamp,
    /// Opened before.
    pub to: Timestamp,
    /// Only this queue.
    #[serde(default)]
    pub queue: Option<String>,
    /// Only this SLA.
    #[serde(default)]
    pub sla: Option<String>,
}

/// How one target fared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetStats {
    /// Tickets whose clock finished, or still runs past its due time (those count as missed).
    pub measured: u64,
    /// Of those, finished within the target.
    pub met: u64,
    /// `met / measured` in percent, one decimal (`None` when nothing was measured).
    pub met_percent: Option<f64>,
    /// Median working minutes of the finished clocks (nearest rank).
    pub median_minutes: Option<i64>,
    /// 90th percentile of the same (nearest rank).
    pub p90_minutes: Option<i64>,
}

/// One queue and SLA (`None`: tickets without one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaReportRow {
    /// The queue.
    pub queue: String,
    /// The SLA.
    pub sla: Option<String>,
    /// Tickets opened in the period with a clock of either target.
    pub tickets: u64,
    /// First response.
    pub first_response: TargetStats,
    /// Solution.
    pub solution: TargetStats,
}

/// The report, rows in queue and SLA order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaReport {
    /// What it covers.
    pub query: SlaReportQuery,
    /// One row per queue and SLA.
    pub rows: Vec<SlaReportRow>,
}

#[derive(Default)]
struct Tally {
    tickets: u64,
    first_response: Samples,
    solution: Samples,
}

#[derive(Default)]
struct Samples {
    measured: u64,
    met: u64,
    minutes: Vec<i64>,
}

impl Samples {
    /// Counts a clock: finished (its outcome), running past due (missed), else not yet measurable.
    fn add(&mut self, c: &SlaClock) -> bool {
        if c.active {
            if c.breached {
                self.measured += 1;
                return true;
            }
            return c.target_ms > 0;
        }
        match c.last {
            Some(o) => {
                self.measured += 1;
                self.met += u64::from(o.met);
                self.minutes.push(o.working_ms / 60_000);
                true
            }
            None => false,
        }
    }

    fn stats(mut self) -> TargetStats {
        self.minutes.sort_unstable();
        let rank = |p: usize| -> Option<i64> {
            let n = self.minutes.len();
            (n > 0).then(|| self.minutes[(n * p).div_ceil(100).saturating_sub(1).min(n - 1)])
        };
        TargetStats {
            measured: self.measured,
            met: self.met,
            met_percent: (self.measured > 0).then(|| (self.met as f64 * 1000.0 / self.measured as f64).round() / 10.0),
            median_minutes: rank(50),
            p90_minutes: rank(90),
        }
    }
}

impl Engine {
    /// The SLA report over the tickets the caller (an agent) may see. Costs the tickets changed since
    /// `from`, not all tickets.
    pub async fn sla_report(&self, actor: &Actor, query: SlaReportQuery) -> Result<SlaReport> {
        if matches!(actor, Actor::CustomerUser(_)) {
            return Err(Error::permission_denied(chamado_i18n::Message::new("error-report-agents-only")));
        }
        let caller = self.caller(actor).await?;
        let dir = self.directory().await?;
        let sources: Vec<TicketIndex> = match &query.queue {
            Some(q) => vec![TicketIndex::Queue { queue: q.clone(), state_type: None }],
            None => StateType::ALL.into_iter().map(TicketIndex::StateType).collect(),
        };
        let mut rows: BTreeMap<(String, Option<String>), Tally> = BTreeMap::new();
        for index in &sources {
            let mut after = None;
            'pages: loop {
                let page = self.store().list_tickets(index, after, 500).await?;
                for t in &page.items {
                    // Listings run newest change first, and a ticket changes no earlier than it opens.
                    if t.changed_at < query.from {
                        break 'pages;
                    }
                    if !self.report_counts(&query, t) {
                        continue;
                    }
                    let Some(group) = dir.queues.get(&t.queue).map(|q| q.group.as_str()) else { continue };
                    if !caller_sees(&caller, t, group) {
                        continue;
                    }
                    let mut tally = Tally::default();
                    let fr = tally.first_response.add(t.escalation.clock(ClockKind::FirstResponse));
                    let so = tally.solution.add(t.escalation.clock(ClockKind::Solution));
                    if !(fr || so) {
                        continue;
                    }
                    let row = rows.entry((t.queue.clone(), t.sla.clone())).or_default();
                    row.tickets += 1;
                    merge(&mut row.first_response, tally.first_response);
                    merge(&mut row.solution, tally.solution);
                }
                match page.next {
                    Some(n) => after = Some(n),
                    None => break,
                }
            }
        }
        let rows = rows
            .into_iter()
            .map(|((queue, sla), t)| SlaReportRow {
                queue,
                sla,
                tickets: t.tickets,
                first_response: t.first_response.stats(),
                solution: t.solution.stats(),
            })
            .collect();
        Ok(SlaReport { query, rows })
    }

    fn report_counts(&self, q: &SlaReportQuery, t: &Ticket) -> bool {
        t.created_at >= q.from
            && t.created_at < q.to
            && q.queue.as_ref().is_none_or(|x| *x == t.queue)
            && q.sla.as_ref().is_none_or(|x| t.sla.as_ref() == Some(x))
    }
}

fn merge(into: &mut Samples, from: Samples) {
    into.measured += from.measured;
    into.met += from.met;
    into.minutes.extend(from.minutes);
}
