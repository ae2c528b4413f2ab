//! The user's preferences (the interface language, the quick start dismissed for good) and the
//! help: the keyboard-shortcut sheet, the first-run quick start and where the README is.
//! Preferences are read and written here, by the app; the panels only ask through commands.

use std::path::{Path, PathBuf};

use crate::command::AppCommand;
use crate::io::preferences::{Preferences, read_preferences, write_preferences};

use super::OneMapApp;
use super::handle::wrong_family;

#[derive(Default)]
pub struct HelpState {
    pub prefs: Preferences,
    /// Where the preferences are saved; `None` in tests that do not ask for it.
    prefs_file: Option<PathBuf>,
}

impl HelpState {
    /// Reads the preferences from `file` (a missing file gives the defaults) and saves them there
    /// from now on.
    pub fn use_preferences_file(&mut self, file: Option<PathBuf>) {
        self.prefs = file.as_deref().map(read_preferences).unwrap_or_default();
        self.prefs_file = file;
    }

    pub fn preferences_file(&self) -> Option<&Path> {
        self.prefs_file.as_deref()
    }
}

impl OneMapApp {
    pub(super) fn run_help_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::SetUiLanguage(language) => {
                self.help.prefs.ui_language = language;
                self.save_preferences();
            }
            other => wrong_family("help", &other),
        }
    }

    /// Saves the preferences; a failure is said, and the choice still holds for this session.
    fn save_preferences(&mut self) {
        let Some(file) = self.help.prefs_file.clone() else {
            return;
        };
        if let Err(e) = write_preferences(&file, &self.help.prefs) {
            self.files.error("Preferences not saved", e.to_string());
        }
    }
}
