//! Log lines as a reader of them sees them: what tracing-subscriber's text
//! format writes (the formatter most services install), captured and parsed
//! into `key=value` fields, for the tests that check that no value from a
//! request or a token can forge a field.

use std::cell::RefCell;
use std::sync::Once;

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

thread_local! {
    /// The text the global subscriber writes for this thread while
    /// [`lines`] captures it; `None` otherwise (the text is dropped).
    static CAPTURED: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
}

/// A writer into this thread's capture, for tracing-subscriber's formatter.
struct ThisThread;

impl std::io::Write for ThisThread {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        CAPTURED.with_borrow_mut(|captured| {
            if let Some(buffer) = captured {
                buffer.extend_from_slice(bytes);
            }
        });
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One global subscriber for the whole test binary, installed once and
/// never dropped, writing each thread's events to that thread's capture. A
/// subscriber set per test (`with_default`) is not enough: tracing caches
/// each callsite's interest and the global maximum level process-wide, and
/// a test thread without a subscriber can make a callsite look disabled to
/// another (tokio-rs/tracing#3611); with one global subscriber interested in
/// everything, every callsite stays enabled.
fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(|| ThisThread)
            .with_max_level(Level::TRACE)
            .with_ansi(false)
            .without_time()
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global subscriber in the test binaries that read log lines");
    });
}

/// The lines of events on `target` (exactly) that `run` writes on this
/// thread, through tracing-subscriber's `fmt` (every level, no time, no
/// colours).
pub fn lines(target: &str, run: impl FnOnce()) -> Vec<String> {
    install();
    CAPTURED.set(Some(Vec::new()));
    run();
    let bytes = CAPTURED.take().unwrap_or_default();
    let text = String::from_utf8(bytes).unwrap();
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
