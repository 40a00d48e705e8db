//! `show LOGIN`: what a customer user may use.

use crate::backend::Backend;
use crate::error::Result;
use crate::output::{Output, fields, table, yes_no};

pub(super) async fn run<B: Backend>(b: &B, login: &str) -> Result<Output> {
    let a = b.access(login).await?;
    let mut text = fields(&[
        ("login", a.login.clone()),
        ("valid", yes_no(a.valid)),
        ("customers", a.customer_ids.join(", ")),
        ("own services", a.own_services.join(", ")),
    ]);
    if !a.valid {
        text.push_str("\n(invalid: the user may do nothing until marked valid)");
    }
    // `rw` implies `ro` for customer users: show the stronger one.
    let strongest = |p: &Vec<String>| if p.iter().any(|x| x == "rw") { "rw".to_string() } else { p.join(",") };
    let groups: Vec<Vec<String>> = a.groups.iter().map(|(g, p)| vec![g.clone(), strongest(p)]).collect();
    text.push_str("\n\nEffective groups (own, company and default grants):\n");
    text.push_str(&table(&["GROUP", "PERMISSION"], &groups));
    let services: Vec<Vec<String>> = a.services.iter().map(|s| vec![s.clone()]).collect();
    text.push_str("\n\nEffective services (own and default):\n");
    text.push_str(&table(&["SERVICE"], &services));
    Ok(Output::new(text, &a))
}
