//! RON and serde errors in words a user can act on. Their own messages name the program's
//! types ("Expected struct `VersionProbe`", "in `FileV1`"), which mean nothing to whoever opens
//! the file; the field names and values they quote are the file's own and are kept.

use ron::error::Error;

/// The error, without the names of the program's types, lowercase like the rest of our errors.
pub fn plain_message(code: &Error) -> String {
    match code {
        Error::Eof => "the file ends too early (is it cut short?)".into(),
        Error::TrailingCharacters => "unexpected text after the end".into(),
        Error::ExpectedDifferentStructName { found, .. } => {
            format!("unexpected `{found}` where `(` should be")
        }
        Error::ExpectedNamedStructLike(_) | Error::ExpectedStructLike => "expected `(`".into(),
        Error::ExpectedStructName(_) => "expected a name before `(`".into(),
        Error::MissingStructField { field, .. } => format!("the field `{field}` is missing"),
        Error::DuplicateStructField { field, .. } => {
            format!("the field `{field}` appears twice")
        }
        Error::NoSuchStructField {
            expected, found, ..
        } => format!("unknown field `{found}`{}", one_of(expected)),
        Error::NoSuchEnumVariant {
            expected, found, ..
        } => format!("unknown value `{found}`{}", one_of(expected)),
        Error::InvalidValueForType { expected, found } => format!(
            "expected {} but found {}",
            plain_expected(expected),
            scrub(found)
        ),
        Error::ExpectedDifferentLength { expected, found } => format!(
            "expected {} but found {found} element{}",
            plain_expected(expected),
            if *found == 1 { "" } else { "s" }
        ),
        Error::ExpectedInteger => "expected a whole number".into(),
        Error::ExpectedFloat => "expected a number".into(),
        Error::ExpectedBoolean => "expected `true` or `false`".into(),
        Error::ExpectedString => "expected text in quotes".into(),
        Error::ExpectedOption => "expected `Some(…)` or `None`".into(),
        Error::ExceededRecursionLimit => "nested too deeply".into(),
        Error::UnclosedLineComment => "a comment is not closed".into(),
        Error::ExpectedRawValue => "expected a value".into(),
        Error::Message(m) | Error::Io(m) => scrub(m),
        other => lowercase_first(&other.to_string()),
    }
}

/// ", expected one of `a`, `b`" (or nothing when no value is allowed).
fn one_of(expected: &[&str]) -> String {
    if expected.is_empty() {
        return String::new();
    }
    let names: Vec<String> = expected.iter().map(|n| format!("`{n}`")).collect();
    format!("; expected one of {}", names.join(", "))
}

/// What serde says was expected, in words: a type name becomes what it looks like in the file.
fn plain_expected(expected: &str) -> String {
    let words = match expected {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" | "bool" => "`true` or `false`",
        "a string" | "string" => "text in quotes",
        "a sequence" => "a list `[…]`",
        "a map" => "a map `{…}`",
        "option" => "`Some(…)` or `None`",
        "unit" => "`()`",
        other => return scrub(other),
    };
    words.into()
}

/// Replaces "struct Name" and "enum Name" (serde's way of naming a type it expected) by what
/// such a value looks like in the file.
fn scrub(message: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut words = message.split(' ').peekable();
    while let Some(word) = words.next() {
        let replacement = match word {
            "struct" => Some("a group `(…)`"),
            "enum" => Some("one of the allowed values"),
            _ => None,
        };
        match (replacement, words.peek()) {
            (Some(r), Some(next)) if is_type_name(next) => {
                let next = words.next().unwrap_or_default();
                // Keep what followed the name in the same word (a comma, a period).
                let tail = next
                    .trim_start_matches('`')
                    .trim_start_matches(is_name_char);
                out.push(format!("{r}{}", tail.trim_start_matches('`')));
            }
            _ => out.push(word.to_owned()),
        }
    }
    lowercase_first(&out.join(" "))
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == ':'
}

/// A Rust type name as serde writes it: `Name`, Name, Name, path::Name.
fn is_type_name(word: &str) -> bool {
    let name = word.trim_start_matches('`');
    name.chars().next().is_some_and(char::is_uppercase)
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_replaced_by_what_the_file_should_show() {
        let m = plain_message(&Error::InvalidValueForType {
            expected: "struct Placement".into(),
            found: "a string \"x\"".into(),
        });
        assert_eq!(m, "expected a group `(…)` but found a string \"x\"");
        let m = plain_message(&Error::Message(
            "invalid length 1, expected struct FileV1 with 2 elements".into(),
        ));
        assert_eq!(
            m,
            "invalid length 1, expected a group `(…)` with 2 elements"
        );
        let m = plain_message(&Error::Message("expected enum `Status`, found x".into()));
        assert_eq!(m, "expected one of the allowed values, found x");
    }

    #[test]
    fn the_files_own_names_are_kept_and_the_types_dropped() {
        let m = plain_message(&Error::MissingStructField {
            field: "version",
            outer: Some("VersionProbe".into()),
        });
        assert_eq!(m, "the field `version` is missing");
        let m = plain_message(&Error::NoSuchEnumVariant {
            expected: &["Line", "Polygon"],
            found: "Circle".into(),
            outer: Some("PlacementGeometry".into()),
        });
        assert_eq!(
            m,
            "unknown value `Circle`; expected one of `Line`, `Polygon`"
        );
        assert!(!m.contains("PlacementGeometry"));
    }
}
