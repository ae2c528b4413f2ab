//! The team store under load and faults, against a real PostgreSQL + PostGIS started by the
//! tests: twenty concurrent writers, a server killed in the middle of a push, and a project of
//! 10,000 placements. Figures are printed (`cargo test --test db_load -- --nocapture`) and
//! recorded in the README; nothing here is a timed assertion.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::postgis::{PASSWORD, PostGis};
use onemap::io::db::{self, Pushed};
use onemap::io::{load_project, save_project};
use onemap::model::diff::Subject;
use onemap::model::project::{PlacementId, Project};

fn sample() -> Project {
    load_project(&common::root().join("assets/projects/sma-2022.onemap")).unwrap()
}

fn ready(test: &str) -> Option<(PostGis, String)> {
    let pg = PostGis::start(test)?;
    pg.create_database("plan", true);
    let (code, out, err) = pg.onemap(&["db", "init", &pg.url("plan")]);
    assert_eq!(code, 0, "{out}{err}");
    let url = format!("{} password='{PASSWORD}'", pg.url("plan"));
    Some((pg, url))
}

/// `sample()` with `n` more placements, copies of its own moved a little, with new ids.
fn with_copies(n: usize) -> Project {
    let mut project = sample();
    let originals: Vec<_> = project.placements.values().cloned().collect();
    for i in 0..n {
        let mut p = originals[i % originals.len()].clone();
        p.name_zh = format!("{}（副本 {i}）", p.name_zh);
        p.geometry = p
            .geometry
            .translated((i % 100) as f64 * 1e-3, (i / 100) as f64 * 1e-3);
        project
            .placements
            .insert(PlacementId(format!("placement.copy-{i:05}")), p);
    }
    project
}

fn first_push(url: &str, name: &str, project: &Project) -> Project {
    let (mut client, target) = db::connect(url).unwrap();
    match db::push(&mut client, &target, name, project, "first").unwrap() {
        Pushed::Saved {
            revision, merged, ..
        } => db::after_save(project.clone(), name, revision, merged),
        other => panic!("{other:?}"),
    }
}

/// One writer's push and what became of it.
struct Outcome {
    id: PlacementId,
    value: String,
    /// The revision it was saved as, or `None` when it was reported as a conflict.
    revision: Option<i32>,
}

const WRITERS: usize = 20;
const EDITS: usize = 50;

/// Writer `w`: 50 edits, one push each, each to its own placement except every fifth, which
/// goes to a placement all writers edit. A conflict is taken as reported: the writer pulls
/// the head and goes on.
fn writer(url: &str, w: usize, shared: &PlacementId) -> Vec<Outcome> {
    let (mut client, target) = db::connect(url).unwrap();
    let own = PlacementId(format!("placement.copy-{w:05}"));
    let mut mine = db::load(&mut client, &target, "load", None).unwrap();
    let mut outcomes = Vec::new();
    for k in 0..EDITS {
        let id = if k % 5 == w % 5 { shared } else { &own };
        let value = format!("writer {w} edit {k}");
        mine.placements.get_mut(id).unwrap().description = value.clone();
        let pushed = db::push(&mut client, &target, "load", &mine, &value).unwrap();
        let revision = match pushed {
            Pushed::Saved {
                revision, merged, ..
            } => {
                mine = db::after_save(mine, "load", revision, merged);
                Some(revision)
            }
            Pushed::Conflicts { conflicts, .. } => {
                let subject = Subject::Placement(shared.0.clone());
                assert!(
                    conflicts
                        .iter()
                        .all(|c| c.subject == subject && c.field == "description"),
                    "only the shared placement's description conflicts"
                );
                mine = db::load(&mut client, &target, "load", None).unwrap();
                None
            }
            Pushed::Unchanged { .. } => panic!("every edit changes something"),
        };
        outcomes.push(Outcome {
            id: id.clone(),
            value,
            revision,
        });
    }
    outcomes
}

#[test]
fn twenty_concurrent_writers_lose_nothing_and_every_conflict_is_reported() {
    let Some((_pg, url)) = ready("twenty_concurrent_writers") else {
        return;
    };
    let project = with_copies(WRITERS);
    let shared = project.placements.keys().next().unwrap().clone();
    first_push(&url, "load", &project);

    let start = Instant::now();
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (url, shared) = (&url, &shared);
                scope.spawn(move || writer(url, w, shared))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let elapsed = start.elapsed();

    let saved: Vec<&Outcome> = outcomes.iter().filter(|o| o.revision.is_some()).collect();
    let conflicts = outcomes.len() - saved.len();
    assert_eq!(outcomes.len(), WRITERS * EDITS);
    assert!(conflicts > 0, "concurrent edits of one placement conflict");
    assert!(
        outcomes
            .iter()
            .filter(|o| o.revision.is_none())
            .all(|o| o.id == shared),
        "edits to a writer's own placement never conflict"
    );
    let mut revisions: Vec<i32> = saved.iter().filter_map(|o| o.revision).collect();
    revisions.sort_unstable();
    revisions.dedup();
    assert_eq!(
        revisions.len(),
        saved.len(),
        "each save has a revision of its own"
    );
    let (mut client, target) = db::connect(&url).unwrap();
    let head = db::load(&mut client, &target, "load", None).unwrap();
    let head_revision = head.origin.as_ref().unwrap().revision;
    assert_eq!(
        head_revision as usize,
        1 + saved.len(),
        "no revision but the saves"
    );

    // The head holds every writer's last saved edit, and the shared placement the value of
    // the newest save that edited it.
    let mut last: BTreeMap<&PlacementId, (i32, &str)> = BTreeMap::new();
    for o in &saved {
        let revision = o.revision.unwrap_or_default();
        let entry = last.entry(&o.id).or_insert((revision, &o.value));
        if revision > entry.0 {
            *entry = (revision, &o.value);
        }
    }
    for (id, (_, value)) in &last {
        assert_eq!(head.placements[*id].description, *value, "{}", id.0);
    }
    // And every save is there, in its revision, as it was made.
    for o in &saved {
        let at = db::load(&mut client, &target, "load", o.revision).unwrap();
        assert_eq!(at.placements[&o.id].description, o.value);
    }
    let seconds = elapsed.as_secs_f64();
    println!(
        "load: {WRITERS} writers x {EDITS} edits in {seconds:.1} s: {} revisions ({:.1} revisions/s), {conflicts} conflicts reported",
        saved.len(),
        saved.len() as f64 / seconds
    );
}

#[test]
fn a_server_killed_in_the_middle_of_a_push_keeps_the_old_head_or_the_new_one() {
    let Some((pg, url)) = ready("a_server_killed_in_the_middle_of_a_push") else {
        return;
    };
    let before = first_push(&url, "crash", &sample());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crash.onemap");
    let mut big = with_copies(20_000);
    big.origin = before.origin.clone();
    save_project(&file, &big).unwrap();
    let bytes = std::fs::read(&file).unwrap();

    let child = std::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
        .args(["db", "push", file.to_str().unwrap(), &pg.url("plan")])
        .env("PGPASSWORD", PASSWORD)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut watcher = pg.client("postgres");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let writing: i64 = watcher
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'onemap' \
                 AND query LIKE 'INSERT INTO onemap.placements%'",
                &[],
            )
            .unwrap()
            .get(0);
        if writing > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the push never started writing");
        std::thread::sleep(Duration::from_millis(5));
    }
    pg.kill();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("crash was not saved"), "{stderr}");
    assert!(stderr.contains("is unchanged"), "{stderr}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        bytes,
        "the local file is untouched"
    );

    pg.restart();
    let mut client = pg.client("plan");
    let head: i32 = client
        .query_one("SELECT head FROM onemap.projects WHERE name = 'crash'", &[])
        .unwrap()
        .get(0);
    let stray: i64 = client
        .query_one(
            "SELECT count(*) FROM onemap.placements WHERE valid_from > $1",
            &[&head],
        )
        .unwrap()
        .get(0);
    assert_eq!(stray, 0, "no row of an unfinished revision survives");
    let (mut client, target) = db::connect(&url).unwrap();
    let now = db::load(&mut client, &target, "crash", None).unwrap();
    match head {
        1 => {
            // `modified` is the revision's time in the store, the file's own in `before`.
            let content = |mut p: Project| {
                p.meta.modified.clear();
                p
            };
            assert_eq!(content(now), content(before), "the old head, whole");
        }
        2 => assert_eq!(
            now.placements.len(),
            big.placements.len(),
            "the new head, whole"
        ),
        other => panic!("head {other}"),
    }
    println!("kill: the server was killed mid-push; after a restart the head is revision {head}");
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

#[test]
fn ten_thousand_placements_open_from_the_database_and_one_edit_writes_one_row() {
    let Some((_pg, url)) = ready("ten_thousand_placements") else {
        return;
    };
    let project = with_copies(10_000 - sample().placements.len());
    assert_eq!(project.placements.len(), 10_000);
    let start = Instant::now();
    let mut mine = first_push(&url, "big", &project);
    let first = start.elapsed();

    let (mut client, target) = db::connect(&url).unwrap();
    let opens: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let loaded = db::load(&mut client, &target, "big", None).unwrap();
            assert_eq!(loaded.placements.len(), 10_000);
            start.elapsed()
        })
        .collect();
    // The peer: the same project opened from its file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.onemap");
    save_project(&file, &mine).unwrap();
    let file_opens: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            load_project(&file).unwrap();
            start.elapsed()
        })
        .collect();

    let ids: Vec<PlacementId> = mine.placements.keys().take(5).cloned().collect();
    let mut pushes = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let p = mine.placements.get_mut(id).unwrap();
        p.geometry = p.geometry.translated(0.001, 0.0);
        let start = Instant::now();
        let pushed = db::push(&mut client, &target, "big", &mine, &format!("move {i}")).unwrap();
        pushes.push(start.elapsed());
        match pushed {
            Pushed::Saved {
                rows_written,
                revision,
                merged,
                ..
            } => {
                // The placement's old row closed and its new row written: 2, nothing else.
                assert_eq!(
                    rows_written, 2,
                    "a one-placement edit writes only that placement"
                );
                mine = db::after_save(mine, "big", revision, merged);
            }
            other => panic!("{other:?}"),
        }
    }
    println!(
        "scale: 10,000 placements: first push {:.2} s; open from the database {:.0} ms (median of 5; from the .onemap file {:.0} ms); one-placement edit pushed in {:.0} ms (median of 5)",
        first.as_secs_f64(),
        median(opens).as_secs_f64() * 1e3,
        median(file_opens).as_secs_f64() * 1e3,
        median(pushes).as_secs_f64() * 1e3
    );
}
