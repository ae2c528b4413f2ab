//! Every way out of the app asks the same question: File › Quit, Ctrl+Q, the window's close
//! button and the system asking the window to close (a logout, or `SIGTERM`, which the binary
//! turns into a close request). With unsaved work the close is cancelled and the user is asked
//! Save / Don't save / Cancel; only once they have answered does the window close. A clean way
//! out (nothing unsaved, saved, or not saved on purpose) removes the recovery journal, so the
//! next start does not say that OneMap did not close normally.

use egui::{Key, KeyboardShortcut, Modifiers, ViewportCommand};

use crate::command::{AfterConfirm, AppCommand, Dialog};

use super::OneMapApp;

/// The shortcut of File › Quit.
pub const QUIT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);

impl OneMapApp {
    /// What must run every frame, whether the window is shown or not (eframe calls its `logic`
    /// for a minimized window, and no `ui`): Ctrl+Q and the window's close requests. [`Self::ui`]
    /// calls it too; running it twice in a frame does nothing more.
    pub fn logic(&mut self, ctx: &egui::Context) {
        if ctx.input_mut(|i| i.consume_shortcut(&QUIT_SHORTCUT)) {
            self.run_commands(vec![AppCommand::Quit]);
        }
        if ctx.input(|i| i.viewport().close_requested()) {
            self.close_requested(ctx);
        }
        // Presenter mode draws no dialogs: leave it so that the question can be seen.
        if self.presenting.is_some() && matches!(self.files.dialog, Some(Dialog::ConfirmUnsaved(_)))
        {
            self.end_presenting();
        }
    }

    /// The window is asked to close. With unsaved work (and the user not yet asked), the close
    /// is cancelled and the question shown; otherwise the window closes and the journal goes.
    fn close_requested(&mut self, ctx: &egui::Context) {
        if self.files.allow_close || !self.doc.is_dirty() {
            self.files.clear_journal();
            self.files.allow_close = true;
            return;
        }
        ctx.send_viewport_cmd(ViewportCommand::CancelClose);
        // While the question waits the work is in the journal, in case the system does not
        // wait (a shutdown follows its close request with a kill).
        let now = self.files.clock.now();
        if self.files.journal.wait(self.doc.revision, now).is_some() {
            self.files.write_journal(
                self.doc.path.as_deref(),
                &self.doc.project,
                self.doc.revision,
            );
        }
        self.files.dialog = Some(Dialog::ConfirmUnsaved(AfterConfirm::Quit));
        ctx.request_repaint();
    }

    /// Whether the user has chosen to quit and nothing unsaved stands in the way: the window
    /// is being closed.
    pub fn is_quitting(&self) -> bool {
        self.quit_requested
    }
}
