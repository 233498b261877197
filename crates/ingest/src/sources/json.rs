//! JSON array or NDJSON, streamed: one record in memory at a time, whatever the file size.

use std::io::BufRead;

use crate::error::IngestError;
use crate::sources::{Item, item_from_value, malformed};

/// Records of a JSON array (`[{…}, {…}]`) or of NDJSON (one object per line), detected from the
/// first non-blank byte.
pub fn records<R: BufRead + Send + 'static>(mut reader: R) -> Box<dyn Iterator<Item = Result<Item, IngestError>> + Send> {
    // Blank lines before the first record still count in NDJSON line numbers.
    let mut skipped_lines = 0u64;
    let first = loop {
        match reader.fill_buf() {
            Ok([]) => break None,
            Ok(buffer) => {
                let blank = buffer.iter().take_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF).count();
                skipped_lines += buffer[..blank].iter().filter(|b| **b == b'\n').count() as u64;
                if blank < buffer.len() {
                    let byte = buffer[blank];
                    reader.consume(blank);
                    break Some(byte);
                }
                let length = buffer.len();
                reader.consume(length);
            }
            Err(error) => return Box::new(std::iter::once(Err(IngestError::Read(error.to_string())))),
        }
    };
    match first {
        None => Box::new(std::iter::empty()),
        Some(b'[') => Box::new(ArrayElements { reader, started: false, done: false, elements: 0 }),
        Some(_) => Box::new(Lines { reader, buffer: Vec::new(), done: false, line: skipped_lines }),
    }
}

/// Parses one record's text.
fn parse(text: &[u8]) -> Item {
    let original = String::from_utf8_lossy(text).into_owned();
    match serde_json::from_slice::<serde_json::Value>(text) {
        Ok(value @ serde_json::Value::Object(_)) => item_from_value(value, original),
        Ok(_) => Item::Rejected(malformed(&original, "not an object")),
        Err(error) => Item::Rejected(malformed(&original, &error.to_string())),
    }
}

struct Lines<R> {
    reader: R,
    buffer: Vec<u8>,
    done: bool,
    /// Lines read so far: the number of the line just read.
    line: u64,
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Result<Item, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.buffer.clear();
            match self.reader.read_until(b'\n', &mut self.buffer) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line += 1;
                    let line = self.buffer.trim_ascii();
                    if !line.is_empty() {
                        return Some(Ok(parse(line).at(self.line)));
                    }
                }
                Err(error) => {
                    self.done = true;
                    return Some(Err(IngestError::Read(error.to_string())));
                }
            }
        }
        None
    }
}

/// Splits a top-level JSON array into element texts by tracking nesting and strings, so
/// elements are parsed one by one.
struct ArrayElements<R> {
    reader: R,
    started: bool,
    done: bool,
    /// Elements returned so far.
    elements: u64,
}

impl<R: BufRead> ArrayElements<R> {
    /// The next element's record, numbered from 1.
    fn element(&mut self, text: &[u8]) -> Item {
        self.elements += 1;
        parse(text).at(self.elements)
    }

    fn next_byte(&mut self) -> Result<Option<u8>, IngestError> {
        let mut byte = [0u8; 1];
        match self.reader.read(&mut byte) {
            Ok(0) => Ok(None),
            Ok(_) => Ok(Some(byte[0])),
            Err(error) => Err(IngestError::Read(error.to_string())),
        }
    }
}

impl<R: BufRead> Iterator for ArrayElements<R> {
    type Item = Result<Item, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if !self.started {
            self.started = true;
            // The '[' was only peeked.
            if let Err(error) = self.next_byte() {
                self.done = true;
                return Some(Err(error));
            }
        }
        let mut element = Vec::new();
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        loop {
            let byte = match self.next_byte() {
                Ok(Some(byte)) => byte,
                Ok(None) => {
                    self.done = true;
                    let text = element.trim_ascii();
                    return (!text.is_empty()).then(|| Ok(self.element(text)));
                }
                Err(error) => {
                    self.done = true;
                    return Some(Err(error));
                }
            };
            if in_string {
                element.push(byte);
                match (escaped, byte) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => depth -= 1,
                b']' => {
                    self.done = true;
                    let text = element.trim_ascii();
                    return (!text.is_empty()).then(|| Ok(self.element(text)));
                }
                b',' if depth == 0 => {
                    let text = element.trim_ascii();
                    if text.is_empty() {
                        continue;
                    }
                    return Some(Ok(self.element(text)));
                }
                _ => {}
            }
            element.push(byte);
        }
    }
}
