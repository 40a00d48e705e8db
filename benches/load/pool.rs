//! The customer users of the load and the tickets each of them owns, shared by all workers.

use crate::rng::Rng;
use std::sync::Mutex;

/// The portal password of every load customer user.
pub const PASSWORD: &str = "load-test-password";

/// One customer user.
pub struct User {
    /// Login.
    pub login: String,
    /// Email address (the `From` of their mail).
    pub email: String,
    /// Session token (`POST /api/v1/sessions`), empty until logged in.
    pub session: String,
    /// Their tickets, oldest first.
    tickets: Mutex<Vec<String>>,
}

impl User {
    /// A user without tickets or session.
    pub fn new(login: String, email: String) -> User {
        User { login, email, session: String::new(), tickets: Mutex::new(Vec::new()) }
    }

    /// Records a ticket of theirs.
    pub fn add_ticket(&self, number: String) {
        self.tickets.lock().unwrap_or_else(|e| e.into_inner()).push(number);
    }

    /// One of their tickets, uniformly: the whole store is touched, the harder case for a cache.
    pub fn random_ticket(&self, rng: &mut Rng) -> Option<String> {
        let t = self.tickets.lock().unwrap_or_else(|e| e.into_inner());
        t.get(rng.below(t.len())).cloned()
    }

    /// How many tickets they have.
    pub fn ticket_count(&self) -> usize {
        self.tickets.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// All users.
pub struct Pool {
    /// In creation order.
    pub users: Vec<User>,
}

impl Pool {
    /// A random user.
    pub fn user(&self, rng: &mut Rng) -> Option<&User> {
        self.users.get(rng.below(self.users.len()))
    }

    /// A random user with at least one ticket, and one of those tickets.
    pub fn user_ticket(&self, rng: &mut Rng) -> Option<(&User, String)> {
        // Users without tickets are rare (only before a preload), so a few tries are enough.
        (0..8).find_map(|_| {
            let u = self.user(rng)?;
            u.random_ticket(rng).map(|t| (u, t))
        })
    }

    /// Every ticket known.
    pub fn ticket_count(&self) -> usize {
        self.users.iter().map(User::ticket_count).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::{Pool, User};
    use crate::rng::Rng;

    #[test]
    fn tickets_are_drawn_from_users_who_have_them() {
        let pool = Pool { users: vec![User::new("a".into(), "a@x".into()), User::new("b".into(), "b@x".into())] };
        let mut rng = Rng::new(3);
        assert!(pool.user_ticket(&mut rng).is_none());
        pool.users[1].add_ticket("42".into());
        let (u, t) = pool.user_ticket(&mut rng).unwrap();
        assert_eq!((u.login.as_str(), t.as_str()), ("b", "42"));
        assert_eq!(pool.ticket_count(), 1);
    }
}
