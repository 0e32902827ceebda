//! Exit codes, failures and how they are printed: one line on stderr that names the file, the
//! field (a JSON Pointer) or the command-line flag, a stable code and what is wrong; with
//! `--json`, the same as a JSON object on stdout.

use std::fmt;
use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};

/// Everything went well.
pub const OK: u8 = 0;
/// The input was checked and is invalid or rejected.
pub const REJECTED: u8 = 1;
/// A bad or missing flag, an unreadable input or an unwritable output.
pub const USAGE: u8 = 2;

/// Why a command stopped.
#[derive(Debug)]
pub struct Failure {
    /// The process exit code: [`REJECTED`] or [`USAGE`].
    pub exit: u8,
    /// A stable code: a library `Error::code()`, or one of the CLI's own (`USAGE`, `IO`,
    /// `KEY_FORMAT`, `NOT_NEWER`, …).
    pub code: String,
    /// The file concerned, if any.
    pub file: Option<String>,
    /// Where: a JSON Pointer into the file, or the command-line flag (`--expires`).
    pub path: String,
    /// What is wrong, for people.
    pub message: String,
}

impl Failure {
    /// A usage error about a command-line flag (exit 2).
    pub fn usage(flag: &str, message: impl Into<String>) -> Self {
        Failure {
            exit: USAGE,
            code: "USAGE".into(),
            file: None,
            path: flag.into(),
            message: message.into(),
        }
    }

    /// A file that cannot be read or written (exit 2).
    pub fn io(file: &Path, error: &std::io::Error) -> Self {
        Failure {
            exit: USAGE,
            code: "IO".into(),
            file: Some(file.display().to_string()),
            path: String::new(),
            message: error.to_string(),
        }
    }

    /// A rejection with a CLI-level code (exit 1).
    pub fn rejected(file: Option<&Path>, code: &str, path: &str, message: impl Into<String>) -> Self {
        Failure {
            exit: REJECTED,
            code: code.into(),
            file: file.map(|f| f.display().to_string()),
            path: path.into(),
            message: message.into(),
        }
    }

    /// A library load or verification error about `file` (exit 1).
    pub fn library(file: &Path, error: &darklaunch::Error) -> Self {
        let mut message = String::from(error.kind().description());
        if !error.detail().is_empty() {
            message.push_str(&format!(" ({})", error.detail()));
        }
        Failure::rejected(Some(file), error.code(), error.path(), message)
    }

    /// The failure as JSON, for `--json`.
    pub fn to_json(&self) -> Value {
        json!({
            "ok": false,
            "error": {
                "code": self.code,
                "file": self.file,
                "path": self.path,
                "message": self.message,
            }
        })
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        write!(f, "{}", self.code)?;
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Reads a file, mapping errors to an exit-2 failure that names it.
pub fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::io(path, &e))
}

/// Prints a JSON value on stdout, pretty, with a final newline.
pub fn print_json(value: &Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| String::from("null"));
    println!("{text}");
}

/// Writes `text` to `out`, or to stdout when `out` is `None`.
pub fn write_output(out: Option<&Path>, text: &str) -> Result<(), Failure> {
    match out {
        Some(path) => std::fs::write(path, text).map_err(|e| Failure::io(path, &e)),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|e| Failure::io(Path::new("<stdout>"), &e))
        }
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses lower- or upper-case hex of exactly 32 bytes.
pub fn parse_hex32(text: &str) -> Option<[u8; 32]> {
    let text = text.strip_prefix("sha256:").unwrap_or(text);
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// A percentage of `part` in `whole`, for tables: `12.34%`.
pub fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return String::from("-");
    }
    format!("{:.2}%", part as f64 * 100.0 / whole as f64)
}

/// A JSON number for a float, as an integer when it is one (`5`, not `5.0`).
pub fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}
