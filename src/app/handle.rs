//! Applying what the UI asked for: the one place that changes the app's state and the project
//! (through the undo history), and that touches files.

use crate::edit::Edit;
use crate::edit::labels::Named;
use crate::io::clock;
use crate::model::Bilingual;
use crate::model::style::DATA_LAYER_PREFIX;

use super::{AppCommand, OneMapApp};

impl OneMapApp {
    /// Applies the commands of a frame, in order. The one place that changes the app's state.
    pub fn run_commands(&mut self, commands: Vec<AppCommand>) {
        for command in commands {
            self.run_command(command);
        }
        self.files.after_dialogs();
    }

    /// Applies an edit through the history: the one way the project changes.
    pub(super) fn edit(&mut self, edit: Edit) {
        if self.review_mode {
            // Navigation (layers shown, labels) is allowed and never saved: the reviewed file
            // is not written. Anything else is refused.
            if let Edit::View(v) = &edit {
                self.doc.project.settings.apply(v);
                self.doc.accept_as_saved();
                self.doc.rebuild(&self.data.style);
            } else {
                self.files.info(
                    "Review mode",
                    self.help.prefs.ui_language.pick("项目以只读方式打开供审阅。用评论工具（C）添加评论；退出审阅后可编辑。", "The project is open read-only for review. Comment with the comment tool (C); Leave review to edit.").into(),
                );
            }
            return;
        }
        let structural = edit.is_structural();
        let label = self.step_label(&edit);
        match self
            .doc
            .history
            .apply_labelled(&edit, &mut self.doc.project, label)
        {
            Ok(true) => {
                if structural {
                    self.doc.reload_sketches();
                }
                self.project_changed(structural);
            }
            Ok(false) => {}
            Err(e) => self.files.error("Could not make the change", e.to_string()),
        }
    }

    /// The Edit menu's name for the step, with layers called by their names, not their ids.
    fn step_label(&self, edit: &Edit) -> Bilingual {
        let style = &self.data.style;
        let sketches = &self.doc.project.sketch_layers;
        edit.label_named(&|named| match named {
            Named::Layer(id) => {
                if let Some(sketch_id) = id.strip_prefix(DATA_LAYER_PREFIX) {
                    let sketch = sketches.get(sketch_id)?;
                    return Some(Bilingual::new(&sketch.name, &sketch.name));
                }
                let layer = style.layer(id)?;
                Some(Bilingual::new(&layer.name_zh, &layer.name_en))
            }
            Named::Group(id) => {
                let group = style.groups.iter().find(|g| g.id == id)?;
                Some(Bilingual::new(&group.name_zh, &group.name_en))
            }
            Named::DataLayer(id) => {
                let sketch = sketches.get(id)?;
                Some(Bilingual::new(&sketch.name, &sketch.name))
            }
        })
    }

    /// After undo or redo anything may have changed, sketch layers included.
    fn after_history_step(&mut self) {
        self.doc.reload_sketches();
        self.project_changed(true);
    }

    pub(super) fn project_changed(&mut self, structural: bool) {
        self.doc.rebuild(&self.data.style);
        // Not while a gesture is under way: a drag would write the journal every frame. Not
        // once the user has chosen to quit: a clean quit leaves no journal behind.
        if structural
            && self.doc.is_dirty()
            && !self.doc.history.in_gesture()
            && !self.files.allow_close
        {
            self.files.write_journal(
                self.doc.path.as_deref(),
                &self.doc.project,
                self.doc.revision,
            );
        }
    }

    /// Applies one command: routes it to the function of its family. The match is exhaustive,
    /// so a new command does not compile until it has a family.
    pub(super) fn run_command(&mut self, command: AppCommand) {
        use AppCommand as C;
        match command {
            command @ (C::View(..)
            | C::Edit(..)
            | C::BeginGesture(..)
            | C::EndGesture
            | C::Undo
            | C::Redo
            | C::BulkEdit(..)
            | C::CommentOnPlacement { .. }
            | C::DraftAcknowledgement(..)
            | C::Acknowledge { .. }
            | C::Locate { .. }
            | C::RemoveSketch(..)
            | C::SetSketchVisible(..)
            | C::SetSketchOpacity(..)
            | C::RevertToPlan(..)
            | C::RevertLayer(..)
            | C::SetProjectInfo(..)) => self.run_edit_command(command),
            command @ (C::Select(..)
            | C::ToggleSelect(..)
            | C::SelectInBox(..)
            | C::SelectMany(..)
            | C::SelectAndShow(..)
            | C::Copy
            | C::Cut
            | C::Paste
            | C::Duplicate) => self.run_selection_command(command),
            command @ C::CopyText(..) => self.run_selection_command(command),
            C::ShowBasemapPicker => self.show_basemap_picker(),
            C::PickBasemap(choice) => self.pick_basemap(choice),
            C::SetTilePreferences {
                tianditu_key,
                offline,
            } => self.set_tile_preferences(tianditu_key, offline),
            command @ (C::SelectAndCentre(..)
            | C::ToggleDataTable(..)
            | C::CopyToPlacements(..)) => self.run_data_layer_command(command),
            command @ (C::ZoomTo(..)
            | C::ZoomIn
            | C::ZoomOut
            | C::Home
            | C::ShowAbout(..)
            | C::DismissProblems
            | C::ToggleChecks
            | C::ToggleTable
            | C::SetSketchView(..)
            | C::Present(..)
            | C::PresentStep(..)
            | C::StopPresenting
            | C::ToggleHighContrast
            | C::AddScene
            | C::UpdateScene(..)
            | C::GoToScene(..)) => self.run_view_command(command),
            command @ (C::SetUiLanguage(..)
            | C::ShowShortcuts(..)
            | C::ShowQuickStart(..)
            | C::DismissQuickStart
            | C::ShowReadme(..)) => self.run_help_command(command),
            command @ (C::AskExportImage
            | C::ExportImage(..)
            | C::AskExportBook
            | C::ExportBook(..)
            | C::AskProjectProperties) => self.run_export_command(command),
            command @ (C::DetectData(..) | C::RereadData(..) | C::ImportData(..)) => {
                self.run_import_command(command)
            }
            command @ (C::SetTool(..)
            | C::SetDrawAction(..)
            | C::ToggleSnap
            | C::AddVertex(..)
            | C::RemoveLastVertex
            | C::CancelDrawing
            | C::FinishDrawing
            | C::MoveStart { .. }
            | C::MoveTo(..)
            | C::MoveEnd
            | C::VertexGrab(..)
            | C::VertexTo(..)
            | C::VertexRelease
            | C::SelectVertex(..)
            | C::DeleteSelected) => self.run_tool_command(command),
            command @ (C::OpenForReview(..)
            | C::LeaveReview
            | C::StartComment(..)
            | C::CancelComment
            | C::AddComment(..)
            | C::Reply { .. }
            | C::SetCommentStatus { .. }
            | C::ToggleComments
            | C::MergeComments
            | C::CompareWith(..)
            | C::AcceptChange(..)
            | C::AcceptAllChanges(..)
            | C::CloseCompare
            | C::Merge3 { .. }
            | C::ResolveConflict(..)
            | C::CloseMerge
            | C::ToggleSideBySide
            | C::WriteMerged(..)
            | C::WriteReport(..)) => self.run_review_command(command),
            command @ (C::AskOpenFromDb
            | C::ListDbProjects(..)
            | C::OpenFromDb(..)
            | C::AskPublishToDb
            | C::PublishToDb(..)
            | C::TakeDbMerge) => self.run_db_command(command),
            command @ (C::AskPath(..)
            | C::Browse(..)
            | C::New
            | C::Open(..)
            | C::Save
            | C::SaveAs(..)
            | C::SaveThen(..)
            | C::DiscardThen(..)
            | C::Import { .. }
            | C::CancelImport
            | C::ExportGeojson(..)
            | C::ExportCsv(..)
            | C::ExportSketchLayer { .. }
            | C::ApplyBaseline(..)
            | C::Restore(..)
            | C::DiscardJournal(..)
            | C::Quit) => self.run_file_command(command),
        }
    }

    /// Changes to the project, each through the undo history, and the history itself.
    pub(super) fn run_edit_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::View(v) => self.edit(Edit::View(v)),
            AppCommand::Edit(e) => self.edit(*e),
            AppCommand::SetProjectInfo(info) => {
                if info != self.doc.project.meta.info() {
                    self.edit(Edit::SetProjectInfo(info));
                }
            }
            AppCommand::RevertToPlan(id) => self.revert_to_plan(&id),
            AppCommand::RevertLayer(layer) => self.revert_layer(&layer),
            AppCommand::BulkEdit(change) => {
                use crate::command::BulkChange as B;
                match change {
                    B::Action(a) => self.bulk_edit(("行动", "action"), |p| p.action = a.clone()),
                    B::Section(s) => {
                        self.bulk_edit(("板块", "section"), |p| p.section = s.clone())
                    }
                    B::Status(s) => self.bulk_edit(("状态", "status"), |p| p.status = s),
                    B::Horizon(h) => self.bulk_edit(("期限", "horizon"), |p| p.horizon = h),
                }
            }
            AppCommand::Locate { name, path } => {
                let absolute = std::path::absolute(&path).unwrap_or(path);
                let stored = crate::io::paths::to_stored(&self.doc.dir(), &absolute);
                self.edit(Edit::SetSketchSource {
                    id: name,
                    source: crate::model::project::SketchSource::Referenced(stored),
                });
            }
            AppCommand::RemoveSketch(id) => self.edit(Edit::RemoveSketch(id)),
            AppCommand::SetSketchVisible(id, visible) => {
                self.edit(Edit::SetSketchVisible { id, visible })
            }
            AppCommand::SetSketchOpacity(id, opacity) => {
                self.edit(Edit::SetSketchOpacity { id, opacity })
            }
            AppCommand::BeginGesture(label) => self.doc.history.begin(label, &self.doc.project),
            AppCommand::EndGesture => self.doc.history.commit(&self.doc.project),
            AppCommand::DraftAcknowledgement(finding) => {
                self.ack_draft = finding.map(|f| (f, String::new()));
            }
            AppCommand::Acknowledge { finding, reason } => {
                let author = if self.doc.project.meta.author.is_empty() {
                    std::env::var("USER").unwrap_or_else(|_| "planner".into())
                } else {
                    self.doc.project.meta.author.clone()
                };
                let acknowledgement = crate::model::project::Acknowledgement {
                    author,
                    time: clock::now_rfc3339(),
                    reason,
                };
                self.edit(Edit::Acknowledge {
                    finding,
                    acknowledgement,
                });
                self.ack_draft = None;
            }
            AppCommand::CommentOnPlacement { id, text } => {
                if let Some(p) = self.doc.project.placements.get(&id) {
                    let mut placement = p.clone();
                    placement.comments.push(crate::model::project::Comment {
                        author: std::env::var("USER").unwrap_or_else(|_| "planner".into()),
                        time: clock::now_rfc3339(),
                        text,
                    });
                    self.edit(Edit::SetPlacement { id, placement });
                }
            }
            AppCommand::Undo => {
                if self.doc.history.undo(&mut self.doc.project).is_some() {
                    self.after_history_step();
                }
            }
            AppCommand::Redo => {
                if self.doc.history.redo(&mut self.doc.project).is_some() {
                    self.after_history_step();
                }
            }
            other => wrong_family("edit", &other),
        }
    }

    /// The map view, the panels shown, presenter mode and scenes.
    pub(super) fn run_view_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::Present(at) => self.start_presenting(at),
            AppCommand::PresentStep(forward) => self.step_presenting(forward),
            AppCommand::StopPresenting => self.end_presenting(),
            AppCommand::ToggleHighContrast => {
                if let Some(p) = self.presenting.as_mut() {
                    p.high_contrast = !p.high_contrast;
                }
            }
            AppCommand::SetSketchView(v) => self.sketch_view = v,
            AppCommand::AddScene => self.add_scene(),
            AppCommand::UpdateScene(i) => self.update_scene(i),
            AppCommand::GoToScene(i) => self.go_to_scene(i),
            AppCommand::ToggleTable => self.table_open = !self.table_open,
            AppCommand::ZoomTo(bbox) => self.zoom_to(bbox),
            AppCommand::ZoomIn => self.zoom_by(1.0),
            AppCommand::ZoomOut => self.zoom_by(-1.0),
            AppCommand::Home => self.fit_pending = true,
            AppCommand::ShowAbout(show) => self.show_about = show,
            AppCommand::DismissProblems => self.problems_dismissed = true,
            AppCommand::ToggleChecks => self.checks_open = !self.checks_open,
            other => wrong_family("view", &other),
        }
    }
}

/// A command routed to a family that does not handle it: a bug in [`OneMapApp::run_command`].
pub(super) fn wrong_family(family: &str, command: &AppCommand) {
    debug_assert!(false, "{command:?} was routed to the {family} commands");
    log::error!("{command:?} was routed to the {family} commands and ignored");
}
