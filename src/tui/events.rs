//! The interface's one event source: what the terminal sends (read on a thread of its own) and
//! what the file watchers see (a previewed deck folder, an answer file under `w`) arrive on one
//! channel, and the event loop blocks on it (rustlings' watch mode does the same). Timed jobs
//! (a debounced file change, the exam's clock, a message's timeout) are not events: the loop
//! blocks only until the first of them is due ([`wait`]), and not at all while none is pending,
//! so an idle interface never wakes.
//!
//! `$EDITOR` reads the same terminal, so the reading thread steps aside while it runs
//! ([`Events::pause`]).

use std::io;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use ratatui::crossterm::event::{self, Event};

/// Something that happened.
#[derive(Debug)]
pub(crate) enum Input {
    /// A key, paste, mouse or resize event.
    Terminal(Event),
    /// The terminal could not be read (most often a hang-up): the loop ends with this error.
    Failed(io::Error),
    /// A file of the previewed deck folder changed.
    DeckChanged,
    /// The answer file at this path (watched with `w`) changed.
    AnswerChanged(PathBuf),
}

/// Whether the terminal's reading thread may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Reading, or about to.
    On,
    /// Asked to stop after the event it is waiting for.
    Stopping,
    /// Stopped, waiting to be let go on.
    Stopped,
    /// Ended (the terminal failed, or the loop is gone).
    Ended,
}

type Gate = Arc<(Mutex<Reading>, Condvar)>;

/// The channel the event loop blocks on, and the thread that reads the terminal into it.
#[derive(Debug)]
pub(crate) struct Events {
    sender: Sender<Input>,
    receiver: Receiver<Input>,
    /// The terminal's reading thread, once started.
    reading: Option<Gate>,
}

impl Events {
    pub(crate) fn new() -> Events {
        let (sender, receiver) = std::sync::mpsc::channel();
        Events {
            sender,
            receiver,
            reading: None,
        }
    }

    /// Starts reading the terminal on a thread of its own. The thread never keeps the process
    /// alive (nothing waits for it), and an error reading is sent on, not swallowed: it ends the
    /// loop as a read on the loop's own thread would have.
    pub(crate) fn read_terminal(&mut self) {
        let gate: Gate = Arc::new((Mutex::new(Reading::On), Condvar::new()));
        let sender = self.sender.clone();
        let shared = Arc::clone(&gate);
        std::thread::spawn(move || {
            let (state, changed) = &*shared;
            loop {
                {
                    let mut reading = state.lock().unwrap_or_else(|e| e.into_inner());
                    while matches!(*reading, Reading::Stopping | Reading::Stopped) {
                        *reading = Reading::Stopped;
                        changed.notify_all();
                        reading = changed.wait(reading).unwrap_or_else(|e| e.into_inner());
                    }
                }
                let input = match event::read() {
                    Ok(event) => Input::Terminal(event),
                    Err(error) => Input::Failed(error),
                };
                let failed = matches!(input, Input::Failed(_));
                if sender.send(input).is_err() || failed {
                    *state.lock().unwrap_or_else(|e| e.into_inner()) = Reading::Ended;
                    changed.notify_all();
                    return;
                }
            }
        });
        self.reading = Some(gate);
    }

    /// Stops the terminal's reading thread, so that another program (`$EDITOR`) gets every key.
    /// The thread is blocked reading: a SIGWINCH (which crossterm's reader also waits on) wakes
    /// it, it sends on the resize it reads (a redraw after), and it stops until [`Self::resume`].
    pub(crate) fn pause(&self) {
        let Some(gate) = &self.reading else {
            return;
        };
        let (state, changed) = &**gate;
        let mut reading = state.lock().unwrap_or_else(|e| e.into_inner());
        if *reading != Reading::On {
            return;
        }
        *reading = Reading::Stopping;
        drop(reading);
        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGWINCH);
        let reading = state.lock().unwrap_or_else(|e| e.into_inner());
        // Never long; bounded all the same, so a reader that did not wake cannot hang the app.
        let _ = changed.wait_timeout_while(reading, Duration::from_millis(500), |reading| {
            *reading == Reading::Stopping
        });
    }

    /// Lets the terminal's reading thread read again after [`Self::pause`].
    pub(crate) fn resume(&self) {
        if let Some(gate) = &self.reading {
            let (state, changed) = &**gate;
            let mut reading = state.lock().unwrap_or_else(|e| e.into_inner());
            if matches!(*reading, Reading::Stopping | Reading::Stopped) {
                *reading = Reading::On;
                changed.notify_all();
            }
        }
    }

    /// Sends `input()` on the channel for each signal of a file watcher's channel, from a thread
    /// that ends when the watcher is dropped (its channel closes) or the loop is gone.
    pub(crate) fn forward(
        &self,
        changes: Receiver<()>,
        input: impl Fn() -> Input + Send + 'static,
    ) {
        let sender = self.sender.clone();
        std::thread::spawn(move || {
            while changes.recv().is_ok() {
                if sender.send(input()).is_err() {
                    return;
                }
            }
        });
    }

    /// The next input, waiting no longer than `wait` (`None`: as long as it takes). `None` when
    /// the wait ran out.
    pub(crate) fn next(&self, wait: Option<Duration>) -> Option<Input> {
        match wait {
            // The loop holds a sender itself, so the channel never closes under it.
            None => self.receiver.recv().ok(),
            Some(wait) => self.receiver.recv_timeout(wait).ok(),
        }
    }
}

impl Drop for Events {
    /// The loop is over: the reading thread stops reading (the terminal is the shell's again).
    fn drop(&mut self) {
        self.pause();
    }
}

/// How long the event loop may block: until the first timed job is due. `deadline` is the app's
/// own (a debounced check, the exam's next second, a message's end, see `App::next_deadline`);
/// `settling` are the file changes waiting to be quiet (`watch::Debounce::wait`). `None` when
/// nothing is pending: block until the next event, no wake-ups at all; zero when something is
/// due now.
pub(crate) fn wait(
    now: Timestamp,
    deadline: Option<Timestamp>,
    settling: impl IntoIterator<Item = Option<Duration>>,
) -> Option<Duration> {
    let until_deadline = deadline
        .map(|deadline| Duration::try_from(deadline.duration_since(now)).unwrap_or(Duration::ZERO));
    settling.into_iter().chain([until_deadline]).flatten().min()
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use jiff::SignedDuration;

    use super::*;
    use crate::watch::{Debounce, SETTLE};

    #[test]
    fn idle_blocks_and_a_pending_job_wakes_the_loop_exactly_when_it_is_due() {
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let later = |millis: i64| now + SignedDuration::from_millis(millis);
        // Nothing timed, no file change settling: block until the next event.
        assert_eq!(wait(now, None, []), None);
        assert_eq!(wait(now, None, [None, None]), None);
        // A message ends in 4 s; the exam's clock shows the next second in 250 ms.
        assert_eq!(
            wait(now, Some(later(4_000)), [None]),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            wait(now, Some(later(250)), []),
            Some(Duration::from_millis(250))
        );
        // Overdue is due now, not negative.
        assert_eq!(wait(now, Some(later(-30)), []), Some(Duration::ZERO));
        // A saved file settles before the message ends: the earlier wins.
        let start = Instant::now();
        let mut deck = Debounce::default();
        assert_eq!(wait(now, None, [deck.wait(start)]), None, "not changed");
        deck.changed(start);
        assert_eq!(wait(now, None, [deck.wait(start)]), Some(SETTLE));
        let at = start + Duration::from_millis(100);
        assert_eq!(
            wait(now, Some(later(4_000)), [deck.wait(at), None]),
            Some(SETTLE - Duration::from_millis(100))
        );
        assert_eq!(
            wait(now, Some(later(20)), [deck.wait(at)]),
            Some(Duration::from_millis(20))
        );
        assert!(deck.take_due(start + SETTLE));
        assert_eq!(wait(now, None, [deck.wait(start + SETTLE)]), None);
    }

    #[test]
    fn a_forwarded_file_change_wakes_a_blocked_loop_and_nothing_else_does() {
        let events = Events::new();
        assert!(
            events.next(Some(Duration::from_millis(50))).is_none(),
            "nothing happened"
        );
        let (watcher, changes) = std::sync::mpsc::channel();
        events.forward(changes, || Input::DeckChanged);
        watcher.send(()).unwrap();
        assert!(matches!(events.next(None), Some(Input::DeckChanged)));
        // The watcher is gone: its forwarding thread ends, and no input comes of it.
        drop(watcher);
        assert!(events.next(Some(Duration::from_millis(50))).is_none());
    }
}
