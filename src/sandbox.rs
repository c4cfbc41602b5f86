//! Running the learner's own `kubectl` on input that may come from a stranger (a deck's drill
//! answer, a kustomization directory), inside one boundary shared by every caller: an empty
//! environment, `KUBECONFIG=/dev/null`, its `kuberc` off, a fresh empty `HOME` (also the working
//! directory) that is removed afterwards, no standard input, a time limit, and a cap on what is
//! read of its output. The caller chooses the arguments; it adds the unreachable server address
//! ([`NO_SERVER`]) itself where the command takes one. docs/security.md lists the boundary and
//! the tests that attack it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Where kubectl would connect if it tried: the loopback, port 0, where nothing can listen.
pub const NO_SERVER: &str = "--server=http://127.0.0.1:0";

/// Finds `kubectl` on PATH; `KUBEDRILL_KUBECTL=off` says there is none.
pub fn find_kubectl() -> Option<PathBuf> {
    if std::env::var_os("KUBEDRILL_KUBECTL").is_some_and(|value| value == "off") {
        return None;
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("kubectl"))
        .find(|candidate| candidate.is_file())
}

/// How long a run may take and how much of its output is read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub time: Duration,
    /// Bytes of standard output read; past this the run counts as cut off.
    pub stdout_bytes: u64,
    /// Bytes of standard error kept (for the message shown when kubectl refuses).
    pub stderr_bytes: u64,
}

/// What a finished run gave.
#[derive(Debug)]
pub struct Ran {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    /// The output went past [`Limits::stdout_bytes`]; `stdout` holds only the beginning.
    pub stdout_cut: bool,
    pub stderr: Vec<u8>,
}

/// Why a run gave nothing.
#[derive(Debug)]
pub enum Failure {
    /// kubectl could not be started (or its temporary HOME made).
    Start(std::io::Error),
    /// It was still running at the time limit and was killed.
    TimedOut,
}

/// Runs `program` with `arguments` inside the boundary described in the module docs.
pub fn run(program: &Path, arguments: &[String], limits: Limits) -> Result<Ran, Failure> {
    let home = tempfile::Builder::new()
        .prefix("kubedrill-kubectl-")
        .tempdir()
        .map_err(Failure::Start)?;
    let mut child = Command::new(program)
        .args(arguments)
        .env_clear()
        .env("KUBECONFIG", "/dev/null")
        .env("KUBERC", "off")
        .env("HOME", home.path())
        .current_dir(home.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(Failure::Start)?;
    // Read on threads so a full pipe cannot stall kubectl while the clock runs here; one byte
    // past the cap tells a cut-off output from one that fits exactly.
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let stdout_cap = limits.stdout_bytes;
    let stderr_cap = limits.stderr_bytes;
    let out_reader = std::thread::spawn(move || drain(&mut stdout, stdout_cap + 1));
    let err_reader = std::thread::spawn(move || drain(&mut stderr, stderr_cap));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < limits.time => {
                std::thread::sleep(Duration::from_millis(5));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Failure::TimedOut);
            }
        }
    };
    let mut stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let stdout_cut = stdout.len() as u64 > limits.stdout_bytes;
    stdout.truncate(limits.stdout_bytes as usize);
    Ok(Ran {
        status,
        stdout,
        stdout_cut,
        stderr,
    })
}

/// Reads up to `cap` bytes, then keeps reading (and dropping) so the writer never blocks on a
/// full pipe; a child that has exited closes it.
fn drain(pipe: &mut impl Read, cap: u64) -> Vec<u8> {
    let mut kept = Vec::new();
    let _ = pipe.take(cap).read_to_end(&mut kept);
    let _ = std::io::copy(pipe, &mut std::io::sink());
    kept
}
