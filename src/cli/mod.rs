//! The command line. Headless subcommands are contracts: other tools rely on their names,
//! arguments and exit codes, so change them only deliberately.
//! Headless: it builds on `doc`, `present`, `io` and `model`, never on the GUI (`command`,
//! `ui`, `app`); `main.rs` starts the GUI when no subcommand is given.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod data;
pub mod db;
mod image_export;
mod project;

use crate::io::output_guard::{Writes, check_output};
use crate::io::{DataDir, load_project, read_edition, read_plan};
use crate::model::Region;

/// OneMap: the Shanghai Metropolitan Area Spatial Coordination Plan (2022) as one map, offline.
///
/// With no arguments it opens the built-in plan and its default project. Plan layers are read
/// from `layers/` and the basemap and style from `assets/`, found beside the working folder or
/// the executable, or in the folder named by the ONEMAP_DATA environment variable.
#[derive(Debug, Parser)]
#[command(name = "onemap", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// A project file to open (*.onemap). Without one, the default project opens.
    pub project: Option<PathBuf>,

    /// Opens FILE for review: read-only, with the comment tool; comments are saved in
    /// FILE's sidecar (`NAME.review.onemap`), never in FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "project")]
    pub review: Option<PathBuf>,

    /// The folder holding `layers/` and `assets/` (default: found automatically).
    #[arg(long, value_name = "DIR", global = true)]
    pub data: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Checks a project (*.onemap) or GeoJSON file and prints what is wrong with it.
    /// Exit code: 0 fine, 1 it has problems, 2 it cannot be read.
    Validate {
        /// The file to check.
        file: PathBuf,
    },
    /// Runs the plan checks on a project and prints the findings, one per line.
    /// Exit code: 0 no unacknowledged findings, 1 some, 2 the file cannot be read.
    Check {
        /// The project file.
        project: PathBuf,
        /// Print the findings as JSON, for machines.
        #[arg(long)]
        json: bool,
    },
    /// Exports a map as PNG, SVG or PDF (by OUT's extension), as presenter mode shows it: a
    /// project (one of its scenes, or as it is set up), or plain GeoJSON layers. On --paper, a
    /// project's map gets the print layout: a neat frame, a title block, the legend, a scale
    /// bar and a north arrow. --all-scenes writes a map book (PDF): a cover, then every scene.
    /// Needs no display and no GPU.
    /// Exit code: 0 written, 2 an input cannot be read or the output cannot be written.
    #[command(group(clap::ArgGroup::new("input").required(true).args(["project", "geojson"])))]
    Export {
        /// The project file.
        project: Option<PathBuf>,
        /// A GeoJSON layer to draw instead of a project (repeat for several).
        #[arg(long, value_name = "FILE", conflicts_with_all = ["project", "scene"])]
        geojson: Vec<PathBuf>,
        /// The file to write: *.png, *.svg or *.pdf.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The scene to export (its name, or its title); without one, the project as set up.
        #[arg(long, value_name = "NAME")]
        scene: Option<String>,
        /// A map book (PDF): a cover page, then one page per scene in presentation order.
        #[arg(long, conflicts_with_all = ["scene", "geojson"])]
        all_scenes: bool,
        /// Width in pixels (with --height).
        #[arg(long, requires = "height", conflicts_with = "paper")]
        width: Option<u32>,
        /// Height in pixels (with --width).
        #[arg(long, requires = "width", conflicts_with = "paper")]
        height: Option<u32>,
        /// A paper size, landscape unless --portrait (with --dpi, default 300): the print
        /// layout on that sheet.
        #[arg(long, value_enum)]
        paper: Option<PaperArg>,
        /// The sheet upright (with --paper).
        #[arg(long, requires = "paper")]
        portrait: bool,
        /// The scale to print the map at, e.g. 1:250000 (with --paper); the map shows as much
        /// as fits. Without it, the scene's view decides, and the title block says the scale.
        #[arg(long, requires = "paper", value_parser = crate::present::export::parse_scale, value_name = "1:N")]
        scale: Option<u32>,
        /// Resolution for --paper: 150 or 300 dots per inch (any value from 72 to 600 works).
        #[arg(long, requires = "paper", value_parser = clap::value_parser!(u32).range(72..=600))]
        dpi: Option<u32>,
        /// The basemap instead of the project's: `builtin`, a .pmtiles or .mbtiles file or a
        /// folder of {z}/{x}/{y} images, or a URL template with {z}, {x} and {y}. Online tiles
        /// come from the cache; an export that needs others exits 2 unless --allow-network.
        #[arg(long, value_name = "builtin|PATH|URL")]
        basemap: Option<String>,
        /// Online tiles missing from the cache may be downloaded (and are then cached).
        #[arg(long)]
        allow_network: bool,
    },
    /// Lists what changed from one project version to another, one change per line: placements
    /// (matched by id) added, removed, moved or edited, with their deltas and the plan-check
    /// findings each brought or cleared; layers, scenes, sketch layers and settings.
    /// Exit code: 0 the files are equal, 1 they differ, 2 one cannot be read.
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// Print the changes as JSON, for machines.
        #[arg(long)]
        json: bool,
        /// A team store (libpq connection string or URI): OLD or NEW written PROJECT@N is
        /// revision N of PROJECT there, so two revisions, or a revision and a file, compare.
        #[arg(long, value_name = "URL")]
        db: Option<String>,
    },
    /// Three-way merge of two versions of a project descended from BASE, field by field: what
    /// only one side changed is taken from it; a field both changed differently is a conflict,
    /// listed with its base, mine and theirs values in words, for which MINE is kept. Exit
    /// code: 0 merged cleanly, 1 merged with conflicts, 2 a file cannot be read or written.
    Merge {
        base: PathBuf,
        mine: PathBuf,
        theirs: PathBuf,
        /// The merged project to write.
        #[arg(short = 'o', long = "out", value_name = "OUT")]
        out: PathBuf,
        /// Print the conflicts and a summary as JSON, for machines.
        #[arg(long)]
        json: bool,
    },
    /// Prints what OneMap detects in a data file (GeoJSON, Shapefile or zipped Shapefile,
    /// GeoPackage, KML/KMZ, DXF, CSV), as the import dialog shows it: format, layers, feature
    /// counts and geometry types, fields and their types, the text encoding and the coordinate
    /// system (each declared by the file, or guessed), and the extent in WGS84.
    /// Exit code: 0 the file can be read, 2 it cannot.
    Info {
        file: PathBuf,
        /// Print the same as JSON, for machines.
        #[arg(long)]
        json: bool,
        /// The coordinate system of the file's coordinates, where it declares none or a wrong
        /// one: EPSG:N, a PROJ string, gcj02 or bd09.
        #[arg(long, value_name = "CRS")]
        crs: Option<String>,
        /// The text encoding of its attributes, where it declares none (gbk, utf-8, …).
        #[arg(long, value_name = "ENCODING")]
        encoding: Option<String>,
        /// Only this layer (a GeoPackage table, a Shapefile of a zip).
        #[arg(long, value_name = "NAME")]
        layer: Option<String>,
    },
    /// Converts a data file to another format, chosen by OUT's extension (.geojson, .shp, .gpkg,
    /// .kml, .kmz, .csv). A project (*.onemap) converts to its tables: placements, each plan
    /// layer with the project's sketches, each data layer. The output is WGS84 unless --to-crs says otherwise. A file whose
    /// coordinate system is neither declared nor plainly lon/lat needs --crs.
    /// Exit code: 0 written, 2 on any error, with nothing written.
    Convert {
        input: PathBuf,
        out: PathBuf,
        /// The coordinate system of the INPUT's coordinates, where it declares none or a wrong
        /// one: EPSG:N, a PROJ string, gcj02 or bd09.
        #[arg(long, value_name = "CRS")]
        crs: Option<String>,
        /// The text encoding of the INPUT's attributes, where it declares none (gbk, utf-8).
        #[arg(long, value_name = "ENCODING")]
        encoding: Option<String>,
        /// Only this layer of the input.
        #[arg(long, value_name = "NAME")]
        layer: Option<String>,
        /// The coordinate system to write (EPSG:N or a PROJ string); default WGS84.
        #[arg(long, value_name = "CRS")]
        to_crs: Option<String>,
        /// The text encoding to write a Shapefile's or CSV's attributes in: utf-8 (default)
        /// or gbk (for old ArcGIS).
        #[arg(long, value_name = "ENCODING")]
        to_encoding: Option<String>,
    },
    /// Writes a project's placements and sketch layers as RFC 7946 GeoJSON.
    /// Exit code: 0 written, 2 the project cannot be read or the output cannot be written.
    ExportGeojson {
        /// The project file.
        project: PathBuf,
        /// The GeoJSON file to write.
        out: PathBuf,
    },
    /// The team store: projects on a PostgreSQL/PostGIS server, with history and safe
    /// concurrent saves (init, push, pull, log, open).
    Db {
        #[command(subcommand)]
        command: db::DbCommand,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PaperArg {
    A4,
    A3,
    A2,
    A1,
    A0,
}

fn data_dir(data: Option<&Path>) -> Result<DataDir, String> {
    match data {
        Some(d) => Ok(DataDir::at(d)),
        None => DataDir::locate().map_err(|e| e.to_string()),
    }
}

/// Runs a headless subcommand; returns the process exit code.
pub fn run_command(command: &Command, data: Option<&Path>) -> ExitCode {
    match command {
        Command::Validate { file } => project::validate(file, data),
        Command::ExportGeojson { project, out } => project::export_geojson(project, out),
        Command::Check { project, json } => project::check(project, *json, data),
        Command::Info {
            file,
            json,
            crs,
            encoding,
            layer,
        } => data::info(
            file,
            &data::InputChoices {
                crs: crs.as_deref(),
                encoding: encoding.as_deref(),
                layer: layer.as_deref(),
            },
            *json,
        ),
        Command::Convert {
            input,
            out,
            crs,
            encoding,
            layer,
            to_crs,
            to_encoding,
        } => data::convert(
            input,
            out,
            &data::InputChoices {
                crs: crs.as_deref(),
                encoding: encoding.as_deref(),
                layer: layer.as_deref(),
            },
            &data::OutputChoices {
                crs: to_crs.as_deref(),
                encoding: to_encoding.as_deref(),
            },
            data,
        ),
        Command::Db { command } => db::run(command),
        Command::Diff { old, new, json, db } => diff([old, new], *json, db.as_deref(), data),
        Command::Merge {
            base,
            mine,
            theirs,
            out,
            json,
        } => merge([base, mine, theirs], out, *json),
        Command::Export {
            project,
            geojson,
            out,
            scene,
            all_scenes,
            width,
            height,
            paper,
            portrait,
            scale,
            dpi,
            basemap,
            allow_network,
        } => {
            let canvas = image_export::canvas(*paper, width.zip(*height), *portrait, *scale, *dpi);
            let tiles = image_export::tile_settings(basemap.as_deref(), *allow_network);
            let what = if *all_scenes {
                image_export::Exported::Book
            } else {
                image_export::Exported::Slide(scene.as_deref())
            };
            image_export::export_image(project.as_deref(), geojson, out, what, canvas, data, &tiles)
        }
    }
}

#[allow(clippy::print_stdout)]
fn diff(
    [old_path, new_path]: [&Path; 2],
    json: bool,
    store: Option<&str>,
    data: Option<&Path>,
) -> ExitCode {
    // The two versions are read, and checked below, side by side (a huge project takes a
    // quarter of a second to read and as much to check).
    let loaded = std::thread::scope(|scope| {
        let old = scope.spawn(|| db::load_file_or_revision(old_path, store));
        let new = db::load_file_or_revision(new_path, store);
        (
            old.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            new,
        )
    });
    let (old, new) = match loaded {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let loaded = data_dir(data).and_then(|d| {
        let edition = read_edition(&d.edition()).map_err(|e| e.to_string())?;
        let plan = read_plan(&d.layers(), Region::SHANGHAI_METROPOLITAN_AREA)
            .map_err(|e| e.to_string())?
            .plan;
        Ok((edition, plan))
    });
    let changes = match &loaded {
        Ok((edition, plan)) => {
            let (f_old, f_new) = std::thread::scope(|scope| {
                let old = scope.spawn(|| crate::model::checks::run_checks(&old, plan, edition));
                let new = crate::model::checks::run_checks(&new, plan, edition);
                (
                    old.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                    new,
                )
            });
            crate::model::diff::diff(
                &old,
                &new,
                plan,
                Some(crate::model::diff::Findings {
                    old: &f_old,
                    new: &f_new,
                }),
            )
        }
        Err(e) => {
            eprintln!("warning: without the plan layers, findings are not compared: {e}");
            let plan = crate::model::Plan::new(Region::SHANGHAI_METROPOLITAN_AREA);
            crate::model::diff::diff(&old, &new, &plan, None)
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&changes).unwrap_or_default()
        );
    } else {
        for c in &changes {
            println!("{}", c.line());
        }
    }
    if changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[allow(clippy::print_stdout)]
fn merge(inputs: [&Path; 3], out: &Path, json: bool) -> ExitCode {
    if let Err(e) = check_output(out, inputs, Writes::Project) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    let mut loaded = Vec::new();
    for path in inputs {
        match load_project(path) {
            Ok(p) => loaded.push(p),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    }
    let result = crate::edit::merge::merge3(&loaded[0], &loaded[1], &loaded[2]);
    let mut merged = result.merged.clone();
    merged.meta.modified = crate::io::clock::now_rfc3339();
    if let Err(e) = crate::io::save_project(out, &merged) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    if json {
        let report = result.report(out);
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        for c in &result.conflicts {
            println!("{}", crate::edit::merge::words::conflict(c));
        }
        println!(
            "wrote {} ({} conflict{})",
            out.display(),
            result.conflicts.len(),
            if result.conflicts.len() == 1 { "" } else { "s" }
        );
    }
    if result.conflicts.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
