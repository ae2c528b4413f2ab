//! `onemap export`: a slide, a print sheet or the map book of a project (or plain GeoJSON
//! layers), as PNG, SVG or PDF, over the tiles of a tile basemap when one is chosen.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::io::output_guard::{Writes, check_output};
use crate::present::export::{self, Canvas, ExportError, Paper, Sheet};
use crate::present::tiles::TileSettings;

use super::{PaperArg, data_dir, load_project};

/// The canvas of `--paper` (with `--portrait`, `--scale`, `--dpi`), of `--width` and
/// `--height`, or 1920 × 1080 px.
pub(super) fn canvas(
    paper: Option<PaperArg>,
    pixels: Option<(u32, u32)>,
    portrait: bool,
    scale: Option<u32>,
    dpi: Option<u32>,
) -> Result<Canvas, ExportError> {
    match (paper, pixels) {
        (Some(p), _) => {
            let paper = match p {
                PaperArg::A4 => Paper::A4,
                PaperArg::A3 => Paper::A3,
                PaperArg::A2 => Paper::A2,
                PaperArg::A1 => Paper::A1,
                PaperArg::A0 => Paper::A0,
            };
            let sheet = Sheet {
                paper,
                portrait,
                scale,
            };
            Canvas::sheet(sheet, dpi.unwrap_or(300))
        }
        (None, Some((w, h))) => Canvas::pixels(w, h),
        (None, None) => Canvas::pixels(1920, 1080),
    }
}

/// `--basemap` and `--allow-network`: how the export finds its tiles.
pub(super) fn tile_settings(basemap: Option<&str>, allow_network: bool) -> TileSettings {
    TileSettings {
        basemap: basemap.map(crate::model::tile_basemap::BasemapChoice::from_arg),
        open: crate::io::tiles::OpenOptions {
            cache_dir: crate::io::tiles::cache_dir(),
            offline: !allow_network,
            // The user's key, from the app's preferences.
            tianditu_key: crate::io::preferences::default_preferences_file()
                .map(|f| crate::io::preferences::read_preferences(&f).tianditu_key)
                .unwrap_or_default(),
            timeout: None,
            // A project's relative path is found from its folder (see the export);
            // a --basemap path from the working folder.
            base_dir: None,
        },
    }
}

/// What `export` writes of a project.
#[derive(Clone, Copy, Debug)]
pub(super) enum Exported<'a> {
    /// One scene (or the project as set up).
    Slide(Option<&'a str>),
    /// The map book: a cover and every scene.
    Book,
}

#[allow(clippy::print_stdout)]
pub(super) fn export_image(
    project: Option<&Path>,
    geojson: &[PathBuf],
    out: &Path,
    what: Exported<'_>,
    canvas: Result<Canvas, ExportError>,
    data: Option<&Path>,
    tiles: &TileSettings,
) -> ExitCode {
    let inputs = project
        .into_iter()
        .chain(geojson.iter().map(PathBuf::as_path));
    if let Err(e) = check_output(out, inputs, Writes::Other("an image")) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    let result =
        canvas.and_then(|canvas| write_export(project, geojson, out, what, canvas, data, tiles));
    match result {
        Ok((c, pages)) => {
            let px = format!("{} × {} px", c.width_px, c.height_px);
            let size = match c.sheet {
                Some(sheet) => format!(
                    "{} {}, {px}",
                    sheet.paper.name(),
                    if sheet.portrait {
                        "portrait"
                    } else {
                        "landscape"
                    }
                ),
                None => px,
            };
            if pages > 1 {
                println!("wrote {} ({size}, {pages} pages)", out.display());
            } else {
                println!("wrote {} ({size})", out.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// Writes what `export` was asked for; the canvas and the number of pages written.
fn write_export(
    project: Option<&Path>,
    geojson: &[PathBuf],
    out: &Path,
    what: Exported<'_>,
    canvas: Canvas,
    data: Option<&Path>,
    tiles: &TileSettings,
) -> Result<(Canvas, usize), ExportError> {
    // The format first: a wrong extension is refused before anything is read.
    let format = export::Format::of(out)?;
    if matches!(what, Exported::Book) && format != export::Format::Pdf {
        return Err(export::ExportError::BookFormat {
            path: out.to_owned(),
        });
    }
    if !geojson.is_empty() {
        return export::export_geojson_layers(geojson, canvas, out).map(|()| (canvas, 1));
    }
    let Some(project_path) = project else {
        return Err(export::ExportError::Format {
            path: out.to_owned(),
        });
    };
    let project = load_project(project_path)?;
    let dir = data_dir(data).map_err(|message| {
        export::ExportError::Io(crate::io::IoError::Invalid {
            path: data.map(Path::to_owned).unwrap_or_default(),
            message,
        })
    })?;
    let app_data = crate::doc::AppData::load(&dir)?;
    for problem in &app_data.problems {
        eprintln!("warning: {problem}");
    }
    let (pages, warnings) = match what {
        Exported::Slide(scene) => {
            export::export_project_with(&app_data, project, project_path, scene, canvas, out, tiles)
                .map(|warnings| (1, warnings))?
        }
        Exported::Book => crate::present::book::export_book(
            &app_data,
            project,
            Some(project_path),
            canvas,
            out,
            tiles,
        )?,
    };
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok((canvas, pages))
}
