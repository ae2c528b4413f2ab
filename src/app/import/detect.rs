//! The import dialog's first look at a file: what it holds (format, tables, encoding, CRS,
//! a preview), and the file as read, kept so that Import need not read it again.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::SystemTime;

use crate::command::import::{
    CrsOption, CrsState, CsvColumnsState, DetectedColumns, EncodingState, ImportForm, ImportTable,
    ReadChoices, Source,
};
use crate::io::IoError;
use crate::io::data_file::{geometry_types, table_crs};
use crate::io::formats::csv::{CsvLayout, Detected};
use crate::io::formats::{self, DataFeature, DataTable, Dataset, EncodingSource, Format};
use crate::io::geojson_import::Progress;
use crate::io::sketch::read_options;
use crate::model::Bilingual;
use crate::model::crs::{Crs, Datum};
use crate::model::project::DataChoices;

/// How many coordinates of a table the dialog keeps for its extent (besides the extremes).
const SAMPLE_LIMIT: usize = 1000;
/// How many features the preview shows.
const PREVIEW_ROWS: usize = 5;

/// A file as the dialog read it, and with what: Import takes its tables from here instead of
/// reading the file again, when the file has not changed and the import's choices read it
/// the same way.
pub struct Preview {
    path: PathBuf,
    stamp: Option<(u64, SystemTime)>,
    read: ReadChoices,
    dataset: Arc<Dataset>,
}

impl Preview {
    /// The file as read, if `choices` (one layer's) would read `path` as it was read, and
    /// the file is still the one read.
    pub fn dataset_for(&self, path: &Path, choices: &DataChoices) -> Option<Arc<Dataset>> {
        let same_encoding = choices.encoding == self.read.encoding
            || choices.encoding.as_deref().is_some_and(|label| {
                let asked = formats::encoding::from_label(label);
                self.dataset
                    .tables
                    .iter()
                    .all(|t| t.encoding.map(|e| e.encoding) == asked)
            });
        let same = self.path == path
            && same_encoding
            && choices.csv_columns == self.read.csv_columns
            && stamp(path).is_some_and(|s| Some(s) == self.stamp);
        same.then(|| Arc::clone(&self.dataset))
    }
}

/// The file's size and modification time, to know it is the one read.
fn stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// Reads a data file and says what the dialog shows: format, tables, encoding, CRS.
pub fn detect(
    path: &Path,
    choices: &ReadChoices,
    progress: &Progress,
) -> Result<ImportForm, IoError> {
    detect_with_preview(path, choices, progress).map(|(form, _)| form)
}

/// [`detect`], with the file as read (`None` for a CSV whose coordinate columns were not
/// found: the dialog asks for them, and the file is read again with them).
pub fn detect_with_preview(
    path: &Path,
    choices: &ReadChoices,
    progress: &Progress,
) -> Result<(ImportForm, Option<Preview>), IoError> {
    let layer_choices = DataChoices {
        encoding: choices.encoding.clone(),
        csv_columns: choices.csv_columns.clone(),
        ..DataChoices::default()
    };
    let options = read_options(path, &layer_choices, Some(progress))?;
    let stamp = stamp(path);
    let (dataset, layout) = match read_dataset(path, &options) {
        (Ok(dataset), layout) => (dataset, layout),
        // The reader refused the CSV for want of coordinate columns, and the user has picked
        // none yet: the dialog lists the columns to pick from.
        (Err(e), Some(layout))
            if !matches!(e, IoError::Cancelled { .. })
                && layout.detected.is_none()
                && choices.csv_columns.is_none() =>
        {
            return Ok((no_coordinates_form(path, choices, layout), None));
        }
        (Err(e), _) => return Err(e),
    };
    if progress.cancel.load(Ordering::Relaxed) {
        return Err(IoError::Cancelled {
            path: path.to_owned(),
        });
    }
    if dataset.tables.is_empty() {
        return Err(IoError::invalid(path, "has no table of features to import"));
    }
    let form = ImportForm {
        path: path.to_owned(),
        format: dataset.format.name().to_owned(),
        tables: dataset.tables.iter().map(table_of).collect(),
        current: 0,
        encoding: dataset
            .tables
            .iter()
            .find_map(|t| t.encoding)
            .map(|e| encoding_state(e, choices)),
        csv: layout.map(|layout| csv_state(layout, choices, None)),
        read: choices.clone(),
        rereading: false,
        reread_error: None,
    };
    let preview = Preview {
        path: path.to_owned(),
        stamp,
        read: choices.clone(),
        dataset: Arc::new(dataset),
    };
    Ok((form, Some(preview)))
}

/// Reads the file; for a CSV also its header and what was detected in it, which the dialog
/// lists even when the file is refused.
fn read_dataset(
    path: &Path,
    options: &formats::ReadOptions,
) -> (Result<Dataset, IoError>, Option<CsvLayout>) {
    if Format::of_path(path) != Some(Format::Csv) {
        return (formats::read(path, options), None);
    }
    if let Err(e) = crate::io::open::regular_file_size(path, u64::MAX, "data files") {
        return (Err(e), None);
    }
    let (tables, layout) = formats::csv::read_with_layout(path, options);
    let dataset = tables.map(|tables| Dataset {
        format: Format::Csv,
        tables,
    });
    (dataset, layout)
}

fn encoding_state(e: formats::TextEncoding, choices: &ReadChoices) -> EncodingState {
    EncodingState {
        name: formats::encoding::display_name(e.encoding).to_owned(),
        source: match (e.source, &choices.encoding) {
            (_, Some(_)) | (EncodingSource::Chosen, _) => Source::Chosen,
            (EncodingSource::Declared, None) => Source::Declared,
            (EncodingSource::Guessed, None) => Source::Guessed,
        },
    }
}

/// A CSV's columns for the dialog: all of them, the detected ones, the user's pick.
fn csv_state(
    layout: CsvLayout,
    choices: &ReadChoices,
    refused: Option<Bilingual>,
) -> CsvColumnsState {
    let (x, y) = choices.csv_columns.clone().unwrap_or_default();
    CsvColumnsState {
        detected: layout.detected.map(|d| match d {
            Detected::Wkt(column) => DetectedColumns::Wkt(column),
            pair => {
                let (x, y) = pair.pair().unwrap_or_default();
                DetectedColumns::Pair(x.to_owned(), y.to_owned())
            }
        }),
        header: layout.header,
        x,
        y,
        refused,
    }
}

/// The dialog for a CSV in which no coordinate columns were found: no table yet, every
/// column to pick the X and Y ones from, and why, naming the file.
fn no_coordinates_form(path: &Path, choices: &ReadChoices, layout: CsvLayout) -> ImportForm {
    let file = path.display();
    let refused = Bilingual::new(
        format!(
            "{file} 中没有可识别的坐标列（其列为 {}）：坐标列应名为 lon/lat、经度/纬度、x/y 或 WKT，且每行都是数值。请在上面选择 X 列和 Y 列。",
            layout.header.join("、")
        ),
        format!(
            "{file} has no coordinate columns OneMap recognizes (its columns are {}): they are named lon/lat, 经度/纬度, x/y or WKT, with numbers in every row. Pick the X and Y columns above.",
            layout.header.join(", ")
        ),
    );
    ImportForm {
        path: path.to_owned(),
        format: Format::Csv.name().to_owned(),
        tables: Vec::new(),
        current: 0,
        encoding: Some(encoding_state(layout.encoding, choices)),
        csv: Some(csv_state(layout, choices, Some(refused))),
        read: choices.clone(),
        rereading: false,
        reread_error: None,
    }
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
    use crate::io::formats::ReadOptions;

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
        // `onemap info` takes it one geometry at a time: the same box.
        assert_eq!(crate::io::data_file::wgs84_extent(table, &crs), Some(exact));
        let mut shown = table_of(table);
        let sampled = shown.extent().unwrap().rect;
        assert!((sampled.min().x - exact.min().x).abs() < 1e-9);
        assert!((sampled.max().y - exact.max().y).abs() < 1e-9);
        // Thinned to a handful, the extremes still hold the box.
        let few = sample_with_extremes(&table.features, 2);
        assert!(few.len() < table.features.len() + 8);
    }
}
