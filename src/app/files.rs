//! Opening, saving, importing and exporting: the app's file state (recent files, the recovery
//! journal, the import under way, the dialog open) and the helpers the file commands use.
//! File dialogs never block the frame: the system dialog runs on a worker thread, and every
//! dialog also has a typed-path field for machines without one (drawn by `ui::dialogs`).

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, channel};

use crate::command::AfterConfirm;
use crate::command::{Dialog, ImportProgress, PathPurpose};
use crate::io::clock::{self, Clock};
use crate::io::geojson_import::{
    ImportOptions, ImportedLayer, Progress, import_geojson_file, to_feature_collection,
};
use crate::io::recovery::{
    FileStamp, Standing, default_journal_dir, find_journals, keep_aside, remove_journal, standing,
    write_journal_based_on,
};
use crate::io::{IoError, export, load_project, paths, recent, save_project};
use crate::model::UiLanguage;
use crate::model::project::{SketchLayer, SketchSource};

use super::journal::JournalSchedule;

/// A GeoJSON file being read on a worker thread.
pub struct ImportJob {
    pub path: PathBuf,
    pub gcj02: bool,
    pub progress: Progress,
    pub total_bytes: u64,
    pub result: Receiver<Result<ImportedLayer, IoError>>,
}

#[derive(Default)]
pub struct FileState {
    pub dialog: Option<Dialog>,
    pub import: Option<ImportJob>,
    /// A read for the import dialog (File › Import data…) under way.
    pub data_job: Option<super::import::DataJob>,
    /// The import dialog's read of its file, for Import to take instead of reading it again.
    pub data_preview: Option<super::import::Preview>,
    pub recent: Vec<PathBuf>,
    recent_file: Option<PathBuf>,
    /// This session's recovery journal; `None` until desktop services are on.
    pub journal_file: Option<PathBuf>,
    pub journal_dir: Option<PathBuf>,
    /// When the journal is written next.
    pub journal: JournalSchedule,
    /// The clock the journal's interval is measured with (tests put a manual one here).
    pub clock: Clock,
    /// The system file dialog's answer, when one is open.
    browse: Option<(PathPurpose, Receiver<Option<PathBuf>>)>,
    /// Whether system dialogs may be opened (never in headless tests).
    pub desktop: bool,
    /// Set once the user chose to quit; the next close request is let through.
    pub allow_close: bool,
    /// The version of the project file the open work began from (at open or the last save),
    /// recorded in the journal so that a later save makes the journal stale.
    pub based_on: Option<FileStamp>,
    /// What to go on with once the Save As dialog asked for by "Save" in the unsaved-changes
    /// question has saved; dropped when that dialog closes without saving.
    pub after_save_as: Option<AfterConfirm>,
    /// Dialogs waiting for the one shown to close (an error at start before a recovery offer).
    pub queued: Vec<Dialog>,
    /// Why the project given at start could not be opened, for the command line to print too.
    pub start_error: Option<String>,
}

impl FileState {
    /// Turns on what a desktop session has and a test must not touch: the user's recent-files
    /// list, the recovery journal folder and system file dialogs.
    pub fn enable_desktop(&mut self) {
        self.desktop = true;
        self.recent_file = recent::default_recent_file();
        if let Some(f) = &self.recent_file {
            self.recent = recent::read_recent(f);
        }
        self.use_journal_dir(default_journal_dir());
    }

    /// Where this session keeps its journal (tests pass a temporary folder).
    pub fn use_journal_dir(&mut self, dir: Option<PathBuf>) {
        // Two sessions of one process started within the same second (a test that "crashes"
        // one app and starts another) must not share a journal: each would take the other's
        // for its own and never offer it.
        static SESSIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let session = SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.journal_file = dir.as_ref().map(|d| {
            let now = clock::now_rfc3339().replace(':', "-");
            d.join(format!(
                "session-{now}-{}-{session}.recovery",
                std::process::id()
            ))
        });
        self.journal_dir = dir;
    }

    pub fn remember(&mut self, opened: &Path) {
        if let Some(f) = &self.recent_file {
            recent::remember(f, &mut self.recent, opened);
        }
    }

    /// Journals left by earlier sessions that crashed or were killed: the newest that holds
    /// work its saved file does not have is offered. One that holds just what is saved is
    /// removed; one older than its saved file is kept aside (renamed), never offered.
    pub fn offer_recovery(&mut self) {
        let Some(dir) = &self.journal_dir else { return };
        let own = self.journal_file.clone();
        for found in find_journals(dir) {
            match found {
                Ok(j) if Some(&j.file) != own.as_ref() => match standing(&j) {
                    Standing::Unsaved => {
                        self.show(Dialog::Recovery(Box::new(j)));
                        return;
                    }
                    Standing::AlreadySaved => remove_journal(&j.file),
                    Standing::OlderThanSaved => match keep_aside(&j.file) {
                        Ok(kept) => log::warn!(
                            "recovery journal {} is older than the saved file; kept aside as {}",
                            j.file.display(),
                            kept.display()
                        ),
                        Err(e) => log::warn!("could not keep an old recovery journal aside: {e}"),
                    },
                },
                Ok(_) => {}
                Err(e) => log::warn!("unreadable recovery journal: {e}"),
            }
        }
    }

    /// Shows `dialog`, or queues it after the one that is open (an error is never replaced
    /// before it has been read).
    pub fn show(&mut self, dialog: Dialog) {
        if self.dialog.is_some() {
            self.queued.push(dialog);
        } else {
            self.dialog = Some(dialog);
        }
    }

    /// Once the dialog shown has closed: the next queued one, and the end of a pending
    /// "save, then go on" whose Save As dialog was closed without saving.
    pub fn after_dialogs(&mut self) {
        let save_as_open = matches!(
            &self.dialog,
            Some(Dialog::PathPrompt {
                purpose: PathPurpose::SaveAs,
                ..
            })
        );
        if !save_as_open {
            self.after_save_as = None;
        }
        if self.dialog.is_none() && !self.queued.is_empty() {
            self.dialog = Some(self.queued.remove(0));
        }
    }

    /// Writes the journal of the project at document `revision`. A failure is logged, and
    /// tried again an interval later.
    pub fn write_journal(
        &mut self,
        original: Option<&Path>,
        project: &crate::model::project::Project,
        revision: u64,
    ) {
        let Some(file) = &self.journal_file else {
            return;
        };
        let now = self.clock.now();
        let written = clock::now_rfc3339();
        match write_journal_based_on(file, original, self.based_on, &written, project) {
            Ok(()) => self.journal.wrote(revision, now),
            Err(e) => {
                log::error!("could not write the recovery journal: {e}");
                self.journal.failed(now);
            }
        }
    }

    pub fn clear_journal(&mut self) {
        if let Some(file) = &self.journal_file {
            remove_journal(file);
        }
        self.journal = JournalSchedule::default();
    }

    /// Starts reading a GeoJSON file on a worker thread.
    pub fn start_import(&mut self, path: PathBuf, gcj02: bool, lang: UiLanguage) {
        let progress = Progress::default();
        let total_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let (tx, rx) = channel();
        let (p, worker_progress) = (path.clone(), progress.clone());
        let spawned = std::thread::Builder::new()
            .name("geojson-import".into())
            .spawn(move || {
                let options = ImportOptions {
                    source_is_gcj02: gcj02,
                };
                let _ = tx.send(import_geojson_file(&p, options, &worker_progress));
            });
        match spawned {
            Ok(_) => {
                self.import = Some(ImportJob {
                    path,
                    gcj02,
                    progress,
                    total_bytes,
                    result: rx,
                })
            }
            Err(e) => self.error(
                "Import failed",
                match lang {
                    UiLanguage::Chinese => format!("无法开始读取 {}：{e}", path.display()),
                    UiLanguage::English => {
                        format!("could not start reading {}: {e}", path.display())
                    }
                },
            ),
        }
    }

    pub fn error(&mut self, title: &str, text: String) {
        self.dialog = Some(Dialog::Message {
            title: title.into(),
            text,
            error: true,
        });
    }

    pub fn info(&mut self, title: &str, text: String) {
        self.dialog = Some(Dialog::Message {
            title: title.into(),
            text,
            error: false,
        });
    }

    /// Opens the system file dialog on a worker thread.
    pub fn browse(&mut self, purpose: PathPurpose) {
        if !self.desktop {
            return;
        }
        let (tx, rx) = channel();
        let (label, exts) = purpose.extensions();
        let saving = purpose.saving();
        let spawned = std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                // The portal backend may be used from any thread; the dialog blocks this one only.
                let dialog = rfd::FileDialog::new().add_filter(label, exts);
                let picked = if saving {
                    dialog.save_file()
                } else {
                    dialog.pick_file()
                };
                let _ = tx.send(picked);
            });
        if spawned.is_ok() {
            self.browse = Some((purpose, rx));
        }
    }

    /// The import under way, as its progress window shows it.
    pub fn import_progress(&self) -> Option<ImportProgress> {
        if let Some(job) = &self.data_job {
            return Some(job.progress());
        }
        let job = self.import.as_ref()?;
        let read = job.progress.bytes_read.load(Ordering::Relaxed);
        let fraction = if job.total_bytes > 0 {
            read as f32 / job.total_bytes as f32
        } else {
            0.0
        };
        Some(ImportProgress {
            path: job.path.clone(),
            fraction,
        })
    }

    /// Takes the system dialog's answer, if it has come, into the typed-path field.
    pub fn poll_browse(&mut self) {
        let Some((purpose, rx)) = &self.browse else {
            return;
        };
        if let Ok(answer) = rx.try_recv() {
            if let (
                Some(path),
                Some(Dialog::PathPrompt {
                    purpose: open,
                    text,
                    ..
                }),
            ) = (answer, self.dialog.as_mut())
                && open == purpose
            {
                *text = path.to_string_lossy().into_owned();
            }
            self.browse = None;
        }
    }
}

/// Reads a project.
pub fn open_project(path: &Path) -> Result<crate::model::project::Project, IoError> {
    load_project(path)
}

/// Saves a project to `path`; for Save As into another folder, references are rebased so
/// that they still point at the same files.
pub fn save_as(
    project: &mut crate::model::project::Project,
    old_dir: &Path,
    path: &Path,
) -> Result<(), IoError> {
    let new_dir = path.parent().unwrap_or(Path::new("."));
    let mut moved = project.clone();
    for layer in moved.sketch_layers.values_mut() {
        if let SketchSource::Referenced(stored) = &mut layer.source {
            *stored = paths::rebase(stored, old_dir, new_dir);
        }
    }
    moved.meta.modified = clock::now_rfc3339();
    save_project(path, &moved)?;
    *project = moved;
    Ok(())
}

/// A sketch layer for an imported file, with an id not yet used in the project: referenced by
/// path when the project has a folder and the features are unchanged, embedded otherwise
/// (converted features, or a project not saved yet).
pub fn new_sketch(
    project: &crate::model::project::Project,
    project_path: Option<&Path>,
    file: &Path,
    layer: &ImportedLayer,
    converted: bool,
) -> (String, SketchLayer) {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sketch".into());
    let mut id = stem.clone();
    let mut n = 2;
    while project.sketch_layers.contains_key(&id) {
        id = format!("{stem}-{n}");
        n += 1;
    }
    let source = match project_path.and_then(Path::parent) {
        Some(dir) if !converted => SketchSource::Referenced(paths::to_stored(
            dir,
            &std::path::absolute(file).unwrap_or_else(|_| file.to_owned()),
        )),
        _ => SketchSource::Embedded(to_feature_collection(&layer.features).to_string()),
    };
    (
        id,
        SketchLayer {
            name: stem,
            source,
            visible: true,
            opacity: 1.0,
            choices: Default::default(),
            label_field: None,
        },
    )
}

pub fn export_geojson(doc: &crate::doc::document::Document, path: &Path) -> Result<usize, IoError> {
    let sketches: Vec<(String, Vec<_>)> = doc
        .sketches
        .iter()
        .filter_map(|(name, s)| match s {
            crate::doc::document::SketchState::Loaded(f) => Some((name.clone(), f.clone())),
            crate::doc::document::SketchState::Missing(_) => None,
        })
        .collect();
    export::write_geojson(path, &doc.project, &sketches)?;
    Ok(doc.project.placements.len() + sketches.iter().map(|(_, f)| f.len()).sum::<usize>())
}
