//! When the recovery journal is written. Work not yet in the journal is written right after a
//! change that adds or removes something, and otherwise within [`JOURNAL_INTERVAL`] of it.
//! egui draws frames only on input, so a window left alone would never reach that moment: the
//! app asks egui for a frame when the journal is due (`request_repaint_after`), and nothing
//! when the journal already holds the project as it is.

use std::time::Duration;

use super::OneMapApp;

/// Unsaved work reaches the journal at most this long after it was done.
pub const JOURNAL_INTERVAL: Duration = Duration::from_secs(30);

/// What the journal holds and when it was last written, on the app's [`crate::io::clock::Clock`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JournalSchedule {
    /// When the journal was last written, or a write last failed.
    last_attempt: Option<Duration>,
    /// The document revision the journal holds.
    holds: Option<u64>,
}

impl JournalSchedule {
    /// How long after `now` the journal should be written for document `revision`: zero for
    /// now, `None` when it already holds that revision.
    pub fn wait(&self, revision: u64, now: Duration) -> Option<Duration> {
        if self.holds == Some(revision) {
            return None;
        }
        Some(match self.last_attempt {
            None => Duration::ZERO,
            Some(last) => (last + JOURNAL_INTERVAL).saturating_sub(now),
        })
    }

    /// The journal now holds `revision`.
    pub fn wrote(&mut self, revision: u64, now: Duration) {
        self.last_attempt = Some(now);
        self.holds = Some(revision);
    }

    /// Whether this session's journal has been written since it was last removed.
    pub fn is_written(&self) -> bool {
        self.holds.is_some()
    }

    /// Writing failed: it is tried again an interval later, not every frame.
    pub fn failed(&mut self, now: Duration) {
        self.last_attempt = Some(now);
    }
}

impl OneMapApp {
    /// Writes the journal when it is due, or asks egui for a frame at the moment it will be.
    /// Removes it when the project is back to what is saved (an undo to the saved state): a
    /// journal is only ever work the saved file does not have. Nothing is written once the
    /// user has chosen to quit (saved or not), so that a clean quit leaves no journal.
    /// Called at the end of every frame.
    pub(super) fn keep_journal(&mut self, ctx: &egui::Context) {
        if self.files.journal_file.is_none() || self.files.allow_close {
            return;
        }
        if !self.doc.is_dirty() {
            if self.files.journal.is_written() {
                self.files.clear_journal();
            }
            return;
        }
        let now = self.files.clock.now();
        match self.files.journal.wait(self.doc.revision, now) {
            Some(wait) if wait.is_zero() => self.files.write_journal(
                self.doc.path.as_deref(),
                &self.doc.project,
                self.doc.revision,
            ),
            Some(wait) => ctx.request_repaint_after(wait),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn the_first_unsaved_work_is_written_at_once() {
        assert_eq!(
            JournalSchedule::default().wait(7, secs(100)),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn later_work_waits_for_the_rest_of_the_interval() {
        let mut schedule = JournalSchedule::default();
        schedule.wrote(7, secs(100));
        assert_eq!(schedule.wait(8, secs(110)), Some(secs(20)));
        assert_eq!(schedule.wait(8, secs(129)), Some(secs(1)));
        assert_eq!(schedule.wait(8, secs(130)), Some(Duration::ZERO));
        assert_eq!(schedule.wait(8, secs(500)), Some(Duration::ZERO));
    }

    #[test]
    fn a_journal_that_holds_the_project_is_not_written_again() {
        let mut schedule = JournalSchedule::default();
        schedule.wrote(7, secs(100));
        assert_eq!(schedule.wait(7, secs(100)), None);
        assert_eq!(schedule.wait(7, secs(1000)), None);
    }

    #[test]
    fn a_failed_write_is_retried_an_interval_later() {
        let mut schedule = JournalSchedule::default();
        schedule.failed(secs(100));
        assert_eq!(schedule.wait(7, secs(100)), Some(secs(30)));
        assert_eq!(schedule.wait(7, secs(130)), Some(Duration::ZERO));
    }
}
