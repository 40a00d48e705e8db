//! The escalation clocks of one ticket against a reference model, over random sequences of timed events
//! (customer messages, agent replies, internal notes, pending, back to open, close, reopening by a
//! customer follow-up, new targets, merge) on random calendars in America/Sao_Paulo, Europe/Lisbon and UTC.
//!
//! The implementation is driven as the engine drives it: `apply` for what a commit holds and `settle` for
//! the state it ends in, at each event; `settle` and `fire_due` at random check instants in between (the
//! tick), always including the last instant before each event, so that nothing due goes unseen. The model
//! knows none of the implementation's arithmetic: it counts the working minutes each clock runs by asking
//! the minute-by-minute reference, and states the rules directly:
//!
//! - first response: from creation to the first agent article the customer sees;
//! - update: from the customer's oldest unanswered message, or the last agent contact, to the next agent
//!   article the customer sees;
//! - solution: from creation to closed;
//! - on an open ticket every clock with a target runs while it is owed: first response until an agent
//!   answers, solution until closed, an update cycle always; one whose target is given only later (new
//!   targets) starts then;
//! - the clocks stand still in the state types the targets pause in; closing stops the solution clock
//!   (recording whether it met its target), ends the update cycle and pauses first response; reopening
//!   resumes the solution clock with the time it had; merging ends them all;
//! - while a clock runs, its due time is the instant its working time reaches the target, and its warning
//!   time the instant it reaches the notify-before share, reckoned when it starts or resumes or its target
//!   changes; when the target is already reached at that moment, that moment;
//! - a check fires, per running clock, the breach when the target is reached and has not fired, else the
//!   warning when its share is reached and has not fired; a new target keeps a fired event only if the
//!   time spent still reaches it; a new cycle fires anew, while a paused clock and a reopened ticket's
//!   solution clock keep what they fired (each event once per promise, even when the due time comes out
//!   the same after a reopening).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sla_ref;

use chamado::directory::EscalationTargets;
use chamado::sla::{ClockInput, ClockKind, ClockRules, Escalation, EscalationEventKind, WorkingTime};
use chamado::{StateType, Timestamp};
use proptest::prelude::*;
use sla_ref::{HolidaySpec, MINUTE, Reference, ZONES};

/// How far the model looks for a due time: 45 days of minutes.
const WALK_MINUTES: i64 = 45 * 1440;

#[derive(Debug, Clone)]
enum Ev {
    /// A customer message (on a closed ticket: a follow-up that reopens it).
    Customer,
    /// An agent article the customer sees.
    Agent,
    /// An internal note (moves nothing).
    Note,
    /// Set pending: reminder (true) or auto close.
    Pending(bool),
    /// Back to open.
    Open,
    Close,
    /// A customer follow-up: the message and the ticket open again.
    Reopen,
    Targets(EscalationTargets),
    Merge,
}

#[derive(Debug, Clone)]
struct Step {
    gap_minutes: i64,
    /// Check instants in `[previous event, this event)`, as millionths of the gap.
    checks: Vec<u32>,
    ev: Ev,
}

#[derive(Debug, Clone)]
struct Scenario {
    hours: chamado::directory::WeeklyHours,
    holidays: Vec<HolidaySpec>,
    start: i64,
    targets: EscalationTargets,
    steps: Vec<Step>,
    /// Checks after the last event, in minutes.
    tail: Vec<i64>,
}

fn minutes() -> impl Strategy<Value = u32> {
    prop_oneof![1 => Just(0u32), 1 => 1u32..=30, 3 => 1u32..=300]
}

fn targets() -> impl Strategy<Value = EscalationTargets> {
    let percent = prop_oneof![1 => Just(80u8), 1 => Just(100u8), 2 => 1u8..=100];
    (minutes(), minutes(), minutes(), percent, any::<[bool; 3]>()).prop_map(|(fr, up, so, pct, pause)| {
        let pause_in = [StateType::Open, StateType::PendingReminder, StateType::PendingAuto]
            .into_iter()
            .zip(pause)
            .filter_map(|(st, on)| on.then_some(st))
            .collect();
        EscalationTargets {
            first_response_minutes: fr,
            update_minutes: up,
            solution_minutes: so,
            notify_before_percent: pct,
            pause_in,
        }
    })
}

fn ev() -> impl Strategy<Value = Ev> {
    prop_oneof![
        4 => Just(Ev::Customer),
        4 => Just(Ev::Agent),
        1 => Just(Ev::Note),
        2 => any::<bool>().prop_map(Ev::Pending),
        2 => Just(Ev::Open),
        2 => Just(Ev::Close),
        2 => Just(Ev::Reopen),
        1 => targets().prop_map(Ev::Targets),
        1 => Just(Ev::Merge),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let gap = prop_oneof![2 => Just(0i64), 6 => 1..240i64, 2 => 240..3000i64];
    (gap, proptest::collection::vec(0u32..1_000_000, 0..3), ev()).prop_map(|(gap_minutes, checks, ev)| Step {
        gap_minutes,
        checks,
        ev,
    })
}

fn scenario(zone: &'static str) -> impl Strategy<Value = Scenario> {
    (
        sla_ref::week(),
        sla_ref::holidays(12),
        sla_ref::instant(zone, 6, 2),
        targets(),
        proptest::collection::vec(step(), 1..14),
        proptest::collection::vec(0..2000i64, 0..3),
    )
        .prop_map(|(hours, holidays, start, targets, steps, mut tail)| {
            tail.sort_unstable();
            Scenario { hours, holidays, start, targets, steps, tail }
        })
}

// ---------------------------------------------------------------------------------------------------------
// The model.

#[derive(Debug, Clone, Default)]
struct MClock {
    active: bool,
    running: bool,
    /// Working milliseconds, up to the model's `at`.
    spent: i64,
    target: i64,
    warn: i64,
    warned: bool,
    breached: bool,
    due: Option<i64>,
    warn_at: Option<i64>,
    /// (met, at, working ms) of the latest finished run.
    last: Option<(bool, i64, i64)>,
}

struct Model {
    reference: Reference,
    at: i64,
    state: StateType,
    targets: EscalationTargets,
    clocks: [MClock; 3],
    awaiting: bool,
    responded: bool,
}

fn target_of(t: &EscalationTargets, k: usize) -> i64 {
    let m = [t.first_response_minutes, t.update_minutes, t.solution_minutes][k];
    i64::from(m) * MINUTE
}

fn warn_of(t: &EscalationTargets, k: usize) -> i64 {
    target_of(t, k) * i64::from(t.notify_before_percent) / 100
}

const FR: usize = 0;
const UP: usize = 1;
const SO: usize = 2;

impl Model {
    /// Counts the working time of the running clocks up to `to`.
    fn advance(&mut self, to: i64) {
        if to > self.at {
            let worked = self.reference.between(self.at, to);
            for c in &mut self.clocks {
                if c.running {
                    c.spent += worked;
                }
            }
            self.at = to;
        }
    }

    /// When the clock `k` reaches `amount` from now, walking the reference (now if it already has).
    fn reach(&mut self, k: usize, amount: i64) -> Option<i64> {
        let spent = self.clocks[k].spent;
        if spent >= amount { Some(self.at) } else { self.reference.add(self.at, amount - spent, WALK_MINUTES) }
    }

    fn reckon(&mut self, k: usize, due: bool, warn: bool) {
        if due {
            let target = self.clocks[k].target;
            self.clocks[k].due = self.reach(k, target);
        }
        if warn {
            let w = self.clocks[k].warn;
            self.clocks[k].warn_at = self.reach(k, w);
        }
    }

    /// A new run of clock `k` from now, if it has a target.
    fn start(&mut self, k: usize) {
        let last = self.clocks[k].last;
        self.clocks[k] = MClock { last, ..MClock::default() };
        let target = target_of(&self.targets, k);
        if target > 0 {
            self.clocks[k] = MClock {
                active: true,
                running: true,
                target,
                warn: warn_of(&self.targets, k),
                last,
                ..MClock::default()
            };
            self.reckon(k, true, true);
        }
    }

    /// Ends a run, recording whether it met its target.
    fn stop(&mut self, k: usize) {
        let c = &mut self.clocks[k];
        if c.active {
            let outcome = (c.spent <= c.target, self.at, c.spent);
            // What it fired stays fired: a resumed solution clock keeps its promise's events.
            *c = MClock { last: Some(outcome), warned: c.warned, breached: c.breached, ..MClock::default() };
        }
    }

    /// Ends a run without an outcome.
    fn clear(&mut self, k: usize) {
        let last = self.clocks[k].last;
        self.clocks[k] = MClock { last, ..MClock::default() };
    }

    fn customer_message(&mut self) {
        // The oldest unanswered message starts the cycle; later ones leave it.
        if !(self.awaiting && self.clocks[UP].active) {
            self.start(UP);
        }
        self.awaiting = true;
    }

    fn agent_contact(&mut self) {
        self.stop(FR);
        self.stop(UP);
        self.start(UP);
        self.awaiting = false;
        self.responded = true;
    }

    fn counts_in(&self, st: StateType) -> bool {
        st.is_active() && !self.targets.pause_in.contains(&st)
    }

    fn create(&mut self, at: i64) {
        self.at = at;
        self.state = StateType::New;
        for k in [FR, UP, SO] {
            self.start(k);
        }
        self.awaiting = true;
        self.settle();
    }

    fn event(&mut self, at: i64, ev: &Ev) {
        self.advance(at);
        let before = self.state;
        match ev {
            Ev::Customer | Ev::Reopen => {
                self.customer_message();
                if before == StateType::Closed || matches!(ev, Ev::Reopen) {
                    self.state = StateType::Open;
                }
            }
            Ev::Agent => self.agent_contact(),
            Ev::Note => {}
            Ev::Pending(reminder) => {
                self.state = if *reminder { StateType::PendingReminder } else { StateType::PendingAuto };
            }
            Ev::Open => self.state = StateType::Open,
            Ev::Close => self.state = StateType::Closed,
            Ev::Targets(t) => self.targets = t.clone(),
            Ev::Merge => self.state = StateType::Merged,
        }
        self.settle();
    }

    /// The state and the targets take effect now.
    fn settle(&mut self) {
        match self.state {
            StateType::Merged | StateType::Removed => {
                for k in [FR, UP, SO] {
                    self.clear(k);
                }
                self.awaiting = false;
                return;
            }
            StateType::Closed => {
                self.stop(SO);
                self.clear(UP);
                let c = &mut self.clocks[FR];
                c.running = false;
                c.due = None;
                c.warn_at = None;
                self.awaiting = false;
            }
            _ => {}
        }
        if self.state.is_active() {
            // What is owed runs: first response until an agent answers, solution until closed (resuming
            // with the time it had), an update cycle always.
            if !self.clocks[FR].active && !self.responded {
                self.start(FR);
            }
            if !self.clocks[SO].active {
                match self.clocks[SO].last {
                    Some((_, _, spent)) if target_of(&self.targets, SO) > 0 => {
                        let c = &self.clocks[SO];
                        let (last, warned, breached) = (c.last, c.warned, c.breached);
                        self.clocks[SO] = MClock { active: true, spent, last, warned, breached, ..MClock::default() };
                    }
                    _ => self.start(SO),
                }
            }
            if !self.clocks[UP].active {
                self.start(UP);
            }
        }
        let runs = self.counts_in(self.state);
        for k in [FR, UP, SO] {
            if !self.clocks[k].active {
                continue;
            }
            let (target, warn) = (target_of(&self.targets, k), warn_of(&self.targets, k));
            if target == 0 {
                self.clear(k);
                continue;
            }
            let c = &mut self.clocks[k];
            let (new_target, new_warn) = (c.target != target, c.warn != warn);
            c.target = target;
            c.warn = warn;
            c.warned &= c.spent >= warn;
            c.breached &= c.spent >= target;
            match (runs, c.running) {
                (true, false) => {
                    c.running = true;
                    self.reckon(k, true, true);
                }
                (false, true) => {
                    c.running = false;
                    c.due = None;
                    c.warn_at = None;
                }
                (true, true) => self.reckon(k, new_target, new_warn),
                (false, false) => {}
            }
        }
    }

    /// A check at `at`: what fires.
    fn check(&mut self, at: i64) -> Vec<(ClockKind, EscalationEventKind, Timestamp)> {
        self.advance(at);
        let mut fired = Vec::new();
        for (k, kind) in ClockKind::ALL.into_iter().enumerate() {
            let c = &mut self.clocks[k];
            if !c.running {
                continue;
            }
            let due = Timestamp(c.due.unwrap_or(i64::MAX));
            if !c.breached && c.spent >= c.target {
                c.breached = true;
                c.warned = true;
                fired.push((kind, EscalationEventKind::Breach, due));
            } else if !c.warned && c.spent >= c.warn {
                c.warned = true;
                fired.push((kind, EscalationEventKind::Warning, due));
            }
        }
        fired
    }
}

// ---------------------------------------------------------------------------------------------------------
// The run.

struct Run {
    esc: Escalation,
    work: WorkingTime,
    state: StateType,
    targets: EscalationTargets,
    model: Model,
    fired: Vec<(ClockKind, EscalationEventKind, Timestamp)>,
    log: Vec<String>,
}

impl Run {
    fn settle(&mut self, at: i64) {
        let rules = ClockRules { targets: &self.targets, work: &self.work };
        self.esc.settle(self.state, Timestamp(at), &rules);
    }

    fn apply(&mut self, input: ClockInput, at: i64) {
        let rules = ClockRules { targets: &self.targets, work: &self.work };
        self.esc.apply(input, Timestamp(at), &rules);
    }

    fn event(&mut self, at: i64, ev: &Ev) {
        self.log.push(format!("{} {ev:?}", Timestamp(at)));
        let closed = self.state == StateType::Closed;
        match ev {
            Ev::Customer | Ev::Reopen => {
                self.apply(ClockInput::CustomerMessage, at);
                if closed || matches!(ev, Ev::Reopen) {
                    self.state = StateType::Open;
                }
            }
            Ev::Agent => self.apply(ClockInput::AgentContact, at),
            Ev::Note => {}
            Ev::Pending(r) => self.state = if *r { StateType::PendingReminder } else { StateType::PendingAuto },
            Ev::Open => self.state = StateType::Open,
            Ev::Close => self.state = StateType::Closed,
            Ev::Targets(t) => self.targets = t.clone(),
            Ev::Merge => self.state = StateType::Merged,
        }
        self.settle(at);
        self.model.event(at, ev);
    }

    fn check(&mut self, at: i64) -> Result<(), TestCaseError> {
        self.log.push(format!("{} check", Timestamp(at)));
        // As the tick does: bring the clocks up to date, then fire.
        self.settle(at);
        let got = self.esc.fire_due(Timestamp(at));
        let want = self.model.check(at);
        prop_assert_eq!(&got, &want, "fired at {}\n{}", Timestamp(at), self.log.join("\n"));
        self.fired.extend(got);
        Ok(())
    }

    /// Every clock agrees with the model at `at`.
    fn compare(&mut self, at: i64) -> Result<(), TestCaseError> {
        self.model.advance(at);
        for (k, kind) in ClockKind::ALL.into_iter().enumerate() {
            let c = self.esc.clock(kind);
            let m = &self.model.clocks[k];
            let ctx = || format!("{kind:?} at {}\n{}", Timestamp(at), self.log.join("\n"));
            prop_assert_eq!(c.active, m.active, "active {}", ctx());
            prop_assert_eq!(c.running_since.is_some(), m.running, "running {}", ctx());
            prop_assert_eq!(c.last.map(|o| (o.met, o.at.0, o.working_ms)), m.last, "outcome {}", ctx());
            if !m.active {
                continue;
            }
            prop_assert_eq!(c.spent_at(Timestamp(at), &self.work), m.spent, "spent {}", ctx());
            prop_assert_eq!((c.target_ms, c.warn_ms), (m.target, m.warn), "targets {}", ctx());
            prop_assert_eq!((c.warned, c.breached), (m.warned, m.breached), "fired flags {}", ctx());
            let limit = at + WALK_MINUTES * MINUTE;
            for (what, got, want) in [("due", c.due, m.due), ("warn_at", c.warn_at, m.warn_at)] {
                match want {
                    Some(w) => prop_assert_eq!(got.map(|t| t.0), Some(w), "{} {}", what, ctx()),
                    // Beyond the model's walk (or paused): the implementation's is not sooner.
                    None if m.running => {
                        prop_assert!(
                            got.is_none_or(|g| g.0 > limit - 2 * 1440 * MINUTE),
                            "{} {:?} {}",
                            what,
                            got,
                            ctx()
                        )
                    }
                    None => prop_assert_eq!(got, None, "{} {}", what, ctx()),
                }
            }
        }
        prop_assert_eq!(self.esc.awaiting_agent, self.model.awaiting, "awaiting agent\n{}", self.log.join("\n"));
        Ok(())
    }
}

fn run(zone: &'static str, s: &Scenario) -> Result<(), TestCaseError> {
    let holidays = sla_ref::resolve_holidays(zone, s.start, &s.holidays);
    let cal = sla_ref::calendar(zone, s.hours.clone(), holidays);
    let model = Model {
        reference: Reference::new(&cal),
        at: s.start,
        state: StateType::New,
        targets: s.targets.clone(),
        clocks: Default::default(),
        awaiting: false,
        responded: false,
    };
    let mut r = Run {
        esc: Escalation::default(),
        work: WorkingTime::new(&cal).unwrap(),
        state: StateType::New,
        targets: s.targets.clone(),
        model,
        fired: Vec::new(),
        log: vec![format!("{zone} {:?} targets {:?}", cal.hours, s.targets)],
    };
    let mut at = s.start;
    r.log.push(format!("{} created", Timestamp(at)));
    r.apply(ClockInput::Created, at);
    r.settle(at);
    r.model.create(at);
    r.compare(at)?;
    for step in &s.steps {
        let next = at + step.gap_minutes * MINUTE;
        if next > at {
            let gap = next - at;
            let mut checks: Vec<i64> = step.checks.iter().map(|f| at + gap * i64::from(*f) / 1_000_000).collect();
            checks.push(next - 1);
            checks.sort_unstable();
            checks.dedup();
            for c in checks {
                r.check(c)?;
                r.compare(c)?;
            }
        }
        at = next;
        r.event(at, &step.ev);
        r.compare(at)?;
        if matches!(step.ev, Ev::Merge) {
            break;
        }
    }
    for m in &s.tail {
        let c = at + m * MINUTE;
        r.check(c)?;
        r.compare(c)?;
    }
    // Each event once per due time.
    let mut seen = std::collections::HashSet::new();
    for f in &r.fired {
        prop_assert!(seen.insert(*f), "fired twice: {:?}\n{}", f, r.log.join("\n"));
    }
    Ok(())
}

fn after(gap_minutes: i64, ev: Ev) -> Step {
    Step { gap_minutes, checks: Vec::new(), ev }
}

fn office() -> chamado::directory::WeeklyHours {
    chamado::directory::WeeklyHours::weekdays(&[chamado::directory::WorkInterval { start: 9 * 60, end: 17 * 60 }])
}

/// Cases the random search found against the first implementation, kept as they shrank.
#[test]
fn found_cases() {
    // 2026-11-27, a Friday, 10:00 UTC.
    let friday = 1_795_773_600_000;
    let gold = EscalationTargets {
        first_response_minutes: 60,
        update_minutes: 120,
        solution_minutes: 480,
        ..EscalationTargets::default()
    };
    let cases = [
        // A tick long after the due time reported its own time as the due time.
        Scenario {
            hours: office(),
            holidays: Vec::new(),
            start: friday,
            targets: gold.clone(),
            steps: vec![after(200, Ev::Note)],
            tail: vec![0],
        },
        // Reopened without a solution target: no update cycle.
        Scenario {
            hours: office(),
            holidays: Vec::new(),
            start: friday,
            targets: EscalationTargets { solution_minutes: 0, ..gold.clone() },
            steps: vec![after(10, Ev::Close), after(10, Ev::Open), after(200, Ev::Note)],
            tail: vec![0],
        },
        // Closed and reopened with no working time between: the same due time, warned twice.
        Scenario {
            hours: office(),
            holidays: Vec::new(),
            start: friday,
            targets: gold,
            steps: vec![after(385, Ev::Note), after(5, Ev::Close), after(1000, Ev::Reopen), after(1000, Ev::Note)],
            tail: vec![0, 3000],
        },
    ];
    for s in &cases {
        run(ZONES[2], s).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn sao_paulo_clocks_match_the_model(s in scenario(ZONES[0])) {
        run(ZONES[0], &s)?;
    }

    #[test]
    fn lisbon_clocks_match_the_model(s in scenario(ZONES[1])) {
        run(ZONES[1], &s)?;
    }

    #[test]
    fn utc_clocks_match_the_model(s in scenario(ZONES[2])) {
        run(ZONES[2], &s)?;
    }
}
