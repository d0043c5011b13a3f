//! Log lines as a reader of them sees them: what tracing-subscriber's text
//! format writes (the formatter most services install), captured and parsed
//! into `key=value` fields, for the tests that check that no value from a
//! request or a token can forge a field.

use std::sync::{Arc, Mutex};

use tracing::Level;

/// The fields of one line of tracing-subscriber's text format
/// (`LEVEL target: message field=value field="quoted \"value\""`), as a
/// `key=value` reader sees them: a value is a bare token up to the next
/// space, or a double-quoted string with `\"` and `\\` escapes.
pub fn parse_fields(line: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut rest = line;
    while let Some(eq) = rest.find('=') {
        let name_start = rest[..eq].rfind(' ').map_or(0, |i| i + 1);
        let name = rest[name_start..eq].to_owned();
        let after = &rest[eq + 1..];
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            value.push('\\');
                            value.push(escaped);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => value.push(c),
                }
            }
            (value, &quoted[end..])
        } else {
            let end = after.find(' ').unwrap_or(after.len());
            (after[..end].to_owned(), &after[end..])
        };
        fields.push((name, value));
        rest = next;
    }
    fields
}

/// A `Write` into a shared buffer, for tracing-subscriber's formatter.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The lines of events on `target` (exactly) that `run` writes through tracing-subscriber's
/// `fmt` (every level, no time, no colours).
pub fn lines(target: &str, run: impl FnOnce()) -> Vec<String> {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(Level::DEBUG)
        .with_ansi(false)
        .without_time()
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        // Tests run in parallel threads, most without a subscriber: a
        // callsite first hit by one of them may have cached "never"; ask
        // every callsite again now that this thread's subscriber exists.
        tracing::callsite::rebuild_interest_cache();
        run();
    });
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    text.lines()
        .filter(|l| l.split_whitespace().nth(1) == Some(&format!("{target}:")))
        .map(str::to_owned)
        .collect()
}

/// The value of the field `name` of `line`, as written (escapes kept).
pub fn field(line: &str, name: &str) -> Option<String> {
    parse_fields(line)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

/// The names of the fields of `line`, in order.
pub fn names(line: &str) -> Vec<String> {
    parse_fields(line).into_iter().map(|(n, _)| n).collect()
}
