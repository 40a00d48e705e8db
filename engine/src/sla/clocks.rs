//! The three escalation clocks of a ticket and how they move. Everything here is a pure function of the
//! ticket's previous clock state, what happened to it (articles, state changes) at an instant, its targets
//! and its calendar.

use super::working_time::WorkingTime;
use crate::directory::{EscalationTargets, StateType};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

const MINUTE: i64 = 60_000;

/// Which of the three promises a clock keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// From creation to the first agent article the customer can see.
    FirstResponse,
    /// From the customer's oldest unanswered message, or the last agent contact, to the next agent article
    /// the customer can see.
    Update,
    /// From creation to a closed state.
    Solution,
}

impl ClockKind {
    /// The three, in order.
    pub const ALL: [ClockKind; 3] = [ClockKind::FirstResponse, ClockKind::Update, ClockKind::Solution];

    /// The name as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ClockKind::FirstResponse => "first_response",
            ClockKind::Update => "update",
            ClockKind::Solution => "solution",
        }
    }

    /// This clock's target in working minutes (0: it does not run).
    pub fn target_minutes(self, t: &EscalationTargets) -> u32 {
        match self {
            ClockKind::FirstResponse => t.first_response_minutes,
            ClockKind::Update => t.update_minutes,
            ClockKind::Solution => t.solution_minutes,
        }
    }
}

/// How a finished run of a clock went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockOutcome {
    /// True when it stopped within its target.
    pub met: bool,
    /// When it stopped.
    pub at: Timestamp,
    /// Working milliseconds it took.
    pub working_ms: i64,
}

/// One clock's state, kept on the ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaClock {
    /// Counting (running or paused); false before it starts, after it stops, or without a target.
    pub active: bool,
    /// Working milliseconds counted in earlier runs of this cycle.
    pub spent_ms: i64,
    /// While running: since when (working time from here on counts).
    pub running_since: Option<Timestamp>,
    /// The target in force, in working milliseconds.
    pub target_ms: i64,
    /// After how many working milliseconds the warning fires.
    pub warn_ms: i64,
    /// While running: when the target is reached.
    pub due: Option<Timestamp>,
    /// While running: when the warning fires.
    pub warn_at: Option<Timestamp>,
    /// The warning of this cycle has fired.
    pub warned: bool,
    /// The breach of this cycle has fired.
    pub breached: bool,
    /// The latest finished run.
    pub last: Option<ClockOutcome>,
}

impl SlaClock {
    /// Working milliseconds counted up to `now`.
    pub fn spent_at(&self, now: Timestamp, work: &WorkingTime) -> i64 {
        self.spent_ms + self.running_since.map_or(0, |s| work.between(s, now))
    }

    /// Working milliseconds left at `now` (negative when overdue); `None` when not counting.
    pub fn left_at(&self, now: Timestamp, work: &WorkingTime) -> Option<i64> {
        self.active.then(|| self.target_ms - self.spent_at(now, work))
    }

    /// The next instant the tick must look at this clock: its warning or its breach, whichever is pending.
    pub fn next_event(&self) -> Option<Timestamp> {
        if !self.warned && self.warn_at.is_some() {
            self.warn_at
        } else if !self.breached {
            self.due
        } else {
            None
        }
    }

    /// Running and its breach has fired.
    pub fn is_breached(&self) -> bool {
        self.running_since.is_some() && self.breached
    }

    /// Running, warned, not breached.
    pub fn is_at_risk(&self) -> bool {
        self.running_since.is_some() && self.warned && !self.breached
    }

    fn start(&mut self, now: Timestamp, target_ms: i64, warn_ms: i64) {
        *self = SlaClock {
            active: true,
            spent_ms: 0,
            running_since: Some(now),
            target_ms,
            warn_ms,
            last: self.last,
            ..Default::default()
        };
    }

    fn pause(&mut self, now: Timestamp, work: &WorkingTime) {
        if let Some(since) = self.running_since.take() {
            self.spent_ms += work.between(since, now);
        }
        self.due = None;
        self.warn_at = None;
    }

    /// Stops the clock and records whether it met its target. What it fired stays marked: a solution clock
    /// resumed on reopening goes on with the same promise, whose warning and breach fire once, as a paused
    /// clock's do (a new run starts unmarked).
    fn stop(&mut self, now: Timestamp, work: &WorkingTime) {
        if !self.active {
            return;
        }
        self.pause(now, work);
        self.last = Some(ClockOutcome { met: self.spent_ms <= self.target_ms, at: now, working_ms: self.spent_ms });
        self.active = false;
    }

    /// Ends the clock without an outcome (closing clears the update clock, merging all).
    fn clear(&mut self) {
        *self = SlaClock { last: self.last, ..Default::default() };
    }
}

/// A ticket's three clocks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    /// First response.
    pub first_response: SlaClock,
    /// Update.
    pub update: SlaClock,
    /// Solution.
    pub solution: SlaClock,
    /// An agent has answered the customer at least once.
    pub responded: bool,
    /// The latest visible message is the customer's: the update clock counts from the oldest unanswered one.
    pub awaiting_agent: bool,
}

/// What happened to a ticket at one instant, in the order it is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockInput {
    /// The ticket was opened (by a customer message or on a customer's behalf).
    Created,
    /// A customer wrote a message the agents see.
    CustomerMessage,
    /// An agent wrote an article the customer can see (on any channel).
    AgentContact,
}

/// The targets and the calendar a ticket's clocks follow.
#[derive(Debug, Clone)]
pub struct ClockRules<'a> {
    /// The targets.
    pub targets: &'a EscalationTargets,
    /// The calendar.
    pub work: &'a WorkingTime,
}

impl<'a> ClockRules<'a> {
    fn target_ms(&self, kind: ClockKind) -> i64 {
        i64::from(kind.target_minutes(self.targets)) * MINUTE
    }

    fn warn_ms(&self, kind: ClockKind) -> i64 {
        // Rounded to the millisecond, from the whole target, so that 80% of 10 minutes is 8 minutes exactly.
        self.target_ms(kind) * i64::from(self.targets.notify_before_percent) / 100
    }

    fn counts_in(&self, st: StateType) -> bool {
        st.is_active() && !self.targets.pause_in.contains(&st)
    }
}

impl Escalation {
    /// The clock of a kind.
    pub fn clock(&self, kind: ClockKind) -> &SlaClock {
        match kind {
            ClockKind::FirstResponse => &self.first_response,
            ClockKind::Update => &self.update,
            ClockKind::Solution => &self.solution,
        }
    }

    /// The clock of a kind, to change.
    pub fn clock_mut(&mut self, kind: ClockKind) -> &mut SlaClock {
        match kind {
            ClockKind::FirstResponse => &mut self.first_response,
            ClockKind::Update => &mut self.update,
            ClockKind::Solution => &mut self.solution,
        }
    }

    /// The earliest warning or breach still to fire.
    pub fn next_event(&self) -> Option<Timestamp> {
        ClockKind::ALL.iter().filter_map(|k| self.clock(*k).next_event()).min()
    }

    /// Some running clock's breach has fired.
    pub fn is_breached(&self) -> bool {
        ClockKind::ALL.iter().any(|k| self.clock(*k).is_breached())
    }

    /// Some running clock has warned and none has breached.
    pub fn is_at_risk(&self) -> bool {
        !self.is_breached() && ClockKind::ALL.iter().any(|k| self.clock(*k).is_at_risk())
    }

    /// True when no clock counts and none ever finished.
    pub fn is_idle(&self) -> bool {
        *self == Escalation::default()
    }

    /// Applies what happened at `now`, before the ticket's state at `now` is settled with
    /// [`Escalation::settle`].
    pub fn apply(&mut self, input: ClockInput, now: Timestamp, rules: &ClockRules<'_>) {
        let work = rules.work;
        match input {
            ClockInput::Created => {
                for kind in ClockKind::ALL {
                    self.start_owed(kind, now, rules);
                }
                self.awaiting_agent = true;
            }
            ClockInput::CustomerMessage => {
                if !self.awaiting_agent || !self.update.active {
                    // The oldest unanswered message starts the update cycle; later ones do not move it.
                    self.update.stop_quietly(now, work);
                    let target = rules.target_ms(ClockKind::Update);
                    if target > 0 {
                        self.update.start(now, target, rules.warn_ms(ClockKind::Update));
                    }
                }
                self.awaiting_agent = true;
            }
            ClockInput::AgentContact => {
                self.first_response.stop(now, work);
                self.responded = true;
                self.update.stop(now, work);
                // The last agent contact starts the next cycle.
                let target = rules.target_ms(ClockKind::Update);
                if target > 0 {
                    self.update.start(now, target, rules.warn_ms(ClockKind::Update));
                }
                self.awaiting_agent = false;
            }
        }
    }

    /// Brings the clocks in line with the ticket's state type at `now` and with `rules` (which may have
    /// changed: another SLA, calendar or targets): starts the clocks an open ticket owes, pauses or resumes
    /// them, stops the solution clock on close, clears on merge or removal, and recomputes due and warning
    /// times.
    pub fn settle(&mut self, state: StateType, now: Timestamp, rules: &ClockRules<'_>) {
        let work = rules.work;
        match state {
            StateType::Merged | StateType::Removed => {
                for k in ClockKind::ALL {
                    self.clock_mut(k).pause(now, work);
                    self.clock_mut(k).clear();
                }
                self.awaiting_agent = false;
                return;
            }
            StateType::Closed => {
                self.solution.stop(now, work);
                self.update.pause(now, work);
                self.update.clear();
                self.first_response.pause(now, work);
                self.awaiting_agent = false;
            }
            _ => {}
        }
        if state.is_active() {
            // Every clock the rules set runs on an open ticket while it is owed: first response until an
            // agent answers the customer, solution until the ticket closes (a reopened ticket's resumes
            // where it stopped), an update cycle always (a reopened ticket's counts from the reopening).
            // A clock whose target is given only now (another SLA, new targets, an SLA for a ticket
            // opened without one) starts now.
            if !self.first_response.active && !self.responded {
                self.start_owed(ClockKind::FirstResponse, now, rules);
            }
            if !self.solution.active {
                match self.solution.last {
                    Some(o) if rules.target_ms(ClockKind::Solution) > 0 => {
                        self.solution.active = true;
                        self.solution.spent_ms = o.working_ms;
                    }
                    _ => self.start_owed(ClockKind::Solution, now, rules),
                }
            }
            if !self.update.active {
                self.start_owed(ClockKind::Update, now, rules);
            }
        }
        let runs = rules.counts_in(state);
        for kind in ClockKind::ALL {
            let (target, warn) = (rules.target_ms(kind), rules.warn_ms(kind));
            let c = self.clock_mut(kind);
            if !c.active {
                // A stopped clock keeps what it fired whatever the targets do meanwhile: resumed, a new
                // target keeps each event its time spent still reaches (below).
                continue;
            }
            if target == 0 {
                // The new rules drop this clock.
                c.pause(now, work);
                c.clear();
                continue;
            }
            let (new_target, new_warn) = (c.target_ms != target, c.warn_ms != warn);
            if new_target || new_warn {
                let spent = c.spent_at(now, work);
                c.target_ms = target;
                c.warn_ms = warn;
                // A target moved ahead of the time spent may warn and breach again.
                c.warned &= spent >= warn;
                c.breached &= spent >= target;
            }
            match (runs, c.running_since) {
                (true, None) => c.running_since = Some(now),
                (false, Some(_)) => c.pause(now, work),
                _ => {}
            }
            if let Some(since) = c.running_since {
                // Folding the time spent so far keeps every later computation short.
                c.spent_ms += work.between(since, now);
                c.running_since = Some(now);
                // A due or warning time this run already reached stays the instant it was reached (the
                // events report it); it is reckoned anew when a run starts or resumes (it has none then) or
                // its target changes. One still ahead comes out the same from here, or follows a new
                // calendar.
                if new_target || c.due.is_none_or(|d| d > now) {
                    c.due = work.add(now, (c.target_ms - c.spent_ms).max(0));
                }
                if new_warn || c.warn_at.is_none_or(|w| w > now) {
                    c.warn_at = work.add(now, (c.warn_ms - c.spent_ms).max(0));
                }
            }
        }
    }

    /// Starts the clock of `kind` at `now` if the rules give it a target.
    fn start_owed(&mut self, kind: ClockKind, now: Timestamp, rules: &ClockRules<'_>) {
        let target = rules.target_ms(kind);
        if target > 0 {
            self.clock_mut(kind).start(now, target, rules.warn_ms(kind));
        } else {
            // Owed now but without a target: given one later, it starts a new run that owes no event of
            // an earlier one.
            let c = self.clock_mut(kind);
            c.warned = false;
            c.breached = false;
        }
    }

    /// Marks the events due at `now` as fired and returns them, the warning before the breach. A clock whose
    /// due time passed without its warning fires only the breach.
    pub fn fire_due(&mut self, now: Timestamp) -> Vec<(ClockKind, EscalationEventKind, Timestamp)> {
        let mut fired = Vec::new();
        for kind in ClockKind::ALL {
            let c = self.clock_mut(kind);
            if c.running_since.is_none() {
                continue;
            }
            if let Some(due) = c.due
                && !c.breached
                && due <= now
            {
                c.breached = true;
                c.warned = true;
                fired.push((kind, EscalationEventKind::Breach, due));
            } else if let (Some(at), Some(due)) = (c.warn_at, c.due)
                && !c.warned
                && at <= now
            {
                c.warned = true;
                fired.push((kind, EscalationEventKind::Warning, due));
            }
        }
        fired
    }
}

impl SlaClock {
    /// Ends an update cycle that no agent answered (a new cycle replaces it) without an outcome.
    fn stop_quietly(&mut self, now: Timestamp, work: &WorkingTime) {
        self.pause(now, work);
        self.clear();
    }
}

/// Warning or breach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationEventKind {
    /// The notify-before share of the target has passed.
    Warning,
    /// The target has passed.
    Breach,
}

#[cfg(test)]
mod late_targets {
    use super::*;

    #[test]
    fn a_target_that_comes_after_opening_starts_its_clock_then_and_an_answered_ticket_skips_the_first_response() {
        let work = WorkingTime::always();
        let none = EscalationTargets { first_response_minutes: 0, ..Default::default() };
        let sla = EscalationTargets { first_response_minutes: 10, solution_minutes: 60, ..Default::default() };
        let t0 = Timestamp::from_unix_seconds(1_800_000_000);
        let later = Timestamp(t0.0 + 5 * MINUTE);
        let mut e = Escalation::default();
        e.apply(ClockInput::Created, t0, &ClockRules { targets: &none, work: &work });
        e.settle(StateType::New, t0, &ClockRules { targets: &none, work: &work });
        assert!(!e.first_response.active && !e.solution.active);
        e.settle(StateType::Open, later, &ClockRules { targets: &sla, work: &work });
        assert_eq!(e.first_response.due, Some(Timestamp(later.0 + 10 * MINUTE)));
        assert_eq!(e.solution.due, Some(Timestamp(later.0 + 60 * MINUTE)));

        let mut answered = Escalation::default();
        answered.apply(ClockInput::Created, t0, &ClockRules { targets: &none, work: &work });
        answered.apply(ClockInput::AgentContact, t0, &ClockRules { targets: &none, work: &work });
        answered.settle(StateType::Open, later, &ClockRules { targets: &sla, work: &work });
        assert!(!answered.first_response.active, "an agent answered before the SLA came");
        assert!(answered.solution.active);
    }
}
