//! One scenario of directory edits, run on both backends: the same commands must answer the same.

use super::Run;
use serde_json::json;

/// Edits, validity, the per-service view and search for groups, queues, services, roles, states and
/// priorities. Needs a seeded store with customer `acme` and customer user `alice`.
pub fn directory_edits(a: &dyn Fn(&[&str]) -> Run) {
    // Groups: rename carries the queue along; admin stays.
    a(&["groups", "add", "vip", "--comment", "big customers"]).out();
    a(&["queues", "add", "VIP", "--group", "vip"]).out();
    let g = a(&["--json", "groups", "edit", "vip", "--rename", "gold"]).json();
    assert_eq!(g, json!({"name": "gold", "comment": "big customers", "valid": true}));
    assert_eq!(a(&["--json", "queues", "get", "VIP"]).json()["group"], "gold");
    assert!(a(&["groups", "get", "vip"]).err().contains("not found"));
    assert!(a(&["groups", "edit", "gold", "--rename", "users"]).err().contains("users"));
    assert!(a(&["groups", "invalid", "admin"]).err().contains("admin"));
    assert!(a(&["groups", "edit", "admin", "--rename", "root"]).err().contains("admin"));
    assert!(a(&["groups", "invalid", "gold"]).out().contains("invalid"));
    assert_eq!(a(&["--json", "groups", "get", "gold"]).json()["valid"], false);
    a(&["groups", "valid", "gold"]).out();
    let found = a(&["--json", "groups", "search", "BIG"]).json();
    assert_eq!(found.as_array().map(|f| f.len()), Some(1), "{found}");

    // Queues: group, policy, validity.
    let q = a(&["--json", "queues", "edit", "VIP", "--follow-up", "new_ticket", "--comment", "gold"]).json();
    assert_eq!(q["follow_up"], "new_ticket");
    a(&["queues", "invalid", "VIP"]).out();
    assert_eq!(a(&["--json", "queues", "get", "VIP"]).json()["valid"], false);
    assert!(a(&["queues", "edit", "VIP", "--group", "nope"]).err().contains("nope"));
    let found = a(&["--json", "queues", "search", "vip"]).json();
    assert_eq!(found[0]["name"], "VIP");

    // Services: comment, validity, who has it.
    a(&["services", "add", "IT"]).out();
    a(&["services", "add", "IT::Email"]).out();
    a(&["grants", "service", "alice", "IT::Email"]).out();
    a(&["grants", "default-service", "IT"]).out();
    let h = a(&["--json", "services", "holders", "IT::Email"]).json();
    assert_eq!(h["customer_users"], json!(["alice"]));
    assert_eq!(h["customers"], json!(["acme"]));
    assert_eq!((h["default"].clone(), h["usable"].clone()), (json!(false), json!(true)));
    let text = a(&["services", "holders", "IT"]).out().to_string();
    assert!(text.contains("default") && text.contains("yes"), "{text}");
    a(&["services", "edit", "IT", "--comment", "old"]).out();
    a(&["services", "invalid", "IT"]).out();
    assert_eq!(a(&["--json", "services", "holders", "IT::Email"]).json()["usable"], false);
    assert!(a(&["services", "holders", "Nope"]).err().contains("Nope"));
    assert_eq!(a(&["--json", "services", "search", "email"]).json()[0]["name"], "IT::Email");

    // Roles: rename keeps members.
    a(&["roles", "add", "support"]).out();
    a(&["roles", "edit", "support", "--rename", "helpdesk", "--comment", "first line"]).out();
    let r = a(&["--json", "roles", "get", "helpdesk"]).json();
    assert_eq!(r, json!({"name": "helpdesk", "comment": "first line", "valid": true}));
    a(&["roles", "invalid", "helpdesk"]).out();
    assert_eq!(a(&["--json", "roles", "search", "help"]).json()[0]["valid"], false);

    // States: add, next state, validity; the lifecycle's stay valid.
    a(&["states", "add", "waiting", "--type", "pending_reminder"]).out();
    assert!(a(&["states", "add", "x", "--type", "done"]).err().contains("done"));
    a(&["states", "invalid", "waiting"]).out();
    assert!(a(&["states", "invalid", "open"]).err().contains("open"));
    let list = a(&["states", "list"]).out().to_string();
    assert!(list.contains("waiting") && list.contains("pending_reminder"), "{list}");

    // Priorities: rename, validity; the default stays valid.
    let p = a(&["--json", "priorities", "edit", "4", "--name", "urgent"]).json();
    assert_eq!(p, json!({"level": 4, "name": "urgent", "comment": "", "valid": true}));
    a(&["priorities", "invalid", "5"]).out();
    assert!(a(&["priorities", "invalid", "3"]).err().contains("3 normal"));
    assert!(a(&["priorities", "edit", "2", "--name", "Urgent"]).err().contains("level 4"));
    let all = a(&["--json", "priorities", "list"]).json();
    let names: Vec<&str> = all.as_array().unwrap().iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(names, ["1 very low", "2 low", "3 normal", "urgent", "5 very high"]);
    assert_eq!(all[4]["valid"], false);
}
