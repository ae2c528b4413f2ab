//! The team store in the app: File › Open from database…, File › Publish to database… and
//! `onemap db open`. Every connection runs on a worker thread, so a server that is slow or
//! does not answer never freezes the window; what the worker brings back is applied here,
//! after the frame's UI. A publish writes to the store only when it commits: conflicts open
//! the three-way merge view, and nothing is written until the user resolves them and
//! publishes again.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::command::{
    AfterConfirm, AppCommand, DbMerge, DbOpenForm, DbOpenRequest, DbProjectRow, DbPublishForm,
    DbPublishRequest, Dialog,
};
use crate::doc::document::Document;
use crate::io::db::{self, DbError, DbOrigin, Pushed};
use crate::model::project::Project;
use crate::model::{Bilingual, UiLanguage};

use super::OneMapApp;
use super::handle::wrong_family;

/// The store as this session knows it. The connection string is kept in memory only, never
/// in the project or the preferences: it may hold a password.
#[derive(Default)]
pub struct DbSession {
    /// The last connection string that worked.
    pub url: String,
    job: Option<Job>,
    /// What the worker is doing, for the status note.
    pub note: Option<Bilingual>,
    /// The plan edition in use when it came from the store (its name and version), and the
    /// `layers/` edition it stands in for, put back when a file project opens.
    pub edition: Option<(String, i32)>,
    pub(super) layers_edition: Option<super::db_edition::LayersEdition>,
}

/// A project read from the store, with the store's newest version of the edition it records
/// (none when the store holds no edition of that name).
pub struct FromDb {
    pub project: Project,
    pub edition: Option<(db::EditionData, i32)>,
}

enum Outcome {
    Listed {
        url: String,
        result: Result<Vec<db::ProjectHead>, DbError>,
    },
    Opened {
        request: DbOpenRequest,
        result: Result<Box<FromDb>, DbError>,
    },
    Published {
        request: DbPublishRequest,
        /// The document's revision when the publish began.
        doc_revision: u64,
        result: Result<Published, DbError>,
    },
}

/// Work under way on the worker thread.
struct Job {
    outcome: Receiver<Outcome>,
    stage: Arc<AtomicU8>,
}

/// Where a job is: still connecting (or only reading: it may be dropped at any time), writing
/// (a publish whose transaction began: it commits or rolls back whole, and its outcome is
/// waited for), or cancelled (the worker writes nothing, and nobody waits for it).
const CONNECTING: u8 = 0;
const WRITING: u8 = 1;
const CANCELLED: u8 = 2;

enum Published {
    /// Saved as `revision`: the project as the store now holds it, its origin set.
    Saved {
        revision: i32,
        merged_from: Option<i32>,
        project: Box<Project>,
    },
    Unchanged {
        revision: i32,
    },
    /// Refused, nothing written: the base and the newest revision, for the merge view.
    Conflicts {
        base: i32,
        head: i32,
        base_project: Box<Project>,
        theirs: Box<Project>,
    },
}

/// Runs on the worker: pushes `mine`, unless the publish was cancelled while it connected;
/// on conflicts, reads what the merge view needs.
fn publish(
    request: &DbPublishRequest,
    mine: Project,
    stage: &AtomicU8,
) -> Result<Published, DbError> {
    let (mut client, target) = db::connect(&request.url)?;
    if stage
        .compare_exchange(CONNECTING, WRITING, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        // Cancelled: nobody waits for this outcome, and nothing is written.
        return Ok(Published::Unchanged { revision: 0 });
    }
    let name = request.project.as_str();
    match db::push(&mut client, &target, name, &mine, &request.message)? {
        Pushed::Saved {
            revision,
            merged_from,
            merged,
            ..
        } => Ok(Published::Saved {
            revision,
            merged_from,
            project: Box::new(db::after_save(mine, name, revision, merged)),
        }),
        Pushed::Unchanged { revision } => Ok(Published::Unchanged { revision }),
        Pushed::Conflicts { head, .. } => {
            // A conflict needs a base: the revision the project came from.
            let base = mine
                .origin
                .as_ref()
                .filter(|o| o.project == name)
                .map_or(head, |o| o.revision);
            let base_project = db::load(&mut client, &target, name, Some(base))?;
            let theirs = db::load(&mut client, &target, name, Some(head))?;
            Ok(Published::Conflicts {
                base,
                head,
                base_project: Box::new(base_project),
                theirs: Box::new(theirs),
            })
        }
    }
}

fn list(url: &str) -> Result<Vec<db::ProjectHead>, DbError> {
    let (mut client, target) = db::connect(url)?;
    db::projects(&mut client, &target)
}

fn load(request: &DbOpenRequest) -> Result<Box<FromDb>, DbError> {
    let (mut client, target) = db::connect(&request.url)?;
    let project = db::load(&mut client, &target, &request.project, request.revision)?;
    let edition = db::find_edition(&mut client, &target, &project.edition)?;
    Ok(Box::new(FromDb { project, edition }))
}

/// The project's name in the store: where it came from, else its file's name.
fn default_name(app: &OneMapApp) -> String {
    let from_origin = app.doc.project.origin.as_ref().map(|o| o.project.clone());
    let from_file = app
        .doc
        .path
        .as_deref()
        .and_then(std::path::Path::file_stem)
        .map(|s| s.to_string_lossy().into_owned());
    from_origin.or(from_file).unwrap_or_default()
}

impl OneMapApp {
    /// The team-store commands: the two dialogs, and the work they start.
    pub(super) fn run_db_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::AskOpenFromDb => {
                self.files.show(Dialog::OpenFromDb(Box::new(DbOpenForm {
                    url: self.db.url.clone(),
                    ..Default::default()
                })))
            }
            AppCommand::ListDbProjects(url) => self.list_db_projects(url),
            AppCommand::OpenFromDb(request) => self.unless_dirty(AfterConfirm::OpenFromDb(request)),
            AppCommand::AskPublishToDb => self.ask_publish(),
            AppCommand::PublishToDb(request) => self.publish_to_db(request),
            AppCommand::TakeDbMerge => self.take_db_merge(),
            AppCommand::CancelDbJob => self.cancel_db_job(),
            other => wrong_family("db", &other),
        }
    }

    /// Whether a connection to the store is under way (tests wait for it).
    pub fn db_busy(&self) -> bool {
        self.db.job.is_some()
    }

    /// Opens a project read from the store by `onemap db open`, before the window shows,
    /// on the store's edition when it has one.
    pub fn open_from_db_at_start(&mut self, url: &str, from_db: FromDb) {
        self.db.url = url.to_owned();
        self.use_db_edition(from_db.edition);
        self.show_db_project(from_db.project, false);
        self.files.offer_recovery();
    }

    fn ask_publish(&mut self) {
        if self.review_mode {
            self.files.info(
                "Review mode",
                self.lang()
                    .pick(
                        "项目以只读方式打开，不能发布。退出审阅后再发布。",
                        "The project is open read-only and cannot be published. Leave review to publish it.",
                    )
                    .into(),
            );
            return;
        }
        let based_on = self
            .doc
            .project
            .origin
            .as_ref()
            .map(|o| (o.project.clone(), o.revision));
        self.files.show(Dialog::PublishToDb(Box::new(DbPublishForm {
            url: self.db.url.clone(),
            project: default_name(self),
            message: String::new(),
            based_on,
            busy: false,
            cancelling: false,
        })));
    }

    fn list_db_projects(&mut self, url: String) {
        if let Some(Dialog::OpenFromDb(form)) = self.files.dialog.as_mut() {
            form.busy = true;
            form.error = None;
        }
        let note = Bilingual::new("正在连接数据库…", "Connecting to the database…");
        self.start_db_job(note, move |_| {
            let result = list(&url);
            Outcome::Listed { url, result }
        });
    }

    /// Opens a project of the store (after any unsaved changes were dealt with).
    pub(super) fn open_from_db(&mut self, request: DbOpenRequest) {
        let note = Bilingual::new(
            format!("正在从数据库打开 {}…", request.project),
            format!("Opening {} from the database…", request.project),
        );
        self.start_db_job(note, move |_| {
            let result = load(&request);
            Outcome::Opened { request, result }
        });
    }

    fn publish_to_db(&mut self, request: DbPublishRequest) {
        if self.review_mode {
            return self.ask_publish();
        }
        if let Some(Dialog::PublishToDb(form)) = self.files.dialog.as_mut() {
            form.busy = true;
        }
        let mine = self.doc.project.clone();
        let doc_revision = self.doc.revision;
        let note = Bilingual::new(
            format!("正在发布 {}…", request.project),
            format!("Publishing {}…", request.project),
        );
        self.start_db_job(note, move |stage| {
            let result = publish(&request, mine, stage);
            Outcome::Published {
                request,
                doc_revision,
                result,
            }
        });
    }

    /// Runs `work` on a worker thread; one connection at a time. `work` is given the job's
    /// stage, to say when it begins writing.
    fn start_db_job(
        &mut self,
        note: Bilingual,
        work: impl FnOnce(&AtomicU8) -> Outcome + Send + 'static,
    ) {
        if self.db.job.is_some() {
            return;
        }
        let (tx, rx) = channel();
        let stage = Arc::new(AtomicU8::new(CONNECTING));
        let worker_stage = stage.clone();
        let spawned = std::thread::Builder::new()
            .name("team-store".into())
            .spawn(move || {
                let _ = tx.send(work(&worker_stage));
            });
        match spawned {
            Ok(_) => {
                self.db.job = Some(Job { outcome: rx, stage });
                self.db.note = Some(note);
            }
            Err(e) => self.files.error("Database error", format!("{e}")),
        }
    }

    /// Cancel in a dialog while the app talks to the store: a connection under way, or a
    /// reading, is abandoned at once (the worker ends on its own, its outcome unread; the
    /// connection times out after `connect_timeout`, 10 s unless the connection says). A
    /// publish that began writing is waited for: its transaction commits or rolls back whole.
    fn cancel_db_job(&mut self) {
        let Some(job) = &self.db.job else { return };
        let cancelled = job
            .stage
            .compare_exchange(CONNECTING, CANCELLED, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok();
        if !cancelled {
            if let Some(Dialog::PublishToDb(form)) = self.files.dialog.as_mut() {
                form.cancelling = true;
            }
            return;
        }
        self.db.job = None;
        self.db.note = None;
        match self.files.dialog.as_mut() {
            Some(Dialog::OpenFromDb(form)) => form.busy = false,
            Some(Dialog::PublishToDb(form)) => {
                form.busy = false;
                self.files.info(
                    "Could not publish",
                    self.lang()
                        .pick(
                            "发布已取消，没有写入任何内容。",
                            "Publishing was cancelled: nothing was written.",
                        )
                        .into(),
                );
            }
            _ => {}
        }
    }

    /// Takes what the worker brought back, if it has come. Called every frame.
    pub fn finish_db_job(&mut self) {
        let Some(job) = &self.db.job else { return };
        let outcome = match job.outcome.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) => {
                if let Some(ctx) = &self.ctx {
                    ctx.request_repaint_after(std::time::Duration::from_millis(100));
                }
                return;
            }
            Err(TryRecvError::Disconnected) => {
                self.db.job = None;
                self.db.note = None;
                self.files
                    .error("Database error", "the worker stopped".into());
                return;
            }
        };
        self.db.job = None;
        self.db.note = None;
        match outcome {
            Outcome::Listed { url, result } => self.listed(url, result),
            Outcome::Opened { request, result } => self.opened(request, result),
            Outcome::Published {
                request,
                doc_revision,
                result,
            } => self.published(request, doc_revision, result),
        }
    }

    fn listed(&mut self, url: String, result: Result<Vec<db::ProjectHead>, DbError>) {
        let lang = self.lang();
        if result.is_ok() {
            self.db.url.clone_from(&url);
        }
        let Some(Dialog::OpenFromDb(form)) = self.files.dialog.as_mut() else {
            return;
        };
        form.busy = false;
        match result {
            Ok(heads) => {
                let rows: Vec<DbProjectRow> = heads
                    .into_iter()
                    .map(|h| DbProjectRow {
                        name: h.name,
                        head: h.head,
                        author: h.author,
                        time: h.time,
                    })
                    .collect();
                if rows.len() == 1 {
                    form.selected = Some(rows[0].name.clone());
                }
                form.projects = Some(rows);
                form.error = None;
            }
            Err(e) => {
                form.projects = None;
                form.error = Some(e.in_language(lang));
            }
        }
    }

    fn opened(&mut self, request: DbOpenRequest, result: Result<Box<FromDb>, DbError>) {
        if matches!(self.files.dialog, Some(Dialog::OpenFromDb(_))) {
            self.files.dialog = None;
        }
        match result {
            Ok(from_db) => {
                self.db.url = request.url;
                let FromDb { project, edition } = *from_db;
                self.use_db_edition(edition);
                self.show_db_project(project, request.revision.is_some());
            }
            Err(e) => self.files.error(
                "Could not open from the database",
                e.in_language(self.lang()),
            ),
        }
    }

    /// Makes a project read from the store the open one: no file yet, its origin remembered
    /// for the next publish. A revision other than the newest opens read-only (review mode).
    fn show_db_project(&mut self, project: Project, read_only: bool) {
        self.compare = None;
        self.merge = None;
        self.files.clear_journal();
        self.files.based_on = None;
        self.doc = Document::on_plan(
            project,
            None,
            self.data.shared_plan.clone(),
            &self.data.style,
        );
        self.selected = None;
        self.review_mode = read_only;
        self.doc.read_only = read_only;
        self.tool = crate::command::Tool::Select;
        self.draft.clear();
        self.load_review();
    }
}

impl OneMapApp {
    fn published(
        &mut self,
        request: DbPublishRequest,
        doc_revision: u64,
        result: Result<Published, DbError>,
    ) {
        if matches!(self.files.dialog, Some(Dialog::PublishToDb(_))) {
            self.files.dialog = None;
        }
        let lang = self.lang();
        let name = &request.project;
        match result {
            Ok(Published::Saved {
                revision,
                merged_from,
                project,
            }) => {
                self.db.url.clone_from(&request.url);
                let text = self.take_published(*project, merged_from, doc_revision);
                let head = match (lang, merged_from) {
                    (UiLanguage::Chinese, Some(h)) => {
                        format!("{name}：已与修订版 {h} 合并，保存为修订版 {revision}。")
                    }
                    (UiLanguage::Chinese, None) => format!("{name}：已保存为修订版 {revision}。"),
                    (UiLanguage::English, Some(h)) => format!(
                        "{name}: merged with revision {h} and saved as revision {revision}."
                    ),
                    (UiLanguage::English, None) => {
                        format!("{name}: saved as revision {revision}.")
                    }
                };
                self.files.info("Published", format!("{head}{text}"));
            }
            Ok(Published::Unchanged { revision }) => self.files.info(
                "Published",
                match lang {
                    UiLanguage::Chinese => {
                        format!("{name}：无需保存，修订版 {revision} 与此项目相同。")
                    }
                    UiLanguage::English => format!(
                        "{name}: nothing to save, revision {revision} holds the same project."
                    ),
                },
            ),
            Ok(Published::Conflicts {
                base,
                head,
                base_project,
                theirs,
            }) => {
                let db = DbMerge {
                    project: name.clone(),
                    base,
                    head,
                };
                self.open_merge(*base_project, *theirs, Some(db));
            }
            Err(e) => {
                let unchanged = lang.pick(
                    "数据库和打开的项目都未改动。",
                    "Nothing was written: the database and the open project are unchanged.",
                );
                let text = format!("{}\n\n{unchanged}", e.in_language(lang));
                self.files.error("Could not publish", text)
            }
        }
    }

    /// After a publish committed: the open project becomes what the store holds, based on
    /// the new revision, and its file (if it has one) is written too, as `onemap db push`
    /// does. Returns what the message adds. Edits made while the publish ran are kept: then
    /// the project stays based on the revision it came from, so the next publish merges.
    fn take_published(
        &mut self,
        project: Project,
        merged_from: Option<i32>,
        doc_revision: u64,
    ) -> String {
        let lang = self.lang();
        if self.doc.revision != doc_revision {
            if merged_from.is_none() {
                self.doc.project.origin = project.origin;
            }
            return lang
                .pick(
                    "发布期间所做的修改尚未发布。",
                    " The changes made while it was publishing are not published yet.",
                )
                .into();
        }
        let path = self.doc.path.clone();
        self.doc = Document::on_plan(
            project,
            path.clone(),
            self.data.shared_plan.clone(),
            &self.data.style,
        );
        match path {
            Some(path) => {
                self.save_to(&path);
                match lang {
                    UiLanguage::Chinese => format!("{} 已随之更新。", path.display()),
                    UiLanguage::English => format!(" {} was updated to match.", path.display()),
                }
            }
            None => String::new(),
        }
    }

    /// The merge view's "take the merged result" after a refused publish: the resolved
    /// project, based on the store's newest revision, as one undo step. Nothing is written
    /// to the store until it is published again.
    fn take_db_merge(&mut self) {
        let Some(m) = &self.merge else { return };
        let Some(db) = &m.db else { return };
        let mut merged = m.result.resolved(&m.theirs, &m.take_theirs);
        merged.origin = Some(DbOrigin {
            project: db.project.clone(),
            revision: db.head,
        });
        let (name, head) = (db.project.clone(), db.head);
        let label = Bilingual::new("采用合并结果", "take the merged result");
        self.doc.history.begin(label, &self.doc.project);
        self.doc.project = merged;
        self.doc.history.commit(&self.doc.project);
        self.doc.reload_sketches();
        self.project_changed(true);
        self.merge = None;
        let text = match self.lang() {
            UiLanguage::Chinese => format!(
                "合并结果现为打开的项目，基于 {name} 的修订版 {head}。尚未写入数据库：请再次发布（文件 > 发布到数据库…）。"
            ),
            UiLanguage::English => format!(
                "The merged project is now the open one, based on revision {head} of {name}. Nothing is in the database yet: publish it again (File: Publish to database…)."
            ),
        };
        self.files.info("Merged", text);
    }
}
