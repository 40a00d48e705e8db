//! The SLA form, and the escalation fields the queue form shares with it: three targets in working
//! minutes, when to warn, the state types in which the clocks pause. The form posts one `service` per
//! selected service and one `pause_in` per ticked state type, which no derived form can express, so it
//! arrives as its raw pairs ([`crate::csrf::CsrfForm`] of `Vec<(String, String)>`) and [`SlaView::posted`]
//! reads them. Numbers keep what was typed until saved, so a refused form shows it again.

use chamado::Sla;
use chamado::StateType;
use chamado::directory::EscalationTargets;
use chamado::sla::ClockKind;
use chamado_http::Problem;
use chamado_i18n::Message;

/// The state types a clock may pause in, in the order the form offers them (the engine refuses others).
pub const PAUSE_TYPES: [StateType; 3] = [StateType::Open, StateType::PendingReminder, StateType::PendingAuto];

/// A target as typed: whole working minutes; empty is 0 (that clock does not run).
pub fn minutes(kind: ClockKind, typed: &str) -> Result<u32, Problem> {
    match typed.trim() {
        "" => Ok(0),
        t => t.parse().map_err(|_| {
            Problem::validation(format!("the {} target {t:?} is not a whole number of minutes", kind.as_str()))
                .with_message(
                    Message::new("admin-sla-minutes-invalid")
                        .arg_key("clock", chamado::clock_name(kind))
                        .arg("value", t),
                )
        }),
    }
}

/// The notify-before share as typed: a whole percent (the engine checks the range); empty keeps `current`.
pub fn percent(typed: &str, current: u8) -> Result<u8, Problem> {
    match typed.trim() {
        "" => Ok(current),
        t => t.parse().map_err(|_| {
            Problem::validation(format!("notify before {t:?} is not a whole percent"))
                .with_message(Message::new("admin-sla-percent-invalid").arg("value", t))
        }),
    }
}

/// An SLA as the pages show it and the forms hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaView {
    /// Its name.
    pub name: String,
    /// The calendar its clocks count by.
    pub calendar: String,
    /// First response time, working minutes as typed.
    pub first_response: String,
    /// Update time.
    pub update: String,
    /// Solution time.
    pub solution: String,
    /// Notify before, percent as typed.
    pub notify: String,
    /// The state types the clocks pause in.
    pub pause_in: Vec<StateType>,
    /// The services it may be chosen for.
    pub services: Vec<String>,
    /// Free text.
    pub comment: String,
    /// Valid or not.
    pub valid: bool,
}

impl SlaView {
    /// An empty SLA for the add form: valid, the engine's default warning and pausing, on `calendar`.
    pub fn blank(calendar: &str) -> SlaView {
        SlaView::of(Sla { calendar: calendar.to_string(), ..Sla::default() })
    }

    /// What a stored SLA shows.
    pub fn of(s: Sla) -> SlaView {
        let t = s.targets;
        SlaView {
            name: s.name,
            calendar: s.calendar,
            first_response: t.first_response_minutes.to_string(),
            update: t.update_minutes.to_string(),
            solution: t.solution_minutes.to_string(),
            notify: t.notify_before_percent.to_string(),
            pause_in: t.pause_in,
            services: s.services,
            comment: s.comment,
            valid: s.valid,
        }
    }

    /// Reads the raw pairs of an SLA form, named `name` (an edit keeps the name; an add names it in the
    /// form). Fields it does not know (the CSRF token) are not its; unknown state types are dropped.
    pub fn posted(pairs: &[(String, String)], name: Option<&str>) -> SlaView {
        let mut v = SlaView { valid: false, pause_in: Vec::new(), services: Vec::new(), ..SlaView::blank("") };
        v.notify = String::new();
        for (key, value) in pairs {
            let value = value.trim();
            match key.as_str() {
                "name" => v.name = value.to_string(),
                "calendar" => v.calendar = value.to_string(),
                "first_response_minutes" => v.first_response = value.to_string(),
                "update_minutes" => v.update = value.to_string(),
                "solution_minutes" => v.solution = value.to_string(),
                "notify_before_percent" => v.notify = value.to_string(),
                "comment" => v.comment = value.to_string(),
                "valid" => v.valid = true,
                "pause_in" => {
                    if let Ok(t) = value.parse::<StateType>()
                        && !v.pause_in.contains(&t)
                    {
                        v.pause_in.push(t);
                    }
                }
                "service" if !value.is_empty() && !v.services.iter().any(|s| s == value) => {
                    v.services.push(value.to_string());
                }
                _ => {}
            }
        }
        if let Some(n) = name {
            v.name = n.to_string();
        }
        v
    }

    /// The SLA this describes; a number that is none is refused (the engine checks the rest).
    pub fn record(&self) -> Result<Sla, Problem> {
        let defaults = EscalationTargets::default();
        Ok(Sla {
            name: self.name.clone(),
            calendar: self.calendar.clone(),
            targets: EscalationTargets {
                first_response_minutes: minutes(ClockKind::FirstResponse, &self.first_response)?,
                update_minutes: minutes(ClockKind::Update, &self.update)?,
                solution_minutes: minutes(ClockKind::Solution, &self.solution)?,
                notify_before_percent: percent(&self.notify, defaults.notify_before_percent)?,
                pause_in: self.pause_in.clone(),
            },
            services: self.services.clone(),
            comment: self.comment.clone(),
            valid: self.valid,
        })
    }

    /// Whether the clocks pause in state type `t` (for the checkboxes).
    pub fn pauses_in(&self, t: &StateType) -> bool {
        self.pause_in.contains(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(body: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(body).unwrap_or_default()
    }

    #[test]
    fn a_form_reads_its_targets_boxes_and_services() {
        let v = SlaView::posted(
            &pairs(
                "csrf=t&name=+Gold+&calendar=Office&first_response_minutes=60&update_minutes=&solution_minutes=480\
                 &notify_before_percent=75&pause_in=pending_reminder&pause_in=bogus&service=VPN&service=Mail&service=VPN\
                 &valid=1",
            ),
            None,
        );
        assert_eq!((v.name.as_str(), v.calendar.as_str()), ("Gold", "Office"));
        assert_eq!(v.pause_in, vec![StateType::PendingReminder]);
        assert_eq!(v.services, vec!["VPN".to_string(), "Mail".to_string()]);
        let s = v.record().unwrap();
        assert_eq!(
            (s.targets.first_response_minutes, s.targets.update_minutes, s.targets.solution_minutes),
            (60, 0, 480)
        );
        assert_eq!((s.targets.notify_before_percent, s.valid), (75, true));
        assert_eq!(SlaView::of(s.clone()).record().unwrap(), s);
        let edit = SlaView::posted(&pairs("name=Other&first_response_minutes=1"), Some("Gold"));
        assert_eq!(
            (edit.name.as_str(), edit.valid, edit.record().unwrap().targets.notify_before_percent),
            ("Gold", false, 80)
        );
    }

    #[test]
    fn numbers_that_are_none_are_refused() {
        assert!(SlaView::posted(&pairs("first_response_minutes=an+hour"), None).record().is_err());
        assert!(SlaView::posted(&pairs("solution_minutes=-5"), None).record().is_err());
        assert!(SlaView::posted(&pairs("notify_before_percent=eighty"), None).record().is_err());
        assert_eq!(percent(" ", 70).unwrap(), 70);
    }
}
