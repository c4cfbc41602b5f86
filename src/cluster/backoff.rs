//! The kubelet's restart back-off: how long a container that keeps exiting waits before its
//! next start, which `kubectl get pods` shows as `CrashLoopBackOff`.
//!
//! The kubelet restarts a container at once after its first crash, waits 10 seconds after the
//! second, and doubles the wait after each crash that follows, up to 5 minutes. A container
//! that then runs for 10 minutes without a crash starts afresh (the Kubernetes documentation,
//! "Container restarts": an immediate restart after the initial crash, then "10s, 20s, 40s, …
//! capped at 300 seconds … reset after a container has executed for 10 minutes"; the kubelet
//! keeps no back-off for a container until it has restarted it once). An image that cannot be
//! pulled is retried after 10 seconds from the first failure on ([`delay`]).

use jiff::SignedDuration;

/// The first wait.
pub const INITIAL: SignedDuration = SignedDuration::from_secs(10);
/// The longest wait.
pub const MAXIMUM: SignedDuration = SignedDuration::from_mins(5);
/// A container that runs this long without exiting has its back-off reset.
pub const RESET_AFTER: SignedDuration = SignedDuration::from_mins(10);

/// The wait before the next start after `crashes` crashes in a row (the first crash is 1).
pub fn delay(crashes: u32) -> SignedDuration {
    if crashes == 0 {
        return SignedDuration::ZERO;
    }
    let doublings = (crashes - 1).min(16);
    let seconds = INITIAL.as_secs().saturating_mul(1 << doublings);
    SignedDuration::from_secs(seconds).min(MAXIMUM)
}

/// The wait before a crashed container starts again after `crashes` crashes in a row: none
/// after the first, then [`delay`] of the crashes before this one.
pub fn restart_delay(crashes: u32) -> SignedDuration {
    delay(crashes.saturating_sub(1))
}

/// How many crashes in a row count towards the next wait, once a container that had crashed
/// `crashes` times in a row ran for `ran` before this exit.
pub fn crashes_after_running(crashes: u32, ran: SignedDuration) -> u32 {
    if ran >= RESET_AFTER { 1 } else { crashes + 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_starts_at_ten_seconds_and_doubles_to_five_minutes() {
        let waits: Vec<i64> = (1..=8).map(|crashes| delay(crashes).as_secs()).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(delay(0), SignedDuration::ZERO);
        assert_eq!(delay(u32::MAX), MAXIMUM);
    }

    #[test]
    fn the_first_crash_restarts_at_once_and_the_second_waits_ten_seconds() {
        let waits: Vec<i64> = (1..=8)
            .map(|crashes| restart_delay(crashes).as_secs())
            .collect();
        assert_eq!(waits, [0, 10, 20, 40, 80, 160, 300, 300]);
    }

    #[test]
    fn ten_minutes_of_running_start_the_back_off_again() {
        assert_eq!(crashes_after_running(5, SignedDuration::from_secs(30)), 6);
        assert_eq!(crashes_after_running(5, SignedDuration::from_mins(10)), 1);
        assert_eq!(
            restart_delay(crashes_after_running(5, SignedDuration::from_mins(11))),
            SignedDuration::ZERO
        );
    }
}
