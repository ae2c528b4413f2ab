//! File › Import data…: the file is read on a worker thread (with the progress window and
//! Cancel), what was detected fills the import dialog's [`ImportForm`], a change of encoding
//! or CSV columns reads it again, and the confirmed tables become data layers in one undo step.
//! Nothing is added until every table has been read: a bad file adds nothing.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, channel};

use crate::command::import::{
    CrsOption, CrsState, EncodingState, ImportForm, ImportRequest, ImportTable, LayerRequest,
    ReadChoices, Source,
};
use crate::command::{AppCommand, Dialog, ImportProgress};
use crate::edit::Edit;
use crate::io::data_file::{geometry_types, table_crs};
use crate::io::formats::{self, DataFeature, DataTable, EncodingSource, Format, ReadOptions};
use crate::io::geojson_import::{ImportedLayer, Progress, to_feature_collection};
use crate::io::sketch::import_data_file;
use crate::io::{IoError, paths};
use crate::model::UiLanguage;
use crate::model::crs::{Crs, Datum};
use crate::model::project::{SketchLayer, SketchSource};

use super::OneMapApp;
use super::handle::wrong_family;

/// How many coordinates of a table the dialog keeps for its extent (besides the extremes).
const SAMPLE_LIMIT: usize = 1000;
/// How many features the preview shows.
const PREVIEW_ROWS: usize = 5;

/// A read for the import dialog under way on a worker thread.
pub struct DataJob {
    path: PathBuf,
    progress: Progress,
    total_bytes: u64,
    result: Receiver<Outcome>,
}

enum Outcome {
    /// What the first read detected.
    Detected(Result<ImportForm, IoError>),
    /// A read with other choices, for the dialog that is open.
    Reread(Result<ImportForm, IoError>),
    /// The tables to add, read as their layers will be.
    Layers(Result<Vec<(LayerRequest, ImportedLayer)>, IoError>),
}

impl DataJob {
    /// Runs `work` on a worker thread; its outcome is taken by [`OneMapApp::finish_data_job`].
    fn start(
        path: &Path,
        reads: u64,
        work: impl FnOnce(&Progress) -> Outcome + Send + 'static,
    ) -> std::io::Result<DataJob> {
        let progress = Progress::default();
        let total_bytes = std::fs::metadata(path).map_or(0, |m| m.len()) * reads.max(1);
        let (tx, rx) = channel();
        let worker_progress = progress.clone();
        std::thread::Builder::new()
            .name("data-import".into())
            .spawn(move || {
                let _ = tx.send(work(&worker_progress));
            })?;
        Ok(DataJob {
            path: path.to_owned(),
            progress,
            total_bytes,
            result: rx,
        })
    }

    pub fn progress(&self) -> ImportProgress {
        let read = self.progress.bytes_read.load(Ordering::Relaxed);
        ImportProgress {
            path: self.path.clone(),
            fraction: if self.total_bytes > 0 {
                read as f32 / self.total_bytes as f32
            } else {
                0.0
            },
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
                let work =
                    move |progress: &Progress| Outcome::Detected(detect(&p, &choices, progress));
                self.start_data_job(&path, 1, work);
            }
            AppCommand::RereadData(choices) => self.reread(choices),
            AppCommand::ImportData(request) => {
                let reads = request.layers.len() as u64;
                let path = request.path.clone();
                let work =
                    move |progress: &Progress| Outcome::Layers(read_layers(&request, progress));
                self.start_data_job(&path, reads, work);
            }
            other => wrong_family("import", &other),
        }
    }

    fn start_data_job(
        &mut self,
        path: &Path,
        reads: u64,
        work: impl FnOnce(&Progress) -> Outcome + Send + 'static,
    ) {
        if let Some(old) = self.files.data_job.take() {
            old.cancel();
        }
        match DataJob::start(path, reads, work) {
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
        let work = move |progress: &Progress| Outcome::Reread(detect(&p, &choices, progress));
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
        let Some(job) = &self.files.data_job else {
            return;
        };
        let Ok(outcome) = job.result.try_recv() else {
            return;
        };
        let path = job.path.clone();
        self.files.data_job = None;
        if self.review_mode {
            // Started before the project was opened for review: the reviewed file stays as it is.
            self.refuse_data_import_in_review();
            return;
        }
        match outcome {
            Outcome::Detected(Ok(form)) => self.files.show(Dialog::ImportData(Box::new(form))),
            Outcome::Reread(result) => {
                if let Some(Dialog::ImportData(form)) = self.files.dialog.as_mut() {
                    match result {
                        Ok(fresh) => form.take_reread(fresh),
                        Err(e) => {
                            form.rereading = false;
                            form.reread_error = Some(e.to_string());
                        }
                    }
                }
            }
            Outcome::Layers(Ok(layers)) => self.add_data_layers(&path, layers),
            Outcome::Detected(Err(IoError::Cancelled { .. }))
            | Outcome::Layers(Err(IoError::Cancelled { .. })) => {}
            Outcome::Detected(Err(e)) | Outcome::Layers(Err(e)) => {
                self.files.error("Import failed", e.to_string())
            }
        }
    }

    /// Adds one data layer per table as one undo step, and says what was imported.
    fn add_data_layers(&mut self, path: &Path, layers: Vec<(LayerRequest, ImportedLayer)>) {
        let mut edits = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        let mut lines = Vec::new();
        for (request, imported) in &layers {
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
            lines.push(report_line(self.help.prefs.ui_language, &id, imported));
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
fn read_layers(
    request: &ImportRequest,
    progress: &Progress,
) -> Result<Vec<(LayerRequest, ImportedLayer)>, IoError> {
    let mut layers = Vec::new();
    for layer in &request.layers {
        if progress.cancel.load(Ordering::Relaxed) {
            return Err(IoError::Cancelled {
                path: request.path.clone(),
            });
        }
        let imported = import_data_file(&request.path, &layer.choices, progress)?;
        layers.push((layer.clone(), imported));
    }
    Ok(layers)
}

/// Reads a data file and says what the dialog shows: format, tables, encoding, CRS.
pub fn detect(
    path: &Path,
    choices: &ReadChoices,
    progress: &Progress,
) -> Result<ImportForm, IoError> {
    let encoding = match &choices.encoding {
        Some(label) => Some(formats::encoding::from_label(label).ok_or_else(|| {
            IoError::invalid(
                path,
                format!("the encoding {label} is not one OneMap knows"),
            )
        })?),
        None => None,
    };
    let options = ReadOptions {
        encoding,
        table: None,
        csv_columns: choices
            .csv_columns
            .as_ref()
            .map(|(x, y)| formats::CsvColumns {
                x: x.clone(),
                y: y.clone(),
            }),
        progress: Some(progress),
    };
    let dataset = formats::read(path, &options)?;
    if progress.cancel.load(Ordering::Relaxed) {
        return Err(IoError::Cancelled {
            path: path.to_owned(),
        });
    }
    if dataset.tables.is_empty() {
        return Err(IoError::invalid(path, "has no table of features to import"));
    }
    let encoding = dataset
        .tables
        .iter()
        .find_map(|t| t.encoding)
        .map(|e| EncodingState {
            name: formats::encoding::display_name(e.encoding).to_owned(),
            source: match (e.source, &choices.encoding) {
                (_, Some(_)) | (EncodingSource::Chosen, _) => Source::Chosen,
                (EncodingSource::Declared, None) => Source::Declared,
                (EncodingSource::Guessed, None) => Source::Guessed,
            },
        });
    Ok(ImportForm {
        path: path.to_owned(),
        format: dataset.format.name().to_owned(),
        tables: dataset.tables.iter().map(table_of).collect(),
        current: 0,
        encoding,
        csv_columns: (dataset.format == Format::Csv)
            .then(|| choices.csv_columns.clone().unwrap_or_default()),
        read: choices.clone(),
        rereading: false,
        reread_error: None,
    })
}

/// What the dialog shows of one table.
fn table_of(table: &DataTable) -> ImportTable {
    let mut t = ImportTable::new(
        table.name.clone(),
        crs_state(table),
        sample_with_extremes(&table.features, SAMPLE_LIMIT),
    );
    t.features = table.features.len();
    t.geometry_types = geometry_types(&table.features)
        .into_iter()
        .map(|(kind, n)| (kind.to_owned(), n))
        .collect();
    t.fields = table.fields.iter().map(|f| f.name.clone()).collect();
    t.preview = table
        .features
        .iter()
        .take(PREVIEW_ROWS)
        .map(|f| {
            t.fields
                .iter()
                .map(|name| match f.attributes.get(name) {
                    None | Some(serde_json::Value::Null) => String::new(),
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                })
                .collect()
        })
        .collect();
    t.skipped = table.skipped.clone();
    t
}

/// The CRSs offered for a table: the declared one, or the guesses; for longitude/latitude
/// also WGS 84, CGCS2000, GCJ-02 and BD-09 (what the old "source is GCJ-02" box offered).
fn crs_state(table: &DataTable) -> CrsState {
    let detected = table_crs(table, None);
    let mut options: Vec<CrsOption> = Vec::new();
    if detected.guesses.is_empty() {
        if let Some(crs) = &detected.crs {
            options.push(CrsOption {
                crs: crs.clone(),
                source: Source::Declared,
                reason: String::new(),
                inside_region: None,
            });
        }
    } else {
        options.extend(detected.guesses.iter().map(|g| CrsOption {
            crs: g.crs.clone(),
            source: Source::Guessed,
            reason: g.reason.clone(),
            inside_region: Some(g.inside_region),
        }));
    }
    if options.first().is_some_and(|o| o.crs.is_geographic()) {
        let geographic = [
            Crs::WGS84,
            Crs::Geographic(Datum::Cgcs2000),
            Crs::Gcj02,
            Crs::Bd09,
        ];
        for crs in geographic {
            if !options.iter().any(|o| o.crs == crs) {
                options.push(CrsOption {
                    crs,
                    source: Source::Chosen,
                    reason: String::new(),
                    inside_region: None,
                });
            }
        }
    }
    CrsState {
        pick: (!options.is_empty()).then_some(0),
        options,
        typed: String::new(),
        problem: detected.problem,
        seen: false,
    }
}

/// Up to about `limit` coordinates spread over the features, and the extreme ones in eight
/// directions, so that the extent of the sample is the table's (to a hair, for any CRS that
/// turns the grid by a few degrees at most).
fn sample_with_extremes(features: &[DataFeature], limit: usize) -> Vec<(f64, f64)> {
    use geo::CoordsIter;
    let geometries = || features.iter().filter_map(|f| f.geometry.as_ref());
    let total: usize = geometries().map(|g| g.coords_count()).sum();
    let step = total.div_ceil(limit.max(1)).max(1);
    let directions: [(f64, f64); 8] = [
        (1.0, 0.0),
        (-1.0, 0.0),
        (0.0, 1.0),
        (0.0, -1.0),
        (1.0, 1.0),
        (1.0, -1.0),
        (-1.0, 1.0),
        (-1.0, -1.0),
    ];
    let mut extremes: [Option<(f64, (f64, f64))>; 8] = [None; 8];
    let mut sample = Vec::new();
    let finite = geometries()
        .flat_map(|g| g.coords_iter())
        .filter(|c| c.x.is_finite() && c.y.is_finite());
    for (i, c) in finite.enumerate() {
        if i % step == 0 {
            sample.push((c.x, c.y));
        }
        for (extreme, (dx, dy)) in extremes.iter_mut().zip(directions) {
            let score = c.x * dx + c.y * dy;
            if extreme.is_none_or(|(best, _)| score > best) {
                *extreme = Some((score, (c.x, c.y)));
            }
        }
    }
    sample.extend(extremes.into_iter().flatten().map(|(_, p)| p));
    sample
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/formats/geojson")
            .join(name)
    }

    #[test]
    fn an_undeclared_gauss_krueger_file_is_guessed_as_zone_40() {
        let form = detect(
            &fixture("cities_gk_undeclared.geojson"),
            &ReadChoices::default(),
            &Progress::default(),
        )
        .unwrap();
        assert_eq!(form.format, "GeoJSON");
        let table = &form.tables[0];
        assert_eq!(table.features, 9);
        let (crs, source) = table.crs.chosen().unwrap();
        assert_eq!((crs.epsg(), source), (Some(4528), Source::Guessed));
        assert!(table.crs.needs_a_look());
        assert_eq!(table.geometry_types, [("Point".to_owned(), 9)]);
        assert!(
            table.preview[0].contains(&"上海".to_owned()),
            "{:?}",
            table.preview
        );
    }

    #[test]
    fn the_sample_extent_is_the_extent_of_every_feature() {
        let path = fixture("cities_4528.geojson");
        let dataset = formats::read(&path, &ReadOptions::default()).unwrap();
        let table = &dataset.tables[0];
        let crs = Crs::from_epsg(4528).unwrap();
        let all = crate::io::data_file::to_wgs84(&path, table, &crs).unwrap();
        let exact = crate::io::data_file::extent(&all).unwrap();
        let mut shown = table_of(table);
        let sampled = shown.extent().unwrap().rect;
        assert!((sampled.min().x - exact.min().x).abs() < 1e-9);
        assert!((sampled.max().y - exact.max().y).abs() < 1e-9);
        // Thinned to a handful, the extremes still hold the box.
        let few = sample_with_extremes(&table.features, 2);
        assert!(few.len() < table.features.len() + 8);
    }
}
