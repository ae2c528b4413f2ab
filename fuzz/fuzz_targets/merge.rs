//! Three arbitrary projects, a base and two versions of it, merge without a panic, and the
//! merge (with every conflict left as mine, and with every conflict resolved with theirs)
//! saves and loads again to the same project. The input is the three project files one after
//! the other, separated by a 0xFF byte (which UTF-8 text never holds); an input without three
//! parts, or with a part that does not load, is skipped.
#![no_main]

use std::collections::BTreeSet;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use onemap::edit::merge::{merge3, words};
use onemap::io::project_file::{parse_project, project_to_string};
use onemap::model::project::Project;

const SEPARATOR: u8 = 0xFF;

fn load(part: &[u8]) -> Option<Project> {
    // Bytes that are not UTF-8 are tried too, with the bad bytes replaced.
    parse_project(Path::new("fuzz.onemap"), &String::from_utf8_lossy(part)).ok()
}

fn round_trips(project: &Project) {
    let saved = project_to_string(project).expect("a merged project can be saved");
    let again = parse_project(Path::new("merged.onemap"), &saved).expect("a saved merge loads");
    assert_eq!(again, project.rounded());
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == SEPARATOR);
    let (Some(base), Some(mine), Some(theirs)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let (Some(base), Some(mine), Some(theirs)) = (load(base), load(mine), load(theirs)) else {
        return;
    };
    let result = merge3(&base, &mine, &theirs);
    for c in &result.conflicts {
        let _ = words::conflict(c);
    }
    round_trips(&result.merged);
    let all: BTreeSet<_> = result.conflicts.iter().map(|c| c.subject.clone()).collect();
    round_trips(&result.resolved(&theirs, &all));
    // Merging a version with itself takes nothing and conflicts nowhere.
    let same = merge3(&base, &mine, &mine);
    assert!(same.conflicts.is_empty());
    assert_eq!(same.merged, mine);
});
