//! `onemap db …`: the team store on PostgreSQL/PostGIS. Contracts like the other subcommands:
//! `push` exits 0 when saved (merged if needed), 1 on conflicts (nothing written), 2 on errors;
//! the others exit 0 or 2.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use crate::io::db::{self, DbError, Pushed};
use crate::io::output_guard::{Writes, check_output};
use crate::io::{load_project, save_project};

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Creates OneMap's tables (schema `onemap`), views and the roles onemap_editor and
    /// onemap_reviewer in a PostGIS database; running it again changes nothing.
    /// URL is a libpq connection string or URI; passwords come from PGPASSWORD, the password
    /// file (PGPASSFILE, ~/.pgpass) or a service file, never from a project.
    /// Exit code: 0 ready, 2 on errors.
    Init { url: String },
    /// Saves FILE as a new revision of PROJECT (default: FILE's name without .onemap). A file
    /// pulled from an older revision is merged with what was saved since (three-way); on
    /// success FILE becomes what the database holds.
    /// Exit code: 0 saved (merged if needed), 1 conflicts (listed; nothing written anywhere),
    /// 2 errors (nothing written).
    Push {
        file: PathBuf,
        url: String,
        #[arg(long)]
        project: Option<String>,
        /// The revision's message.
        #[arg(short = 'm', long = "message", default_value = "")]
        message: String,
    },
    /// Writes PROJECT (its newest revision, or --revision N) to FILE, which remembers the
    /// revision it is based on for a later push. Exit code: 0 written, 2 on errors.
    Pull {
        url: String,
        project: String,
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: PathBuf,
        #[arg(long, value_name = "N")]
        revision: Option<i32>,
    },
    /// Opens the app on PROJECT's newest revision. Publishing from the app (File › Publish
    /// to database…) merges from that revision, as `push` does. Exit code: 2 when the
    /// database or the project cannot be read (said before any window opens), else the app's.
    Open { url: String, project: String },
    /// Lists PROJECT's revisions: number, time, author, base, message.
    /// Exit code: 0 listed, 2 on errors.
    Log {
        url: String,
        project: String,
        /// Print the revisions as JSON, for machines.
        #[arg(long)]
        json: bool,
    },
    /// Plan editions in the database: push a `layers/` folder, list them, pull one.
    /// A project opened from the database (`db open`, File › Open from database…) draws on
    /// the database's newest edition of the name it records; files keep using layers/.
    Edition {
        #[command(subcommand)]
        command: EditionCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum EditionCommand {
    /// Saves the plan edition in folder DIR (edition.ron, its *.geojson layers, SOURCES.md)
    /// as the next version of the edition its edition.ron names. Editors may; the server
    /// refuses reviewers. Exit code: 0 saved (or already there), 2 on errors (nothing written).
    Push {
        dir: PathBuf,
        url: String,
        /// The version's message.
        #[arg(short = 'm', long = "message", default_value = "")]
        message: String,
    },
    /// Lists the plan editions in the database, every version: name, version, time, author,
    /// layers, features, message. Exit code: 0 listed, 2 on errors.
    List {
        url: String,
        /// Print them as JSON, for machines.
        #[arg(long)]
        json: bool,
    },
    /// Writes edition NAME (its newest version, or --version N) as a layers/ folder DIR,
    /// which must not exist or be empty. Exit code: 0 written, 2 on errors.
    Pull {
        url: String,
        name: String,
        #[arg(short = 'o', long = "out", value_name = "DIR")]
        out: PathBuf,
        #[arg(long, value_name = "N")]
        version: Option<i32>,
    },
}

/// Runs `onemap db …`.
pub fn run(command: &DbCommand) -> ExitCode {
    match command {
        DbCommand::Init { url } => init(url),
        DbCommand::Push {
            file,
            url,
            project,
            message,
        } => push(file, url, project.as_deref(), message),
        DbCommand::Pull {
            url,
            project,
            out,
            revision,
        } => pull(url, project, out, *revision),
        DbCommand::Log { url, project, json } => log(url, project, *json),
        DbCommand::Edition { command } => edition(command),
        // The binary opens the window (main.rs), after `load_for_open`; the library has none.
        DbCommand::Open { .. } => {
            failed("onemap db open opens the app's window: run it from the onemap program")
        }
    }
}

/// What `onemap db open URL PROJECT` opens: PROJECT's newest revision, with its origin set,
/// and the database's newest version of the plan edition it records (`None` when the database
/// holds none of that name: then it draws on layers/). The error is the message to print
/// (then exit 2, without a window).
pub fn load_for_open(
    url: &str,
    project: &str,
) -> Result<
    (
        crate::model::project::Project,
        Option<(db::EditionData, i32)>,
    ),
    String,
> {
    db::connect(url)
        .and_then(|(mut client, target)| {
            let loaded = db::load(&mut client, &target, project, None)?;
            let edition = db::find_edition(&mut client, &target, &loaded.edition)?;
            Ok((loaded, edition))
        })
        .map_err(|e| format!("onemap db open: {project} could not be opened: {e}"))
}

fn failed(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("{e}");
    ExitCode::from(2)
}

#[allow(clippy::print_stdout)]
fn init(url: &str) -> ExitCode {
    let result = db::connect(url).and_then(|(mut client, target)| {
        db::init(&mut client, &target)?;
        Ok(target)
    });
    match result {
        Ok(target) => {
            println!(
                "{target}: OneMap tables ready (schema version {})",
                db::SCHEMA_VERSION
            );
            ExitCode::SUCCESS
        }
        Err(e) => failed(e),
    }
}

/// The project's name in the database: the one given, else the file's stem.
fn project_name(file: &Path, given: Option<&str>) -> Option<String> {
    given
        .map(str::to_owned)
        .or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|n| !n.is_empty())
}

#[allow(clippy::print_stdout)]
fn push(file: &Path, url: &str, project: Option<&str>, message: &str) -> ExitCode {
    let mine = match load_project(file) {
        Ok(p) => p,
        Err(e) => return failed(e),
    };
    let Some(name) = project_name(file, project) else {
        return failed(format!(
            "{}: give the project's name with --project",
            file.display()
        ));
    };
    let pushed = db::connect(url)
        .and_then(|(mut client, target)| db::push(&mut client, &target, &name, &mine, message));
    match pushed {
        Ok(Pushed::Saved {
            revision,
            merged_from,
            merged,
            rows_written,
        }) => {
            match merged_from {
                Some(head) => println!(
                    "{name}: merged with revision {head} and saved as revision {revision} ({rows_written} rows written)"
                ),
                None => {
                    println!("{name}: saved as revision {revision} ({rows_written} rows written)")
                }
            }
            // The file now is what the database holds, based on the new revision.
            let project = db::after_save(mine, &name, revision, merged);
            if let Err(e) = save_project(file, &project) {
                return failed(format!(
                    "{name} was saved as revision {revision}, but {} could not be updated \
                     (pull it again): {e}",
                    file.display()
                ));
            }
            ExitCode::SUCCESS
        }
        Ok(Pushed::Unchanged { revision }) => {
            println!("{name}: nothing to save, revision {revision} holds the same project");
            ExitCode::SUCCESS
        }
        Ok(Pushed::Conflicts { head, conflicts }) => {
            for c in &conflicts {
                // As `onemap merge` lists them, less its "kept mine": a refused push keeps
                // nothing.
                println!(
                    "conflict\t{}\tfield {}\n  base:   {}\n  mine:   {}\n  theirs: {}",
                    crate::edit::merge::words::subject(&c.subject, &c.name),
                    c.field,
                    c.base,
                    c.mine,
                    c.theirs
                );
            }
            println!(
                "{name}: {} conflict{} with revision {head}; nothing was written (pull revision {head}, resolve with `onemap merge`, and push again)",
                conflicts.len(),
                if conflicts.len() == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
        Err(e) => failed(push_failure(&name, file, &e)),
    }
}

fn push_failure(name: &str, file: &Path, e: &DbError) -> String {
    format!(
        "{name} was not saved: {e} ({} is unchanged)",
        file.display()
    )
}

/// A project file, or with a team store, `PROJECT@N` (where no such file exists): revision N
/// of PROJECT in it. Errors are the messages to print.
pub fn load_file_or_revision(
    path: &Path,
    store: Option<&str>,
) -> Result<crate::model::project::Project, String> {
    let revision = store.filter(|_| !path.exists()).and_then(|url| {
        let (project, revision) = path.to_str()?.rsplit_once('@')?;
        Some((url, project, revision.parse::<i32>().ok()?))
    });
    match revision {
        Some((url, project, revision)) => db::connect(url)
            .and_then(|(mut client, target)| {
                db::load(&mut client, &target, project, Some(revision))
            })
            .map_err(|e| e.to_string()),
        None => load_project(path).map_err(|e| e.to_string()),
    }
}

#[allow(clippy::print_stdout)]
fn pull(url: &str, project: &str, out: &Path, revision: Option<i32>) -> ExitCode {
    if let Err(e) = check_output(out, [], Writes::Project) {
        return failed(e);
    }
    let loaded = db::connect(url)
        .and_then(|(mut client, target)| db::load(&mut client, &target, project, revision));
    let project_data = match loaded {
        Ok(p) => p,
        Err(e) => return failed(e),
    };
    if let Err(e) = save_project(out, &project_data) {
        return failed(e);
    }
    let revision = project_data.origin.map(|o| o.revision).unwrap_or_default();
    println!(
        "wrote {} (revision {revision} of {project}, {} placements)",
        out.display(),
        project_data.placements.len()
    );
    ExitCode::SUCCESS
}

#[allow(clippy::print_stdout)]
fn log(url: &str, project: &str, json: bool) -> ExitCode {
    let history =
        db::connect(url).and_then(|(mut client, target)| db::log(&mut client, &target, project));
    let revisions = match history {
        Ok(r) => r,
        Err(e) => return failed(e),
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&revisions).unwrap_or_default()
        );
    } else {
        for r in &revisions {
            let base = r.base.map(|b| format!(" (from {b})")).unwrap_or_default();
            println!(
                "{}\t{}\t{}{base}\t{}",
                r.revision, r.time, r.author, r.message
            );
        }
    }
    ExitCode::SUCCESS
}

fn edition(command: &EditionCommand) -> ExitCode {
    match command {
        EditionCommand::Push { dir, url, message } => edition_push(dir, url, message),
        EditionCommand::List { url, json } => edition_list(url, *json),
        EditionCommand::Pull {
            url,
            name,
            out,
            version,
        } => edition_pull(url, name, out, *version),
    }
}

#[allow(clippy::print_stdout)]
fn edition_push(dir: &Path, url: &str, message: &str) -> ExitCode {
    let data = match db::read_edition_dir(dir) {
        Ok(d) => d,
        Err(e) => return failed(e),
    };
    let name = data.edition.id.clone();
    let pushed = db::connect(url)
        .and_then(|(mut client, target)| db::push_edition(&mut client, &target, &data, message));
    match pushed {
        Ok(db::EditionPushed::Saved { version, features }) => {
            println!(
                "plan edition {name}: saved as version {version} ({} layers, {features} features)",
                data.plan.layers.len()
            );
            ExitCode::SUCCESS
        }
        Ok(db::EditionPushed::Unchanged { version }) => {
            println!(
                "plan edition {name}: nothing to save, version {version} holds the same edition"
            );
            ExitCode::SUCCESS
        }
        Err(e) => failed(format!("plan edition {name} was not saved: {e}")),
    }
}

#[allow(clippy::print_stdout)]
fn edition_list(url: &str, json: bool) -> ExitCode {
    let listed =
        db::connect(url).and_then(|(mut client, target)| db::editions(&mut client, &target));
    let versions = match listed {
        Ok(v) => v,
        Err(e) => return failed(e),
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&versions).unwrap_or_default()
        );
    } else {
        for v in &versions {
            println!(
                "{}\t{}\t{}\t{}\t{} layers, {} features\t{}\t{}",
                v.name, v.version, v.time, v.author, v.layers, v.features, v.name_zh, v.message
            );
        }
    }
    ExitCode::SUCCESS
}

#[allow(clippy::print_stdout)]
fn edition_pull(url: &str, name: &str, out: &Path, version: Option<i32>) -> ExitCode {
    let loaded = db::connect(url)
        .and_then(|(mut client, target)| db::load_edition(&mut client, &target, name, version));
    let (data, version) = match loaded {
        Ok(found) => found,
        Err(e) => return failed(e),
    };
    if let Err(e) = db::write_edition_dir(out, &data) {
        return failed(e);
    }
    println!(
        "wrote {} (plan edition {name} version {version}, {} layers, {} features)",
        out.display(),
        data.plan.layers.len(),
        data.plan.features().count()
    );
    ExitCode::SUCCESS
}
