//! Per-operation results of one worker, merged at the end.

use crate::ops::Op;
use std::collections::BTreeMap;
use std::time::Instant;

/// How one request ended.
pub enum Outcome {
    /// The expected status.
    Ok,
    /// The server does not offer it (search on a redb store without its word index answers 400
    /// `unsupported`): counted apart, not an error.
    Unsupported,
    /// Anything else, by a short key (an HTTP status, an SMTP code, `io`, ...) with a detail (the start
    /// of the answer) of which the first one per key is kept for the report.
    Failed(String, String),
}

/// Results of one operation.
#[derive(Default)]
pub struct OpStats {
    /// Latencies of successful requests, in microseconds.
    pub ok_us: Vec<u32>,
    /// Failures by cause.
    pub failures: BTreeMap<String, u64>,
    /// Unsupported answers.
    pub unsupported: u64,
    /// The first detail of each failure key.
    pub examples: BTreeMap<String, String>,
}

/// A worker's results; requests started before `measure_from` (the warm-up) are not kept.
pub struct Recorder {
    /// By operation.
    pub ops: BTreeMap<Op, OpStats>,
    measure_from: Instant,
}

impl Recorder {
    /// An empty recorder.
    pub fn new(measure_from: Instant) -> Recorder {
        Recorder { ops: BTreeMap::new(), measure_from }
    }

    /// Records a request that started at `started` and just ended.
    pub fn record(&mut self, op: Op, started: Instant, outcome: Outcome) {
        if started < self.measure_from {
            return;
        }
        let s = self.ops.entry(op).or_default();
        match outcome {
            Outcome::Ok => s.ok_us.push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX)),
            Outcome::Unsupported => s.unsupported += 1,
            Outcome::Failed(key, detail) => {
                *s.failures.entry(key.clone()).or_default() += 1;
                s.examples.entry(key).or_insert(detail);
            }
        }
    }

    /// Adds another worker's results.
    pub fn merge(&mut self, other: Recorder) {
        for (op, o) in other.ops {
            let s = self.ops.entry(op).or_default();
            s.ok_us.extend(o.ok_us);
            s.unsupported += o.unsupported;
            for (k, v) in o.failures {
                *s.failures.entry(k).or_default() += v;
            }
            for (k, v) in o.examples {
                s.examples.entry(k).or_insert(v);
            }
        }
    }
}

/// The `p`-th percentile of sorted microseconds, in milliseconds.
pub fn percentile_ms(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    f64::from(sorted[rank.min(sorted.len() - 1)]) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::{Outcome, Recorder, percentile_ms};
    use crate::ops::Op;
    use std::time::{Duration, Instant};

    #[test]
    fn warm_up_is_dropped_and_merge_adds_up() {
        let start = Instant::now();
        let mut a = Recorder::new(start + Duration::from_secs(3600));
        a.record(Op::Get, start, Outcome::Ok);
        assert!(a.ops.is_empty());
        let mut b = Recorder::new(start);
        b.record(Op::Get, start, Outcome::Ok);
        b.record(Op::Get, start, Outcome::Failed("500".into(), "boom".into()));
        b.record(Op::Search, start, Outcome::Unsupported);
        a.merge(b);
        assert_eq!(a.ops[&Op::Get].ok_us.len(), 1);
        assert_eq!(a.ops[&Op::Get].failures["500"], 1);
        assert_eq!(a.ops[&Op::Get].examples["500"], "boom");
        assert_eq!(a.ops[&Op::Search].unsupported, 1);
    }

    #[test]
    fn percentiles_pick_by_rank() {
        let v: Vec<u32> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(percentile_ms(&v, 50.0), 51.0);
        assert_eq!(percentile_ms(&v, 99.0), 99.0);
        assert_eq!(percentile_ms(&v, 100.0), 100.0);
        assert_eq!(percentile_ms(&[], 50.0), 0.0);
    }
}
