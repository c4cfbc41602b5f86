//! The interface as a learner meets it, in a pseudo-terminal: time from starting `kubedrill` to
//! its first frame (issue targets: ≤ 30 ms with the built-in deck, ≤ 100 ms with a 10k-item
//! deck), peak memory (≤ 30 MiB built-in, ≤ 60 MiB at 10k), and CPU while idle (≤ 0.5 %).
//! Run: `cargo bench --bench tui`; figures are recorded in docs/performance.md.

#[path = "generate.rs"]
mod generate;

use std::io::Read;
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Run {
    first_frame: Duration,
    peak_rss_kib: u64,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    pid: u32,
}

/// Starts kubedrill in a 100×30 pty and waits until its first frame shows `marker`.
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
    let screen = Arc::new(Mutex::new(vt100::Parser::new(
        NonZeroU16::new(30).unwrap(),
        NonZeroU16::new(100).unwrap(),
        0,
    )));
    let shared = screen.clone();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 65536];
        while let Ok(read) = reader.read(&mut buffer) {
            if read == 0 {
                break;
            }
            shared.lock().unwrap().process(&buffer[..read]);
        }
    });
    std::mem::forget(pair.master);
    loop {
        if screen.lock().unwrap().screen().contents().contains(marker) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no first frame"
        );
        std::thread::sleep(Duration::from_micros(200));
    }
    let first_frame = started.elapsed();
    let peak_rss_kib = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0);
    Run {
        first_frame,
        peak_rss_kib,
        child,
        pid,
    }
}

/// User + system CPU time of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn measure(label: &str, args: &[&str], data: &Path, runs: usize) {
    let mut frames = Vec::new();
    let mut peak = 0;
    for _ in 0..runs {
        let mut run = start(args, data, "Continue");
        frames.push(run.first_frame);
        peak = peak.max(run.peak_rss_kib);
        run.child.kill().unwrap();
        run.child.wait().unwrap();
    }
    frames.sort();
    println!(
        "{label}: first frame median {:.1} ms, p90 {:.1} ms ({runs} runs); peak RSS {:.1} MiB",
        frames[runs / 2].as_secs_f64() * 1000.0,
        frames[runs * 9 / 10].as_secs_f64() * 1000.0,
        peak as f64 / 1024.0
    );
}

fn main() {
    let data = tempfile::tempdir().unwrap();
    // One start creates the database, so the runs below measure a learner's usual start.
    let mut warm = start(&[], data.path(), "Continue");
    warm.child.kill().unwrap();
    warm.child.wait().unwrap();
    measure("built-in deck", &[], data.path(), 30);

    let deck = tempfile::tempdir().unwrap();
    generate::write_deck(deck.path(), 10_000);
    measure(
        "built-in + 10k-item deck",
        &["--deck", deck.path().to_str().unwrap()],
        data.path(),
        15,
    );

    // Idle: start, wait for the first frame, then no input for 10 seconds.
    let mut idle = start(&[], data.path(), "Continue");
    let ticks_per_second = 100.0; // Linux USER_HZ
    let before = cpu_ticks(idle.pid);
    std::thread::sleep(Duration::from_secs(10));
    let after = cpu_ticks(idle.pid);
    println!(
        "idle for 10 s: {:.2} % CPU ({} ticks)",
        (after - before) as f64 / ticks_per_second / 10.0 * 100.0,
        after - before
    );
    idle.child.kill().unwrap();
    idle.child.wait().unwrap();
}
