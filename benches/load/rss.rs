//! The server's memory, from `/proc/<pid>/status`, and the machine's load average.

use std::time::Duration;
use tokio::sync::watch;

/// Resident memory of a process in KiB: current (`VmRSS`) and its high-water mark (`VmHWM`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Rss {
    /// Now.
    pub now_kib: u64,
    /// The most since the process started.
    pub hwm_kib: u64,
}

/// Reads `pid`'s memory; `None` when the process is gone or `/proc` is not Linux's.
pub fn read(pid: u32) -> Option<Rss> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    Some(Rss { now_kib: field(&status, "VmRSS:")?, hwm_kib: field(&status, "VmHWM:").unwrap_or(0) })
}

fn field(status: &str, name: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    line[name.len()..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// The first three fields of `/proc/loadavg`.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Sampled memory over a run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Samples {
    /// At the start.
    pub start: Rss,
    /// The largest `VmRSS` seen.
    pub peak_kib: u64,
    /// At the end.
    pub end: Rss,
}

/// Samples `pid` every 250 ms until `stop` turns true.
pub async fn sample(pid: u32, mut stop: watch::Receiver<bool>) -> Samples {
    let start = read(pid).unwrap_or_default();
    let mut peak = start.now_kib;
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Some(r) = read(pid) {
                    peak = peak.max(r.now_kib);
                }
            }
            _ = stop.wait_for(|s| *s) => break,
        }
    }
    let end = read(pid).unwrap_or_default();
    Samples { start, peak_kib: peak.max(end.now_kib), end }
}

/// KiB as MiB with one decimal.
pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::{field, read};

    #[test]
    fn reads_the_status_fields() {
        let s = "Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n";
        assert_eq!(field(s, "VmRSS:"), Some(1024));
        assert_eq!(field(s, "VmHWM:"), Some(2048));
        assert_eq!(field(s, "VmSwap:"), None);
    }

    #[test]
    fn reads_its_own_process() {
        let me = read(std::process::id()).unwrap();
        assert!(me.now_kib > 0);
    }
}
