//! Agents, customers (companies) and customer users. Passwords come over as Znuny stored them; login
//! verifies those formats and rehashes.

use super::Directory;
use crate::db::Db;
use crate::error::Result;
use crate::lookups::Lookups;
use crate::schema::Schema;
use chamado::{Agent, Customer, CustomerUser, Record};
use chamado_i18n::{Language, TimeZoneName};
use std::collections::HashMap;

/// Preferences by owner and key.
type Prefs = HashMap<(String, String), String>;

async fn prefs(db: &Db, what: &'static str, sql: &str) -> Result<Prefs> {
    let mut out = Prefs::new();
    for r in db.rows(what, sql).await? {
        out.insert((r.text(0), r.text(1)), r.text(2));
    }
    Ok(out)
}

/// A language preference chamado has texts for, else `None` with the reason.
fn language(value: Option<&String>) -> (Option<String>, Option<String>) {
    match value.map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => (None, None),
        Some(tag) => match Language::parse(tag) {
            Some(l) => (Some(l.tag()), None),
            None => (None, Some(format!("language {tag:?} has no chamado texts: the browser's language applies"))),
        },
    }
}

pub(super) async fn agents(db: &Db, l: &Lookups, d: &mut Directory) -> Result<()> {
    // Ids print as text on both servers, so preferences key by the id's text.
    let sql = "SELECT user_id, preferences_key, preferences_value FROM user_preferences \
               WHERE preferences_key IN ('UserEmail', 'UserLanguage', 'UserTimeZone')";
    let prefs = prefs(db, "user_preferences", sql).await?;
    let sql = "SELECT id, login, pw, first_name, last_name, valid_id FROM users ORDER BY id";
    for r in db.rows("users", sql).await? {
        let id = r.text(0);
        let pref = |k: &str| prefs.get(&(id.clone(), k.to_string()));
        let mut a = Agent::new(r.text(1));
        a.password_hash = r.opt_text(2);
        a.first_name = r.text(3);
        a.last_name = r.text(4);
        a.valid = l.is_valid(r.int(5)?);
        a.email = pref("UserEmail").cloned().unwrap_or_default();
        let (lang, why) = language(pref("UserLanguage"));
        a.language = lang;
        if let Some(why) = why {
            d.skip("agent", &a.login, why);
        }
        if let Some(zone) = pref("UserTimeZone").map(|z| z.trim()).filter(|z| !z.is_empty()) {
            match TimeZoneName::parse(zone) {
                Some(z) => a.time_zone = Some(z.as_str().to_string()),
                None => d.skip("agent", &a.login, format!("time zone {zone:?} is unknown: the system's applies")),
            }
        }
        d.push(Record::Agent(a));
    }
    Ok(())
}

pub(super) async fn customers(db: &Db, l: &Lookups, d: &mut Directory) -> Result<()> {
    let sql = "SELECT customer_id, name, street, zip, city, country, url, comments, valid_id \
               FROM customer_company ORDER BY customer_id";
    for r in db.rows("customer_company", sql).await? {
        d.push(Record::Customer(Customer {
            id: r.text(0),
            name: r.text(1),
            street: r.text(2),
            zip: r.text(3),
            city: r.text(4),
            country: r.text(5),
            url: r.text(6),
            comment: r.text(7),
            valid: l.is_valid(r.int(8)?),
        }));
    }
    Ok(())
}

pub(super) async fn customer_users(db: &Db, schema: &Schema, l: &Lookups, d: &mut Directory) -> Result<()> {
    let mut extra: HashMap<String, Vec<String>> = HashMap::new();
    if schema.has("customer_user_customer") {
        let sql = "SELECT user_id, customer_id FROM customer_user_customer ORDER BY user_id, customer_id";
        for r in db.rows("customer_user_customer", sql).await? {
            extra.entry(r.text(0)).or_default().push(r.text(1));
        }
    }
    let prefs = if schema.has("customer_preferences") {
        let sql = "SELECT user_id, preferences_key, preferences_value FROM customer_preferences \
                   WHERE preferences_key = 'UserLanguage'";
        prefs(db, "customer_preferences", sql).await?
    } else {
        Prefs::new()
    };
    let sql = "SELECT login, email, customer_id, pw, first_name, last_name, phone, valid_id \
               FROM customer_user ORDER BY id";
    for r in db.rows("customer_user", sql).await? {
        let mut u = CustomerUser::new(r.text(0), r.text(1).trim(), r.text(2));
        u.password_hash = r.opt_text(3);
        u.first_name = r.text(4);
        u.last_name = r.text(5);
        u.phone = r.text(6);
        u.valid = l.is_valid(r.int(7)?);
        let mut ids = extra.remove(&u.login).unwrap_or_default();
        ids.retain(|c| *c != u.customer_id && !c.is_empty());
        ids.dedup();
        u.extra_customer_ids = ids;
        let (lang, why) = language(prefs.get(&(u.login.clone(), "UserLanguage".to_string())));
        u.language = lang;
        if let Some(why) = why {
            d.skip("customer_user", &u.login, why);
        }
        d.push(Record::CustomerUser(u));
    }
    Ok(())
}
