//! File › Import data…: the file is read on a worker thread (with the progress window and
//! Cancel), what was detected fills the import dialog's [`ImportForm`], a change of encoding
//! or CSV columns reads it again, and the confirmed tables become data layers in one undo step.
//! Nothing is added until every table has been read: a bad file adds nothing.

mod detect;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, channel};

use crate::command::import::{ImportForm, ImportRequest, LayerRequest, ReadChoices};
use crate::command::{AppCommand, Dialog, ImportProgress};
use crate::edit::Edit;
use crate::io::formats;
use crate::io::geojson_import::{ImportedLayer, Progress, to_feature_collection};
use crate::io::sketch::{layer_of_dataset, loaded_layer, loads_as_imported, read_options};
use crate::io::{IoError, paths};
use crate::model::project::{SketchLayer, SketchSource};
use crate::model::{Bilingual, UiLanguage};

use super::OneMapApp;
use super::handle::wrong_family;
pub use detect::{Preview, detect, detect_with_preview};

/// A read for the import dialog under way on a worker thread.
pub struct DataJob {
    path: PathBuf,
    progress: Progress,
    /// The file's size: each read (one per layer to import) goes through it once.
    file_bytes: u64,
    reads: u64,
    /// The reads finished, the one under way being at `progress.bytes_read`.
    reads_done: Arc<AtomicU64>,
    result: Receiver<Outcome>,
    /// When the worker started, for `ONEMAP_TIMING`.
    started: std::time::Instant,
}

/// One layer as the import read it: its features and its fields in the file's order.
type ReadLayer = (LayerRequest, ImportedLayer, Option<Vec<String>>);

enum Outcome {
    /// What the first read detected, and the file as read.
    Detected(Result<(ImportForm, Option<Preview>), IoError>),
    /// A read with other choices, for the dialog that is open.
    Reread(Result<(ImportForm, Option<Preview>), IoError>),
    /// The tables to add, read as their layers will be.
    Layers(Result<Vec<ReadLayer>, IoError>),
}

/// What a worker is given to say how far it is.
struct Worker {
    progress: Progress,
    reads_done: Arc<AtomicU64>,
}

impl DataJob {
    /// Runs `work` on a worker thread; its outcome is taken by [`OneMapApp::finish_data_job`],
    /// in the frame that `wake` (the app's context) is asked for when the worker is done:
    /// otherwise the outcome waited for the progress window's next frame, up to 100 ms.
    fn start(
        path: &Path,
        reads: u64,
        wake: Option<egui::Context>,
        work: impl FnOnce(&Worker) -> Outcome + Send + 'static,
    ) -> std::io::Result<DataJob> {
        let worker = Worker {
            progress: Progress::default(),
            reads_done: Arc::default(),
        };
        let (progress, reads_done) = (worker.progress.clone(), Arc::clone(&worker.reads_done));
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name("data-import".into())
            .spawn(move || {
                let _ = tx.send(work(&worker));
                if let Some(ctx) = wake {
                    ctx.request_repaint();
                }
            })?;
        Ok(DataJob {
            path: path.to_owned(),
            progress,
            file_bytes: std::fs::metadata(path).map_or(0, |m| m.len()),
            reads: reads.max(1),
            reads_done,
            result: rx,
            started: std::time::Instant::now(),
        })
    }

    pub fn progress(&self) -> ImportProgress {
        let read = self.progress.bytes_read.load(Ordering::Relaxed);
        let this_read = if self.file_bytes > 0 {
            (read as f64 / self.file_bytes as f64).min(1.0)
        } else {
            0.0
        };
        let done = self.reads_done.load(Ordering::Relaxed) as f64;
        ImportProgress {
            path: self.path.clone(),
            fraction: ((done + this_read) / self.reads as f64).min(1.0) as f32,
        }
    }

    /// Asks the worker to stop; its result, whenever it comes, is not waited for.
    pub fn cancel(&self) {
        self.progress.cancel.store(true, Ordering::Relaxed);
    }
}

impl OneMapApp {
    /// The import dialog's commands: read a file, read it again, import what was confirmed.
    pub(super) fn run_import_command(&mut self, command: AppCommand) {
        if self.review_mode {
            self.refuse_data_import_in_review();
            return;
        }
        match command {
            AppCommand::DetectData(path) => {
                let choices = ReadChoices::default();
                let p = path.clone();
                let work = move |w: &Worker| {
                    Outcome::Detected(detect_with_preview(&p, &choices, &w.progress))
                };
                self.start_data_job(&path, 1, work);
            }
            AppCommand::RereadData(choices) => self.reread(choices),
            AppCommand::ImportData(request) => {
                let reads = request.layers.len() as u64;
                let path = request.path.clone();
                // The dialog's read stands for the import's where it can: not read twice.
                let preview = self.files.data_preview.take();
                let work = move |w: &Worker| Outcome::Layers(read_layers(&request, preview, w));
                self.start_data_job(&path, reads, work);
            }
            other => wrong_family("import", &other),
        }
    }

    fn start_data_job(
        &mut self,
        path: &Path,
        reads: u64,
        work: impl FnOnce(&Worker) -> Outcome + Send + 'static,
    ) {
        if let Some(old) = self.files.data_job.take() {
            old.cancel();
        }
        match DataJob::start(path, reads, self.ctx.clone(), work) {
            Ok(job) => self.files.data_job = Some(job),
            Err(e) => {
                let lang = self.help.prefs.ui_language;
                let text = match lang {
                    UiLanguage::Chinese => format!("无法开始读取 {}：{e}", path.display()),
                    UiLanguage::English => {
                        format!("could not start reading {}: {e}", path.display())
                    }
                };
                self.files.error("Import failed", text);
            }
        }
    }

    /// Reads the open dialog's file again with `choices`; the dialog keeps the user's picks.
    fn reread(&mut self, choices: ReadChoices) {
        let Some(Dialog::ImportData(form)) = self.files.dialog.as_mut() else {
            return;
        };
        form.rereading = true;
        form.reread_error = None;
        let path = form.path.clone();
        let p = path.clone();
        let work =
            move |w: &Worker| Outcome::Reread(detect_with_preview(&p, &choices, &w.progress));
        self.start_data_job(&path, 1, work);
    }

    /// Cancel in the progress window or the dialog: the worker is told to stop, and nothing
    /// it finds is used.
    pub(super) fn cancel_data_job(&mut self) {
        if let Some(job) = self.files.data_job.take() {
            job.cancel();
        }
        if let Some(Dialog::ImportData(form)) = self.files.dialog.as_mut() {
            form.rereading = false;
        }
    }

    /// Takes a finished read: opens the dialog, refreshes it, or adds the layers.
    pub(super) fn finish_data_job(&mut self) {
        self.drop_unused_preview();
        let Some(job) = &self.files.data_job else {
            return;
        };
        let Ok(outcome) = job.result.try_recv() else {
            return;
        };
        let path = job.path.clone();
        let took = job.started.elapsed();
        self.files.data_job = None;
        if std::env::var_os("ONEMAP_TIMING").is_some() {
            eprintln!(
                "data import: the worker's read took {:.0} ms",
                took.as_secs_f64() * 1000.0
            );
        }
        if self.review_mode {
            // Started before the project was opened for review: the reviewed file stays as it is.
            self.refuse_data_import_in_review();
            return;
        }
        let lang = self.help.prefs.ui_language;
        match outcome {
            Outcome::Detected(Ok((form, preview))) => {
                self.files.data_preview = preview;
                self.files.show(Dialog::ImportData(Box::new(form)));
            }
            Outcome::Reread(result) => {
                if let Some(Dialog::ImportData(form)) = self.files.dialog.as_mut() {
                    match result {
                        Ok((fresh, preview)) => {
                            form.take_reread(fresh);
                            self.files.data_preview = preview;
                        }
                        Err(e) => {
                            form.rereading = false;
                            form.reread_error = Some(bilingual(&e));
                        }
                    }
                }
            }
            Outcome::Layers(Ok(layers)) => {
                let started = std::time::Instant::now();
                self.add_data_layers(&path, layers);
                if std::env::var_os("ONEMAP_TIMING").is_some() {
                    eprintln!(
                        "data import: the layers added to the project (one undo step, the \
                         map's data prepared) in {:.0} ms",
                        started.elapsed().as_secs_f64() * 1000.0
                    );
                }
            }
            Outcome::Detected(Err(IoError::Cancelled { .. }))
            | Outcome::Layers(Err(IoError::Cancelled { .. })) => {}
            Outcome::Detected(Err(e)) | Outcome::Layers(Err(e)) => {
                self.files.error("Import failed", e.in_language(lang))
            }
        }
    }

    /// Lets go of the dialog's read once the dialog is closed and no import will use it.
    fn drop_unused_preview(&mut self) {
        let dialog_open = matches!(self.files.dialog, Some(Dialog::ImportData(_)));
        if !dialog_open && self.files.data_job.is_none() {
            self.files.data_preview = None;
        }
    }

    /// Adds one data layer per table as one undo step, and says what was imported.
    fn add_data_layers(&mut self, path: &Path, layers: Vec<ReadLayer>) {
        let mut edits = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        let mut lines = Vec::new();
        for (request, imported, fields) in layers {
            let id = unused_id(&self.doc.project, &ids, &request.name);
            let source = match self.doc.path.as_deref().and_then(Path::parent) {
                Some(dir) => SketchSource::Referenced(paths::to_stored(
                    dir,
                    &std::path::absolute(path).unwrap_or_else(|_| path.to_owned()),
                )),
                None => {
                    SketchSource::Embedded(to_feature_collection(&imported.features).to_string())
                }
            };
            let layer = SketchLayer {
                name: request.name.clone(),
                source,
                visible: true,
                opacity: 1.0,
                choices: request.choices.clone(),
                label_field: None,
            };
            lines.push(report_line(self.help.prefs.ui_language, &id, &imported));
            if loads_as_imported(path, &layer) {
                // What was just read is what loading the layer would read: not read again.
                let loaded = loaded_layer(path, &layer, imported, fields);
                self.doc.preload(id.clone(), layer.clone(), loaded);
            }
            edits.push(Edit::AddSketch {
                id: id.clone(),
                layer,
            });
            ids.push(id);
        }
        let edit = match edits.len() {
            1 => edits.remove(0),
            n => Edit::Batch {
                label: crate::model::Bilingual::new(
                    format!("导入 {n} 个图层"),
                    format!("import {n} layers"),
                ),
                edits,
            },
        };
        self.edit(edit);
        let added = ids
            .iter()
            .all(|id| self.doc.project.sketch_layers.contains_key(id));
        if added {
            let lang = self.help.prefs.ui_language;
            let head = lang.pick("已导入", "Imported");
            let text = format!("{head} {}\n{}", path.display(), lines.join("\n"));
            self.files.info("Imported", text);
        }
    }

    fn refuse_data_import_in_review(&mut self) {
        self.files.error(
            "Review mode",
            self.help
                .prefs
                .ui_language
                .pick(
                    "项目以审阅方式打开时为只读，不能导入。退出审阅后再导入数据。",
                    "Nothing can be imported while a project is open for review: it is read-only. Leave review to import data.",
                )
                .into(),
        );
    }
}

/// What one layer's import did, in the interface language (the readers' notes on what they
/// skipped are in English).
fn report_line(lang: UiLanguage, id: &str, imported: &ImportedLayer) -> String {
    let report = &imported.report;
    match lang {
        UiLanguage::English => format!("{id}: {report}"),
        UiLanguage::Chinese => {
            let mut line = format!("图层 {id}：导入 {} 个要素", report.imported);
            if !report.skipped.is_empty() {
                line += &format!("，跳过 {} 个", report.skipped.len());
            }
            for note in &report.notes {
                line += &format!("；{note}");
            }
            line
        }
    }
}

/// A layer id not used in the project nor by the layers added with it.
fn unused_id(project: &crate::model::project::Project, taken: &[String], name: &str) -> String {
    let stem = if name.trim().is_empty() { "data" } else { name };
    let free = |id: &str| !project.sketch_layers.contains_key(id) && !taken.iter().any(|t| t == id);
    let mut id = stem.to_owned();
    let mut n = 2;
    while !free(&id) {
        id = format!("{stem}-{n}");
        n += 1;
    }
    id
}

/// Reads every requested table as its data layer will be read; the first error stops all.
/// A table the dialog's read holds, read with the same choices, is taken from there; the last
/// layer to use it lets go of the preview first, so that its features are moved, not copied.
fn read_layers(
    request: &ImportRequest,
    mut preview: Option<Preview>,
    worker: &Worker,
) -> Result<Vec<ReadLayer>, IoError> {
    let path = &request.path;
    let progress = &worker.progress;
    let mut layers = Vec::new();
    for (i, layer) in request.layers.iter().enumerate() {
        if progress.cancel.load(Ordering::Relaxed) {
            return Err(IoError::Cancelled { path: path.clone() });
        }
        progress.bytes_read.store(0, Ordering::Relaxed);
        let dataset = match preview
            .as_ref()
            .and_then(|p| p.dataset_for(path, &layer.choices))
        {
            Some(dataset) => dataset,
            None => {
                let options = read_options(path, &layer.choices, Some(progress))?;
                Arc::new(formats::read(path, &options)?)
            }
        };
        if i + 1 == request.layers.len() {
            preview = None;
        }
        let (imported, fields) = layer_of_dataset(path, dataset, &layer.choices)?;
        layers.push((layer.clone(), imported, fields));
        worker.reads_done.fetch_add(1, Ordering::Relaxed);
    }
    Ok(layers)
}

/// An error in both interface languages, for a dialog that may switch language while open.
fn bilingual(e: &IoError) -> Bilingual {
    Bilingual::new(
        e.in_language(UiLanguage::Chinese),
        e.in_language(UiLanguage::English),
    )
}
