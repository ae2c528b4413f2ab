//! A project made ready to paint: its style, the scene of the plan and the document, built
//! once for all the pages of a map book; and each page painted from it, a slide or, on a sheet
//! of paper, the print layout.

use std::path::Path;

use egui::Color32;

use crate::doc::{AppData, Document};
use crate::map::Scene;
use crate::model::project::Project;
use crate::model::style::Style;

use super::export::{Canvas, SlideInputs, SlideSpec, today, transform_for};
use super::render::{Rendered, render};
use super::slide::short_attribution;

/// A project made ready to paint any number of its slides: its style, the scene of the plan
/// and the document (the project over the plan).
pub(crate) struct Prepared {
    style: Style,
    scene: Scene,
    pub(crate) doc: Document,
    pub(crate) date: String,
}

impl Prepared {
    pub(crate) fn new(data: &AppData, project: Project, project_path: Option<&Path>) -> Self {
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
        }
    }

    /// One slide, or on a sheet of paper the print layout.
    pub(crate) fn render(&self, data: &AppData, spec: &SlideSpec, canvas: Canvas) -> Rendered {
        self.render_counting(data, spec, canvas).0
    }

    /// [`Self::render`], and how many of the items drawn are our sketches.
    pub(crate) fn render_counting(
        &self,
        data: &AppData,
        spec: &SlideSpec,
        canvas: Canvas,
    ) -> (Rendered, usize) {
        let inputs = SlideInputs {
            plan: &data.plan,
            style: &self.style,
            attribution: &data.attribution,
            scene: &self.scene,
            doc: &self.doc,
            spec,
            high_contrast: false,
            date: &self.date,
        };
        let area = super::plan_area(&data.plan);
        match canvas.sheet {
            Some(sheet) => {
                let block = self.title_block(data);
                super::print::render_sheet(&inputs, area, canvas, sheet, &block)
            }
            None => {
                let camera = spec.camera(area, canvas.size_in_points());
                let mut indicative = 0;
                let rendered = render(
                    canvas.width_px,
                    canvas.height_px,
                    canvas.pixels_per_point,
                    |painter, rect| {
                        indicative = inputs
                            .slide(rect, transform_for(camera, rect))
                            .paint(painter)
                            .indicative;
                    },
                );
                (rendered, indicative)
            }
        }
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
