//! `customers add|edit|get|list|search|valid|invalid`.

use crate::backend::Backend;
use crate::cli::{CustomerFields, CustomersCmd};
use crate::error::Result;
use crate::model::{CustomerPatch, CustomerView, Query, Subject};
use crate::output::{Output, fields, more, table, yes_no};

pub(super) async fn run<B: Backend>(b: &B, cmd: CustomersCmd) -> Result<Output> {
    match cmd {
        CustomersCmd::Add { id, fields } => {
            let c = CustomerView {
                name: fields.name.clone().unwrap_or_else(|| id.clone()),
                id,
                street: fields.street.unwrap_or_default(),
                zip: fields.zip.unwrap_or_default(),
                city: fields.city.unwrap_or_default(),
                country: fields.country.unwrap_or_default(),
                url: fields.url.unwrap_or_default(),
                comment: fields.comment.unwrap_or_default(),
                valid: true,
            };
            let c = b.customer_add(&c).await?;
            Ok(Output::new(format!("customer {:?} added", c.id), &c))
        }
        CustomersCmd::Edit { id, fields } => {
            let c = b.customer_patch(&id, &patch(fields)).await?;
            Ok(Output::new(format!("customer {:?} changed\n{}", c.id, one(&c)), &c))
        }
        CustomersCmd::Get { id } => {
            let c = b.customer_get(&id).await?;
            let grants = b.grants_of(&Subject::Customer(id)).await?;
            let groups: Vec<String> =
                grants.iter().map(|g| format!("{} ({})", g.name, g.permissions.join(","))).collect();
            let text = format!("{}\n{}", one(&c), fields(&[("groups", groups.join(", "))]));
            Ok(Output::new(text, &serde_json::json!({ "customer": c, "grants": grants })))
        }
        CustomersCmd::List(p) => list(b, super::page(&p)).await,
        CustomersCmd::Search(s) => list(b, super::search(&s)).await,
        CustomersCmd::Valid { id } => set_valid(b, &id, true).await,
        CustomersCmd::Invalid { id } => set_valid(b, &id, false).await,
    }
}

fn patch(f: CustomerFields) -> CustomerPatch {
    CustomerPatch {
        name: f.name,
        street: f.street,
        zip: f.zip,
        city: f.city,
        country: f.country,
        url: f.url,
        comment: f.comment,
        valid: None,
    }
}

async fn set_valid<B: Backend>(b: &B, id: &str, valid: bool) -> Result<Output> {
    let c = b.customer_patch(id, &CustomerPatch { valid: Some(valid), ..Default::default() }).await?;
    let word = if valid { "valid" } else { "invalid" };
    Ok(Output::new(format!("customer {:?} is now {word}", c.id), &c))
}

fn one(c: &CustomerView) -> String {
    fields(&[
        ("id", c.id.clone()),
        ("name", c.name.clone()),
        ("street", c.street.clone()),
        ("zip", c.zip.clone()),
        ("city", c.city.clone()),
        ("country", c.country.clone()),
        ("url", c.url.clone()),
        ("comment", c.comment.clone()),
        ("valid", yes_no(c.valid)),
    ])
}

async fn list<B: Backend>(b: &B, q: Query) -> Result<Output> {
    let found = b.customers(&q).await?;
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|c| vec![c.id.clone(), c.name.clone(), c.city.clone(), c.country.clone(), yes_no(c.valid)])
        .collect();
    let mut text = table(&["ID", "NAME", "CITY", "COUNTRY", "VALID"], &rows);
    if q.search.is_none() {
        text.push_str(&more(found.len(), q.limit, found.last().map(|c| c.id.as_str())));
    }
    Ok(Output::new(text, &found))
}
