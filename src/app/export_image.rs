//! File › Export image…: the app's side. The dialog gathers the choices; here the image is
//! written through the same code as `onemap export` (`present::export`), from the project as
//! it is now (with unsaved changes), either as the editor shows it or as one of its scenes.
//! File › Export map book (PDF)…: the cover and every scene, through the same code as
//! `onemap export --all-scenes` (`present::book`).
//! File › Project properties…: the title, author and 审图号 those exports print.

use crate::command::{
    AppCommand, Dialog, ExportBookForm, ExportBookRequest, ExportImageForm, ExportImageRequest,
    ImageSize, PaperSize,
};
use crate::present::export::{
    Canvas, ExportError, Paper, Sheet, SlideSpec, export_project_with, export_slide,
};
use crate::present::tiles::TileSettings;

use std::path::Path;

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
            AppCommand::AskProjectProperties => {
                let info = self.doc.project.meta.info();
                self.files.dialog = Some(Dialog::ProjectProperties(Box::new(info)));
            }
            AppCommand::AskExportBook => {
                let path = std::path::Path::new(&self.default_image_path()).with_extension("pdf");
                let form =
                    ExportBookForm::new(path.display().to_string(), self.doc.project.scenes.len());
                self.files.dialog = Some(Dialog::ExportBook(Box::new(form)));
            }
            AppCommand::ExportBook(request) => match self.export_book(&request) {
                Ok(()) => {
                    self.files
                        .info("Exported", request.path.display().to_string());
                    self.remember_export_dir(&request.path);
                }
                Err(e) => self
                    .files
                    .error("Export failed", e.in_language(self.lang())),
            },
            AppCommand::ExportImage(request) => match self.export_image(&request) {
                Ok(()) => {
                    self.files
                        .info("Exported", request.path.display().to_string());
                    self.remember_export_dir(&request.path);
                }
                Err(e) => self
                    .files
                    .error("Export failed", e.in_language(self.lang())),
            },
            other => wrong_family("export", &other),
        }
    }

    /// Named after the project (`sma-2022.png`), beside it; but where the project's folder is
    /// not the user's to write in (the project built into OneMap, whose folder is the
    /// program's, or a read-only one), in the folder last exported to, or the user's
    /// Documents (or home) folder.
    fn default_image_path(&self) -> String {
        let path = self.doc.path.as_deref();
        let name = path
            .and_then(Path::file_stem)
            .map_or("onemap".into(), |s| s.to_string_lossy().into_owned());
        let beside = path
            .and_then(Path::parent)
            .filter(|dir| self.is_users_folder(dir))
            .map(Path::to_owned);
        let remembered = || {
            self.help
                .prefs
                .last_export_dir
                .clone()
                .filter(|d| d.is_dir())
        };
        match beside
            .or_else(remembered)
            .or_else(crate::io::user_dirs::documents_or_home)
        {
            Some(dir) => dir.join(format!("{name}.png")).display().to_string(),
            None => format!("{name}.png"),
        }
    }

    /// Whether a project's folder is one to write the user's files in: not inside OneMap's
    /// own folder (the data and the built-in project), not open for review, not read-only.
    fn is_users_folder(&self, dir: &Path) -> bool {
        let inside_program = std::path::absolute(dir)
            .ok()
            .zip(std::path::absolute(&self.data.dir.root).ok())
            .is_some_and(|(dir, root)| dir.starts_with(root));
        let read_only = std::fs::metadata(dir).map_or(true, |m| m.permissions().readonly());
        !inside_program && !read_only && !self.doc.read_only
    }

    /// Remembers the folder of an exported image in the preferences, for the next suggestion.
    fn remember_export_dir(&mut self, written: &Path) {
        let Some(dir) = written.parent().filter(|d| !d.as_os_str().is_empty()) else {
            return;
        };
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned());
        if self.help.prefs.last_export_dir.as_deref() != Some(dir.as_path()) {
            self.help.prefs.last_export_dir = Some(dir);
            self.save_preferences();
        }
    }

    fn export_image(&self, request: &ExportImageRequest) -> Result<(), ExportError> {
        let canvas = match request.size {
            ImageSize::Pixels { width, height } => Canvas::pixels(width, height)?,
            ImageSize::Paper { paper, dpi } => Canvas::paper(paper_of(paper), dpi)?,
        };
        let project = self.doc.project.clone();
        let path = self.doc.path.as_deref();
        let tiles = self.export_tile_settings();
        match (&request.scene, path) {
            // Exactly what `onemap export --scene` writes for this project.
            (Some(scene), Some(path)) => export_project_with(
                &self.data,
                project,
                path,
                Some(scene),
                canvas,
                &request.path,
                &tiles,
            )
            .map(drop),
            (Some(scene), None) => {
                let def = crate::present::export::find_scene(&project, scene)?;
                let spec = SlideSpec::of(&project, Some(def));
                export_slide(
                    &self.data,
                    project,
                    None,
                    spec,
                    canvas,
                    &request.path,
                    &tiles,
                )
                .map(drop)
            }
            (None, _) => {
                let mut spec = SlideSpec::of(&project, None);
                spec.view = Some(self.current_view());
                export_slide(
                    &self.data,
                    project,
                    path,
                    spec,
                    canvas,
                    &request.path,
                    &tiles,
                )
                .map(drop)
            }
        }
    }
}

impl OneMapApp {
    /// The app's cache and offline switch: the user opted into the source on screen.
    fn export_tile_settings(&self) -> TileSettings {
        TileSettings {
            basemap: None,
            open: self.tile_options(),
        }
    }
}

fn paper_of(paper: PaperSize) -> Paper {
    match paper {
        PaperSize::A4 => Paper::A4,
        PaperSize::A3 => Paper::A3,
        PaperSize::A2 => Paper::A2,
        PaperSize::A1 => Paper::A1,
        PaperSize::A0 => Paper::A0,
    }
}

impl OneMapApp {
    /// The map book of the project as it is now (with unsaved changes).
    fn export_book(&self, request: &ExportBookRequest) -> Result<(), ExportError> {
        let canvas = match request.paper {
            // 150 dpi: the layout's resolution only (the PDF is vector), as on the command line.
            Some(paper) => Canvas::sheet(
                Sheet {
                    paper: paper_of(paper),
                    portrait: request.portrait,
                    scale: None,
                },
                150,
            )?,
            None => Canvas::pixels(1920, 1080)?,
        };
        crate::present::book::export_book(
            &self.data,
            self.doc.project.clone(),
            self.doc.path.as_deref(),
            canvas,
            &request.path,
            &self.export_tile_settings(),
        )
        .map(drop)
    }
}
