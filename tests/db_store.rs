//! The team store against a real PostgreSQL + PostGIS started by the tests (tests/common/
//! postgis.rs): `onemap db init/push/pull/log` as contracts, history, merges on push, conflicts
//! that write nothing, clear errors, and roles the server enforces.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::postgis::{PASSWORD, PostGis};
use onemap::io::{load_project, save_project};
use onemap::model::project::{Comment, PlacementId, Project};

fn sample() -> Project {
    load_project(&common::root().join("assets/projects/sma-2022.onemap")).unwrap()
}

/// A fresh server with an initialized database `plan`, and a folder for files.
fn ready(test: &str) -> Option<(PostGis, tempfile::TempDir)> {
    let pg = PostGis::start(test)?;
    pg.create_database("plan", false);
    let (code, out, err) = pg.onemap(&["db", "init", &pg.url("plan")]);
    assert_eq!(code, 0, "{out}{err}");
    Some((pg, tempfile::tempdir().unwrap()))
}

fn write(dir: &Path, name: &str, project: &Project) -> PathBuf {
    let path = dir.join(name);
    save_project(&path, project).unwrap();
    path
}

fn first_id(project: &Project) -> PlacementId {
    project.placements.keys().next().unwrap().clone()
}

fn head(pg: &PostGis, project: &str) -> i32 {
    pg.client("plan")
        .query_one(
            "SELECT head FROM onemap.projects WHERE name = $1",
            &[&project],
        )
        .unwrap()
        .get(0)
}

/// A project's content: without where it came from and when it was saved (in the store,
/// `modified` is the revision's time).
fn content(mut p: Project) -> Project {
    p.origin = None;
    p.meta.modified.clear();
    p
}

#[test]
fn init_is_idempotent_and_push_pull_log_round_trip() {
    let Some((pg, dir)) = ready("init_is_idempotent_and_push_pull_log_round_trip") else {
        return;
    };
    let url = pg.url("plan");
    let (code, out, err) = pg.onemap(&["db", "init", &url]);
    assert_eq!(code, 0, "a second init changes nothing: {out}{err}");
    assert!(out.contains("schema version 2"), "{out}");

    let file = write(dir.path(), "sma.onemap", &sample());
    let (code, out, err) =
        pg.onemap(&["db", "push", file.to_str().unwrap(), &url, "-m", "首次发布"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("sma: saved as revision 1"), "{out}");
    assert_eq!(
        load_project(&file).unwrap().origin.unwrap().revision,
        1,
        "the pushed file now remembers its revision"
    );

    let pulled = dir.path().join("pulled.onemap");
    let (code, out, err) = pg.onemap(&["db", "pull", &url, "sma", "-o", pulled.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let back = load_project(&pulled).unwrap();
    assert_eq!(back.origin.as_ref().unwrap().revision, 1);
    let modified = back.meta.modified.clone();
    assert_eq!(
        content(back),
        content(sample()),
        "a pull gives back what was pushed"
    );

    // Pushing the same again makes no revision.
    let (code, out, _) = pg.onemap(&["db", "push", file.to_str().unwrap(), &url]);
    assert_eq!(code, 0);
    assert!(out.contains("nothing to save"), "{out}");

    let (code, out, err) = pg.onemap(&["db", "log", &url, "sma", "--json"]);
    assert_eq!(code, 0, "{err}");
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["message"], "首次发布");
    assert_eq!(log[0]["author"], "postgres");
    assert_eq!(log[0]["base"], serde_json::Value::Null);
    assert_eq!(
        log[0]["time"], modified,
        "a pulled project was modified when it was saved"
    );
    let (code, out, _) = pg.onemap(&["db", "log", &url, "sma"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("1\t") && out.contains("\tpostgres\t首次发布"),
        "{out}"
    );

    qgis_reads_the_tables(&pg);
}

/// GDAL's PostgreSQL driver, which QGIS uses, lists the views as layers of one geometry type
/// each and reads a placement with its Chinese name.
fn qgis_reads_the_tables(pg: &PostGis) {
    let ogrinfo = |args: &[&str]| pg.ogrinfo("plan", args);
    let Some(layers) = ogrinfo(&[]) else {
        return;
    };
    for layer in [
        "onemap.placement_points (Point)",
        "onemap.placement_lines (Line String)",
        "onemap.placement_polygons (Polygon)",
    ] {
        assert!(layers.contains(layer), "{layer} in {layers}");
    }
    let (id, point) = sample()
        .placements
        .into_iter()
        .find(|(_, p)| {
            matches!(
                p.geometry,
                onemap::model::project::PlacementGeometry::Point(_)
            )
        })
        .unwrap();
    let feature = ogrinfo(&[
        "onemap.placement_points",
        "-where",
        &format!("placement_id = '{}'", id.0),
    ])
    .expect("ogrinfo ran for the listing");
    assert!(
        feature.contains(&format!("name_zh (String) = {}", point.name_zh)),
        "{feature}"
    );
    assert!(feature.contains("POINT ("), "{feature}");
}

#[test]
fn a_push_based_on_an_older_revision_is_merged_and_old_revisions_stay_readable() {
    let Some((pg, dir)) = ready("a_push_based_on_an_older_revision_is_merged") else {
        return;
    };
    let url = pg.url("plan");
    let base = write(dir.path(), "team.onemap", &sample());
    assert_eq!(
        pg.onemap(&["db", "push", base.to_str().unwrap(), &url]).0,
        0
    );
    let pull = |name: &str| {
        let path = dir.path().join(name);
        let (code, out, err) =
            pg.onemap(&["db", "pull", &url, "team", "-o", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}{err}");
        path
    };
    let (a, b, c) = (pull("a.onemap"), pull("b.onemap"), pull("c.onemap"));
    let ids: Vec<PlacementId> = sample().placements.keys().cloned().collect();

    // A moves one placement, B renames another, C edits A's placement differently.
    let edit = |path: &Path, f: &dyn Fn(&mut Project)| {
        let mut p = load_project(path).unwrap();
        f(&mut p);
        save_project(path, &p).unwrap();
    };
    edit(&a, &|p| {
        p.placements.get_mut(&ids[0]).unwrap().description = "甲的说明".into()
    });
    edit(&b, &|p| {
        p.placements.get_mut(&ids[1]).unwrap().name_zh = "乙改的名字".into()
    });
    edit(&c, &|p| {
        p.placements.get_mut(&ids[0]).unwrap().description = "丙的说明".into()
    });

    let (code, out, err) = pg.onemap(&[
        "db",
        "push",
        a.to_str().unwrap(),
        &url,
        "--project",
        "team",
        "-m",
        "A",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = pg.onemap(&[
        "db",
        "push",
        b.to_str().unwrap(),
        &url,
        "--project",
        "team",
        "-m",
        "B",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("merged with revision 2 and saved as revision 3"),
        "{out}"
    );
    let merged = load_project(&b).unwrap();
    assert_eq!(
        merged.placements[&ids[0]].description, "甲的说明",
        "B's file took A's save"
    );
    assert_eq!(merged.placements[&ids[1]].name_zh, "乙改的名字");
    assert_eq!(merged.origin.as_ref().unwrap().revision, 3);

    let c_before = std::fs::read(&c).unwrap();
    let (code, out, err) =
        pg.onemap(&["db", "push", c.to_str().unwrap(), &url, "--project", "team"]);
    assert_eq!(code, 1, "a conflict: {out}{err}");
    assert!(
        out.contains("甲的说明") && out.contains("丙的说明"),
        "{out}"
    );
    assert!(out.contains("nothing was written"), "{out}");
    assert_eq!(
        head(&pg, "team"),
        3,
        "the conflicting push made no revision"
    );
    assert_eq!(std::fs::read(&c).unwrap(), c_before, "nor touched the file");

    // Every revision opens as it was saved.
    let old = dir.path().join("r1.onemap");
    let (code, _, err) = pg.onemap(&[
        "db",
        "pull",
        &url,
        "team",
        "-o",
        old.to_str().unwrap(),
        "--revision",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(content(load_project(&old).unwrap()), content(sample()));
    let r2 = dir.path().join("r2.onemap");
    assert_eq!(
        pg.onemap(&[
            "db",
            "pull",
            &url,
            "team",
            "-o",
            r2.to_str().unwrap(),
            "--revision",
            "2"
        ])
        .0,
        0
    );
    let r2 = load_project(&r2).unwrap();
    assert_eq!(r2.placements[&ids[0]].description, "甲的说明");
    assert_eq!(
        r2.placements[&ids[1]].name_zh,
        sample().placements[&ids[1]].name_zh
    );
    let r9 = dir.path().join("r9.onemap");
    let (code, _, err) = pg.onemap(&[
        "db",
        "pull",
        &url,
        "team",
        "-o",
        r9.to_str().unwrap(),
        "--revision",
        "9",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("has no revision 9 (its newest is 3)"), "{err}");

    let (_, out, _) = pg.onemap(&["db", "log", &url, "team", "--json"]);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        log[2]["base"], 1,
        "B's save records the revision it was based on"
    );
}

#[test]
fn bad_addresses_passwords_databases_and_rows_are_clear_errors_that_write_nothing() {
    let Some((pg, dir)) = ready("bad_addresses_passwords_databases_and_rows") else {
        return;
    };
    let url = pg.url("plan");
    let file = write(dir.path(), "p.onemap", &sample());
    let before = std::fs::read(&file).unwrap();
    let f = file.to_str().unwrap();

    let (code, _, err) = pg.onemap(&[
        "db",
        "push",
        f,
        "host=127.0.0.1 port=1 user=li dbname=plan sslmode=disable",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("could not connect to li@127.0.0.1:1/plan"),
        "{err}"
    );
    let (code, _, err) = pg.onemap(&["db", "push", f, "host"]);
    assert_eq!(code, 2);
    assert!(err.contains("the database address is not valid"), "{err}");
    let (code, _, err) = pg.onemap_with("wrong", &["db", "push", f, &url]);
    assert_eq!(code, 2);
    assert!(
        err.contains("password authentication failed for user \"postgres\""),
        "{err}"
    );
    assert!(!err.contains("wrong"), "the password is never shown: {err}");

    // A database without PostGIS, and a user who may not create it.
    pg.create_database("bare", false);
    let (code, _, err) = pg.onemap(&["db", "push", f, &pg.url("bare")]);
    assert_eq!(code, 2);
    assert!(err.contains("has no PostGIS"), "{err}");
    pg.client("postgres")
        .batch_execute("CREATE ROLE li LOGIN PASSWORD 'li-pw'; GRANT ALL ON DATABASE bare TO li")
        .unwrap();
    let (code, _, err) = pg.onemap_with("li-pw", &["db", "init", &pg.url_as("bare", "li")]);
    assert_eq!(code, 2);
    assert!(
        err.contains("has no PostGIS: permission denied to create extension"),
        "{err}"
    );
    pg.create_database("uninit", true);
    let (code, _, err) = pg.onemap(&["db", "log", &pg.url("uninit"), "p"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("has no OneMap tables: run `onemap db init URL` first"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "no failure touched the file"
    );

    // A schema from a newer OneMap.
    assert_eq!(pg.onemap(&["db", "push", f, &url]).0, 0);
    let pushed = std::fs::read(&file).unwrap();
    pg.client("plan")
        .batch_execute("UPDATE onemap.schema_version SET version = 3")
        .unwrap();
    let mut edited = load_project(&file).unwrap();
    edited.meta.title_en = "changed".into();
    save_project(&file, &edited).unwrap();
    let edited_bytes = std::fs::read(&file).unwrap();
    let (code, _, err) = pg.onemap(&["db", "push", f, &url]);
    assert_eq!(code, 2);
    assert!(
        err.contains("schema version 3, from a newer OneMap; this one knows version 2"),
        "{err}"
    );
    let (code, _, err) = pg.onemap(&["db", "init", &url]);
    assert_eq!(code, 2, "init does not downgrade a newer schema: {err}");
    assert_eq!(head(&pg, "p"), 1);
    assert_eq!(std::fs::read(&file).unwrap(), edited_bytes);
    assert_ne!(pushed, edited_bytes);
    pg.client("plan")
        .batch_execute("UPDATE onemap.schema_version SET version = 2")
        .unwrap();

    // A row edited by hand (in QGIS, say) into a geometry a placement cannot be.
    pg.client("plan")
        .batch_execute(
            "UPDATE onemap.placements SET geom = ST_GeomFromText('MULTIPOINT(121 31, 122 32)', 4326) \
             WHERE fid = (SELECT min(fid) FROM onemap.placements)",
        )
        .unwrap();
    let out = dir.path().join("broken.onemap");
    let (code, _, err) = pg.onemap(&["db", "pull", &url, "p", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("placements row placement."), "{err}");
    assert!(
        err.contains("a MultiPoint geometry (a placement is a point, a line or a polygon)"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_reviewer_may_only_comment_and_the_server_enforces_it() {
    let Some((pg, dir)) = ready("a_reviewer_may_only_comment") else {
        return;
    };
    let url = pg.url("plan");
    let file = write(dir.path(), "plan.onemap", &sample());
    assert_eq!(
        pg.onemap(&["db", "push", file.to_str().unwrap(), &url]).0,
        0
    );
    pg.client("plan")
        .batch_execute(
            "CREATE ROLE wang LOGIN PASSWORD 'wang-pw' IN ROLE onemap_reviewer;
             CREATE ROLE zhao LOGIN PASSWORD 'zhao-pw' IN ROLE onemap_editor;",
        )
        .unwrap();
    let id = first_id(&sample());

    // The reviewer moves a placement: the server refuses, nothing is written.
    let mut moved = load_project(&file).unwrap();
    let p = moved.placements.get_mut(&id).unwrap();
    p.geometry = p.geometry.translated(0.01, 0.0);
    let moved_file = write(dir.path(), "moved.onemap", &moved);
    let before = std::fs::read(&moved_file).unwrap();
    let reviewer = pg.url_as("plan", "wang");
    let (code, _, err) = pg.onemap_with(
        "wang-pw",
        &[
            "db",
            "push",
            moved_file.to_str().unwrap(),
            &reviewer,
            "--project",
            "plan",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the server refused: permission denied for table placements"),
        "{err}"
    );
    assert_eq!(head(&pg, "plan"), 1);
    assert_eq!(std::fs::read(&moved_file).unwrap(), before);

    // The reviewer's comment is saved.
    let mut commented = load_project(&file).unwrap();
    // Saved in the app first, which stamps the file's modified time: bookkeeping, not content.
    commented.meta.modified = "2031-01-01T00:00:00Z".into();
    commented
        .placements
        .get_mut(&id)
        .unwrap()
        .comments
        .push(Comment {
            author: "王".into(),
            time: "2026-11-30T02:00:00Z".into(),
            text: "边界需要核对".into(),
        });
    let commented_file = write(dir.path(), "commented.onemap", &commented);
    let (code, out, err) = pg.onemap_with(
        "wang-pw",
        &[
            "db",
            "push",
            commented_file.to_str().unwrap(),
            &reviewer,
            "--project",
            "plan",
            "-m",
            "意见",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let (_, log, _) = pg.onemap(&["db", "log", &url, "plan", "--json"]);
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    assert_eq!(log[1]["author"], "wang");

    // The editor's move merges over the comment.
    let (code, out, err) = pg.onemap_with(
        "zhao-pw",
        &[
            "db",
            "push",
            moved_file.to_str().unwrap(),
            &pg.url_as("plan", "zhao"),
            "--project",
            "plan",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let head = load_project(&moved_file).unwrap();
    assert_eq!(head.placements[&id].comments.len(), 1);
    assert_eq!(
        head.placements[&id].geometry,
        moved.placements[&id].geometry.rounded()
    );
}

#[test]
fn credentials_come_from_libpq_sources_and_are_never_written() {
    let Some((pg, dir)) = ready("credentials_come_from_libpq_sources") else {
        return;
    };
    let file = write(dir.path(), "secret.onemap", &sample());
    // The password in the connection string itself.
    let url = format!("{} password='{PASSWORD}'", pg.url("plan"));
    let (code, out, err) = pg.onemap_with("", &["db", "push", file.to_str().unwrap(), &url]);
    assert_eq!(code, 0, "{out}{err}");
    // A password file, and a service file naming the server.
    let passfile = dir.path().join("pgpass");
    std::fs::write(
        &passfile,
        format!("127.0.0.1:{}:plan:postgres:{PASSWORD}\n", pg.port),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&passfile, std::fs::Permissions::from_mode(0o600)).unwrap();
    let services = dir.path().join("services");
    std::fs::write(
        &services,
        format!(
            "[team]\nhost=127.0.0.1\nport={}\ndbname=plan\nuser=postgres\nsslmode=disable\n",
            pg.port
        ),
    )
    .unwrap();
    let pulled = dir.path().join("pulled.onemap");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
        .args([
            "db",
            "pull",
            "service=team",
            "secret",
            "-o",
            pulled.to_str().unwrap(),
        ])
        .env_remove("PGPASSWORD")
        .env("PGPASSFILE", &passfile)
        .env("PGSERVICEFILE", &services)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for path in [&file, &pulled] {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            !text.contains(PASSWORD) && !text.contains(&pg.port.to_string()),
            "{text}"
        );
    }
    assert!(!String::from_utf8_lossy(&out.stdout).contains(PASSWORD));
    let (_, log, _) = pg.onemap(&["db", "log", &pg.url("plan"), "secret", "--json"]);
    assert!(!log.contains(PASSWORD));
}

#[test]
fn tls_connections_check_the_servers_certificate() {
    let Some((pg, ca)) = PostGis::start_tls("tls_connections_check_the_servers_certificate") else {
        return;
    };
    let run = |url: &str, root: Option<&Path>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_onemap"));
        command
            .args(["db", "init", url])
            .env("PGPASSWORD", PASSWORD)
            .env_remove("PGSSLROOTCERT");
        if let Some(root) = root {
            command.env("PGSSLROOTCERT", root);
        }
        let out = command.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let base = format!(
        "host=127.0.0.1 port={} user=postgres dbname=postgres",
        pg.port
    );
    let (code, err) = run(&format!("{base} sslmode=require"), Some(&ca));
    assert_eq!(code, 0, "TLS with the server's authority: {err}");
    let (code, err) = run(&format!("{base} sslmode=disable"), Some(&ca));
    assert_eq!(code, 2, "this server takes TLS only");
    assert!(err.contains("no encryption"), "{err}");
    let (code, err) = run(&format!("{base} sslmode=require"), None);
    assert_eq!(code, 2, "an unknown authority is refused: {err}");
    assert!(err.contains("certificate"), "{err}");
}

/// Every kind of row survives the store: plan sketches of the three kinds, notes, a dozen
/// comments in their order, an embedded data layer and an acknowledgement.
#[test]
fn every_part_of_a_project_round_trips() {
    use onemap::model::overrides::PlanOverride;
    use onemap::model::project::{
        Acknowledgement, MapNote, PlacementGeometry, SketchLayer, SketchSource,
    };
    let Some((pg, dir)) = ready("every_part_of_a_project_round_trips") else {
        return;
    };
    let mut project = sample();
    project.plan_overrides.insert(
        "sketch.new-corridor".into(),
        PlanOverride::Added {
            layer: "corridors".into(),
            name_zh: "新走廊".into(),
            name_en: "New corridor".into(),
            kind: "primary".into(),
            geometry: PlacementGeometry::LineString(vec![(120.5, 31.0), (121.25, 31.5)]),
        },
    );
    project.plan_overrides.insert(
        "corridor.renamed".into(),
        PlanOverride::Modified {
            layer: "corridors".into(),
            geometry: None,
            name_zh: Some("改名的走廊".into()),
            name_en: None,
        },
    );
    project.plan_overrides.insert(
        "corridor.gone".into(),
        PlanOverride::Removed {
            layer: "corridors".into(),
        },
    );
    let comment = |i: usize| Comment {
        author: format!("审阅人 {i}"),
        time: format!("2026-11-30T02:{i:02}:00Z"),
        text: format!("意见 {i}"),
    };
    let id = first_id(&project);
    project.placements.get_mut(&id).unwrap().comments = (0..12).map(comment).collect();
    project.notes = vec![
        MapNote {
            at: (121.5, 31.25),
            comment: comment(40),
        },
        MapNote {
            at: (120.1234567, 30.7654321),
            comment: comment(41),
        },
    ];
    project.sketch_layers.insert(
        "survey".into(),
        SketchLayer {
            name: "调查点".into(),
            source: SketchSource::Embedded(r#"{"type":"FeatureCollection","features":[]}"#.into()),
            visible: false,
            opacity: 0.35,
            choices: Default::default(),
            label_field: Some("名称".into()),
        },
    );
    project.acknowledgements.insert(
        "finding.x".into(),
        Acknowledgement {
            author: "李".into(),
            time: "2026-11-30T01:00:00Z".into(),
            reason: "已与南通核对".into(),
        },
    );
    let url = pg.url("plan");
    let file = write(dir.path(), "full.onemap", &project);
    let (code, out, err) = pg.onemap(&["db", "push", file.to_str().unwrap(), &url]);
    assert_eq!(code, 0, "{out}{err}");
    let pulled = dir.path().join("pulled.onemap");
    let (code, _, err) = pg.onemap(&["db", "pull", &url, "full", "-o", pulled.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        content(load_project(&pulled).unwrap()),
        content(load_project(&file).unwrap())
    );
}
