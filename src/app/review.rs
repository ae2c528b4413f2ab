//! Review: opening a project read-only, comments in its sidecar file (never in the project),
//! answering and resolving them as the author, and merging them into the project. Also the
//! comparison of the project with another version, change by change.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::handle::wrong_family;
use crate::command::{AfterConfirm, AppCommand, CompareState, MergeState, ReviewState};
use crate::edit::Edit;
use crate::io::clock;
use crate::io::output_guard::{Writes, check_output};
use crate::io::review_file::{load_review, reviewed_path, save_review, sidecar_path};
use crate::model::UiLanguage;
use crate::model::diff::{Findings, diff};
use crate::model::project::{Comment, MapNote};
use crate::model::review::{Anchor, CommentStatus, Reply, Review, ReviewComment};

use super::OneMapApp;

fn author() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "reviewer".into())
}

impl OneMapApp {
    /// Reads the sidecar of the open project, if it has one.
    pub(super) fn load_review(&mut self) {
        let open = self.review_mode;
        self.review = ReviewState {
            open,
            ..Default::default()
        };
        let Some(project_path) = self.doc.path.clone() else {
            return;
        };
        let path = sidecar_path(&project_path);
        match load_review(&path) {
            Ok(found) => {
                self.review.open = open || found.as_ref().is_some_and(|r| r.open_count() > 0);
                self.review.review = found.unwrap_or_else(|| Review {
                    reviewed: file_name(&project_path),
                    comments: Vec::new(),
                });
            }
            Err(e) => self.files.error(
                "Could not read the review comments",
                e.in_language(self.lang()),
            ),
        }
        self.review.path = Some(path);
    }

    /// Opens a project for review: read-only, comments to its sidecar. A sidecar given
    /// instead opens the project it belongs to.
    pub(super) fn open_for_review(&mut self, path: &Path) {
        let project = reviewed_path(path).unwrap_or_else(|| path.to_owned());
        self.open(&project);
        if self.doc.path.as_deref() == Some(project.as_path()) {
            self.review_mode = true;
            self.doc.read_only = true;
            self.tool = crate::command::Tool::Select;
            self.draft.clear();
            self.load_review();
        }
    }

    pub(super) fn leave_review(&mut self) {
        self.review_mode = false;
        self.doc.read_only = false;
        self.review.draft = None;
    }

    fn save_review(&mut self) {
        let Some(path) = self.review.path.clone() else {
            self.files.error(
                "Comments not saved",
                self.help
                    .prefs
                    .ui_language
                    .pick(
                        "请先保存项目：评论保存在项目旁的文件中。",
                        "Save the project first: comments are kept in a file beside it.",
                    )
                    .into(),
            );
            return;
        };
        if let Err(e) = save_review(&path, &self.review.review) {
            self.files.error(
                "Could not save the review comments",
                e.in_language(self.lang()),
            );
        }
    }

    pub(super) fn add_comment(&mut self, text: String) {
        let Some((anchor, _)) = self.review.draft.take() else {
            return;
        };
        let text = text.trim().to_owned();
        if text.is_empty() {
            return;
        }
        let comment = ReviewComment {
            id: self.review.review.next_id(),
            anchor,
            author: author(),
            time: clock::now_rfc3339(),
            text,
            status: CommentStatus::Open,
            replies: Vec::new(),
        };
        self.review.review.comments.push(comment);
        self.save_review();
    }

    pub(super) fn reply(&mut self, id: &str, text: String) {
        let text = text.trim().to_owned();
        if text.is_empty() {
            return;
        }
        if let Some(c) = self.review.review.comments.iter_mut().find(|c| c.id == id) {
            c.replies.push(Reply {
                author: author(),
                time: clock::now_rfc3339(),
                text,
            });
            self.review.replies.remove(id);
            self.save_review();
        }
    }

    pub(super) fn set_comment_status(&mut self, id: &str, status: CommentStatus) {
        if let Some(c) = self.review.review.comments.iter_mut().find(|c| c.id == id) {
            c.status = status;
            self.save_review();
        }
    }

    /// Copies every review comment into the project, with its replies: on its placement's
    /// thread, or as a map note. One undo step; the sidecar is left as it is.
    pub(super) fn merge_comments(&mut self) {
        let mut project = self.doc.project.clone();
        for c in &self.review.review.comments {
            let mut thread = vec![Comment {
                author: c.author.clone(),
                time: c.time.clone(),
                text: format!(
                    "[review {}{}] {}",
                    c.id,
                    if c.status == CommentStatus::Resolved {
                        ", resolved"
                    } else {
                        ""
                    },
                    c.text
                ),
            }];
            thread.extend(c.replies.iter().map(|r| Comment {
                author: r.author.clone(),
                time: r.time.clone(),
                text: format!("[reply to {}] {}", c.id, r.text),
            }));
            match &c.anchor {
                Anchor::Placement(id) => {
                    if let Some(p) = project.placements.get_mut(id) {
                        for t in thread {
                            if !p.comments.contains(&t) {
                                p.comments.push(t);
                            }
                        }
                    }
                }
                Anchor::Location(x, y) => {
                    for comment in thread {
                        let note = MapNote {
                            at: (*x, *y),
                            comment,
                        };
                        if !project.notes.contains(&note) {
                            project.notes.push(note);
                        }
                    }
                }
            }
        }
        let mut edits: Vec<Edit> = project
            .placements
            .iter()
            .filter(|(id, p)| self.doc.project.placements.get(*id) != Some(*p))
            .map(|(id, p)| Edit::SetPlacement {
                id: id.clone(),
                placement: p.clone(),
            })
            .collect();
        if project.notes != self.doc.project.notes {
            edits.push(Edit::SetNotes(project.notes));
        }
        self.edit(Edit::Batch {
            label: crate::model::Bilingual::new(
                format!("合并 {} 条审阅评论", self.review.review.comments.len()),
                format!(
                    "merge {} review comments",
                    self.review.review.comments.len()
                ),
            ),
            edits,
        });
    }

    pub(super) fn compare_with(&mut self, path: &Path) {
        let other = match crate::io::load_project(path) {
            Ok(p) => p,
            Err(e) => {
                self.files.error(
                    "Could not open the other version",
                    e.in_language(self.lang()),
                );
                return;
            }
        };
        let findings = self.data.edition.as_ref().map(|edition| {
            (
                crate::model::checks::run_checks(&self.doc.project, &self.data.plan, edition),
                crate::model::checks::run_checks(&other, &self.data.plan, edition),
            )
        });
        let changes = diff(
            &self.doc.project,
            &other,
            &self.data.plan,
            findings.as_ref().map(|(old, new)| Findings { old, new }),
        );
        let features: Vec<crate::model::PlanFeature> = other
            .placements
            .iter()
            .map(|(id, p)| crate::doc::document::placement_feature(&id.0, p))
            .collect();
        self.compare = Some(CompareState {
            other_overlay: crate::map::Scene::build_overlay(&features, &self.data.style),
            accepted: changes.iter().map(|c| c.subject.clone()).collect(),
            changes,
            other,
            other_path: path.to_owned(),
            side_by_side: false,
        });
    }

    pub(super) fn merge3_with(&mut self, base_path: &Path, theirs_path: &Path) {
        let (base, theirs) = match (
            crate::io::load_project(base_path),
            crate::io::load_project(theirs_path),
        ) {
            (Ok(b), Ok(t)) => (b, t),
            (Err(e), _) | (_, Err(e)) => {
                self.files.error(
                    "Could not open a version to merge",
                    e.in_language(self.lang()),
                );
                return;
            }
        };
        self.show_merge(
            base_path.to_owned(),
            theirs_path.to_owned(),
            base,
            theirs,
            None,
        );
    }

    /// Opens the merge view on base, mine (the open project) and theirs; `db` when a publish
    /// to the team store was refused (then the versions are named `PROJECT@N`).
    pub(super) fn open_merge(
        &mut self,
        base: crate::model::project::Project,
        theirs: crate::model::project::Project,
        db: Option<crate::command::DbMerge>,
    ) {
        let (base_path, theirs_path) = match &db {
            Some(d) => (
                PathBuf::from(format!("{}@{}", d.project, d.base)),
                PathBuf::from(format!("{}@{}", d.project, d.head)),
            ),
            None => Default::default(),
        };
        self.show_merge(base_path, theirs_path, base, theirs, db);
    }

    fn show_merge(
        &mut self,
        base_path: PathBuf,
        theirs_path: PathBuf,
        base: crate::model::project::Project,
        theirs: crate::model::project::Project,
        db: Option<crate::command::DbMerge>,
    ) {
        let result = crate::edit::merge::merge3(&base, &self.doc.project, &theirs);
        // The conflicting fields in words, as `onemap merge` prints them.
        use crate::edit::merge::words::{Side, by_subject};
        let (mine_lines, theirs_lines) = (
            by_subject(&result.conflicts, Side::Mine),
            by_subject(&result.conflicts, Side::Theirs),
        );
        let taken_cleanly = result.from_theirs.len();
        self.compare = None;
        self.merge = Some(MergeState {
            base_path,
            theirs_path,
            theirs,
            result,
            mine_lines,
            theirs_lines,
            take_theirs: BTreeSet::new(),
            taken_cleanly,
            db,
        });
    }

    pub(super) fn write_merged(&mut self, path: &Path) {
        if let Some(m) = &self.merge {
            let mut merged = m.result.resolved(&m.theirs, &m.take_theirs);
            merged.meta.modified = clock::now_rfc3339();
            match crate::io::save_project(path, &merged) {
                Ok(()) => {
                    let (all, theirs) = (
                        m.result.conflicts.len(),
                        m.result
                            .conflicts
                            .iter()
                            .filter(|c| m.take_theirs.contains(&c.subject))
                            .count(),
                    );
                    let text = match self.lang() {
                        UiLanguage::Chinese => format!(
                            "已解决 {all} 处冲突（其中 {theirs} 处采用他们的版本），写入 {}",
                            path.display()
                        ),
                        UiLanguage::English => format!(
                            "{all} conflicts resolved ({theirs} with theirs), written to {}",
                            path.display()
                        ),
                    };
                    self.files.info("Merged project written", text)
                }
                Err(e) => self.files.error(
                    "Could not write the merged project",
                    e.in_language(self.lang()),
                ),
            }
            return;
        }
        let Some(c) = &self.compare else {
            return;
        };
        let mut merged =
            crate::edit::merge::apply_changes(&self.doc.project, &c.other, &c.accepted);
        merged.meta.modified = clock::now_rfc3339();
        match crate::io::save_project(path, &merged) {
            Ok(()) => {
                let (accepted, all) = (c.accepted.len(), c.changes.len());
                let text = match self.lang() {
                    UiLanguage::Chinese => format!(
                        "接受了 {all} 处变化中的 {accepted} 处，写入 {}",
                        path.display()
                    ),
                    UiLanguage::English => format!(
                        "{accepted} of {all} changes accepted, written to {}",
                        path.display()
                    ),
                };
                self.files.info("Merged project written", text)
            }
            Err(e) => self.files.error(
                "Could not write the merged project",
                e.in_language(self.lang()),
            ),
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl OneMapApp {
    /// Writes the review report of the comparison as Markdown, and its change map as a PNG
    /// beside it (through the export path).
    pub(super) fn write_report(&mut self, path: &Path) {
        use crate::present::export::{Canvas, SlideSpec, today, transform_for, write};
        let Some(c) = &self.compare else {
            self.files.info(
                "No comparison",
                self.help
                    .prefs
                    .ui_language
                    .pick(
                        "请先与另一版本对比（文件 > 与另一版本对比…）。",
                        "Compare with another version first (File: Compare with…).",
                    )
                    .into(),
            );
            return;
        };
        let old_name = self.doc.path.as_deref().map(file_name).unwrap_or_default();
        let new_name = file_name(&c.other_path);
        let png = path.with_extension("png");
        // The report and its picture never replace either version compared (`p.onemap`
        // chosen as the report's name would otherwise become Markdown).
        let inputs = || {
            self.doc
                .path
                .iter()
                .map(PathBuf::as_path)
                .chain([c.other_path.as_path()])
        };
        let guarded = check_output(path, inputs(), Writes::Other("a Markdown review report"))
            .and_then(|()| check_output(&png, inputs(), Writes::Other("a PNG image")));
        if let Err(e) = guarded {
            self.files.error(
                "Could not write the review report",
                e.in_language(self.lang()),
            );
            return;
        }
        let mut spec = SlideSpec::of(&self.doc.project, None);
        // The change map belongs to the report, in the report's language.
        spec.title = format!(
            "{}: {old_name} → {new_name}",
            self.lang().pick("对比", "Compare")
        );
        spec.subtitle = self
            .lang()
            .pick(
                "绿色：新增 · 红色：删除 · 黄色：修改（旧的为红色虚线）",
                "green added · red removed · amber changed (old dashed red)",
            )
            .into();
        let date = today();
        let inputs = self.slide_inputs(&spec, false, &date);
        let Ok(canvas) = Canvas::pixels(1600, 1000) else {
            return;
        };
        let camera = spec.camera(self.plan_area(), canvas.size_in_points());
        let rendered = crate::present::render::render(
            canvas.width_px,
            canvas.height_px,
            canvas.pixels_per_point,
            |painter, rect| {
                let t = transform_for(camera, rect);
                inputs.slide(rect, t).paint(painter);
                painter.extend(crate::map::changes::change_shapes(
                    &t,
                    &self.doc.project,
                    &c.other,
                    &c.changes,
                ));
            },
        );
        let background = egui::Color32::WHITE;
        let lang = self.lang();
        let result = write(rendered, background, &png)
            .map_err(|e| e.in_language(lang))
            .and_then(|()| {
                let review =
                    (!self.review.review.comments.is_empty()).then_some(&self.review.review);
                let md = crate::model::report::markdown(
                    &old_name,
                    &new_name,
                    &c.changes,
                    review,
                    png.file_name().and_then(|n| n.to_str()),
                    &date,
                    self.help.prefs.ui_language,
                );
                crate::io::atomic::atomic_write(path, md.as_bytes(), false)
                    .map_err(|e| e.in_language(lang))
            });
        match result {
            Ok(()) => self.files.info(
                "Review report written",
                format!(
                    "{} {} {}",
                    path.display(),
                    lang.pick("和", "and"),
                    png.display()
                ),
            ),
            Err(e) => self.files.error("Could not write the review report", e),
        }
    }
}

impl OneMapApp {
    /// Review comments, the comparison with another version and the three-way merge.
    pub(super) fn run_review_command(&mut self, command: AppCommand) {
        match command {
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
            other => wrong_family("review", &other),
        }
    }
}
