//! The operations of the mix and their weights.

use crate::rng::Rng;
use std::str::FromStr;

/// One kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Op {
    /// A customer user opens a ticket (`POST /api/v1/tickets`, session token).
    Open,
    /// A customer user follows up on one of their tickets (`POST .../articles`).
    FollowUp,
    /// A customer user lists their own (and their company's) tickets.
    Mine,
    /// An agent lists a queue (`GET /api/v1/tickets?queue=..&limit=25`).
    Queue,
    /// An agent opens a ticket (`GET /api/v1/tickets/{number}`).
    Get,
    /// An agent replies (`POST .../articles`).
    Reply,
    /// Full-text search (`GET /api/v1/tickets?q=word`); 400 `unsupported` on stores without search.
    Search,
    /// A new mail over SMTP.
    MailNew,
    /// A mail reply with `[Ticket#N]` in its subject over SMTP.
    MailReply,
}

/// The HTTP operations, in the order of the default mix.
pub const HTTP_OPS: [Op; 7] = [Op::Open, Op::FollowUp, Op::Mine, Op::Queue, Op::Get, Op::Reply, Op::Search];

/// The default HTTP mix (SMTP runs beside it on its own connections).
pub const DEFAULT_MIX: &str = "open=15,followup=10,mine=10,queue=25,get=20,reply=10,search=5";

impl Op {
    /// The key in `--mix`.
    pub fn key(self) -> &'static str {
        match self {
            Op::Open => "open",
            Op::FollowUp => "followup",
            Op::Mine => "mine",
            Op::Queue => "queue",
            Op::Get => "get",
            Op::Reply => "reply",
            Op::Search => "search",
            Op::MailNew => "smtp-new",
            Op::MailReply => "smtp-reply",
        }
    }

    /// What the report calls it.
    pub fn label(self) -> &'static str {
        match self {
            Op::Open => "customer opens ticket (POST /tickets)",
            Op::FollowUp => "customer follow-up (POST /tickets/N/articles)",
            Op::Mine => "customer lists own tickets (GET /tickets)",
            Op::Queue => "agent lists queue (GET /tickets?queue)",
            Op::Get => "agent opens ticket (GET /tickets/N)",
            Op::Reply => "agent replies (POST /tickets/N/articles)",
            Op::Search => "search (GET /tickets?q)",
            Op::MailNew => "SMTP new mail",
            Op::MailReply => "SMTP reply [Ticket#N]",
        }
    }
}

/// Weights of the HTTP operations.
#[derive(Debug, Clone)]
pub struct Mix {
    weights: Vec<(Op, u32)>,
    total: u32,
}

impl Mix {
    /// One operation drawn by weight.
    pub fn pick(&self, rng: &mut Rng) -> Op {
        let mut r = u32::try_from(rng.below(self.total as usize)).unwrap_or(0);
        for (op, w) in &self.weights {
            if r < *w {
                return *op;
            }
            r -= w;
        }
        Op::Get
    }
}

impl FromStr for Mix {
    type Err = String;

    /// `open=15,get=20,...`: operations left out get weight 0.
    fn from_str(s: &str) -> Result<Mix, String> {
        let mut weights: Vec<(Op, u32)> = HTTP_OPS.iter().map(|op| (*op, 0)).collect();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').ok_or_else(|| format!("{part:?} is not KEY=WEIGHT"))?;
            let w: u32 = v.trim().parse().map_err(|_| format!("{v:?} is not a whole number"))?;
            let slot = weights.iter_mut().find(|(op, _)| op.key() == k.trim()).ok_or_else(|| {
                let keys: Vec<&str> = HTTP_OPS.iter().map(|o| o.key()).collect();
                format!("{k:?} is not one of {}", keys.join(", "))
            })?;
            slot.1 = w;
        }
        let total = weights.iter().map(|(_, w)| *w).sum::<u32>();
        if total == 0 {
            return Err("the mix has no weight at all".into());
        }
        Ok(Mix { weights, total })
    }
}

#[cfg(test)]
mod tests {
    use super::{DEFAULT_MIX, Mix, Op};
    use crate::rng::Rng;

    #[test]
    fn picks_follow_the_weights() {
        let mix: Mix = DEFAULT_MIX.parse().unwrap();
        let mut rng = Rng::new(9);
        let n = 100_000;
        let queue = (0..n).filter(|_| mix.pick(&mut rng) == Op::Queue).count();
        // 25 of 95: about 26%.
        assert!((24_000..29_000).contains(&queue), "{queue}");
    }

    #[test]
    fn only_named_operations_run() {
        let mix: Mix = "get=1".parse().unwrap();
        let mut rng = Rng::new(1);
        assert!((0..1000).all(|_| mix.pick(&mut rng) == Op::Get));
        assert!("nope=1".parse::<Mix>().is_err());
        assert!("get=0".parse::<Mix>().is_err());
        assert!("get".parse::<Mix>().is_err());
    }
}
