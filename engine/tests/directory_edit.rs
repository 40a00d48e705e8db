//! Editing the directory: renames carry references along, validity rules, priorities, the per-service
//! view and search.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chamado::*;
use common::*;
use proptest::prelude::*;

fn rw() -> PermissionSet {
    PermissionSet::of(&[Permission::Rw])
}

fn group(d: &Desk, name: &str) -> Option<Group> {
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    match block(a.get(RecordKind::Group, name)).unwrap() {
        Some(Record::Group(g)) => Some(g),
        _ => None,
    }
}

#[test]
fn a_renamed_group_keeps_its_queues_and_grants() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    block(a.grant(Grant::group(GrantSubject::Agent("ro_agent".into()), "sales", rw()))).unwrap();
    let n = d.open(&Actor::System, "Quote", "Sales").ticket.number;

    block(a.rename_group("sales", "vendas")).unwrap();

    assert!(group(&d, "sales").is_none(), "the old name is gone");
    assert!(group(&d, "vendas").is_some());
    assert_eq!(block(d.engine.queue("Sales")).unwrap().group, "vendas");
    let access = block(d.engine.agent_access("ro_agent")).unwrap();
    assert!(access.has("vendas", Permission::Rw) && !access.has("sales", Permission::Ro));
    assert!(block(d.engine.agent_access("mover")).unwrap().has("vendas", Permission::MoveInto));
    assert_eq!(block(d.engine.ticket(&Actor::agent("ro_agent"), &n)).unwrap().ticket.number, n);
    let grants = block(a.grants_of(&GrantSubject::Agent("ro_agent".into()))).unwrap();
    assert!(grants.iter().all(|g| g.target != GrantTarget::Group("sales".into())), "{grants:?}");
}

#[test]
fn renaming_the_default_customer_group_keeps_customers_working() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    block(a.rename_group("users", "customers")).unwrap();
    let t = d.open(&alice(), "Printer", "Raw");
    assert_eq!(t.ticket.queue, "Raw");
    assert!(block(d.engine.customer_access("alice")).unwrap().can_create_in("customers"));
}

#[test]
fn a_rename_to_a_taken_or_bad_name_or_of_a_missing_group_is_refused() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    assert!(matches!(block(a.rename_group("sales", "users")), Err(Error::Conflict(_))));
    assert!(matches!(block(a.rename_group("sales", " x")), Err(Error::Validation(_))));
    assert!(matches!(block(a.rename_group("sales", "")), Err(Error::Validation(_))));
    assert!(matches!(block(a.rename_group("nope", "other")), Err(Error::NotFound(_))));
    assert!(group(&d, "sales").is_some(), "nothing changed");
}

#[test]
fn the_admin_group_keeps_its_name_and_stays_valid() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    assert!(matches!(block(a.rename_group("admin", "root")), Err(Error::Rejected(_))));
    let invalid = Group { valid: false, ..Group::new("admin") };
    assert!(matches!(block(a.put_group(invalid)), Err(Error::Rejected(_))));
    assert!(block(d.engine.admin(&admin())).is_ok(), "the admin is still an admin");
}

#[test]
fn an_invalid_group_grants_nothing_until_it_is_valid_again() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let n = d.open(&Actor::System, "Quote", "Sales").ticket.number;
    block(a.put_group(Group { valid: false, ..Group::new("sales") })).unwrap();
    assert!(!block(d.engine.agent_access("mover")).unwrap().has("sales", Permission::MoveInto));
    assert!(matches!(block(d.engine.ticket(&Actor::agent("mover"), &n)), Err(Error::NotFound(_))));
    block(a.put_group(Group::new("sales"))).unwrap();
    assert!(block(d.engine.agent_access("mover")).unwrap().has("sales", Permission::MoveInto));
}

#[test]
fn a_renamed_role_keeps_its_permissions_and_members() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    block(a.put_role(Role::new("sellers"))).unwrap();
    block(a.grant(Grant::group(GrantSubject::Role("sellers".into()), "sales", rw()))).unwrap();
    block(a.grant(Grant::role_membership("ro_agent", "sellers"))).unwrap();
    assert!(block(d.engine.agent_access("ro_agent")).unwrap().has("sales", Permission::Rw));

    block(a.rename_role("sellers", "vendedores")).unwrap();

    assert!(block(d.engine.agent_access("ro_agent")).unwrap().has("sales", Permission::Rw));
    assert!(block(a.get(RecordKind::Role, "sellers")).unwrap().is_none());
    let of_role = block(a.grants_of(&GrantSubject::Role("vendedores".into()))).unwrap();
    assert_eq!(of_role.len(), 1);
    assert!(block(a.grants_of(&GrantSubject::Role("sellers".into()))).unwrap().is_empty());
    let member = block(a.grants_of(&GrantSubject::Agent("ro_agent".into()))).unwrap();
    assert!(member.iter().any(|g| g.target == GrantTarget::Role("vendedores".into())), "{member:?}");
    assert!(member.iter().all(|g| g.target != GrantTarget::Role("sellers".into())), "{member:?}");
}

#[test]
fn an_invalid_queue_takes_no_new_tickets_but_keeps_the_old_ones() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let n = d.open(&alice(), "Old", "Raw").ticket.number;
    let mut raw = block(d.engine.queue("Raw")).unwrap();
    raw.valid = false;
    block(a.put_queue(raw.clone())).unwrap();

    let refused = block(d.engine.create_ticket(&alice(), NewTicket::new("New", "body", "Raw")));
    assert!(matches!(refused, Err(Error::Rejected(_))), "{refused:?}");
    assert!(block(d.engine.queues_for_new_tickets(&alice())).unwrap().iter().all(|q| q.name != "Raw"));
    assert_eq!(block(d.engine.ticket(&alice(), &n)).unwrap().ticket.title, "Old");
    block(d.engine.add_article(&admin(), &n, NewArticle::note("still worked"))).unwrap();
    let other = d.open(&alice(), "Elsewhere", "Misc").ticket.number;
    let into = block(d.engine.update_ticket(
        &admin(),
        &other,
        TicketUpdate { queue: Some("Raw".into()), ..Default::default() },
    ));
    assert!(into.is_err(), "no ticket moves into an invalid queue");

    raw.valid = true;
    block(a.put_queue(raw)).unwrap();
    d.open(&alice(), "New", "Raw");
}

#[test]
fn an_edited_queue_moves_to_another_group_and_policy() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let mut q = block(d.engine.queue("Misc")).unwrap();
    q.group = "sales".into();
    q.follow_up = FollowUpPolicy::Reject;
    q.comment = "now sales".into();
    block(a.put_queue(q)).unwrap();
    let q = block(d.engine.queue("Misc")).unwrap();
    assert_eq!((q.group.as_str(), q.follow_up), ("sales", FollowUpPolicy::Reject));
    assert!(!block(d.engine.customer_access("alice")).unwrap().can_create_in(&q.group));
    let mut q = q;
    q.group = "nope".into();
    assert!(block(a.put_queue(q)).is_err(), "its group must exist");
}

#[test]
fn a_state_keeps_its_type() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let changed = block(a.put_state(StateDef::new("pending reminder", StateType::Open)));
    assert!(matches!(changed, Err(Error::Rejected(_))), "{changed:?}");
    block(a.put_state(StateDef { valid: false, ..StateDef::new("pending reminder", StateType::PendingReminder) }))
        .unwrap();
}

#[test]
fn a_state_a_pending_state_closes_into_stays_valid() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let invalid = StateDef { valid: false, ..StateDef::new("closed unsuccessful", StateType::Closed) };
    assert!(matches!(block(a.put_state(invalid.clone())), Err(Error::Rejected(_))));
    let mut minus = StateDef::new("pending auto close-", StateType::PendingAuto);
    minus.next_state = Some("closed successful".into());
    block(a.put_state(minus.clone())).unwrap();
    block(a.put_state(invalid)).unwrap();
    minus.next_state = Some("closed unsuccessful".into());
    assert!(block(a.put_state(minus)).is_err(), "a valid pending state cannot close into an invalid state");
}

#[test]
fn a_renamed_priority_shows_and_parses_by_its_new_name() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let high = Priority::new(4).unwrap();
    block(a.put_priority(PriorityDef { name: "urgent".into(), ..PriorityDef::shipped(high) })).unwrap();
    assert_eq!(block(d.engine.priority_name(high)).unwrap(), "urgent");
    assert_eq!(block(d.engine.priority_named("URGENT")).unwrap(), high);
    assert_eq!(block(d.engine.priority_named("4")).unwrap(), high);
    assert!(block(d.engine.priority_named("4 high")).is_err(), "the old name is gone");
    let all = block(d.engine.priorities()).unwrap();
    assert_eq!(
        all.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["1 very low", "2 low", "3 normal", "urgent", "5 very high"]
    );
    let clash = PriorityDef { name: "Urgent".into(), ..PriorityDef::shipped(Priority::new(5).unwrap()) };
    assert!(matches!(block(a.put_priority(clash)), Err(Error::Conflict(_))));
}

#[test]
fn an_invalid_priority_cannot_be_set_but_tickets_keep_it() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    let top = Priority::new(5).unwrap();
    let mut new = NewTicket::new("Fire", "body", "Raw");
    new.priority = Some(top);
    let n = block(d.engine.create_ticket(&admin(), new.clone())).unwrap().ticket.number;
    block(a.put_priority(PriorityDef { valid: false, ..PriorityDef::shipped(top) })).unwrap();

    assert!(matches!(block(d.engine.create_ticket(&admin(), new)), Err(Error::Rejected(_))));
    let other = d.open(&admin(), "Smoke", "Raw").ticket.number;
    let set =
        block(d.engine.update_ticket(&admin(), &other, TicketUpdate { priority: Some(top), ..Default::default() }));
    assert!(matches!(set, Err(Error::Rejected(_))), "{set:?}");
    assert_eq!(block(d.engine.ticket(&admin(), &n)).unwrap().ticket.priority, top, "the old ticket keeps it");
    block(d.engine.update_ticket(&admin(), &n, TicketUpdate::state("open"))).unwrap();

    let normal = PriorityDef { valid: false, ..PriorityDef::shipped(Priority::NORMAL) };
    assert!(matches!(block(a.put_priority(normal)), Err(Error::Rejected(_))), "the default stays valid");
}

#[test]
fn the_per_service_view_names_users_customers_and_defaults() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    for who in ["carol", "alice", "bob"] {
        block(a.grant(Grant::service(GrantSubject::CustomerUser(who.into()), "IT::Email"))).unwrap();
    }
    let h = block(a.service_holders("IT::Email")).unwrap();
    assert_eq!(h.customer_users, ["alice", "bob", "carol"]);
    assert_eq!(h.customers, ["acme", "globex"]);
    assert!(!h.default && h.usable);
    let it = block(a.service_holders("IT")).unwrap();
    assert!(it.default && it.customer_users.is_empty());

    block(a.put_service(Service { valid: false, ..Service::new("IT") })).unwrap();
    assert!(!block(a.service_holders("IT::Email")).unwrap().usable, "an invalid parent hides its children");
    assert!(matches!(block(a.service_holders("Nope")), Err(Error::NotFound(_))));
}

#[test]
fn search_finds_groups_and_services_by_any_part_of_name_or_comment() {
    let d = desk();
    let a = block(d.engine.admin(&Actor::System)).unwrap();
    block(a.put_group(Group { comment: "Vendas Brasil".into(), ..Group::new("br") })).unwrap();
    let names = |kind, q, limit| -> Vec<String> {
        block(a.search(kind, q, limit)).unwrap().into_iter().map(|r| r.key().key).collect()
    };
    assert_eq!(names(RecordKind::Group, "SAL", 10), ["sales"]);
    assert_eq!(names(RecordKind::Group, "brasil", 10), ["br"]);
    assert_eq!(names(RecordKind::Service, "email", 10), ["IT::Email"]);
    assert_eq!(names(RecordKind::Service, "it", 1).len(), 1, "limited");
}

/// One admin step of the property test.
#[derive(Debug, Clone)]
enum Step {
    RenameGroup(usize, usize),
    RenameRole(usize),
    Invalidate(usize, bool),
}

const NAMES: [&str; 4] = ["alpha", "beta", "Gamma", "delta"];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3usize, 0..NAMES.len()).prop_map(|(g, n)| Step::RenameGroup(g, n)),
        (0..NAMES.len()).prop_map(Step::RenameRole),
        (0..3usize, any::<bool>()).prop_map(|(g, v)| Step::Invalidate(g, v)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever groups and roles are renamed or invalidated, every agent holds on each group exactly
    /// what it held before under the group's current name (nothing while the group is invalid), and no
    /// queue or grant names a group or role that does not exist.
    #[test]
    fn renames_keep_every_permission_under_the_new_name(steps in proptest::collection::vec(step(), 1..12)) {
        let d = desk();
        let a = block(d.engine.admin(&Actor::System)).unwrap();
        block(a.put_role(Role::new("team"))).unwrap();
        block(a.grant(Grant::group(GrantSubject::Role("team".into()), "sales", rw()))).unwrap();
        block(a.grant(Grant::role_membership("noter", "team"))).unwrap();
        // current[i]: the current name of the group first called ORIGINAL[i]; valid[i] its validity.
        const ORIGINAL: [&str; 3] = ["sales", "users", "admin"];
        let mut current: Vec<String> = ORIGINAL.iter().map(|s| s.to_string()).collect();
        let mut valid = [true; 3];
        let mut role = "team".to_string();
        let agents = ["admin", "ro_agent", "noter", "mover"];
        let before: Vec<_> = agents.iter().map(|l| block(d.engine.agent_access(l)).unwrap().groups().clone()).collect();

        for s in steps {
            match s {
                Step::RenameGroup(g, n) => {
                    let ok = block(a.rename_group(&current[g].clone(), NAMES[n])).is_ok();
                    let expect = ORIGINAL[g] != "admin" && !current.iter().any(|c| c == NAMES[n]);
                    prop_assert_eq!(ok, expect);
                    if ok { current[g] = NAMES[n].to_string(); }
                }
                Step::RenameRole(n) => {
                    let ok = block(a.rename_role(&role.clone(), NAMES[n])).is_ok();
                    prop_assert_eq!(ok, role != NAMES[n]);
                    if ok { role = NAMES[n].to_string(); }
                }
                Step::Invalidate(g, v) => {
                    let ok = block(a.put_group(Group { valid: v, ..Group::new(current[g].clone()) })).is_ok();
                    prop_assert_eq!(ok, v || ORIGINAL[g] != "admin");
                    if ok { valid[g] = v; }
                }
            }
            for (i, login) in agents.iter().enumerate() {
                let now = block(d.engine.agent_access(login)).unwrap();
                for (g, original) in ORIGINAL.iter().enumerate() {
                    let had = before[i].get(*original).copied().unwrap_or_default();
                    let has = now.groups().get(&current[g]).copied().unwrap_or_default();
                    let expect = if valid[g] { had } else { PermissionSet::EMPTY };
                    prop_assert_eq!(has, expect, "agent {} on group {} (first {})", login, &current[g], original);
                }
            }
            for r in block(a.list(RecordKind::Queue, None, 1000)).unwrap() {
                if let Record::Queue(q) = r { prop_assert!(current.contains(&q.group), "queue {:?}", q); }
            }
            for r in block(a.list(RecordKind::Grant, None, 1000)).unwrap() {
                let Record::Grant(g) = r else { continue };
                if let GrantTarget::Group(n) = &g.target { prop_assert!(current.contains(n), "grant {:?}", g); }
                if let GrantTarget::Role(n) = &g.target { prop_assert_eq!(n, &role); }
                if let GrantSubject::Role(n) = &g.subject { prop_assert_eq!(n, &role); }
            }
        }
    }
}
