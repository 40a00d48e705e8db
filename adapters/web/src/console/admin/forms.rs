//! The admin screens' forms, typed: what each form posts, read by [`crate::csrf::CsrfForm`] after it
//! checked the CSRF token. Text fields are trimmed where they are used (passwords never are); a
//! checkbox counts when it is present, whatever its value.

use chamado::Permission;
use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeSet;
use std::fmt;

/// A checkbox: posted (whatever its value) means on; an unchecked box is not posted at all.
fn checkbox<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    String::deserialize(d).map(|_| true)
}

/// A customer (company).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CustomerForm {
    /// The customer ID; only a new customer posts it.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Street.
    pub street: String,
    /// ZIP code.
    pub zip: String,
    /// City.
    pub city: String,
    /// Country.
    pub country: String,
    /// Web address.
    pub url: String,
    /// Free text.
    pub comment: String,
    /// Valid or not.
    #[serde(deserialize_with = "checkbox")]
    pub valid: bool,
}

/// A customer user.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CustomerUserForm {
    /// The login; only a new customer user posts it.
    pub login: String,
    /// Email address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Phone.
    pub phone: String,
    /// The customer (company) ID.
    pub customer_id: String,
    /// More customers, comma separated.
    pub extra_customer_ids: String,
    /// A new password; empty keeps the old one.
    pub password: String,
    /// The language tag; empty for the system's.
    pub language: String,
    /// Valid or not.
    #[serde(deserialize_with = "checkbox")]
    pub valid: bool,
}

/// An agent, or the request to reset its API token.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AgentForm {
    /// The login; only a new agent posts it.
    pub login: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email address.
    pub email: String,
    /// A new console password; empty keeps the old one.
    pub password: String,
    /// The language tag; empty for the system's.
    pub language: String,
    /// The IANA time zone name; empty for the system's.
    pub time_zone: String,
    /// Valid or not.
    #[serde(deserialize_with = "checkbox")]
    pub valid: bool,
    /// Revoke the agent's API tokens and issue a new one instead of saving.
    #[serde(deserialize_with = "checkbox")]
    pub token_reset: bool,
}

/// A record with a name, a comment and a valid flag: groups and roles (a changed name renames), and
/// priorities.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NamedForm {
    /// The name.
    pub name: String,
    /// Free text.
    pub comment: String,
    /// Valid or not.
    #[serde(deserialize_with = "checkbox")]
    pub valid: bool,
}

/// A queue.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueForm {
    /// The name; only the add form posts it (queues keep their names).
    pub name: String,
    /// The group whose permissions govern it.
    pub group: String,
    /// What a follow-up to a closed ticket does (`possible`, `reject`, `new_ticket`).
    pub follow_up: String,
    /// Free text.
    pub comment: String,
    /// Valid or not.
    #[serde(deserialize_with = "checkbox")]
    pub valid: bool,
    /// The auto-response for a new ticket; empty for the shipped one.
    pub auto_reply: String,
    /// The auto-response for a refused follow-up; empty for none.
    pub auto_reject: String,
    /// The auto-response for a follow-up taken; empty for none.
    pub auto_follow_up: String,
    /// The auto-response for a follow-up that opened a new ticket; empty for none.
    pub auto_reply_new_ticket: String,
    /// The salutation above agent replies; empty for none.
    pub salutation: String,
    /// The signature below agent replies; empty for none.
    pub signature: String,
    /// Minutes until a lock runs out; empty or 0 for never.
    pub unlock_timeout_minutes: String,
    /// The escalation calendar of tickets without an SLA; empty: around the clock in UTC.
    pub esc_calendar: String,
    /// Their first response time in working minutes; empty or 0 for none.
    pub esc_first_response_minutes: String,
    /// Their update time.
    pub esc_update_minutes: String,
    /// Their solution time.
    pub esc_solution_minutes: String,
    /// When to warn, in percent of a target; empty keeps what the queue had.
    pub esc_notify_before_percent: String,
}

/// A service.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ServiceForm {
    /// The name below the parent; only the add form posts it (services keep their names).
    pub name: String,
    /// The parent service, or empty.
    pub parent: String,
    /// Free text.
    pub comment: String,
    /// Valid or not.
    #[serde(deserialize_with = "checkbox")]
    pub valid: bool,
}

/// A ticket state.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StateForm {
    /// The name; only the add form posts it (tickets keep their state's name).
    pub name: String,
    /// Its type; only the add form posts it (a state keeps its type).
    pub state_type: String,
    /// For pending auto states: the state a ticket goes to when due; empty for none.
    pub next_state: String,
    /// Valid or not.
    #[serde(deserialize_with = "checkbox")]
    pub valid: bool,
}

/// What the calendar form posts.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CalendarForm {
    /// The name; only the add form posts it (SLAs and queues name calendars).
    pub name: String,
    /// The IANA time zone.
    pub time_zone: String,
    /// Monday's working hours.
    pub hours_mon: String,
    /// Tuesday's.
    pub hours_tue: String,
    /// Wednesday's.
    pub hours_wed: String,
    /// Thursday's.
    pub hours_thu: String,
    /// Friday's.
    pub hours_fri: String,
    /// Saturday's.
    pub hours_sat: String,
    /// Sunday's.
    pub hours_sun: String,
    /// Holidays, one per line.
    pub holidays: String,
    /// Free text.
    pub comment: String,
    /// Valid or not.
    #[serde(deserialize_with = "checkbox")]
    pub valid: bool,
}

/// The checkbox screens: permission grids (`p:<row>:<permission>`), lists of services (`s:<name>`)
/// and roles (`r:<name>`), the rows a partial grid showed (`u:<login>`), "select all" (`all`) and
/// which button was pressed (`submit=finish` for "Save and finish"). Their field names hold the
/// record names, which no derived form can express, so this one reads the raw pairs.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Checks {
    /// "Save and finish" rather than "Save".
    pub finish: bool,
    /// "Select all" was ticked.
    pub all: bool,
    /// The ticked permission boxes: (row, permission).
    pub cells: BTreeSet<(String, Permission)>,
    /// The ticked services.
    pub services: BTreeSet<String>,
    /// The ticked roles.
    pub roles: BTreeSet<String>,
    /// The rows the form showed.
    pub rows: BTreeSet<String>,
}

impl Checks {
    /// The permissions ticked for `row`, among `perms`.
    pub fn chosen(&self, row: &str, perms: &[Permission]) -> Vec<Permission> {
        perms.iter().copied().filter(|p| self.cells.contains(&(row.to_string(), *p))).collect()
    }

    /// Takes one posted pair; other fields (the CSRF token, unknown ones) are not the grid's.
    fn take(&mut self, key: String, value: &str) -> Result<(), String> {
        if key == "submit" {
            self.finish = value == "finish";
        } else if key == "all" {
            self.all = true;
        } else if let Some(cell) = key.strip_prefix("p:") {
            // Group names may hold ':', permission names do not: the last ':' splits.
            let Some((row, perm)) = cell.rsplit_once(':') else { return Err(format!("no permission in {key:?}")) };
            let perm: Permission = perm.parse().map_err(|e: chamado::Error| e.to_string())?;
            self.cells.insert((row.to_string(), perm));
        } else if let Some(s) = key.strip_prefix("s:") {
            self.services.insert(s.to_string());
        } else if let Some(r) = key.strip_prefix("r:") {
            self.roles.insert(r.to_string());
        } else if let Some(u) = key.strip_prefix("u:") {
            self.rows.insert(u.to_string());
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Checks {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Checks;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("form fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checks, A::Error> {
                let mut checks = Checks::default();
                while let Some((key, value)) = map.next_entry::<String, String>()? {
                    checks.take(key, &value).map_err(A::Error::custom)?;
                }
                Ok(checks)
            }
        }
        d.deserialize_map(Pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_read_their_boxes() {
        let body = "csrf=t&p%3AIT%3A%3Aops%3Aro=1&p%3Ausers%3Arw=1&s%3AEmail%3A%3AOut=1&r%3Asupport=1&u%3Aalice=1&submit=finish";
        let c: Checks = serde_urlencoded::from_str(body).unwrap_or_default();
        assert!(c.finish && !c.all);
        assert_eq!(c.chosen("IT::ops", &Permission::ALL), vec![Permission::Ro]);
        assert_eq!(c.chosen("users", &[Permission::Ro, Permission::Rw]), vec![Permission::Rw]);
        assert!(c.services.contains("Email::Out") && c.roles.contains("support") && c.rows.contains("alice"));
        assert!(serde_urlencoded::from_str::<Checks>("p%3Ausers%3Aowner_of_all=1").is_err(), "unknown permission");
        assert!(!serde_urlencoded::from_str::<Checks>("submit=save").unwrap_or_default().finish);
    }

    #[test]
    fn checkboxes_count_when_posted() {
        let f: NamedForm = serde_urlencoded::from_str("name=vip&valid=1").unwrap_or_default();
        assert!(f.valid && f.name == "vip");
        let f: NamedForm = serde_urlencoded::from_str("name=vip").unwrap_or_default();
        assert!(!f.valid);
    }
}
