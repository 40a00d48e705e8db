//! `customer-users add|edit|get|list|search|valid|invalid|add-customer|remove-customer`.

use crate::backend::Backend;
use crate::cli::{CustomerUserFields, CustomerUsersCmd, PasswordArgs};
use crate::error::{AdminError, Result};
use crate::model::{CustomerUserPatch, CustomerUserView, NewCustomerUser, Query};
use crate::output::{Output, fields, more, table, yes_no};
use crate::secrets::generate_password;
use serde_json::json;

pub(super) async fn run<B: Backend>(b: &B, cmd: CustomerUsersCmd) -> Result<Output> {
    match cmd {
        CustomerUsersCmd::Add { login, fields, password } => {
            let (password, generated) = password_of(&password)?;
            let shown = if generated { password.clone() } else { None };
            let n = NewCustomerUser {
                login,
                email: fields.email.unwrap_or_default(),
                first_name: fields.first_name.unwrap_or_default(),
                last_name: fields.last_name.unwrap_or_default(),
                customer_id: fields.customer.unwrap_or_default(),
                password,
                phone: fields.phone.unwrap_or_default(),
                extra_customer_ids: Vec::new(),
                valid: true,
                language: super::choice(fields.language).flatten(),
            };
            let u = b.customer_user_add(&n).await?;
            let mut text = format!("customer user {:?} added", u.login);
            if !u.has_password {
                text.push_str(" (no password: the user cannot log into the portal)");
            }
            Ok(with_password(text, &u, shown))
        }
        CustomerUsersCmd::Edit { login, fields, password } => {
            let (password, generated) = password_of(&password)?;
            let shown = if generated { password.clone() } else { None };
            let p = patch(fields, password);
            if p == CustomerUserPatch::default() {
                return Err(AdminError::Usage(
                    "nothing to change: give at least one field or a password option".into(),
                ));
            }
            let u = b.customer_user_patch(&login, &p).await?;
            Ok(with_password(format!("customer user {:?} changed\n{}", u.login, one(&u)), &u, shown))
        }
        CustomerUsersCmd::Get { login } => {
            let u = b.customer_user_get(&login).await?;
            Ok(Output::new(one(&u), &u))
        }
        CustomerUsersCmd::List(p) => list(b, super::page(&p)).await,
        CustomerUsersCmd::Search(s) => list(b, super::search(&s)).await,
        CustomerUsersCmd::Valid { login } => set_valid(b, &login, true).await,
        CustomerUsersCmd::Invalid { login } => set_valid(b, &login, false).await,
        CustomerUsersCmd::AddCustomer { login, customer } => {
            let u = b.customer_user_get(&login).await?;
            if u.customer_id == customer || u.extra_customer_ids.contains(&customer) {
                return Ok(Output::new(format!("customer user {login:?} already belongs to {customer:?}"), &u));
            }
            b.customer_get(&customer).await?;
            let mut extra = u.extra_customer_ids.clone();
            extra.push(customer.clone());
            let p = CustomerUserPatch { extra_customer_ids: Some(extra), ..Default::default() };
            let u = b.customer_user_patch(&login, &p).await?;
            Ok(Output::new(format!("customer user {login:?} now also belongs to {customer:?}"), &u))
        }
        CustomerUsersCmd::RemoveCustomer { login, customer } => {
            let u = b.customer_user_get(&login).await?;
            if u.customer_id == customer {
                return Err(AdminError::Usage(format!(
                    "{customer:?} is the primary customer of {login:?}; change it with `customer-users edit {login} --customer OTHER`"
                )));
            }
            if !u.extra_customer_ids.contains(&customer) {
                return Err(AdminError::Usage(format!("customer user {login:?} does not belong to {customer:?}")));
            }
            let extra: Vec<String> = u.extra_customer_ids.iter().filter(|c| **c != customer).cloned().collect();
            let p = CustomerUserPatch { extra_customer_ids: Some(extra), ..Default::default() };
            let u = b.customer_user_patch(&login, &p).await?;
            Ok(Output::new(format!("customer user {login:?} no longer belongs to {customer:?}"), &u))
        }
    }
}

/// The password to set, and whether it was generated (to print it once).
fn password_of(p: &PasswordArgs) -> Result<(Option<String>, bool)> {
    if p.generate_password {
        return Ok((Some(generate_password()?), true));
    }
    if p.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|source| AdminError::Io { path: "standard input".into(), source })?;
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if line.is_empty() {
            return Err(AdminError::Usage("--password-stdin read an empty line".into()));
        }
        return Ok((Some(line), false));
    }
    match &p.password {
        Some(pw) if pw.is_empty() => Err(AdminError::Usage("--password must not be empty".into())),
        other => Ok((other.clone(), false)),
    }
}

fn with_password(mut text: String, u: &CustomerUserView, generated: Option<String>) -> Output {
    match generated {
        Some(pw) => {
            text.push_str(&format!("\npassword (shown only now): {pw}"));
            Output::new(text, &json!({ "customer_user": u, "password": pw }))
        }
        None => Output::new(text, &json!({ "customer_user": u })),
    }
}

fn patch(f: CustomerUserFields, password: Option<String>) -> CustomerUserPatch {
    CustomerUserPatch {
        email: f.email,
        first_name: f.first_name,
        last_name: f.last_name,
        phone: f.phone,
        customer_id: f.customer,
        extra_customer_ids: None,
        password,
        valid: None,
        language: super::choice(f.language),
    }
}

async fn set_valid<B: Backend>(b: &B, login: &str, valid: bool) -> Result<Output> {
    let u = b.customer_user_patch(login, &CustomerUserPatch { valid: Some(valid), ..Default::default() }).await?;
    let word = if valid { "valid" } else { "invalid" };
    Ok(Output::new(format!("customer user {:?} is now {word}", u.login), &u))
}

fn one(u: &CustomerUserView) -> String {
    fields(&[
        ("login", u.login.clone()),
        ("email", u.email.clone()),
        ("name", format!("{} {}", u.first_name, u.last_name).trim().to_string()),
        ("phone", u.phone.clone()),
        ("customer", u.customer_id.clone()),
        ("also customers", u.extra_customer_ids.join(", ")),
        ("valid", yes_no(u.valid)),
        ("password", if u.has_password { "set".into() } else { "none (no portal login)".into() }),
        ("identities", u.identities.join(", ")),
        ("language", super::shown_choice(u.language.as_deref(), "the browser's, else the system's")),
    ])
}

async fn list<B: Backend>(b: &B, q: Query) -> Result<Output> {
    let found = b.customer_users(&q).await?;
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|u| {
            let mut customers = vec![u.customer_id.clone()];
            customers.extend(u.extra_customer_ids.iter().cloned());
            vec![
                u.login.clone(),
                u.email.clone(),
                format!("{} {}", u.first_name, u.last_name).trim().to_string(),
                customers.join(","),
                yes_no(u.valid),
            ]
        })
        .collect();
    let mut text = table(&["LOGIN", "EMAIL", "NAME", "CUSTOMERS", "VALID"], &rows);
    if q.search.is_none() {
        text.push_str(&more(found.len(), q.limit, found.last().map(|u| u.login.as_str())));
    }
    Ok(Output::new(text, &found))
}
