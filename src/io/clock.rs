//! The current time as RFC 3339 UTC text, for metadata, comments and journals; and a
//! monotonic [`Clock`] for intervals, which tests can step by hand.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix time in seconds.
pub fn rfc3339(unix_seconds: u64) -> String {
    let days = (unix_seconds / 86_400) as i64;
    let secs = unix_seconds % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm), valid for the Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

pub fn now_rfc3339() -> String {
    rfc3339(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
    )
}

/// Monotonic time for intervals, such as how often the recovery journal is written: the
/// system's, or a manual clock that stands still until moved, so that a 30 s interval can be
/// tested without waiting 30 s. Clones share the time.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// A manual clock's time, in nanoseconds since it was made; `None` for the system clock.
    manual: Option<Arc<AtomicU64>>,
}

impl Clock {
    /// The system's monotonic clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock at zero that moves only with [`Self::advance`].
    pub fn manual() -> Self {
        Self {
            manual: Some(Arc::default()),
        }
    }

    /// The time since a fixed origin (the first reading of the system clock in this process,
    /// or the making of a manual clock). Only differences mean anything.
    pub fn now(&self) -> Duration {
        match &self.manual {
            Some(nanos) => Duration::from_nanos(nanos.load(Ordering::Relaxed)),
            None => {
                static ORIGIN: OnceLock<Instant> = OnceLock::new();
                ORIGIN.get_or_init(Instant::now).elapsed()
            }
        }
    }

    /// Moves a manual clock, and its clones, forward. The system clock cannot be moved, so it
    /// is left alone.
    pub fn advance(&self, by: Duration) {
        if let Some(nanos) = &self.manual {
            let by = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
            nanos.fetch_add(by, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Clock;

    #[test]
    fn a_manual_clock_and_its_clones_move_only_when_told() {
        let clock = Clock::manual();
        let clone = clock.clone();
        assert_eq!(clock.now(), Duration::ZERO);
        clone.advance(Duration::from_secs(30));
        assert_eq!(clock.now(), Duration::from_secs(30));
        assert_eq!(clone.now(), Duration::from_secs(30));
    }

    #[test]
    fn the_system_clock_never_goes_back() {
        let clock = Clock::system();
        let before = clock.now();
        clock.advance(Duration::from_secs(3600));
        let after = clock.now();
        assert!(after >= before);
        assert!(
            after - before < Duration::from_secs(3600),
            "advance moved the system clock"
        );
    }

    #[test]
    fn unix_times_format_as_utc_dates() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_795_867_200), "2026-11-28T12:00:00Z");
        assert_eq!(super::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
