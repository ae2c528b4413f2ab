//! The map book: one PDF with a cover and a page per scene, in presentation order. The
//! presenter's hand-out. The cover names the project, its author, the date and the plan
//! edition, lists the scenes, and carries the notice that the map shows our sketches where it
//! does (any of its scenes), so that a hand-out never passes them off as the official plan.

use std::path::Path;

use egui::{Color32, FontId, Painter, Pos2, Rect, Stroke, pos2};

use crate::doc::AppData;
use crate::map::indicative::Notice;
use crate::model::project::Project;

use super::export::{Canvas, ExportError, Format, Prepared, SlideSpec, background};
use super::render::{Rendered, render};
use super::tiles::TileSettings;

/// Writes the map book of `project` to `out` (a PDF): the cover, then each scene on a page
/// of `canvas` (a sheet of paper gets the print layout). A project without scenes gets a page
/// of the project as it is set up. The scenes with a tile basemap (or all of them, with
/// `tiles`' `--basemap`) are drawn over its tiles. Returns the number of pages and the
/// warnings about tiles, each once.
pub fn export_book(
    data: &AppData,
    project: Project,
    project_path: Option<&Path>,
    canvas: Canvas,
    out: &Path,
    tiles: &TileSettings,
) -> Result<(usize, Vec<String>), ExportError> {
    if Format::of(out)? != Format::Pdf {
        return Err(ExportError::BookFormat {
            path: out.to_owned(),
        });
    }
    let specs: Vec<SlideSpec> = if project.scenes.is_empty() {
        vec![SlideSpec::of(&project, None)]
    } else {
        project
            .scenes
            .iter()
            .map(|s| SlideSpec::of(&project, Some(s)))
            .collect()
    };
    let prepared = Prepared::new(data, project, project_path, tiles);
    let mut pages = Vec::with_capacity(specs.len() + 1);
    let mut indicative = false;
    let mut warnings: Vec<String> = Vec::new();
    for spec in &specs {
        let page = prepared.render_page(data, spec, canvas)?;
        indicative |= page.indicative > 0;
        for w in page.warnings {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
        pages.push(page.rendered);
    }
    let cover = render_cover(&prepared, data, &specs, canvas, indicative);
    pages.insert(0, cover);
    let info = prepared.pdf_info(&SlideSpec::of(&prepared.doc.project, None));
    let bytes = super::pdf::to_pdf(&pages, background(data), &info).map_err(ExportError::Pdf)?;
    crate::io::atomic::atomic_write(out, &bytes, false)?;
    Ok((pages.len(), warnings))
}

/// The cover page, on the same canvas as the scene pages.
fn render_cover(
    prepared: &Prepared,
    data: &AppData,
    specs: &[SlideSpec],
    canvas: Canvas,
    indicative: bool,
) -> Rendered {
    render(
        canvas.width_px,
        canvas.height_px,
        canvas.pixels_per_point,
        |painter, rect| paint_cover(painter, rect, prepared, data, specs, indicative),
    )
}

fn paint_cover(
    painter: &Painter,
    page: Rect,
    prepared: &Prepared,
    data: &AppData,
    specs: &[SlideSpec],
    indicative: bool,
) {
    painter.rect_filled(page, 0.0, Color32::WHITE);
    let project = &prepared.doc.project;
    let lang = project.settings.language;
    let block = prepared.title_block(data);
    // Text grows with the page, from a 1080p slide's size.
    let k = (page.width().min(page.height()) / 1080.0 * 1.35).max(0.6);
    let ink = Color32::from_gray(15);
    let weak = Color32::from_gray(80);
    let margin = 70.0 * k;
    let width = page.width() - 2.0 * margin;
    let left = page.left() + margin;
    let mut y = page.top() + margin;
    let put = |text: &str, size: f32, color: Color32, y: &mut f32| {
        if text.is_empty() {
            return;
        }
        let g = painter.layout(
            text.to_owned(),
            FontId::proportional(size * k),
            color,
            width,
        );
        let h = g.size().y;
        painter.galley(pos2(left, *y), g, color);
        *y += h;
    };
    put(&block.project_title, 40.0, ink, &mut y);
    y += 10.0 * k;
    put(&block.edition, 18.0, weak, &mut y);
    y += 16.0 * k;
    painter.hline(
        left..=left + width,
        y,
        Stroke::new(1.5 * k, Color32::from_gray(120)),
    );
    y += 16.0 * k;
    let field = |zh: &str, en: &str, value: &str| {
        format!("{}: {value}", lang.label(zh, en).replace('\n', " / "))
    };
    put(&field("作者", "Author", &block.author), 15.0, ink, &mut y);
    put(&field("日期", "Date", &prepared.date), 15.0, ink, &mut y);
    if !block.approval_number.is_empty() {
        put(
            &field("审图号", "Approval no.", &block.approval_number),
            15.0,
            ink,
            &mut y,
        );
    }
    y += 22.0 * k;
    put(
        &lang.label("场景", "Scenes").replace('\n', " / "),
        17.0,
        ink,
        &mut y,
    );
    y += 6.0 * k;
    for (i, spec) in specs.iter().enumerate() {
        let title = spec.title.replace('\n', " / ");
        put(
            &format!("{}. {title}  ({})", i + 1, i + 2),
            13.0,
            ink,
            &mut y,
        );
        y += 3.0 * k;
    }
    if indicative {
        let notice = Notice::layout(painter, k, false, ink);
        let at = Pos2::new(
            left,
            (page.bottom() - margin - notice.size.y).max(y + 20.0 * k),
        );
        painter.extend(notice.shapes(at, Color32::from_white_alpha(235)));
    }
    let sources = painter.layout(
        block.sources.clone(),
        FontId::proportional(9.0 * k),
        weak,
        width,
    );
    let at = pos2(left, page.bottom() - margin / 2.0 - sources.size().y);
    painter.galley(at, sources, weak);
}
