//! The table a run prints.

use crate::ops::Op;
use crate::rss::{Samples, mib};
use crate::stats::{Recorder, percentile_ms};

/// What the report says about the run besides the per-operation figures.
pub struct RunInfo {
    /// Measured seconds (after the warm-up).
    pub seconds: f64,
    /// One line describing the setup.
    pub setup: String,
    /// `/proc/loadavg` before and after.
    pub load: (String, String),
    /// The server's memory, when its pid was given.
    pub rss: Option<Samples>,
    /// The store file's size in bytes, before and after, when given.
    pub store_bytes: Option<(u64, u64)>,
}

/// Prints the table: per operation count, rate, share, p50/p99/max of the successful requests, errors.
pub fn print(mut rec: Recorder, info: &RunInfo) {
    println!("{}", info.setup);
    println!("load average before {}, after {}", info.load.0, info.load.1);
    println!();
    println!("| operation | ok | ops/s | share | p50 ms | p99 ms | max ms | errors | unsupported |");
    println!("|---|---:|---:|---:|---:|---:|---:|---|---:|");
    let total_ok: usize = rec.ops.values().map(|s| s.ok_us.len()).sum();
    let mut all: Vec<u32> = Vec::with_capacity(total_ok);
    let mut total_errors = 0u64;
    let mut unsupported = Vec::new();
    let total_unsupported: u64 = rec.ops.values().map(|s| s.unsupported).sum();
    for (op, s) in rec.ops.iter_mut() {
        s.ok_us.sort_unstable();
        all.extend_from_slice(&s.ok_us);
        let errors: u64 = s.failures.values().sum();
        total_errors += errors;
        if s.unsupported > 0 {
            unsupported.push(format!(
                "{}: {} answered 400 unsupported (no full-text search on this store)",
                op.key(),
                s.unsupported
            ));
        }
        let n = s.ok_us.len();
        println!(
            "| {} | {n} | {:.0} | {:.1}% | {:.2} | {:.2} | {:.2} | {} | {} |",
            op.label(),
            n as f64 / info.seconds,
            100.0 * n as f64 / total_ok.max(1) as f64,
            percentile_ms(&s.ok_us, 50.0),
            percentile_ms(&s.ok_us, 99.0),
            percentile_ms(&s.ok_us, 100.0),
            failures(&s.failures),
            s.unsupported,
        );
    }
    all.sort_unstable();
    println!(
        "| **total** | {} | {:.0} | 100% | {:.2} | {:.2} | {:.2} | {total_errors} | {total_unsupported} |",
        all.len(),
        all.len() as f64 / info.seconds,
        percentile_ms(&all, 50.0),
        percentile_ms(&all, 99.0),
        percentile_ms(&all, 100.0),
    );
    println!();
    let mail: usize = [Op::MailNew, Op::MailReply].iter().filter_map(|o| rec.ops.get(o)).map(|s| s.ok_us.len()).sum();
    println!("SMTP share of all operations: {:.1}%", 100.0 * mail as f64 / total_ok.max(1) as f64);
    for u in unsupported {
        println!("unsupported: {u}");
    }
    if let Some(r) = &info.rss {
        println!(
            "server RSS: start {}, peak {} (sampled every 250 ms), end {}; VmHWM (peak since the server started) {}",
            mib(r.start.now_kib),
            mib(r.peak_kib),
            mib(r.end.now_kib),
            mib(r.end.hwm_kib)
        );
    }
    if let Some((before, after)) = info.store_bytes {
        println!("store file: {:.1} MiB before, {:.1} MiB after", before as f64 / 1048576.0, after as f64 / 1048576.0);
    }
    for (op, s) in &rec.ops {
        for (key, example) in &s.examples {
            println!("failure {} {key} (first of {}): {example}", op.key(), s.failures.get(key).copied().unwrap_or(0));
        }
    }
}

fn failures(f: &std::collections::BTreeMap<String, u64>) -> String {
    if f.is_empty() {
        return "0".into();
    }
    f.iter().map(|(k, v)| format!("{k}×{v}")).collect::<Vec<_>>().join(", ")
}
