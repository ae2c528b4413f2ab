//! Applying what the UI asked for: the one place that changes the app's state and the project
//! (through the undo history), and that touches files.

use std::path::Path;

use geo::BoundingRect;

use crate::edit::Edit;
use crate::io::{IoError, clock};
use crate::model::FeatureId;

use super::files;
use super::{AppCommand, OneMapApp, tools};
use crate::command::{AfterConfirm, Dialog, PathPurpose};
use crate::doc::document::{self, Document};

impl OneMapApp {
    /// Applies the commands of a frame, in order. The one place that changes the app's state.
    pub fn run_commands(&mut self, commands: Vec<AppCommand>) {
        for command in commands {
            self.run_command(command);
        }
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
                    "The project is open read-only for review. Comment with the comment tool (C); Leave review to edit.".into(),
                );
            }
            return;
        }
        let structural = edit.is_structural();
        match self.doc.history.apply(&edit, &mut self.doc.project) {
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

    /// After undo or redo anything may have changed, sketch layers included.
    fn after_history_step(&mut self) {
        self.doc.reload_sketches();
        self.project_changed(true);
    }

    fn project_changed(&mut self, structural: bool) {
        self.doc.rebuild(&self.data.style);
        // Not while a gesture is under way: a drag would write the journal every frame.
        if structural && self.doc.is_dirty() && !self.doc.history.in_gesture() {
            self.files
                .write_journal(self.doc.path.as_deref(), &self.doc.project);
        }
    }

    fn run_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::View(v) => self.edit(Edit::View(v)),
            AppCommand::Edit(e) => self.edit(*e),
            AppCommand::Select(id) => {
                self.selected = id;
                self.multi.clear();
            }
            AppCommand::ToggleSelect(id) => self.toggle_selected(id),
            AppCommand::SelectInBox(rect) => self.select_in_box(rect),
            AppCommand::SelectMany(ids) => self.select_many(ids),
            AppCommand::Copy => self.copy_selected(self.ctx.clone().as_ref()),
            AppCommand::Cut => {
                self.copy_selected(self.ctx.clone().as_ref());
                self.delete_selected();
            }
            AppCommand::Paste => self.paste(),
            AppCommand::Duplicate => self.duplicate_selected(),
            AppCommand::ToggleSnap => self.snap_on = !self.snap_on,
            AppCommand::Present(at) => self.start_presenting(at),
            AppCommand::PresentStep(forward) => self.step_presenting(forward),
            AppCommand::StopPresenting => self.end_presenting(),
            AppCommand::ToggleHighContrast => {
                if let Some(p) = self.presenting.as_mut() {
                    p.high_contrast = !p.high_contrast;
                }
            }
            AppCommand::OpenForReview(path) => {
                self.unless_dirty(AfterConfirm::Review(path));
            }
            AppCommand::LeaveReview => self.leave_review(),
            AppCommand::StartComment(anchor) => {
                self.review.open = true;
                self.review.draft = Some((anchor, String::new()));
            }
            AppCommand::CancelComment => self.review.draft = None,
            AppCommand::AddComment(text) => self.add_comment(text),
            AppCommand::Reply { comment, text } => self.reply(&comment, text),
            AppCommand::SetCommentStatus { comment, status } => {
                self.set_comment_status(&comment, status)
            }
            AppCommand::ToggleComments => self.review.open = !self.review.open,
            AppCommand::MergeComments => self.merge_comments(),
            AppCommand::CompareWith(path) => self.compare_with(&path),
            AppCommand::AcceptChange(subject, yes) => {
                if let Some(c) = self.compare.as_mut() {
                    if yes {
                        c.accepted.insert(subject);
                    } else {
                        c.accepted.remove(&subject);
                    }
                }
            }
            AppCommand::AcceptAllChanges(yes) => {
                if let Some(c) = self.compare.as_mut() {
                    c.accepted = if yes {
                        c.changes.iter().map(|x| x.subject.clone()).collect()
                    } else {
                        Default::default()
                    };
                }
            }
            AppCommand::CloseCompare => self.compare = None,
            AppCommand::RevertToPlan(id) => self.revert_to_plan(&id),
            AppCommand::RevertLayer(layer) => self.revert_layer(&layer),
            AppCommand::SetSketchView(v) => self.sketch_view = v,
            AppCommand::ExportSketchLayer { layer, path } => self.export_sketch_layer(&layer, &path),
            AppCommand::ApplyBaseline(path) => self.apply_baseline(&path),
            AppCommand::Merge3 { base, theirs } => self.merge3_with(&base, &theirs),
            AppCommand::ResolveConflict(subject, theirs) => {
                if let Some(m) = self.merge.as_mut() {
                    if theirs {
                        m.take_theirs.insert(subject);
                    } else {
                        m.take_theirs.remove(&subject);
                    }
                }
            }
            AppCommand::CloseMerge => self.merge = None,
            AppCommand::ToggleSideBySide => {
                if let Some(c) = self.compare.as_mut() {
                    c.side_by_side = !c.side_by_side;
                }
            }
            AppCommand::WriteMerged(path) => self.write_merged(&path),
            AppCommand::WriteReport(path) => self.write_report(&path),
            AppCommand::AddScene => self.add_scene(),
            AppCommand::UpdateScene(i) => self.update_scene(i),
            AppCommand::GoToScene(i) => self.go_to_scene(i),
            AppCommand::ToggleTable => self.table_open = !self.table_open,
            AppCommand::BulkEdit(change) => {
                use crate::command::BulkChange as B;
                match change {
                    B::Action(a) => self.bulk_edit("action", |p| p.action = a.clone()),
                    B::Section(s) => self.bulk_edit("section", |p| p.section = s.clone()),
                    B::Status(s) => self.bulk_edit("status", |p| p.status = s),
                    B::Horizon(h) => self.bulk_edit("horizon", |p| p.horizon = h),
                }
            }
            AppCommand::SelectAndShow(id) => {
                self.multi.clear();
                if let Some(bbox) = self.feature(&id).and_then(|f| f.geometry.bounding_rect()) {
                    self.zoom_to(bbox);
                }
                self.selected = Some(id);
            }
            AppCommand::ZoomTo(bbox) => self.zoom_to(bbox),
            AppCommand::ZoomIn => {
                let _ = self.memory.zoom_in();
            }
            AppCommand::ZoomOut => {
                let _ = self.memory.zoom_out();
            }
            AppCommand::Home => self.fit_pending = true,
            AppCommand::ShowAbout(show) => self.show_about = show,
            AppCommand::DismissProblems => self.problems_dismissed = true,
            AppCommand::AskPath(purpose) => {
                let text = match &purpose {
                    PathPurpose::SaveAs => self
                        .doc
                        .path
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                self.files.dialog = Some(Dialog::PathPrompt {
                    purpose,
                    text,
                    gcj02: false,
                    focus: true,
                });
            }
            AppCommand::New => self.unless_dirty(AfterConfirm::New),
            AppCommand::Open(path) => self.unless_dirty(AfterConfirm::Open(path)),
            AppCommand::Save | AppCommand::SaveAs(_) if self.review_mode => self.files.info(
                "Review mode",
                "The reviewed file is never written. Comments are saved as you add them, in the .review.onemap file beside it.".into(),
            ),
            AppCommand::Save => match self.doc.path.clone() {
                Some(path) => self.save_to(&path),
                None => self.run_command(AppCommand::AskPath(PathPurpose::SaveAs)),
            },
            AppCommand::SaveAs(path) => self.save_to(&path),
            AppCommand::SaveThen(then) => {
                self.run_command(AppCommand::Save);
                if !self.doc.is_dirty() {
                    self.proceed(then);
                }
            }
            AppCommand::DiscardThen(then) => {
                self.files.clear_journal();
                self.proceed(then);
            }
            AppCommand::Import { path, gcj02 } => self.files.start_import(path, gcj02),
            AppCommand::CancelImport => {
                if let Some(job) = &self.files.import {
                    job.progress
                        .cancel
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            AppCommand::ExportGeojson(path) => match files::export_geojson(&self.doc, &path) {
                Ok(n) => self.files.info(
                    "Exported",
                    format!("wrote {n} features to {}", path.display()),
                ),
                Err(e) => self.files.error("Export failed", e),
            },
            AppCommand::ExportCsv(path) => {
                match crate::io::export::write_csv(&path, &self.doc.project) {
                    Ok(()) => self.files.info(
                        "Exported",
                        format!(
                            "wrote {} placements to {}",
                            self.doc.project.placements.len(),
                            path.display()
                        ),
                    ),
                    Err(e) => self.files.error("Export failed", e.to_string()),
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
            AppCommand::ToggleChecks => self.checks_open = !self.checks_open,
            AppCommand::SetTool(tool) => {
                self.tool = tool;
                self.draft.clear();
                self.selected_vertex = None;
            }
            AppCommand::SetDrawAction(action) => self.draw_action = action,
            AppCommand::AddVertex(c) => self.draft.push(c),
            AppCommand::MoveStart { id, at } => {
                if let Some((name, geometry)) = self.editable_geometry(&id) {
                    self.doc
                        .history
                        .begin(format!("move {name}"), &self.doc.project);
                    self.selected = Some(id.clone());
                    self.move_drag = Some((id, geometry, at));
                }
            }
            AppCommand::MoveTo(at) => {
                if let Some((id, original, start)) = self.move_drag.clone() {
                    self.set_geometry(&id, original.translated(at.x - start.x, at.y - start.y));
                }
            }
            AppCommand::MoveEnd => {
                self.move_drag = None;
                self.doc.history.commit(&self.doc.project);
                // The drag's frames skipped the journal; the finished move is written now.
                self.project_changed(true);
            }
            AppCommand::RemoveLastVertex => {
                self.draft.pop();
            }
            AppCommand::CancelDrawing => self.draft.clear(),
            AppCommand::FinishDrawing => {
                let horizon = self
                    .data
                    .edition
                    .as_ref()
                    .and_then(|e| e.horizons.get(1).copied())
                    .unwrap_or(2035);
                let author = if self.doc.project.meta.author.is_empty() {
                    "a planner".to_owned()
                } else {
                    self.doc.project.meta.author.clone()
                };
                let made = tools::placement_from_draft(
                    &self.doc.project,
                    self.tool,
                    &self.draft,
                    &self.draw_action,
                    horizon,
                    &author,
                );
                if let Some((id, placement)) = made {
                    self.draft.clear();
                    // The draw target is a system action, or `layer:NAME` to sketch the plan.
                    match self.draw_action.strip_prefix("layer:").map(str::to_owned) {
                        Some(layer) => self.add_plan_feature(&layer, placement.geometry),
                        None => {
                            self.edit(Edit::AddPlacement {
                                id: id.clone(),
                                placement,
                            });
                            self.selected = Some(FeatureId(id.0));
                        }
                    }
                }
            }
            AppCommand::VertexGrab(handle) => {
                let Some(id) = self.selected.clone() else {
                    return;
                };
                if let Some((name, geometry)) = self.editable_geometry(&id) {
                    self.doc
                        .history
                        .begin(format!("edit vertices of {name}"), &self.doc.project);
                    let (ring, index, geometry) = match handle {
                        tools::Handle::Vertex { ring, index } => (ring, index, geometry),
                        tools::Handle::Midpoint { ring, after, at } => (
                            ring,
                            after + 1,
                            geometry.with_vertex_inserted(ring, after, at),
                        ),
                    };
                    self.set_geometry(&id, geometry.clone());
                    self.selected_vertex = Some((ring, index));
                    self.vertex_drag = Some((id, geometry, ring, index));
                }
            }
            AppCommand::VertexTo(at) => {
                if let Some((id, base, ring, index)) = self.vertex_drag.clone() {
                    self.set_geometry(&id, base.with_vertex_moved(ring, index, (at.x, at.y)));
                }
            }
            AppCommand::VertexRelease => {
                self.vertex_drag = None;
                self.doc.history.commit(&self.doc.project);
                self.project_changed(true);
            }
            AppCommand::SelectVertex(v) => self.selected_vertex = v,
            AppCommand::DeleteSelected
                if self.tool == tools::Tool::Vertices && self.selected_vertex.is_some() =>
            {
                let id = self.selected.clone().unwrap_or(FeatureId(String::new()));
                if let (Some((_, g)), Some((ring, index))) =
                    (self.editable_geometry(&id), self.selected_vertex)
                {
                    match g.with_vertex_removed(ring, index) {
                        Some(geometry) => {
                            self.set_geometry(&id, geometry);
                            self.selected_vertex = None;
                        }
                        None => self.files.info(
                            "Vertex kept",
                            "A line keeps at least 2 vertices and a polygon ring at least 3."
                                .into(),
                        ),
                    }
                }
            }
            AppCommand::DeleteSelected => self.delete_selected(),
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
            AppCommand::Restore(journal) => {
                let journal = *journal;
                self.doc = Document::new(
                    self.data.new_project(),
                    journal.original.clone(),
                    &self.data.style,
                );
                self.doc.project = journal.project;
                self.doc
                    .set_base_plan(self.data.shared_plan.clone(), &self.data.style);
                self.doc.reload_sketches();
                self.project_changed(true);
                crate::io::recovery::remove_journal(&journal.file);
            }
            AppCommand::DiscardJournal(file) => crate::io::recovery::remove_journal(&file),
            AppCommand::Quit => self.proceed(AfterConfirm::Quit),
        }
    }

    /// Goes on with `then`, or first asks about unsaved changes.
    fn unless_dirty(&mut self, then: AfterConfirm) {
        if self.doc.is_dirty() {
            self.files.dialog = Some(Dialog::ConfirmUnsaved(then));
        } else {
            self.proceed(then);
        }
    }

    fn proceed(&mut self, then: AfterConfirm) {
        match then {
            AfterConfirm::New => {
                self.files.clear_journal();
                self.doc = Document::new(self.data.new_project(), None, &self.data.style);
                self.doc
                    .set_base_plan(self.data.shared_plan.clone(), &self.data.style);
                self.selected = None;
            }
            AfterConfirm::Open(path) => self.open(&path),
            AfterConfirm::Review(path) => self.open_for_review(&path),
            AfterConfirm::Quit => {
                self.files.clear_journal();
                self.files.allow_close = true;
                self.quit_requested = true;
            }
        }
    }

    /// Opens a project. A failure leaves the current project as it was and says why.
    pub(super) fn open(&mut self, path: &Path) {
        match files::open_project(path) {
            Ok(project) => {
                self.review_mode = false;
                self.compare = None;
                self.merge = None;
                self.files.clear_journal();
                self.doc = Document::new(project, Some(path.to_owned()), &self.data.style);
                self.doc
                    .set_base_plan(self.data.shared_plan.clone(), &self.data.style);
                self.selected = None;
                self.files.remember(path);
                let missing: Vec<String> = self
                    .doc
                    .sketches
                    .iter()
                    .filter_map(|(n, s)| match s {
                        document::SketchState::Missing(e) => Some(format!("sketch layer {n}: {e}")),
                        document::SketchState::Loaded(_) => None,
                    })
                    .collect();
                if !missing.is_empty() {
                    self.files.error("Some sketch layers are missing", format!("{}\nUse Locate… in the layers panel to find them; until then their references are kept as they are.", missing.join("\n")));
                }
                self.load_review();
            }
            Err(e) => self.files.error("Could not open the project", e),
        }
    }

    fn save_to(&mut self, path: &Path) {
        let old_dir = self.doc.dir();
        match files::save_as(&mut self.doc.project, &old_dir, path) {
            Ok(()) => {
                self.doc.mark_saved(path.to_owned());
                self.files.clear_journal();
                self.files.remember(path);
            }
            Err(e) => self.files.error("Could not save", e),
        }
    }

    /// Adds a finished background import to the project and reports what it did. Called every
    /// frame; public so that tests can wait for an import without a window.
    pub fn finish_import(&mut self) {
        let Some(job) = &self.files.import else {
            return;
        };
        let Ok(result) = job.result.try_recv() else {
            return;
        };
        let (path, gcj02) = (job.path.clone(), job.gcj02);
        self.files.import = None;
        match result {
            Ok(layer) => {
                let (name, sketch) = files::new_sketch(
                    &self.doc.project,
                    self.doc.path.as_deref(),
                    &path,
                    &layer,
                    gcj02,
                );
                self.edit(Edit::AddSketch {
                    id: name.clone(),
                    layer: sketch,
                });
                self.files.info(
                    "Imported",
                    format!("{}: {} (layer {name})", path.display(), layer.report),
                );
            }
            Err(IoError::Cancelled { .. }) => {}
            Err(e) => self.files.error("Import failed", e.to_string()),
        }
    }

    /// While there are unsaved changes, the journal is rewritten every 30 s.
    pub(super) fn keep_journal(&mut self) {
        if !self.doc.is_dirty() {
            return;
        }
        let due = self
            .files
            .last_journal
            .is_none_or(|t| t.elapsed() >= files::JOURNAL_INTERVAL);
        if due {
            self.files
                .write_journal(self.doc.path.as_deref(), &self.doc.project);
        }
    }
}
