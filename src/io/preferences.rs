//! The user's preferences, kept beside the recent-files list in the config folder: the
//! interface language, whether the quick start was dismissed for good, and the folder images
//! were last exported to.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic::atomic_write;
use super::error::IoError;
use crate::model::UiLanguage;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub ui_language: UiLanguage,
    /// The user closed the first-run quick start with "don't show again".
    pub quick_start_dismissed: bool,
    /// The folder File › Export image… last wrote to, suggested again when the project's own
    /// folder is not the place (the built-in project, a read-only one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_export_dir: Option<PathBuf>,
    /// The user's own 天地图 Tianditu key: kept here, never in a project file that is shared.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub tianditu_key: String,
    /// Online tiles come from the cache only: the network is never used.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tiles_offline: bool,
}

/// `preferences.ron` in the folder of the recent-files list.
pub fn default_preferences_file() -> Option<PathBuf> {
    super::recent::default_recent_file().map(|f| f.with_file_name("preferences.ron"))
}

/// The preferences saved in `file`. A missing or unreadable file gives the defaults: it only
/// remembers convenience, never work.
pub fn read_preferences(file: &Path) -> Preferences {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|t| ron::from_str(&t).ok())
        .unwrap_or_default()
}

/// Saves the preferences, creating the config folder when needed.
pub fn write_preferences(file: &Path, preferences: &Preferences) -> Result<(), IoError> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| IoError::Write {
            path: dir.to_owned(),
            source: e,
        })?;
    }
    let text = ron::ser::to_string_pretty(preferences, ron::ser::PrettyConfig::default()).map_err(
        |e| IoError::Invalid {
            path: file.to_owned(),
            message: e.to_string(),
        },
    )?;
    atomic_write(file, text.as_bytes(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferences_round_trip_and_a_missing_file_gives_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub/preferences.ron");
        assert_eq!(read_preferences(&file), Preferences::default());
        let prefs = Preferences {
            ui_language: UiLanguage::English,
            quick_start_dismissed: true,
            last_export_dir: Some(dir.path().join("slides")),
            tianditu_key: "k".into(),
            tiles_offline: true,
        };
        write_preferences(&file, &prefs).unwrap();
        assert_eq!(read_preferences(&file), prefs);
        // A file from before the export folder was remembered still reads.
        std::fs::write(&file, "(quick_start_dismissed: true)").unwrap();
        assert!(read_preferences(&file).quick_start_dismissed);
    }
}
