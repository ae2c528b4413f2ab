//! A WKT text as a tree: `KEYWORD[value, value, ...]` where a value is a quoted text, a
//! number, a bare word (an axis direction) or another keyword. It reads ESRI WKT, OGC WKT1 and
//! WKT2 alike; what the tree means is `wkt_match`'s business.
//!
//! Hand-written rather than `proj4wkt`'s parser: that one recurses without a depth limit (a
//! hostile .prj of nested brackets overflows the stack) and its model drops the CRS `ID` of
//! WKT2, which is the first thing we match on. The grammar is a dozen lines.

/// One `KEYWORD[...]` of a WKT text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    /// Upper-cased.
    pub keyword: String,
    pub values: Vec<Value>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Number(f64),
    Word(String),
    Node(Node),
}

/// Deeper than any real WKT (a WKT2 BOUNDCRS nests about eight levels).
const MAX_DEPTH: usize = 32;
/// Longer than any real single-CRS WKT by far.
pub(crate) const MAX_LEN: usize = 64 * 1024;

impl Node {
    pub fn children(&self) -> impl Iterator<Item = &Node> {
        self.values.iter().filter_map(|v| match v {
            Value::Node(n) => Some(n),
            _ => None,
        })
    }

    /// The first direct child with one of these keywords.
    pub fn child(&self, keywords: &[&str]) -> Option<&Node> {
        self.children()
            .find(|n| keywords.contains(&n.keyword.as_str()))
    }

    /// The first quoted text (the name of most WKT nodes).
    pub fn name(&self) -> Option<&str> {
        self.values.iter().find_map(|v| match v {
            Value::Text(t) => Some(t.as_str()),
            _ => None,
        })
    }

    /// The n-th number among the values (0-based), whether written bare or quoted (WKT1
    /// writes AUTHORITY codes as "4528", WKT2 writes ID codes as 4528).
    pub fn number(&self, n: usize) -> Option<f64> {
        self.values
            .iter()
            .filter_map(|v| match v {
                Value::Number(x) => Some(*x),
                Value::Text(t) => t.trim().parse().ok(),
                _ => None,
            })
            .nth(n)
    }
}

/// Parses a whole WKT text; anything after the closing bracket is an error.
pub(crate) fn parse(text: &str) -> Result<Node, String> {
    if text.len() > MAX_LEN {
        return Err(format!(
            "it is {} bytes long, more than any CRS",
            text.len()
        ));
    }
    let mut parser = Parser {
        bytes: text.as_bytes(),
        pos: 0,
    };
    parser.skip_space();
    let node = parser.node(0)?;
    parser.skip_space();
    if parser.pos < parser.bytes.len() {
        return Err(format!(
            "unexpected text after the end at byte {}",
            parser.pos
        ));
    }
    Ok(node)
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn word(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.pos += 1;
        }
        String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned()
    }

    fn node(&mut self, depth: usize) -> Result<Node, String> {
        if depth > MAX_DEPTH {
            return Err("it nests deeper than any CRS".to_string());
        }
        let keyword = self.word();
        if keyword.is_empty() || !keyword.as_bytes()[0].is_ascii_alphabetic() {
            return Err(format!("expected a WKT keyword at byte {}", self.pos));
        }
        self.skip_space();
        let close = match self.peek() {
            Some(b'[') => b']',
            Some(b'(') => b')',
            _ => return Err(format!("expected [ after {keyword}")),
        };
        self.pos += 1;
        let mut values = Vec::new();
        loop {
            self.skip_space();
            if self.peek() == Some(close) && values.is_empty() {
                self.pos += 1;
                break;
            }
            values.push(self.value(depth)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b) if b == close => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(format!("{keyword}[ is not closed properly")),
            }
        }
        Ok(Node {
            keyword: keyword.to_ascii_uppercase(),
            values,
        })
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        match self.peek() {
            Some(b'"') => self.text().map(Value::Text),
            Some(b) if b == b'-' || b == b'+' || b == b'.' || b.is_ascii_digit() => self.number(),
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                let start = self.pos;
                let word = self.word();
                self.skip_space();
                if matches!(self.peek(), Some(b'[' | b'(')) {
                    self.pos = start;
                    self.node(depth + 1).map(Value::Node)
                } else {
                    Ok(Value::Word(word))
                }
            }
            _ => Err(format!("unexpected character at byte {}", self.pos)),
        }
    }

    /// A quoted text; "" inside stands for one quote.
    fn text(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err("a quoted text is not closed".to_string()),
                Some(b'"') if self.bytes.get(self.pos + 1) == Some(&b'"') => {
                    out.push(b'"');
                    self.pos += 2;
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                Some(b) => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            self.pos += 1;
        }
        let token = String::from_utf8_lossy(&self.bytes[start..self.pos]);
        token
            .parse()
            .map(Value::Number)
            .map_err(|_| format!("\"{token}\" is not a number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_keywords_texts_numbers_and_words() {
        let node =
            parse(r#"PROJCS["a ""b""",UNIT("Meter",1.0),AXIS["X",NORTH],P[-1.5e3]]"#).unwrap();
        assert_eq!(node.keyword, "PROJCS");
        assert_eq!(node.name(), Some(r#"a "b""#));
        assert_eq!(node.child(&["UNIT"]).unwrap().number(0), Some(1.0));
        let axis = node.child(&["AXIS"]).unwrap();
        assert_eq!(axis.values[1], Value::Word("NORTH".to_string()));
        assert_eq!(node.child(&["P"]).unwrap().number(0), Some(-1500.0));
    }

    #[test]
    fn refuses_garbage_without_panicking() {
        for bad in [
            "",
            "hello",
            "PROJCS",
            "PROJCS[",
            "PROJCS[\"a\"",
            "PROJCS[\"a\",]",
            "PROJCS[\"a\"]]",
            "PROJCS[1e999e]",
            "[1]",
            "PROJCS[\"a\",UNIT[\"m\",1]] trailing",
            "é[1]",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "A[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse(&deep).is_err());
    }
}
