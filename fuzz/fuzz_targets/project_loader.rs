//! Any bytes given to the project loader give a project or an error, never a panic; and a
//! project that loads saves and loads again to the same project.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use onemap::io::project_file::{parse_project, project_to_string};

fuzz_target!(|data: &[u8]| {
    // Bytes that are not UTF-8 are tried too, with the bad bytes replaced.
    let text = &*String::from_utf8_lossy(data);
    if let Ok(project) = parse_project(Path::new("fuzz.onemap"), text) {
        let saved = project_to_string(&project).expect("a loaded project can be saved");
        let again = parse_project(Path::new("fuzz.onemap"), &saved).expect("a saved project loads");
        assert_eq!(again, project.rounded());
    }
});
