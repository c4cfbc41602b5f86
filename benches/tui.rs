//! The interface as a learner meets it, in a pseudo-terminal (issue 23's targets): time from
//! starting `kubedrill` to its first frame with the built-in deck, a 10k-card and a 100k-card
//! deck, with and without the deck cache; peak memory and memory per card; search from key
//! press to finished frame; and CPU while idle on several screens.
//! Run: `cargo bench --bench tui [built-in|10k|search|100k|idle]`; figures are recorded in
//! docs/performance.md.

#[path = "generate.rs"]
mod generate;

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Run {
    /// Until the first frame: Home, drawn from the decks' outlines when every deck is cached.
    first_frame: Duration,
    /// Until Home shows what is due (the decks read and the progress computed): the same frame
    /// as the first when a deck had to be read before it.
    filled: Duration,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    pid: u32,
    writer: Box<dyn Write + Send>,
    /// When each chunk of output arrived.
    arrivals: Arc<Mutex<Vec<Instant>>>,
    screen: Arc<Mutex<vt100::Parser>>,
}

/// What Home's first line says once the counts are in.
const FILLED: [&str; 2] = ["to study now", "Nothing due now"];

/// Starts kubedrill in a 100×30 pty and waits until its first frame shows `marker`, then until
/// Home shows what is due.
fn start(args: &[&str], data: &Path, marker: &str) -> Run {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_kubedrill"));
    command.args(args);
    command.arg("--data-dir");
    command.arg(data);
    command.env("TERM", "xterm-256color");
    let started = Instant::now();
    let child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let pid = child.process_id().unwrap();
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let screen = Arc::new(Mutex::new(vt100::Parser::new(
        NonZeroU16::new(30).unwrap(),
        NonZeroU16::new(100).unwrap(),
        0,
    )));
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let (shared, times) = (screen.clone(), arrivals.clone());
    std::thread::spawn(move || {
        let mut buffer = [0u8; 65536];
        while let Ok(read) = reader.read(&mut buffer) {
            if read == 0 {
                break;
            }
            times.lock().unwrap().push(Instant::now());
            shared.lock().unwrap().process(&buffer[..read]);
        }
    });
    std::mem::forget(pair.master);
    // Polls the screen until `shown` holds, failing with `never` after `limit`.
    let wait = |shown: &dyn Fn(&str) -> bool, limit: u64, never: &str| {
        while !shown(&screen.lock().unwrap().screen().contents()) {
            assert!(started.elapsed() < Duration::from_secs(limit), "{never}");
            std::thread::sleep(Duration::from_micros(200));
        }
        started.elapsed()
    };
    let first_frame = wait(&|contents| contents.contains(marker), 20, "no first frame");
    let filled = wait(
        &|contents| FILLED.iter().any(|filled| contents.contains(filled)),
        60,
        "Home never showed what is due",
    );
    Run {
        first_frame,
        filled,
        child,
        pid,
        writer,
        arrivals,
        screen,
    }
}

fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

impl Run {
    /// Writes `key` and returns the time from the write to the last byte of the frame it
    /// causes: output is read until it has been quiet for 50 ms (far longer than any frame
    /// takes to write), and the last chunk's arrival is the end of the frame. `None` when the
    /// key drew nothing.
    fn key_to_frame(&mut self, key: &[u8]) -> Option<Duration> {
        let seen = self.arrivals.lock().unwrap().len();
        let written = Instant::now();
        self.writer.write_all(key).unwrap();
        self.writer.flush().unwrap();
        let quiet = Duration::from_millis(50);
        loop {
            std::thread::sleep(Duration::from_millis(5));
            let arrivals = self.arrivals.lock().unwrap();
            let last = arrivals[seen..].last().copied();
            match last {
                Some(last) if last.elapsed() >= quiet => return Some(last - written),
                None if written.elapsed() >= Duration::from_millis(500) => return None,
                _ => {}
            }
        }
    }

    fn stop(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// User + system CPU time of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Starts kubedrill `runs` times and prints the median and p90 time to the first frame and to
/// Home filled in, and the peak RSS a second later (the search index built). `cold`:
/// the deck cache is removed before each start, so every deck is read and checked from its
/// files; otherwise the cache is warm (one start before the runs fills it). Returns the highest
/// peak RSS.
fn measure(label: &str, args: &[&str], data: &Path, runs: usize, cold: bool) -> u64 {
    let cache = data.join("cache");
    if !cold {
        start(args, data, "Continue").stop();
    }
    let (mut frames, mut filled) = (Vec::new(), Vec::new());
    let mut peak = 0;
    for _ in 0..runs {
        if cold {
            let _ = std::fs::remove_dir_all(&cache);
        }
        let run = start(args, data, "Continue");
        frames.push(run.first_frame);
        filled.push(run.filled);
        // The search index is built right after Home fills in: the peak is read once it is.
        std::thread::sleep(Duration::from_secs(1));
        peak = peak.max(peak_rss_kib(run.pid));
        run.stop();
    }
    frames.sort();
    filled.sort();
    println!(
        "{label} ({}): first frame median {:.1} ms, p90 {:.1} ms; Home filled in median {:.1} ms, p90 {:.1} ms ({runs} runs); peak RSS {:.1} MiB",
        if cold {
            "cold: no deck cache"
        } else {
            "warm cache"
        },
        millis(frames[runs / 2]),
        millis(frames[runs * 9 / 10]),
        millis(filled[runs / 2]),
        millis(filled[runs * 9 / 10]),
        peak as f64 / 1024.0
    );
    peak
}

/// Search as a learner types it: `/`, then each query one key at a time, each key's time to
/// its finished frame; the query is erased key by key between queries (those keys are timed
/// too: narrowing back is typing as well).
fn search_keys(label: &str, args: &[&str], data: &Path) {
    let mut run = start(args, data, "Continue");
    // Wait for the index (built in the background) and open search.
    std::thread::sleep(Duration::from_millis(300));
    run.key_to_frame(b"/");
    let mut times = Vec::new();
    for _ in 0..3 {
        for query in generate::SEARCH_QUERIES {
            for c in query.chars() {
                times.extend(run.key_to_frame(c.to_string().as_bytes()));
            }
            for _ in query.chars() {
                times.extend(run.key_to_frame(b"\x7f"));
            }
        }
    }
    let screen = run.screen.lock().unwrap().screen().contents();
    assert!(screen.contains("┌ Search"), "search is open:\n{screen}");
    drop(screen);
    run.stop();
    times.sort();
    let at = |fraction: f64| generate::percentile_ms(&times, fraction);
    println!(
        "search, key press to finished frame, {label}: median {:.2} ms, p95 {:.2} ms, slowest {:.2} ms ({} keys)",
        at(0.5),
        at(0.95),
        at(1.0),
        times.len()
    );
}

/// CPU over 10 s with no input, after `keys` (each given time to draw).
fn idle(label: &str, data: &Path, keys: &[&[u8]]) {
    let mut run = start(&[], data, "Continue");
    // The search index is built right after the first frame: not idle time.
    std::thread::sleep(Duration::from_secs(1));
    for key in keys {
        run.key_to_frame(key);
    }
    let ticks_per_second = 100.0; // Linux USER_HZ
    let before = cpu_ticks(run.pid);
    std::thread::sleep(Duration::from_secs(10));
    let after = cpu_ticks(run.pid);
    println!(
        "idle for 10 s, {label}: {:.2} % CPU ({} ticks)",
        (after - before) as f64 / ticks_per_second / 10.0 * 100.0,
        after - before
    );
    run.stop();
}

fn main() {
    let only = std::env::args().skip(1).find(|arg| !arg.starts_with('-'));
    let wanted = |name: &str| only.as_deref().is_none_or(|only| name.contains(only));
    let data = tempfile::tempdir().unwrap();
    // One start creates the database, so the runs below measure a learner's usual start.
    start(&[], data.path(), "Continue").stop();
    let mut built_in_peak = 0;
    if wanted("built-in") {
        measure("built-in deck", &[], data.path(), 30, true);
        built_in_peak = measure("built-in deck", &[], data.path(), 30, false);
    }

    let deck = tempfile::tempdir().unwrap();
    generate::write_varied_deck(deck.path(), 10_000);
    let deck_args = ["--deck", deck.path().to_str().unwrap()];
    if wanted("10k") {
        measure(
            "built-in + 10k-card deck",
            &deck_args,
            data.path(),
            15,
            true,
        );
        measure(
            "built-in + 10k-card deck",
            &deck_args,
            data.path(),
            15,
            false,
        );
    }
    if wanted("search") {
        search_keys("built-in + 10k-card deck", &deck_args, data.path());
    }
    if wanted("100k") {
        let big = tempfile::tempdir().unwrap();
        generate::write_varied_deck(big.path(), 100_000);
        let big_args = ["--deck", big.path().to_str().unwrap()];
        let peak = measure(
            "built-in + 100k-card deck",
            &big_args,
            data.path(),
            5,
            false,
        );
        if built_in_peak > 0 {
            println!(
                "memory per card at 100k cards: {:.2} KiB ((peak RSS − built-in deck's) ÷ 100,000)",
                (peak - built_in_peak) as f64 / 100_000.0
            );
        }
        search_keys("built-in + 100k-card deck", &big_args, data.path());
    }
    if wanted("idle") {
        idle("Home", data.path(), &[]);
        idle(
            "search open with a query",
            data.path(),
            &[b"/", b"p", b"o", b"d"],
        );
        idle("a lesson", data.path(), &[b"\r"]);
    }
}
