//! Model-based property test: random sequences of engine operations against a simple model of the
//! permission rules. Numbers stay unique, states stay legal, every permission answer of the engine
//! equals the model's, and so do the queue view's counts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chamado::*;
use proptest::prelude::*;
use std::collections::{BTreeMap, HashSet};

const USERS: [(&str, &[&str]); 4] =
    [("alice", &["acme"]), ("bob", &["acme"]), ("carol", &["globex"]), ("dave", &["globex", "acme"])];
const CUSTOMERS: [&str; 2] = ["acme", "globex"];
const GROUPS: [&str; 2] = ["users", "sales"];
const QUEUES: [(&str, &str); 2] = [("Raw", "users"), ("Sales", "sales")];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    None,
    Ro,
    Rw,
}

#[derive(Debug, Clone)]
enum Op {
    GrantUser(usize, usize, Level),
    GrantCustomer(usize, usize, Level),
    GrantDefault(usize, Level),
    SetValid(usize, bool),
    Create(usize, usize),
    AgentCreate(usize, usize),
    FollowUp(usize, usize),
    Close(usize),
    Move(usize, usize),
}

fn level() -> impl Strategy<Value = Level> {
    prop_oneof![Just(Level::None), Just(Level::Ro), Just(Level::Rw)]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, 0..2usize, level()).prop_map(|(u, g, l)| Op::GrantUser(u, g, l)),
        (0..2usize, 0..2usize, level()).prop_map(|(c, g, l)| Op::GrantCustomer(c, g, l)),
        (0..2usize, level()).prop_map(|(g, l)| Op::GrantDefault(g, l)),
        (0..4usize, any::<bool>()).prop_map(|(u, v)| Op::SetValid(u, v)),
        (0..4usize, 0..2usize).prop_map(|(u, q)| Op::Create(u, q)),
        (0..4usize, 0..2usize).prop_map(|(u, q)| Op::AgentCreate(u, q)),
        (0..4usize, 0..16usize).prop_map(|(u, t)| Op::FollowUp(u, t)),
        (0..16usize).prop_map(Op::Close),
        (0..16usize, 0..2usize).prop_map(|(t, q)| Op::Move(t, q)),
    ]
}

#[derive(Default)]
struct Model {
    own: BTreeMap<(usize, usize), Level>,
    company: BTreeMap<(usize, usize), Level>,
    default: BTreeMap<usize, Level>,
    invalid: HashSet<usize>,
    company_off: bool,
    /// (number, owner user, customer, queue index, state name)
    tickets: Vec<(String, usize, &'static str, usize, &'static str)>,
}

impl Model {
    fn level(&self, user: usize, group: usize) -> Level {
        if self.invalid.contains(&user) {
            return Level::None;
        }
        let mut l = *self.own.get(&(user, group)).unwrap_or(&Level::None);
        l = l.max(*self.default.get(&group).unwrap_or(&Level::None));
        for (ci, c) in CUSTOMERS.iter().enumerate() {
            if USERS[user].1.contains(c) {
                l = l.max(*self.company.get(&(ci, group)).unwrap_or(&Level::None));
            }
        }
        l
    }

    fn theirs(&self, user: usize, t: usize) -> bool {
        let (_, owner, customer, _, _) = &self.tickets[t];
        *owner == user || (!self.company_off && USERS[user].1.contains(customer))
    }

    fn can_see(&self, user: usize, t: usize) -> bool {
        let group = group_of(self.tickets[t].3);
        self.theirs(user, t) && self.level(user, group) >= Level::Ro
    }

    fn can_write(&self, user: usize, t: usize) -> bool {
        let group = group_of(self.tickets[t].3);
        self.theirs(user, t) && self.level(user, group) == Level::Rw
    }
}

fn group_of(queue: usize) -> usize {
    GROUPS.iter().position(|g| *g == QUEUES[queue].1).unwrap()
}

fn perms(l: Level) -> PermissionSet {
    match l {
        Level::None => PermissionSet::EMPTY,
        Level::Ro => PermissionSet::of(&[Permission::Ro]),
        Level::Rw => PermissionSet::of(&[Permission::Rw]),
    }
}

async fn setup(company_tickets: bool) -> Engine {
    let cfg = EngineConfig { company_tickets, ..Default::default() };
    let e = Engine::builder(MemoryStore::new()).config(cfg).build().unwrap();
    e.seed_defaults("admin").await.unwrap();
    let a = e.admin(&Actor::System).await.unwrap();
    // The model starts from no grants at all.
    a.revoke(&GrantSubject::DefaultCustomerUsers, &GrantTarget::Group("users".into())).await.unwrap();
    a.put_group(Group::new("sales")).await.unwrap();
    a.put_queue(Queue::new("Sales", "sales", FollowUpPolicy::Possible)).await.unwrap();
    a.grant(Grant::group(GrantSubject::Agent("admin".into()), "sales", PermissionSet::of(&[Permission::Rw])))
        .await
        .unwrap();
    for c in CUSTOMERS {
        a.put_customer(Customer::new(c, c)).await.unwrap();
    }
    for (login, customers) in USERS {
        let mut u = CustomerUser::new(login, format!("{login}@example.com"), customers[0]);
        u.extra_customer_ids = customers[1..].iter().map(|c| c.to_string()).collect();
        a.put_customer_user(u).await.unwrap();
    }
    e
}

async fn run(ops: Vec<Op>, company_tickets: bool) -> std::result::Result<(), TestCaseError> {
    let e = setup(company_tickets).await;
    let mut m = Model { company_off: !company_tickets, ..Default::default() };
    let admin = Actor::agent("admin");
    for op in ops {
        let a = e.admin(&Actor::System).await.unwrap();
        match op {
            Op::GrantUser(u, g, l) => {
                a.grant(Grant::group(GrantSubject::CustomerUser(USERS[u].0.into()), GROUPS[g], perms(l)))
                    .await
                    .unwrap();
                m.own.insert((u, g), l);
            }
            Op::GrantCustomer(c, g, l) => {
                a.grant(Grant::group(GrantSubject::Customer(CUSTOMERS[c].into()), GROUPS[g], perms(l))).await.unwrap();
                m.company.insert((c, g), l);
            }
            Op::GrantDefault(g, l) => {
                a.grant(Grant::group(GrantSubject::DefaultCustomerUsers, GROUPS[g], perms(l))).await.unwrap();
                m.default.insert(g, l);
            }
            Op::SetValid(u, valid) => {
                let mut user = e.customer_user(USERS[u].0).await.unwrap().unwrap();
                user.valid = valid;
                a.put_customer_user(user).await.unwrap();
                if valid {
                    m.invalid.remove(&u)
                } else {
                    m.invalid.insert(u)
                };
            }
            Op::Create(u, q) => {
                let r = e.create_ticket(&Actor::customer(USERS[u].0), NewTicket::new("t", "b", QUEUES[q].0)).await;
                let allowed = m.level(u, group_of(q)) == Level::Rw;
                prop_assert_eq!(
                    r.is_ok(),
                    allowed,
                    "create by {} in {}: {:?}",
                    USERS[u].0,
                    QUEUES[q].0,
                    r.as_ref().err()
                );
                if let Ok(v) = r {
                    m.tickets.push((v.ticket.number, u, USERS[u].1[0], q, "new"));
                }
            }
            Op::AgentCreate(u, q) => {
                let mut nt = NewTicket::new("phone", "b", QUEUES[q].0);
                nt.customer_user = Some(USERS[u].0.into());
                let r = e.create_ticket(&admin, nt).await;
                if m.invalid.contains(&u) {
                    prop_assert!(r.is_err(), "phone ticket for an invalid user");
                } else {
                    let v = r.unwrap();
                    prop_assert_eq!(v.ticket.channel, ChannelKind::Phone);
                    m.tickets.push((v.ticket.number, u, USERS[u].1[0], q, "new"));
                }
            }
            Op::FollowUp(u, t) if t < m.tickets.len() => {
                let number = m.tickets[t].0.clone();
                let r = e.add_article(&Actor::customer(USERS[u].0), &number, NewArticle::reply("more")).await;
                match (&r, m.can_see(u, t), m.can_write(u, t)) {
                    (Ok(o), _, true) => {
                        // new stays new; open and closed (policy possible) become open.
                        let expected = if m.tickets[t].4 == "new" { "new" } else { "open" };
                        prop_assert_eq!(o.ticket.state.as_str(), expected);
                        m.tickets[t].4 = expected;
                    }
                    (Err(Error::NotFound(_)), false, _) => {}
                    (Err(Error::PermissionDenied(_)), true, false) => {}
                    (Err(Error::PermissionDenied(_)), _, _) if m.invalid.contains(&u) => {}
                    other => prop_assert!(
                        false,
                        "follow-up by {} on {}: engine {:?}, model sees={} writes={}",
                        USERS[u].0,
                        number,
                        other.0,
                        other.1,
                        other.2
                    ),
                }
            }
            Op::Close(t) if t < m.tickets.len() => {
                let number = m.tickets[t].0.clone();
                let r = e.update_ticket(&admin, &number, TicketUpdate::state("closed successful")).await;
                prop_assert!(r.is_ok(), "{:?}", r);
                m.tickets[t].4 = "closed successful";
            }
            Op::Move(t, q) if t < m.tickets.len() => {
                let number = m.tickets[t].0.clone();
                let up = TicketUpdate { queue: Some(QUEUES[q].0.into()), ..Default::default() };
                prop_assert!(e.update_ticket(&admin, &number, up).await.is_ok());
                m.tickets[t].3 = q;
            }
            _ => {}
        }
        // After every step: the agent's queue counts equal the model's tickets per queue and state.
        let o = e.queue_overview(&admin).await.unwrap();
        for (qi, (queue, _)) in QUEUES.iter().enumerate() {
            for (st, name) in
                [(StateType::New, "new"), (StateType::Open, "open"), (StateType::Closed, "closed successful")]
            {
                let expected = m.tickets.iter().filter(|t| t.3 == qi && t.4 == name).count() as u64;
                let counted = o.queue(queue).map_or(0, |c| c.of(&[st]));
                prop_assert_eq!(counted, expected, "{} tickets of {} counted", name, queue);
            }
        }
        // And every user's view of every ticket equals the model's.
        for (ti, (number, ..)) in m.tickets.iter().enumerate() {
            for (u, (login, _)) in USERS.iter().enumerate() {
                let seen = e.ticket(&Actor::customer(*login), number).await;
                prop_assert_eq!(seen.is_ok(), m.can_see(u, ti), "{} sees {}", login, number);
                if let Err(err) = seen {
                    prop_assert!(matches!(err, Error::NotFound(_) | Error::PermissionDenied(_)));
                }
            }
        }
    }
    // Listings agree with the model, numbers are unique, states legal.
    for (u, (login, _)) in USERS.iter().enumerate() {
        let page = e.list_tickets(&Actor::customer(*login), &TicketFilter::default(), None, 500).await;
        let listed: HashSet<String> = page.map(|p| p.items.into_iter().map(|t| t.number).collect()).unwrap_or_default();
        let expected: HashSet<String> =
            (0..m.tickets.len()).filter(|t| m.can_see(u, *t)).map(|t| m.tickets[t].0.clone()).collect();
        prop_assert_eq!(listed, expected, "list of {}", login);
    }
    let numbers: HashSet<&String> = m.tickets.iter().map(|t| &t.0).collect();
    prop_assert_eq!(numbers.len(), m.tickets.len(), "numbers unique");
    let states: Vec<StateDef> = StateDef::otrs_defaults();
    for (number, .., state) in &m.tickets {
        let t = e.ticket(&admin, number).await.unwrap().ticket;
        prop_assert!(e.numbers().is_valid(&t.number));
        let def = states.iter().find(|s| s.name == t.state);
        prop_assert!(def.is_some_and(|d| d.state_type == t.state_type), "legal state {}", t.state);
        prop_assert_eq!(t.state.as_str(), *state);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn engine_matches_the_permission_model(ops in proptest::collection::vec(op(), 1..40), company in any::<bool>()) {
        pollster::block_on(run(ops, company))?;
    }
}
