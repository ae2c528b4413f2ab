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
    pub show_shortcuts: bool,
    /// The quick start, shown on a first run until dismissed.
    pub show_quick_start: bool,
    pub show_readme: bool,
}

impl HelpState {
    /// Reads the preferences from `file` (a missing file gives the defaults) and saves them there
    /// from now on.
    pub fn use_preferences_file(&mut self, file: Option<PathBuf>) {
        self.prefs = file.as_deref().map(read_preferences).unwrap_or_default();
        // Only a session that keeps preferences has a first run to greet.
        self.show_quick_start = file.is_some() && !self.prefs.quick_start_dismissed;
        self.prefs_file = file;
    }

    pub fn preferences_file(&self) -> Option<&Path> {
        self.prefs_file.as_deref()
    }
}

impl OneMapApp {
    /// The interface language, for the words the app writes into its messages.
    pub(super) fn lang(&self) -> crate::model::UiLanguage {
        self.help.prefs.ui_language
    }

    pub(super) fn run_help_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::SetUiLanguage(language) => {
                self.help.prefs.ui_language = language;
                self.save_preferences();
            }
            AppCommand::ShowShortcuts(show) => self.help.show_shortcuts = show,
            AppCommand::ShowQuickStart(show) => self.help.show_quick_start = show,
            AppCommand::DismissQuickStart => {
                self.help.show_quick_start = false;
                self.help.prefs.quick_start_dismissed = true;
                self.save_preferences();
            }
            AppCommand::ShowReadme(show) => self.help.show_readme = show,
            other => wrong_family("help", &other),
        }
    }

    /// The help windows that are open, and F1.
    pub(super) fn help_ui(&self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        crate::ui::help::help_keys(ctx, self.help.show_shortcuts, commands);
        if self.help.show_shortcuts {
            crate::ui::help::shortcuts_window(ctx, commands);
        }
        if self.help.show_quick_start {
            crate::ui::help::quick_start_window(ctx, commands);
        }
        if self.help.show_readme {
            let readme = self.data.dir.root.join("README.md");
            crate::ui::help::readme_window(ctx, &readme, commands);
        }
    }

    /// Saves the preferences; a failure is said, and the choice still holds for this session.
    pub(super) fn save_preferences(&mut self) {
        let Some(file) = self.help.prefs_file.clone() else {
            return;
        };
        if let Err(e) = write_preferences(&file, &self.help.prefs) {
            self.files
                .error("Preferences not saved", e.in_language(self.lang()));
        }
    }
}
