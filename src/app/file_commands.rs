//! The commands that touch files: opening, saving, importing, exporting and recovering a
//! journal, and asking about unsaved changes first.

use std::path::Path;

use crate::command::{AfterConfirm, AppCommand, Dialog, PathPurpose};
use crate::doc::document::{self, Document};
use crate::edit::Edit;
use crate::io::IoError;
use crate::model::UiLanguage;

use super::handle::wrong_family;
use super::{OneMapApp, files};

impl OneMapApp {
    /// Opening, saving, importing, exporting, and recovering a journal: the commands that touch files.
    pub(super) fn run_file_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::ExportSketchLayer { layer, path } => self.export_sketch_layer(&layer, &path),
            AppCommand::ApplyBaseline(path) => self.apply_baseline(&path),
            AppCommand::AskPath(PathPurpose::Import) | AppCommand::Import { .. }
                if self.review_mode =>
            {
                self.refuse_import_in_review()
            }
            AppCommand::AskPath(purpose) => {
                let text = match &purpose {
                    PathPurpose::SaveAs => self
                        .doc
                        .path
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                self.files.dialog = Some(Dialog::PathPrompt {
                    purpose,
                    text,
                    focus: true,
                });
            }
            AppCommand::Browse(purpose) => self.files.browse(purpose),
            AppCommand::New => self.unless_dirty(AfterConfirm::New),
            AppCommand::Open(path) => self.unless_dirty(AfterConfirm::Open(path)),
            AppCommand::Save | AppCommand::SaveAs(_) if self.review_mode => self.files.info(
                "Review mode",
                self.help.prefs.ui_language.pick("审阅的文件不会被写入。评论随添加随保存，存于其旁的 .review.onemap 文件中。", "The reviewed file is never written. Comments are saved as you add them, in the .review.onemap file beside it.").into(),
            ),
            AppCommand::Save => match self.doc.path.clone() {
                Some(path) => self.save_to(&path),
                None => self.run_command(AppCommand::AskPath(PathPurpose::SaveAs)),
            },
            AppCommand::SaveAs(path) => self.save_as_then_go_on(&path),
            AppCommand::SaveThen(then) => self.save_then(then),
            AppCommand::DiscardThen(then) => {
                self.files.clear_journal();
                self.proceed(then);
            }
            AppCommand::Import { path, gcj02 } => {
                self.files.start_import(path, gcj02, self.lang())
            }
            AppCommand::CancelImport => {
                self.cancel_data_job();
                if let Some(job) = &self.files.import {
                    job.progress
                        .cancel
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            AppCommand::ExportGeojson(path) => match files::export_geojson(&self.doc, &path) {
                Ok(n) => self.files.info("Exported", self.wrote(n, "features", &path)),
                Err(e) => self.files.error("Export failed", e.in_language(self.lang())),
            },
            AppCommand::ExportCsv(path) => {
                match crate::io::export::write_csv(&path, &self.doc.project) {
                    Ok(()) => self.files.info(
                        "Exported",
                        self.wrote(self.doc.project.placements.len(), "placements", &path),
                    ),
                    Err(e) => self.files.error("Export failed", e.in_language(self.lang())),
                }
            }
            AppCommand::Restore(journal) => self.restore(*journal),
            AppCommand::DiscardJournal(file) => crate::io::recovery::remove_journal(&file),
            AppCommand::Quit => self.unless_dirty(AfterConfirm::Quit),
            other => wrong_family("file", &other),
        }
    }

    /// Save As; then, if it was asked for by "Save" in the unsaved-changes question, goes on.
    fn save_as_then_go_on(&mut self, path: &Path) {
        self.save_to(path);
        if let Some(then) = self.files.after_save_as.take()
            && !self.doc.is_dirty()
        {
            self.proceed(then);
        }
    }

    /// Saves, then goes on with `then`. An untitled project is asked where first (Save As),
    /// and goes on once that has saved; if that dialog is cancelled, or the save fails,
    /// nothing else happens.
    fn save_then(&mut self, then: AfterConfirm) {
        self.run_command(AppCommand::Save);
        if !self.doc.is_dirty() {
            self.proceed(then);
        } else if matches!(
            self.files.dialog,
            Some(Dialog::PathPrompt {
                purpose: PathPurpose::SaveAs,
                ..
            })
        ) {
            self.files.after_save_as = Some(then);
        }
    }

    /// Restores the work of a journal, as unsaved work on the file it belonged to.
    fn restore(&mut self, journal: crate::command::Journal) {
        self.use_layers_edition();
        self.doc = Document::new(
            self.data.new_project(),
            journal.original.clone(),
            &self.data.style,
        );
        self.doc.project = journal.project;
        self.doc
            .set_base_plan(self.data.shared_plan.clone(), &self.data.style);
        // Offered only when its file has not been saved since: the work began from the file
        // as it is now.
        self.files.based_on = journal
            .original
            .as_deref()
            .and_then(crate::io::recovery::FileStamp::of);
        self.doc.reload_sketches();
        self.project_changed(true);
        crate::io::recovery::remove_journal(&journal.file);
    }

    /// Import adds a sketch layer to the project, which review mode never changes.
    fn refuse_import_in_review(&mut self) {
        self.files.error(
            "Review mode",
            self.help.prefs.ui_language.pick("项目以审阅方式打开时为只读，不能导入。退出审阅后再导入 GeoJSON 文件。", "Nothing can be imported while a project is open for review: it is read-only. Leave review to import a GeoJSON file.").into(),
        );
    }

    /// Goes on with `then`, or first asks about unsaved changes.
    pub(super) fn unless_dirty(&mut self, then: AfterConfirm) {
        if self.doc.is_dirty() {
            self.files.dialog = Some(Dialog::ConfirmUnsaved(then));
        } else {
            self.proceed(then);
        }
    }

    fn proceed(&mut self, then: AfterConfirm) {
        match then {
            AfterConfirm::New => {
                self.use_layers_edition();
                self.files.clear_journal();
                self.files.based_on = None;
                self.doc = Document::on_plan(
                    self.data.new_project(),
                    None,
                    self.data.shared_plan.clone(),
                    &self.data.style,
                );
                self.selected = None;
            }
            AfterConfirm::Open(path) => self.open(&path),
            AfterConfirm::Review(path) => self.open_for_review(&path),
            AfterConfirm::OpenFromDb(request) => self.open_from_db(request),
            AfterConfirm::Quit => {
                self.files.clear_journal();
                self.files.allow_close = true;
                self.quit_requested = true;
            }
        }
    }

    /// Opens a project. A failure leaves the current project as it was and says why.
    pub(super) fn open(&mut self, path: &Path) {
        if let Err(e) = self.try_open(path) {
            self.files
                .error("Could not open the project", e.in_language(self.lang()));
        }
    }

    /// "wrote 3 features to …", in the interface language; `what` is "features" or
    /// "placements".
    fn wrote(&self, n: usize, what: &str, path: &Path) -> String {
        match self.lang() {
            UiLanguage::Chinese => {
                let what = if what == "features" {
                    "个要素"
                } else {
                    "个项目布局"
                };
                format!("已将 {n} {what}写入 {}", path.display())
            }
            UiLanguage::English => format!("wrote {n} {what} to {}", path.display()),
        }
    }

    /// Opens a project, or says why it cannot be read (and leaves the current one as it was).
    pub(super) fn try_open(&mut self, path: &Path) -> Result<(), IoError> {
        match files::open_project(path) {
            Ok(project) => {
                // A file project draws on layers/, whatever the store's project before it did.
                self.use_layers_edition();
                self.review_mode = false;
                self.compare = None;
                self.merge = None;
                self.files.clear_journal();
                self.files.based_on = crate::io::recovery::FileStamp::of(path);
                self.doc = Document::on_plan(
                    project,
                    Some(path.to_owned()),
                    self.data.shared_plan.clone(),
                    &self.data.style,
                );
                self.selected = None;
                self.files.remember(path);
                let missing: Vec<String> = self
                    .doc
                    .sketches
                    .iter()
                    .filter_map(|(n, s)| match s {
                        document::SketchState::Missing(e) => Some(format!(
                            "{} {n}: {}",
                            self.lang().pick("草图图层", "sketch layer"),
                            e.pick(self.lang())
                        )),
                        document::SketchState::Loaded(_) => None,
                    })
                    .collect();
                if !missing.is_empty() {
                    let advice = self.lang().pick(
                        "在图层面板中用“定位…”找到它们；在此之前，它们的引用保持不变。",
                        "Use Locate… in the layers panel to find them; until then their references are kept as they are.",
                    );
                    self.files.error(
                        "Some sketch layers are missing",
                        format!("{}\n{advice}", missing.join("\n")),
                    );
                }
                self.load_review();
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    pub(super) fn save_to(&mut self, path: &Path) {
        let old_dir = self.doc.dir();
        match files::save_as(&mut self.doc.project, &old_dir, path) {
            Ok(()) => {
                self.doc.mark_saved(path.to_owned());
                // The journal held work this file now has: it goes, and the next one (after an
                // undo, say) records that it began from this version of the file.
                self.files.clear_journal();
                self.files.based_on = crate::io::recovery::FileStamp::of(path);
                self.files.remember(path);
            }
            Err(e) => self
                .files
                .error("Could not save", e.in_language(self.lang())),
        }
    }

    /// Adds a finished background import to the project and reports what it did (and takes
    /// the import dialog's reads, app/import.rs). Called every frame; public so that tests can
    /// wait for an import without a window.
    pub fn finish_import(&mut self) {
        self.finish_data_job();
        let Some(job) = &self.files.import else {
            return;
        };
        let Ok(result) = job.result.try_recv() else {
            return;
        };
        let (path, gcj02) = (job.path.clone(), job.gcj02);
        self.files.import = None;
        if self.review_mode {
            // Started before the project was opened for review: the reviewed file stays as it is.
            self.refuse_import_in_review();
            return;
        }
        match result {
            Ok(layer) => {
                let (name, sketch) = files::new_sketch(
                    &self.doc.project,
                    self.doc.path.as_deref(),
                    &path,
                    &layer,
                    gcj02,
                );
                self.edit(Edit::AddSketch {
                    id: name.clone(),
                    layer: sketch,
                });
                let report = layer.report.in_language(self.lang());
                let text = match self.lang() {
                    UiLanguage::Chinese => format!("{}：{report}（图层 {name}）", path.display()),
                    UiLanguage::English => format!("{}: {report} (layer {name})", path.display()),
                };
                self.files.info("Imported", text);
            }
            Err(IoError::Cancelled { .. }) => {}
            Err(e) => self
                .files
                .error("Import failed", e.in_language(self.lang())),
        }
    }
}
