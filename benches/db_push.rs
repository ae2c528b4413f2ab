//! The team store at scale (issue 20): a project of 10,000 placements opened from the
//! database, side by side with opening the same project from its `.onemap` file, and a
//! one-placement edit of it pushed. Against a throwaway PostgreSQL + PostGIS cluster on
//! 127.0.0.1, started the way the tests start theirs (tests/common/postgis.rs); without the
//! server programs the bench prints why and does nothing.
//!
//! The test cluster runs with `fsync = off`; the push is measured again with `fsync = on`
//! (set at run time), so that the figure includes flushing the commit to disk as a real
//! server does.
//!
//! `cargo bench --bench db_push`; criterion's medians are in
//! `$CARGO_TARGET_DIR/criterion/db_*/*/new/estimates.json`.

// A benchmark is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml) does
// not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/postgis.rs"]
#[allow(dead_code)]
mod postgis;

use std::time::{Duration, Instant};

use criterion::Criterion;
use onemap::io::db::{self, Pushed};
use onemap::io::{load_project, save_project};
use onemap::model::project::{PlacementId, Project};
use postgis::{PASSWORD, PostGis};

/// The same allocator as the `onemap` binary, so that the figure is what users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PLACEMENTS: usize = 10_000;

fn root() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The sample project with copies of its placements, moved a little, up to `n` placements.
fn with_copies(n: usize) -> Project {
    let mut project = load_project(&root().join("assets/projects/sma-2022.onemap")).unwrap();
    let originals: Vec<_> = project.placements.values().cloned().collect();
    let mut i = 0;
    while project.placements.len() < n {
        let mut p = originals[i % originals.len()].clone();
        p.name_zh = format!("{}（副本 {i}）", p.name_zh);
        p.geometry = p
            .geometry
            .translated((i % 100) as f64 * 1e-3, (i / 100) as f64 * 1e-3);
        project
            .placements
            .insert(PlacementId(format!("placement.copy-{i:05}")), p);
        i += 1;
    }
    project
}

/// Pushes `project` (one placement renamed to `name` first) and moves its origin to the new
/// revision, as `db push` leaves the file.
fn push_edit(
    client: &mut postgres::Client,
    target: &db::Target,
    project: &mut Project,
    name: &str,
) {
    let id = project
        .placements
        .keys()
        .nth(PLACEMENTS / 2)
        .unwrap()
        .clone();
    project.placements.get_mut(&id).unwrap().name_zh = name.into();
    match db::push(client, target, "big", project, "one edit").unwrap() {
        Pushed::Saved {
            revision,
            rows_written,
            ..
        } => {
            assert_eq!(rows_written, 2, "one row closed, one written");
            project.origin.as_mut().unwrap().revision = revision;
        }
        other => panic!("{other:?}"),
    }
}

fn bench(c: &mut Criterion, pg: &PostGis) {
    pg.create_database("plan", true);
    let url = format!("{} password='{PASSWORD}'", pg.url("plan"));
    let (mut client, target) = db::connect(&url).unwrap();
    db::init(&mut client, &target).unwrap();
    let mut project = with_copies(PLACEMENTS);
    let revision = match db::push(&mut client, &target, "big", &project, "first").unwrap() {
        Pushed::Saved { revision, .. } => revision,
        other => panic!("{other:?}"),
    };
    project = db::after_save(project, "big", revision, None);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.onemap");
    save_project(&file, &project).unwrap();

    let mut group = c.benchmark_group("db_open_10k");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("from_database", |b| {
        b.iter(|| db::load(&mut client, &target, "big", None).unwrap())
    });
    group.bench_function("from_database_with_connect", |b| {
        b.iter(|| {
            let (mut client, target) = db::connect(&url).unwrap();
            db::load(&mut client, &target, "big", None).unwrap()
        })
    });
    group.bench_function("from_file", |b| b.iter(|| load_project(&file).unwrap()));
    group.finish();

    let mut group = c.benchmark_group("db_push_one_edit_10k");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    let mut n = 0u64;
    let mut timed_push = |client: &mut postgres::Client, project: &mut Project, iters: u64| {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            n += 1;
            let started = Instant::now();
            push_edit(client, &target, project, &format!("改名 {n}"));
            total += started.elapsed();
        }
        total
    };
    group.bench_function("fsync_off", |b| {
        b.iter_custom(|iters| timed_push(&mut client, &mut project, iters))
    });
    // One statement a call: ALTER SYSTEM refuses to run in a batch's implicit transaction.
    client.batch_execute("ALTER SYSTEM SET fsync = on").unwrap();
    client.batch_execute("SELECT pg_reload_conf()").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let fsync: String = client.query_one("SHOW fsync", &[]).unwrap().get(0);
    assert_eq!(fsync, "on");
    group.bench_function("fsync_on", |b| {
        b.iter_custom(|iters| timed_push(&mut client, &mut project, iters))
    });
    group.bench_function("fsync_on_with_connect", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                let (mut fresh, _) = db::connect(&url).unwrap();
                total += started.elapsed();
                total += timed_push(&mut fresh, &mut project, 1);
            }
            total
        })
    });
    group.finish();
}

fn main() {
    let Some(pg) = PostGis::start("bench_db_push") else {
        return;
    };
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c, &pg);
    c.final_summary();
}
