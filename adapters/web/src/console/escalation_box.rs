//! The zoom's escalation box: the SLA and calendar a ticket's clocks follow, and each of its three clocks
//! (first response, update, solution) with its due time, the working time left, paused, or how its last
//! run went; escalated and at-risk markers. Everything comes from the engine's
//! [`chamado::Engine::escalation_view`]; this only arranges it for the template.

use super::time_left::{TimeLeft, duration};
use chamado::EscalationView;
use chamado::sla::ClockKind;
use chamado_i18n::{Tr, key};

/// One clock as the zoom shows it.
#[derive(Debug, Clone)]
pub struct ClockRow {
    /// The clock as the API spells it (`first_response`), for the element's id.
    pub id: &'static str,
    /// The message key of its name (`Tempo de Primeira Resposta`).
    pub label: &'static str,
    /// While running: when the target is reached (Unix seconds).
    pub due: Option<i64>,
    /// While counting: the working time left, or paused.
    pub left: Option<TimeLeft>,
    /// Its warning fired this cycle (and the breach not yet).
    pub warned: bool,
    /// Its breach fired this cycle.
    pub breached: bool,
    /// The last finished run: met or not, the working minutes it took, when it finished (Unix seconds).
    pub finished: Option<(bool, i64, i64)>,
}

/// The escalation box of a ticket.
#[derive(Debug, Clone)]
pub struct EscalationBox {
    /// The SLA in force; `None`: the queue's targets.
    pub sla: Option<String>,
    /// The calendar in force; `None`: around the clock in UTC.
    pub calendar: Option<String>,
    /// A running clock breached.
    pub escalated: bool,
    /// A running clock warned, none breached.
    pub at_risk: bool,
    /// The clocks that have a target or a finished run.
    pub clocks: Vec<ClockRow>,
}

/// The message key of a clock's name as the console titles it.
fn label(kind: ClockKind) -> &'static str {
    match kind {
        ClockKind::FirstResponse => key("console-sla-first-response-time"),
        ClockKind::Update => key("console-sla-update-time"),
        ClockKind::Solution => key("console-sla-solution-time"),
    }
}

impl ClockRow {
    /// "due 05/12/2026 14:30" in the reader's time zone, while running.
    pub fn due_words(&self, tr: &Tr) -> Option<String> {
        self.due.map(|d| tr.t1("console-sla-due", "when", tr.datetime(d)))
    }

    /// How the last finished run went ("met: 1 h 5 min, 05/12/2026 14:30"), and whether it met its target.
    pub fn finished_words(&self, tr: &Tr) -> Option<(bool, String)> {
        self.finished.map(|(met, minutes, at)| {
            let (time, when) = (duration(tr, minutes), tr.datetime(at));
            let words = if met { key("console-sla-met") } else { key("console-sla-missed") };
            (met, tr.t2(words, "time", time, "when", when))
        })
    }
}

impl EscalationBox {
    /// The box of `view`; `None` when no clock has a target or a finished run (a ticket no promise covers).
    pub fn of(view: EscalationView) -> Option<EscalationBox> {
        let clocks: Vec<ClockRow> = view
            .clocks
            .iter()
            .filter(|c| c.target_minutes > 0 || c.met.is_some() || c.left_minutes.is_some())
            .map(|c| ClockRow {
                id: c.kind.as_str(),
                label: label(c.kind),
                due: c.due.map(|d| d.as_unix_seconds()),
                left: TimeLeft::of(c),
                warned: c.warned && !c.breached,
                breached: c.breached,
                finished: match (c.met, c.finished_minutes, c.finished_at) {
                    (Some(met), Some(minutes), Some(at)) => Some((met, minutes, at.as_unix_seconds())),
                    _ => None,
                },
            })
            .collect();
        if clocks.is_empty() {
            return None;
        }
        Some(EscalationBox {
            sla: view.sla,
            calendar: view.calendar,
            escalated: view.escalated,
            at_risk: view.at_risk,
            clocks,
        })
    }
}
