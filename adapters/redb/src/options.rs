//! Opening options.

use std::time::Duration;

/// The default of [`RedbOptions::min_free_space`]: 64 MiB.
pub const DEFAULT_MIN_FREE_SPACE: u64 = 64 << 20;

/// In non-durable mode, the longest the writer lets commits stay non-durable.
pub(crate) const DEFAULT_FLUSH_INTERVAL: Duration = Duration::from_millis(200);

/// How to open a [`RedbStore`](crate::RedbStore). The defaults are durable and safe.
///
/// ```no_run
/// # fn main() -> Result<(), chamado_redb::Error> {
/// let store = chamado_redb::RedbOptions::new().max_batch(256).open("desk.redb")?;
/// # drop(store); Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct RedbOptions {
    pub(crate) durable: bool,
    pub(crate) quick_repair: bool,
    pub(crate) max_batch: usize,
    pub(crate) cache_size: Option<usize>,
    pub(crate) flush_interval: Duration,
    pub(crate) inline_reads: bool,
    pub(crate) reader_threads: usize,
    pub(crate) min_free_space: u64,
    /// `None`: as the file has it.
    pub(crate) full_text_search: Option<bool>,
}

impl Default for RedbOptions {
    fn default() -> Self {
        RedbOptions {
            durable: true,
            quick_repair: false,
            max_batch: 512,
            cache_size: None,
            flush_interval: DEFAULT_FLUSH_INTERVAL,
            inline_reads: false,
            reader_threads: default_reader_threads(),
            min_free_space: DEFAULT_MIN_FREE_SPACE,
            full_text_search: None,
        }
    }
}

impl RedbOptions {
    /// The defaults: durable commits, full repair after a crash, batches of up to 512 operations.
    pub fn new() -> Self {
        Self::default()
    }

    /// `true`: keep a word index of ticket titles and article bodies, so
    /// [`chamado::Store::search_tickets`] answers (without it, it answers `Unsupported`); `false`: keep
    /// none. Unset (the default): as the file has it, so a tool that opens the file for something else
    /// neither builds nor drops the index; a new file starts without. Indexing costs writer time (each
    /// commit records its tickets' words; the writer folds them into the index in bulk), about two
    /// thirds of the commit rate under a saturating load of new 1 KB tickets (BENCHMARKS.md); searches
    /// are exact either way.
    ///
    /// Turning it on for an existing file builds the index when the file is opened (one transaction
    /// over every ticket: 3.5 minutes for 1M tickets here); turning it off drops the index, which a
    /// later open with it on builds again.
    pub fn full_text_search(mut self, enabled: bool) -> Self {
        self.full_text_search = Some(enabled);
        self
    }

    /// `true` (the default): every write returns only after its batch is durable (fsync).
    ///
    /// `false`: writes return once their batch is committed in memory; the writer makes them durable
    /// at least every [`RedbOptions::flush_interval`] while busy, after that long idle, on
    /// [`RedbStore::sync`](crate::RedbStore::sync) and on close. A crash loses the writes of that window, counter
    /// allocations included, so values handed out in it can be handed out again: use it for bulk
    /// loads, not for serving.
    pub fn durable(mut self, durable: bool) -> Self {
        self.durable = durable;
        self
    }

    /// In non-durable mode, how long the writer waits when idle before an fsync.
    pub fn flush_interval(mut self, interval: Duration) -> Self {
        self.flush_interval = interval;
        self
    }

    /// redb's quick repair: each commit also saves the allocator state (and commits in two phases),
    /// so reopening after a crash needs no full repair. Off by default (measure the commit cost).
    pub fn quick_repair(mut self, enabled: bool) -> Self {
        self.quick_repair = enabled;
        self
    }

    /// The most operations grouped into one write transaction (at least 1).
    pub fn max_batch(mut self, max: usize) -> Self {
        self.max_batch = max.max(1);
        self
    }

    /// `false` (the default): reads run on the store's reader threads, so a read
    /// that misses redb's cache and waits for the disk never stalls an executor thread. `true`: reads
    /// run on the calling thread, which roughly doubles point-lookup throughput when the data is
    /// cached (no hand-off between threads) but blocks the executor on a disk read. Outside tokio,
    /// reads always run on the calling thread.
    pub fn inline_reads(mut self, inline: bool) -> Self {
        self.inline_reads = inline;
        self
    }

    /// Free space, in bytes, that writes leave on the filesystem holding the file (default 64 MiB,
    /// room for the largest mail the helpdesk takes; 0 turns the check off). Below it, writes fail with
    /// [`chamado::StoreError::Unavailable`] ([`crate::Error::DiskFull`]) before they touch the file,
    /// reads go on, and writes work again once space returns. Without it a write that meets a full
    /// disk leaves redb refusing everything until the store is reopened.
    pub fn min_free_space(mut self, bytes: u64) -> Self {
        self.min_free_space = bytes;
        self
    }

    /// Threads that run reads for async callers (default: one per CPU, at least 2; at least 1). Reads queue for them; a
    /// reader that finishes one takes the next without sleeping, so under load reads pass without a
    /// thread wake-up each. More threads let more reads wait for the disk at once. Unused with
    /// [`RedbOptions::inline_reads`].
    pub fn reader_threads(mut self, threads: usize) -> Self {
        self.reader_threads = threads.max(1);
        self
    }

    /// redb's page cache size in bytes (redb's default: 1 GiB).
    pub fn cache_size(mut self, bytes: usize) -> Self {
        self.cache_size = Some(bytes);
        self
    }
}

/// One reader per CPU, and at least two so that one read waiting for the disk does not hold up all.
fn default_reader_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).max(2)
}
