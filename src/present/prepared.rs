//! A project made ready to paint: its style, the scene of the plan and the document, built
//! once for all the pages of a map book; and each page painted from it, a slide or, on a sheet
//! of paper, the print layout. Every page of every format goes through here, and with it the
//! tile basemap: its tiles are drawn under the map, its warnings and its refusal to draw holes
//! (tiles neither cached nor allowed from the network) are the same for PNG, SVG, PDF, map
//! books and print sheets.

use std::path::Path;

use egui::Color32;

use crate::doc::{AppData, Document};
use crate::map::Scene;
use crate::model::project::Project;
use crate::model::style::Style;

use super::export::{Canvas, ExportError, SlideInputs, SlideSpec, render_slide_counting, today};
use super::render::Rendered;
use super::slide::short_attribution;
use super::tiles::{HeadlessTiles, TileSettings, with_tiles};

/// A project made ready to paint any number of its slides: its style, the scene of the plan
/// and the document (the project over the plan).
pub(crate) struct Prepared {
    style: Style,
    scene: Scene,
    pub(crate) doc: Document,
    pub(crate) date: String,
    /// How the tiles of a tile basemap are found (and `--basemap`'s override).
    tiles: TileSettings,
}

/// A page painted: the rendering, how many of the items drawn are our sketches, and the
/// warnings about its tiles.
pub(crate) struct Page {
    pub(crate) rendered: Rendered,
    pub(crate) indicative: usize,
    pub(crate) warnings: Vec<String>,
}

impl Prepared {
    pub(crate) fn new(
        data: &AppData,
        project: Project,
        project_path: Option<&Path>,
        tiles: &TileSettings,
    ) -> Self {
        let style = data
            .base_style
            .with_overrides(&project.layer_order, &project.style_overrides);
        let scene = Scene::build(&data.plan, &data.basemap, &style);
        let doc = Document::on_plan(
            project,
            project_path.map(Path::to_owned),
            data.shared_plan.clone(),
            &style,
        );
        Self {
            style,
            scene,
            doc,
            date: today(),
            tiles: tiles.clone(),
        }
    }

    /// One slide, or on a sheet of paper the print layout; with the warnings about its tiles.
    pub(crate) fn render(
        &self,
        data: &AppData,
        spec: &SlideSpec,
        canvas: Canvas,
    ) -> Result<(Rendered, Vec<String>), ExportError> {
        self.render_page(data, spec, canvas)
            .map(|page| (page.rendered, page.warnings))
    }

    /// [`Self::render`], and how many of the items drawn are our sketches. Over the tiles of
    /// the slide's basemap (or `--basemap`'s) when it is a tile source; an error when tiles
    /// were needed that are neither cached nor allowed from the network.
    pub(crate) fn render_page(
        &self,
        data: &AppData,
        spec: &SlideSpec,
        canvas: Canvas,
    ) -> Result<Page, ExportError> {
        let mut spec = spec.clone();
        if let Some(b) = &self.tiles.basemap {
            spec.settings.basemap = b.clone();
        }
        let project_path = self.doc.path.as_deref();
        let (mut tiles, mut warnings) =
            HeadlessTiles::for_slide(&spec.settings.basemap, &self.tiles, project_path);
        if let Some(t) = &tiles {
            t.fill_attribution(&mut spec.settings.basemap);
        }
        let inputs = SlideInputs {
            plan: &data.plan,
            style: &self.style,
            attribution: &data.attribution,
            scene: &self.scene,
            doc: &self.doc,
            spec: &spec,
            high_contrast: false,
            date: &self.date,
        };
        let area = super::plan_area(&data.plan);
        let (rendered, indicative) = match canvas.sheet {
            Some(sheet) => {
                let mut block = self.title_block(data);
                if tiles.is_some() {
                    block.sources =
                        with_tiles(&block.sources, &spec.settings.basemap.attribution());
                }
                super::print::render_sheet(&inputs, area, canvas, sheet, &block, tiles.as_mut())
            }
            None => render_slide_counting(&inputs, area, canvas, tiles.as_mut()),
        };
        if let Some(t) = &tiles {
            warnings.extend(t.outcome(&spec.settings.basemap)?);
        }
        Ok(Page {
            rendered,
            indicative,
            warnings,
        })
    }

    /// The title block's fields from the project and the plan edition.
    pub(crate) fn title_block(&self, data: &AppData) -> super::print::TitleBlock {
        let project = &self.doc.project;
        let lang = project.settings.language;
        super::print::TitleBlock {
            project_title: lang.label(&project.meta.title_zh, &project.meta.title_en),
            author: project.meta.author.clone(),
            edition: data.edition.as_ref().map_or_else(
                || project.edition.clone(),
                |e| lang.label(&e.name_zh, &e.name_en),
            ),
            approval_number: project.meta.approval_number.clone(),
            sources: short_attribution(&data.attribution),
        }
    }

    pub(crate) fn pdf_info(&self, spec: &SlideSpec) -> super::pdf::PdfInfo {
        let meta = &self.doc.project.meta;
        let project = self
            .doc
            .project
            .settings
            .language
            .label(&meta.title_zh, &meta.title_en)
            .replace('\n', " / ");
        let title = if spec.title.is_empty() || spec.title == project {
            project
        } else {
            format!("{project}: {}", spec.title.replace('\n', " / "))
        };
        super::pdf::PdfInfo {
            title,
            author: meta.author.clone(),
        }
    }
}

/// What the page is filled with first: the colour where there is no data.
pub(crate) fn background(data: &AppData) -> Color32 {
    let c = data.style.no_data;
    Color32::from_rgba_unmultiplied(c.0, c.1, c.2, c.3)
}
