//! How a file's `features` are parsed: entry by entry, straight from the file's bytes, and
//! for a large file in two halves on two cores. The same visitors and the same checks run
//! whatever the strategy; only where each run starts differs.
//!
//! One core reads entries from the start; the other from a guessed boundary between two entries
//! near the middle to the end of the array. The guess is kept only if the first core, reading
//! entry by entry, stops exactly on it; otherwise the first core reads on to the end alone.
//! Anything that fails to parse gives `None`: the caller then parses the file in one pass,
//! which also gives the error its line and column.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::DeserializeSeed as _;

use super::parse::{Entry, Properties, Root, RootSeed, Sink as _};
use super::{Collector, Feature};

/// Files smaller than this are read and parsed on one core: a thread costs more than it saves.
const WORTH_IT: usize = 4 << 20;

/// The bytes of a file; a large one is read in two halves at once (copying 30 MB out of the
/// page cache and touching the pages it lands in takes one core ~15 ms).
pub(super) fn read_bytes(path: &Path, size: u64) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt as _;
        let file = std::fs::File::open(path)?;
        if let Ok(len) = usize::try_from(size)
            && len >= WORTH_IT
        {
            let mut bytes = vec![0u8; len];
            let (head, tail) = bytes.split_at_mut(len / 2);
            let (file, at) = (&file, head.len() as u64);
            let read = std::thread::scope(|scope| {
                let tail = scope.spawn(move || file.read_exact_at(tail, at));
                let head = file.read_exact_at(head, 0);
                head.and(tail.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            });
            // A file that changed size while being read is read again, in one go.
            if read.is_ok() && file.read_at(&mut [0u8], len as u64)? == 0 {
                return Ok(bytes);
            }
        }
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path)?, size),
        &mut bytes,
    )?;
    Ok(bytes)
}

/// A document parsed entry by entry.
pub(super) enum ByEntries<'k, P, T, F> {
    /// The top level (read with `features` left empty) and every entry.
    Done {
        root: Box<Root<P>>,
        collector: Collector<'k, T, F>,
    },
    /// An entry stopped the reading (a coordinate out of range, or cancelled): the first one
    /// in file order.
    Stopped(Collector<'k, T, F>),
}

/// Parses a FeatureCollection entry by entry, without copying, in two halves at once when
/// `parallel` and the file is large (progress is then not reported). `progress` is the byte
/// offset reached. `None` when the layout is not a FeatureCollection with entries, or anything
/// fails to parse.
pub(super) fn parse_by_entries<'k, P, T, F>(
    bytes: &[u8],
    collector: Collector<'k, T, F>,
    progress: Option<&AtomicU64>,
) -> Option<ByEntries<'k, P, T, F>>
where
    P: Properties,
    T: Send,
    F: Fn(Feature) -> T + Sync,
{
    let open = features_array(bytes)?;
    let parallel = progress.is_none()
        && bytes.len() >= WORTH_IT
        && std::thread::available_parallelism().map_or(1, |n| n.get()) >= 2;
    let guess = if parallel {
        boundary_after(bytes, bytes.len() / 2)
    } else {
        None
    };
    let keep = collector.keep;
    let allow_projected = collector.allow_projected;
    let (head, tail) = std::thread::scope(|scope| {
        let tail = guess.map(|g| {
            scope.spawn(move || {
                let mut second = Collector::new(keep);
                second.allow_projected = allow_projected;
                read_entries::<P, T, F>(bytes, g + 1, None, second, None)
            })
        });
        let head = read_entries::<P, T, F>(bytes, open + 1, guess, collector, progress);
        let tail = match (&head, tail) {
            (Some(h), Some(t)) if Some(h.stop) == guess && h.collector.stop.is_none() => {
                t.join().ok().flatten()
            }
            _ => None,
        };
        (head, tail)
    });
    let mut head = head?;
    if head.collector.stop.is_some() {
        return Some(ByEntries::Stopped(head.collector));
    }
    let close = match tail {
        Some(tail) => {
            let offset = head.collector.report.entries;
            let c = &mut head.collector;
            c.features.extend(tail.collector.features);
            c.report.entries += tail.collector.report.entries;
            c.report
                .problems
                .extend(tail.collector.report.problems.into_iter().map(|mut p| {
                    p.index += offset;
                    p
                }));
            if tail.collector.stop.is_some() {
                c.stop = tail.collector.stop;
                return Some(ByEntries::Stopped(head.collector));
            }
            tail.stop
        }
        // No guess, or the guess was not a boundary between entries: the first core read them all.
        None if bytes.get(head.stop) == Some(&b']') => head.stop,
        None => return None,
    };
    // What surrounds the array, with the array left empty: small.
    let mut rest = Vec::with_capacity(open + 2 + bytes.len() - close);
    rest.extend_from_slice(&bytes[..open]);
    rest.extend_from_slice(b"[]");
    rest.extend_from_slice(&bytes[close + 1..]);
    let mut nothing = Collector::new(keep);
    let mut de = serde_json::Deserializer::from_slice(&rest);
    let root = RootSeed::<_, P>(&mut nothing, std::marker::PhantomData)
        .deserialize(&mut de)
        .ok()?;
    de.end().ok()?;
    if let Some(p) = progress {
        p.store(bytes.len() as u64, Ordering::Relaxed);
    }
    Some(ByEntries::Done {
        root: Box::new(root),
        collector: head.collector,
    })
}

/// Entries read one after another, and where reading stopped: at the `]` closing the array,
/// at the `,` asked for, or after an entry that stopped the reading.
struct Run<'k, T, F> {
    collector: Collector<'k, T, F>,
    stop: usize,
}

/// Reads entries from `at` (just after the `[` or a `,` of the features array) until the array
/// closes, or until the `,` at `stop_at` if it comes between two entries.
fn read_entries<'k, P: Properties, T, F: Fn(Feature) -> T>(
    bytes: &[u8],
    mut at: usize,
    stop_at: Option<usize>,
    mut collector: Collector<'k, T, F>,
    progress: Option<&AtomicU64>,
) -> Option<Run<'k, T, F>> {
    loop {
        let mut one =
            serde_json::Deserializer::from_slice(bytes.get(at..)?).into_iter::<Entry<P>>();
        let entry = one.next()?.ok()?;
        at += one.byte_offset();
        if let Some(p) = progress {
            p.store(at as u64, Ordering::Relaxed);
        }
        if collector.entry(entry).is_err() {
            break;
        }
        at += bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        match bytes.get(at)? {
            b',' if Some(at) == stop_at => break,
            b',' => at += 1,
            b']' => break,
            _ => return None,
        }
    }
    Some(Run {
        collector,
        stop: at,
    })
}

/// The offset of the `[` opening the top-level `features` array, found by following strings
/// and nesting from the start (members before it are usually a few short ones).
fn features_array(bytes: &[u8]) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut key: (usize, usize) = (0, 0);
    let mut string_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                if depth == 1 {
                    key = (string_start, i);
                }
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                string_start = i + 1;
            }
            b'[' if depth == 1 && &bytes[key.0..key.1] == b"features" => return Some(i),
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    None
}

/// A likely boundary between two entries at or after `from`: a `,` between a `}` and a `{`
/// (whitespace aside). Only a guess: it may lie inside a string or a nested array.
fn boundary_after(bytes: &[u8], from: usize) -> Option<usize> {
    let is_space = |b: &u8| b.is_ascii_whitespace();
    (from..bytes.len()).find(|&i| {
        bytes[i] == b','
            && bytes[..i].iter().rev().find(|b| !is_space(b)) == Some(&b'}')
            && bytes[i + 1..].iter().find(|b| !is_space(b)) == Some(&b'{')
    })
}

/// The guess for the middle of a file, for the tests.
#[cfg(test)]
pub(super) fn boundary_after_for_tests(bytes: &[u8]) -> usize {
    boundary_after(bytes, bytes.len() / 2).unwrap_or(0)
}
