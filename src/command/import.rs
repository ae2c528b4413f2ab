//! File › Import data…: what was detected in a data file (its format, tables, text encoding
//! and CRS, declared or guessed, a preview of the first rows) and what the user confirms or
//! changes. The app fills an [`ImportForm`] from a worker that read the file; the dialog edits
//! the choices; the app imports what [`ImportForm::request`] says, one data layer per checked
//! table, with [`DataChoices`] holding exactly what was confirmed or changed.

use std::path::PathBuf;

use geo::{Coord, Rect};

use crate::model::crs::{Crs, CrsTransform, GUESS_REGION};
use crate::model::project::DataChoices;
use crate::model::{Bilingual, UiLanguage};

/// Where a table's CRS or the file's text encoding came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The file says so (or its format is always WGS84, or always UTF-8).
    Declared,
    /// Nothing said so: detected from the coordinates or the bytes.
    Guessed,
    /// The user picked it.
    Chosen,
}

impl Source {
    pub fn word(self, lang: UiLanguage) -> &'static str {
        match self {
            Self::Declared => lang.pick("文件声明", "declared by the file"),
            Self::Guessed => lang.pick("推测", "guessed"),
            Self::Chosen => lang.pick("已选择", "chosen"),
        }
    }
}

/// The encodings the dialog offers: Chinese data is UTF-8 or GBK; Big5 (Taiwan, Hong Kong),
/// Shift_JIS and EUC-KR (Japanese and Korean CAD) and windows-1252 (old Western files) are
/// what else turns up. Each is a label `io::formats::encoding::from_label` knows.
pub const ENCODINGS: [&str; 7] = [
    "UTF-8",
    "GBK",
    "GB18030",
    "Big5",
    "Shift_JIS",
    "EUC-KR",
    "windows-1252",
];

/// The text encoding the file was read with.
#[derive(Clone, Debug, PartialEq)]
pub struct EncodingState {
    /// As users know it: "GBK", "UTF-8".
    pub name: String,
    pub source: Source,
}

/// What a file is (re-)read with: the user's encoding and CSV columns, `None` for what the
/// file declares or the reader detects.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadChoices {
    pub encoding: Option<String>,
    pub csv_columns: Option<(String, String)>,
}

/// A CRS the dialog offers for a table, with why.
#[derive(Clone, Debug, PartialEq)]
pub struct CrsOption {
    pub crs: Crs,
    /// Declared: what the file says; Guessed: a candidate from the coordinates; Chosen: one
    /// offered besides (GCJ-02 and BD-09 for longitude/latitude).
    pub source: Source,
    /// Why it is proposed (a guess's reason), in English; empty for the others.
    pub reason: String,
    /// The share (0–1) of the sampled points it puts in the plan region, for guesses.
    pub inside_region: Option<f64>,
}

/// A table's CRS as detected, and the user's pick.
#[derive(Clone, Debug, PartialEq)]
pub struct CrsState {
    /// The declared CRS first (if any), then the guesses, best first, then the others offered.
    pub options: Vec<CrsOption>,
    /// An index into `options`; `None` when the user types one (or nothing fits).
    pub pick: Option<usize>,
    /// What the user typed: EPSG:N, gcj02, bd09 or a PROJ string.
    pub typed: String,
    /// Why the file's own declaration could not be used (a .prj OneMap does not understand).
    pub problem: Option<String>,
    /// Whether the dialog has shown this table's CRS: a guess is never used unseen.
    pub seen: bool,
}

impl CrsState {
    /// The CRS to read the table with and where it comes from, or why there is none.
    pub fn chosen(&self) -> Result<(Crs, Source), NoCrs> {
        match self.pick {
            Some(i) => {
                let option = self.options.get(i).ok_or(NoCrs::Nothing)?;
                let source = match option.source {
                    // Confirming the best guess is still a guess the user accepted; any other
                    // pick is the user's choice.
                    Source::Guessed if i == self.first_guess() => Source::Guessed,
                    Source::Declared => Source::Declared,
                    _ => Source::Chosen,
                };
                Ok((option.crs.clone(), source))
            }
            None if self.typed.trim().is_empty() => Err(NoCrs::Nothing),
            None => Crs::parse(&self.typed)
                .map(|crs| (crs, Source::Chosen))
                .map_err(|e| NoCrs::Unreadable(e.to_string())),
        }
    }

    fn first_guess(&self) -> usize {
        self.options
            .iter()
            .position(|o| o.source == Source::Guessed)
            .unwrap_or(usize::MAX)
    }

    /// Whether the user must look at this CRS before it is used: anything the file did not
    /// declare, unless it is plain longitude/latitude (a projected guess is never used
    /// silently).
    pub fn needs_a_look(&self) -> bool {
        match self.chosen() {
            Ok((crs, Source::Guessed)) => !crs.is_geographic(),
            _ => false,
        }
    }
}

/// Why a table has no CRS to import with.
#[derive(Clone, Debug, PartialEq)]
pub enum NoCrs {
    /// None picked, none typed.
    Nothing,
    /// What was typed is not a CRS OneMap knows (why, in English).
    Unreadable(String),
}

impl NoCrs {
    pub fn words(&self, lang: UiLanguage) -> String {
        match (self, lang) {
            (Self::Nothing, _) => lang
                .pick(
                    "请选择或输入坐标系",
                    "choose or type a coordinate system (EPSG:4528, gcj02, +proj=…)",
                )
                .to_owned(),
            (Self::Unreadable(why), UiLanguage::English) => why.clone(),
            (Self::Unreadable(_), UiLanguage::Chinese) => {
                "OneMap 无法识别所输入的坐标系：请输入 EPSG \
                                                         代码（如 EPSG:4528）、gcj02、bd09 或 PROJ \
                                                         字符串（+proj=…）"
                    .to_owned()
            }
        }
    }
}

/// One table of the file, as detected.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportTable {
    pub name: String,
    /// Whether it becomes a data layer.
    pub import: bool,
    pub features: usize,
    /// "Point" with its count, in a stable order.
    pub geometry_types: Vec<(String, usize)>,
    pub fields: Vec<String>,
    /// The attributes of the first features as text, one entry per field.
    pub preview: Vec<Vec<String>>,
    /// What the reader did not take ("3 HATCH entities").
    pub skipped: Vec<String>,
    pub crs: CrsState,
    /// Coordinates in the file's CRS (thinned, with the extreme ones), for the extent.
    pub sample: Vec<(f64, f64)>,
    /// The extent last computed, and the CRS it was computed for.
    extent_cache: Option<(Crs, Option<Extent>)>,
}

/// Where a table lies in WGS84, and how much of it is in the plan region.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Extent {
    pub rect: Rect<f64>,
    /// The share (0–1) of the sampled points inside the plan region ([`GUESS_REGION`]).
    pub inside_region: f64,
}

impl ImportTable {
    pub fn new(name: String, crs: CrsState, sample: Vec<(f64, f64)>) -> Self {
        Self {
            name,
            import: true,
            features: 0,
            geometry_types: Vec::new(),
            fields: Vec::new(),
            preview: Vec::new(),
            skipped: Vec::new(),
            crs,
            sample,
            extent_cache: None,
        }
    }

    /// The WGS84 extent with the chosen CRS (`None` without a usable CRS or coordinates).
    /// Computed from the sample when the CRS changes, not every frame.
    pub fn extent(&mut self) -> Option<Extent> {
        let (crs, _) = self.crs.chosen().ok()?;
        if let Some((cached, extent)) = &self.extent_cache
            && *cached == crs
        {
            return *extent;
        }
        let extent = wgs84_extent(&crs, &self.sample);
        self.extent_cache = Some((crs, extent));
        extent
    }

    /// The extent with `crs`, from the cache when it is the CRS last shown.
    fn extent_with(&self, crs: &Crs) -> Option<Extent> {
        match &self.extent_cache {
            Some((cached, extent)) if cached == crs => *extent,
            _ => wgs84_extent(crs, &self.sample),
        }
    }
}

fn wgs84_extent(crs: &Crs, sample: &[(f64, f64)]) -> Option<Extent> {
    let transform = CrsTransform::new(crs).ok()?;
    let points: Vec<Coord<f64>> = sample
        .iter()
        .filter_map(|&(x, y)| transform.to_wgs84(x, y).ok())
        .map(|(x, y)| Coord { x, y })
        // Metres read as degrees "convert" without an error: they are not on the earth.
        .filter(|c| c.x.abs() <= 180.0 && c.y.abs() <= 90.0)
        .collect();
    let first = *points.first()?;
    let (mut min, mut max) = (first, first);
    for p in &points {
        min = Coord {
            x: min.x.min(p.x),
            y: min.y.min(p.y),
        };
        max = Coord {
            x: max.x.max(p.x),
            y: max.y.max(p.y),
        };
    }
    let inside = points.iter().filter(|p| GUESS_REGION.contains(**p)).count();
    Some(Extent {
        rect: Rect::new(min, max),
        inside_region: inside as f64 / points.len() as f64,
    })
}

/// The import dialog's state.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportForm {
    pub path: PathBuf,
    /// The format's name ("Shapefile").
    pub format: String,
    pub tables: Vec<ImportTable>,
    /// The table whose details (CRS, extent, preview) are shown.
    pub current: usize,
    /// `None` for formats that are UTF-8 by definition (GeoJSON, KML, GeoPackage).
    pub encoding: Option<EncodingState>,
    /// For a CSV: its columns, the coordinate ones detected and the user's pick.
    pub csv: Option<CsvColumnsState>,
    /// What the file was last read with.
    pub read: ReadChoices,
    /// A re-read with other choices is under way.
    pub rereading: bool,
    /// Why the last re-read failed (the preview is then the one before it), in both
    /// languages: the dialog shows the interface's.
    pub reread_error: Option<Bilingual>,
}

/// A CSV's columns in the dialog: the user picks the X and Y ones among every column of the
/// header, the detected ones shown until then.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CsvColumnsState {
    /// Every column of the header, in the file's order.
    pub header: Vec<String>,
    /// The coordinate columns the reader found (x, y), or its WKT column.
    pub detected: Option<DetectedColumns>,
    /// The user's pick; empty until picked.
    pub x: String,
    pub y: String,
    /// Why the file could not be read as it is (no coordinate columns found and none
    /// picked), naming the file: then there is no table until the user picks a pair.
    pub refused: Option<Bilingual>,
}

/// The geometry columns the reader found in a CSV.
#[derive(Clone, Debug, PartialEq)]
pub enum DetectedColumns {
    /// x (easting or longitude) and y.
    Pair(String, String),
    Wkt(String),
}

/// What the app imports: one data layer per table.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportRequest {
    pub path: PathBuf,
    pub layers: Vec<LayerRequest>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LayerRequest {
    /// The layer's name: the file's name, or the table's when the file has several.
    pub name: String,
    pub choices: DataChoices,
}

impl ImportForm {
    /// Keeps the user's choices (tables ticked, CRS picks, the table shown) across a re-read
    /// with another encoding or other CSV columns, whose tables replace these.
    pub fn take_reread(&mut self, mut fresh: ImportForm) {
        for table in &mut fresh.tables {
            let Some(old) = self.tables.iter().find(|t| t.name == table.name) else {
                continue;
            };
            table.import = old.import;
            table.crs.seen = old.crs.seen;
            table.crs.typed = old.crs.typed.clone();
            let picked = old.crs.pick.and_then(|i| old.crs.options.get(i));
            table.crs.pick = match picked {
                // The same CRS, if the new coordinates still offer it.
                Some(o) => table
                    .crs
                    .options
                    .iter()
                    .position(|n| n.crs == o.crs)
                    .or(table.crs.pick),
                None => None,
            };
        }
        fresh.current = self.current.min(fresh.tables.len().saturating_sub(1));
        // The user's pick of columns stays what the combo boxes show.
        if let (Some(new), Some(old)) = (fresh.csv.as_mut(), self.csv.as_ref()) {
            new.x.clone_from(&old.x);
            new.y.clone_from(&old.y);
        }
        *self = fresh;
    }

    fn several_tables(&self) -> bool {
        self.tables.len() > 1
    }

    /// The file's name without its extension, for a single table's layer.
    fn stem(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "data".into())
    }

    /// The layers to import, or why the dialog cannot import yet (in the interface language).
    pub fn request(&self, lang: UiLanguage) -> Result<ImportRequest, String> {
        if self.rereading {
            return Err(lang
                .pick("正在重新读取文件…", "Reading the file again…")
                .into());
        }
        if self.csv.as_ref().is_some_and(|c| c.refused.is_some()) {
            return Err(lang
                .pick("请选择 X 列和 Y 列", "Pick the X and Y columns")
                .into());
        }
        let checked: Vec<&ImportTable> = self.tables.iter().filter(|t| t.import).collect();
        if checked.is_empty() {
            return Err(lang
                .pick("请勾选要导入的表", "Tick a table to import")
                .into());
        }
        let encoding = self
            .encoding
            .as_ref()
            .filter(|e| e.source != Source::Declared)
            .map(|e| e.name.clone());
        let mut layers = Vec::new();
        for table in checked {
            let (crs, source) = table.crs.chosen().map_err(|e| {
                let e = e.words(lang);
                let zh = format!("表 {} 的坐标系：{e}", table.name);
                let en = format!("The coordinate system of {}: {e}", table.name);
                lang.pick(&zh, &en).to_owned()
            })?;
            if !table.sample.is_empty() && table.extent_with(&crs).is_none() {
                let zh = format!(
                    "按 {} 换算，表 {} 的坐标不在地球上",
                    short_name(&crs),
                    table.name
                );
                let en = format!(
                    "With {}, the coordinates of {} are not on the earth",
                    short_name(&crs),
                    table.name
                );
                return Err(lang.pick(&zh, &en).to_owned());
            }
            if table.crs.needs_a_look() && !table.crs.seen {
                let zh = format!("请先查看表 {} 推测的坐标系", table.name);
                let en = format!(
                    "Look at the coordinate system guessed for {} first",
                    table.name
                );
                return Err(lang.pick(&zh, &en).to_owned());
            }
            let choices = DataChoices {
                table: self.several_tables().then(|| table.name.clone()),
                crs: (source != Source::Declared).then(|| choice_text(&crs)),
                encoding: encoding.clone(),
                csv_columns: self.read.csv_columns.clone(),
            };
            let name = if self.several_tables() {
                table.name.clone()
            } else {
                self.stem()
            };
            layers.push(LayerRequest { name, choices });
        }
        Ok(ImportRequest {
            path: self.path.clone(),
            layers,
        })
    }

    /// The words of the OK button: it names the CRS the import will use.
    pub fn ok_label(&self, lang: UiLanguage) -> String {
        let mut names: Vec<String> = Vec::new();
        for table in self.tables.iter().filter(|t| t.import) {
            if let Ok((crs, _)) = table.crs.chosen() {
                let name = short_name(&crs);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        let crs = names.join(", ");
        let count = self.tables.iter().filter(|t| t.import).count();
        match (lang, count) {
            (_, _) if crs.is_empty() => lang.pick("导入", "Import").to_owned(),
            (UiLanguage::Chinese, 0 | 1) => format!("按 {crs} 导入"),
            (UiLanguage::Chinese, n) => format!("按 {crs} 导入 {n} 个图层"),
            (UiLanguage::English, 0 | 1) => format!("Import with {crs}"),
            (UiLanguage::English, n) => format!("Import {n} layers with {crs}"),
        }
    }
}

/// How a CRS is written in a project's choices, the way `Crs::parse` reads it back.
pub fn choice_text(crs: &Crs) -> String {
    match crs {
        Crs::Gcj02 => "gcj02".into(),
        Crs::Bd09 => "bd09".into(),
        Crs::Proj(proj) => proj.as_str().into(),
        other => match other.epsg() {
            Some(code) => format!("EPSG:{code}"),
            None => other.proj_string().unwrap_or_default(),
        },
    }
}

/// A CRS in a few characters, for the OK button: EPSG:4528, GCJ-02, BD-09, PROJ.
pub fn short_name(crs: &Crs) -> String {
    match crs {
        Crs::Gcj02 => "GCJ-02".into(),
        Crs::Bd09 => "BD-09".into(),
        other => other
            .epsg()
            .map_or_else(|| "PROJ".into(), |code| format!("EPSG:{code}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(code: u32, source: Source) -> CrsOption {
        CrsOption {
            crs: Crs::from_epsg(code).unwrap(),
            source,
            reason: String::new(),
            inside_region: None,
        }
    }

    fn form(options: Vec<CrsOption>) -> ImportForm {
        let crs = CrsState {
            options,
            pick: Some(0),
            typed: String::new(),
            problem: None,
            seen: false,
        };
        ImportForm {
            path: "/data/cities.geojson".into(),
            format: "GeoJSON".into(),
            tables: vec![ImportTable::new(
                "cities".into(),
                crs,
                vec![(40_500_000.0, 3_450_000.0)],
            )],
            current: 0,
            encoding: None,
            csv: None,
            read: ReadChoices::default(),
            rereading: false,
            reread_error: None,
        }
    }

    #[test]
    fn a_projected_guess_waits_until_it_was_seen_and_is_stored_once_confirmed() {
        let mut f = form(vec![
            option(4528, Source::Guessed),
            option(4513, Source::Guessed),
        ]);
        assert!(f.request(UiLanguage::English).is_err(), "not seen yet");
        f.tables[0].crs.seen = true;
        let request = f.request(UiLanguage::English).unwrap();
        assert_eq!(request.layers[0].name, "cities");
        assert_eq!(request.layers[0].choices.crs.as_deref(), Some("EPSG:4528"));
        assert_eq!(request.layers[0].choices.table, None, "a single table");
        assert_eq!(f.ok_label(UiLanguage::English), "Import with EPSG:4528");
        f.tables[0].crs.pick = Some(1);
        assert_eq!(f.tables[0].crs.chosen().unwrap().1, Source::Chosen);
    }

    #[test]
    fn a_declared_crs_is_not_stored_and_a_typed_one_is_checked() {
        let mut f = form(vec![option(4528, Source::Declared)]);
        let request = f.request(UiLanguage::English).unwrap();
        assert_eq!(request.layers[0].choices, DataChoices::default());
        f.tables[0].crs.pick = None;
        f.tables[0].crs.typed = "EPSG:999999".into();
        assert!(f.request(UiLanguage::English).is_err());
        f.tables[0].crs.typed = "gcj02".into();
        let why = f.request(UiLanguage::English).unwrap_err();
        assert!(why.contains("not on the earth"), "metres as degrees: {why}");
        f.tables[0].sample = vec![(121.47, 31.23)];
        let request = f.request(UiLanguage::English).unwrap();
        assert_eq!(request.layers[0].choices.crs.as_deref(), Some("gcj02"));
        assert_eq!(f.ok_label(UiLanguage::Chinese), "按 GCJ-02 导入");
    }

    #[test]
    fn the_extent_follows_the_chosen_crs() {
        let mut f = form(vec![
            option(4528, Source::Guessed),
            option(4326, Source::Chosen),
        ]);
        let gk = f.tables[0].extent().unwrap();
        assert!(gk.inside_region > 0.99, "{gk:?}");
        assert!((gk.rect.min().x - 120.0).abs() < 0.1, "{gk:?}");
        f.tables[0].crs.pick = Some(1);
        assert!(f.tables[0].extent().is_none(), "metres are no lon/lat");
    }

    #[test]
    fn a_csv_without_coordinate_columns_waits_for_a_pick_which_a_new_read_keeps() {
        let mut refused = form(vec![]);
        refused.tables.clear();
        refused.csv = Some(CsvColumnsState {
            header: vec!["名称".into(), "E".into(), "N".into()],
            refused: Some(Bilingual::new("没有坐标列", "no coordinate columns")),
            ..CsvColumnsState::default()
        });
        assert_eq!(
            refused.request(UiLanguage::English).unwrap_err(),
            "Pick the X and Y columns"
        );
        if let Some(csv) = refused.csv.as_mut() {
            (csv.x, csv.y) = ("E".into(), "N".into());
        }
        let mut fresh = form(vec![option(4528, Source::Declared)]);
        fresh.csv = Some(CsvColumnsState {
            header: vec!["名称".into(), "E".into(), "N".into()],
            ..CsvColumnsState::default()
        });
        fresh.read.csv_columns = Some(("E".into(), "N".into()));
        refused.take_reread(fresh);
        let csv = refused.csv.as_ref().unwrap();
        assert_eq!((csv.x.as_str(), csv.y.as_str()), ("E", "N"));
        let request = refused.request(UiLanguage::English).unwrap();
        assert_eq!(
            request.layers[0].choices.csv_columns,
            Some(("E".into(), "N".into()))
        );
    }

    #[test]
    fn choice_texts_read_back_as_the_same_crs() {
        for text in ["EPSG:4528", "EPSG:4326", "gcj02", "bd09", "EPSG:32651"] {
            let crs = Crs::parse(text).unwrap();
            assert_eq!(choice_text(&crs), text);
            assert_eq!(Crs::parse(&choice_text(&crs)).unwrap(), crs);
        }
        let proj = Crs::parse("+proj=tmerc +lon_0=121.5 +ellps=GRS80 +units=m").unwrap();
        assert_eq!(Crs::parse(&choice_text(&proj)).unwrap(), proj);
    }
}
