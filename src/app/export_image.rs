//! File › Export image…: the app's side. The dialog gathers the choices; here the image is
//! written through the same code as `onemap export` (`present::export`), from the project as
//! it is now (with unsaved changes), either as the editor shows it or as one of its scenes.

use crate::command::{
    AppCommand, Dialog, ExportImageForm, ExportImageRequest, ImageSize, PaperSize,
};
use crate::present::export::{Canvas, ExportError, Paper, SlideSpec, export_project, export_slide};

use super::OneMapApp;
use super::handle::wrong_family;

impl OneMapApp {
    pub(super) fn run_export_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::AskExportImage => {
                let scenes = self
                    .doc
                    .project
                    .scenes
                    .iter()
                    .map(|s| (s.name.clone(), s.title_zh.clone(), s.title_en.clone()))
                    .collect();
                let form = ExportImageForm::new(self.default_image_path(), scenes);
                self.files.dialog = Some(Dialog::ExportImage(Box::new(form)));
            }
            AppCommand::ExportImage(request) => match self.export_image(&request) {
                Ok(()) => self
                    .files
                    .info("Exported", request.path.display().to_string()),
                Err(e) => self
                    .files
                    .error("Export failed", e.in_language(self.lang())),
            },
            other => wrong_family("export", &other),
        }
    }

    /// Beside the project, named after it: `sma-2022.png`.
    fn default_image_path(&self) -> String {
        self.doc
            .path
            .as_ref()
            .map(|p| p.with_extension("png").display().to_string())
            .unwrap_or_default()
    }

    fn export_image(&self, request: &ExportImageRequest) -> Result<(), ExportError> {
        let canvas = match request.size {
            ImageSize::Pixels { width, height } => Canvas::pixels(width, height)?,
            ImageSize::Paper { paper, dpi } => {
                let paper = match paper {
                    PaperSize::A4 => Paper::A4,
                    PaperSize::A3 => Paper::A3,
                };
                Canvas::paper(paper, dpi)?
            }
        };
        let project = self.doc.project.clone();
        let path = self.doc.path.as_deref();
        match (&request.scene, path) {
            // Exactly what `onemap export --scene` writes for this project.
            (Some(scene), Some(path)) => export_project(
                &self.data,
                project,
                path,
                Some(scene),
                canvas,
                &request.path,
            ),
            (Some(scene), None) => {
                let def = crate::present::export::find_scene(&project, scene)?;
                let spec = SlideSpec::of(&project, Some(def));
                export_slide(&self.data, project, None, spec, canvas, &request.path)
            }
            (None, _) => {
                let mut spec = SlideSpec::of(&project, None);
                spec.view = Some(self.current_view());
                export_slide(&self.data, project, path, spec, canvas, &request.path)
            }
        }
    }
}
