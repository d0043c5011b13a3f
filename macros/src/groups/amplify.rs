//! `#[groups(amplify_outputs = "amplify_outputs.json")]`: the groups of the
//! enum checked against the user pool's groups in Amplify's outputs file,
//! at compile time. The runtime's `groupguard::amplify` does the same at
//! run time (and for storages); both name the differences the same way.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use syn::LitStr;
use syn::parse::Parser;
use syn::punctuated::Punctuated;

use super::ast::Group;
use crate::internals::ctxt::Ctxt;
use crate::internals::symbol::AMPLIFY_OUTPUTS;

/// The arguments of `#[groups(...)]`: only `amplify_outputs = "path"`.
pub fn parse_args(cx: &mut Ctxt, args: TokenStream) -> Option<LitStr> {
    if args.is_empty() {
        return None;
    }
    let parser = Punctuated::<syn::MetaNameValue, syn::Token![,]>::parse_terminated;
    let Ok(metas) = parser.parse2(args.clone()) else {
        cx.error_spanned_by(
            &args,
            "`#[groups]` takes one argument, `amplify_outputs = \"path/to/amplify_outputs.json\"`; configure each group with `#[group(...)]`",
        );
        return None;
    };
    let mut path = None;
    for meta in metas {
        if meta.path != AMPLIFY_OUTPUTS {
            let path = &meta.path;
            let name = quote!(#path).to_string().replace(' ', "");
            cx.error_spanned_by(
                &meta.path,
                format!(
                    "unknown `#[groups]` argument `{name}`; the one argument is `amplify_outputs = \"path/to/amplify_outputs.json\"` (configure each group with `#[group(...)]`)"
                ),
            );
            continue;
        }
        match &meta.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(lit),
                ..
            }) if path.is_none() => path = Some(lit.clone()),
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(lit),
                ..
            }) => cx.error_spanned_by(lit, "`amplify_outputs` is given twice"),
            other => cx.error_spanned_by(
                other,
                "`amplify_outputs` takes a string: the file's path, relative to the crate's Cargo.toml",
            ),
        }
    }
    path
}

/// The largest outputs file read: Amplify writes a few KiB (10,000 groups
/// of 128 characters are about 1.7 MiB); anything larger is not one.
const MAX_OUTPUTS_BYTES: u64 = 4 * 1024 * 1024;

/// The text of the outputs file at `path`, or why it cannot be one.
///
/// Only a regular file is opened (a symbolic link is followed to it): a
/// named pipe would hang the build, a device (`/dev/zero`) would never end.
/// The size is checked before reading, and the read is capped too.
fn read_outputs(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let metadata = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !metadata.is_file() {
        let kind = if metadata.is_dir() {
            "a directory"
        } else {
            "not a regular file (a named pipe, a socket or a device)"
        };
        return Err(format!(
            "it is {kind}: name the `amplify_outputs.json` file"
        ));
    }
    if metadata.len() > MAX_OUTPUTS_BYTES {
        return Err(format!(
            "it holds {} bytes, more than the 4 MiB an `amplify_outputs.json` could need",
            metadata.len()
        ));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_OUTPUTS_BYTES + 1).read_to_string(&mut text))
        .map_err(|e| e.to_string())?;
    if text.len() as u64 > MAX_OUTPUTS_BYTES {
        return Err("it grew past 4 MiB while being read".to_owned());
    }
    Ok(text)
}

/// Reads the file and checks the groups; on success, the tokens that make
/// cargo rebuild when the file changes.
pub fn check(cx: &mut Ctxt, lit: &LitStr, groups: &[Group]) -> Option<TokenStream> {
    let relative = lit.value();
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
    let path = dir.join(&relative);
    let text = match read_outputs(&path) {
        Ok(text) => text,
        Err(error) => {
            cx.error_spanned_by(
                lit,
                format!(
                    "cannot read `{relative}`: {error}; the path is relative to the crate's Cargo.toml"
                ),
            );
            return None;
        }
    };
    let declared: Vec<(&str, u32)> = groups
        .iter()
        .map(|g| (g.name.as_str(), g.precedence))
        .collect();
    if let Err(message) = drift(&text, &declared) {
        cx.error_spanned_by(lit, format!("`{relative}`: {message}"));
        return None;
    }
    let absolute = path.to_string_lossy().into_owned();
    // `include_bytes!` makes the file an input of the build: editing it
    // reruns this check.
    Some(quote! {
        const _: &[u8] = ::core::include_bytes!(#absolute);
    })
}

/// The pool's groups from the outputs' text: `(name, precedence)`.
fn pool_groups(text: &str) -> Result<Vec<(String, Option<i64>)>, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let groups = doc
        .get("auth")
        .ok_or("no `auth` section (no user pool)")?
        .get("groups")
        .ok_or("no `auth.groups` (the pool has no groups, or the file predates schema 1.3)")?
        .as_array()
        .ok_or("`auth.groups` is not an array")?;
    let mut pool = Vec::new();
    for (i, entry) in groups.iter().enumerate() {
        let entry = entry
            .as_object()
            .ok_or_else(|| format!("`auth.groups[{i}]` is not an object"))?;
        for (name, config) in entry {
            let precedence = match config.get("precedence") {
                None => None,
                Some(p) => Some(p.as_i64().ok_or_else(|| {
                    format!("`auth.groups[{i}].{name}.precedence` is not an integer")
                })?),
            };
            pool.push((name.clone(), precedence));
        }
    }
    Ok(pool)
}

/// `Err` with every difference, one per line, when the declared groups and
/// the pool's differ.
fn drift(text: &str, declared: &[(&str, u32)]) -> Result<(), String> {
    let pool = pool_groups(text)?;
    let mut lines = Vec::new();
    for (name, precedence) in declared {
        match pool.iter().find(|(n, _)| n == name) {
            None => lines.push(format!(
                "`{name}` is declared in Rust but not in the user pool: rules naming it match no one"
            )),
            Some((_, Some(p))) if *p != i64::from(*precedence) => lines.push(format!(
                "`{name}` has precedence {precedence} in Rust and {p} in the user pool"
            )),
            Some(_) => {}
        }
    }
    for (name, _) in &pool {
        if !declared.iter().any(|(n, _)| n == name) {
            lines.push(format!(
                "`{name}` is in the user pool but not declared in Rust: its members get nothing from Rust rules"
            ));
        }
    }
    if lines.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the groups differ from the user pool's:\n- {}",
            lines.join("\n- ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_OUTPUTS_BYTES, drift, read_outputs};
    use std::path::Path;
    use std::sync::mpsc;
    use std::time::Duration;

    /// `read_outputs(path)`, or a failure after 10 s: a named pipe would
    /// otherwise hang the test as it hung the build.
    fn read_within_a_while(path: &Path) -> Result<String, String> {
        let (sender, receiver) = mpsc::channel();
        let path = path.to_owned();
        std::thread::spawn(move || sender.send(read_outputs(&path)));
        receiver
            .recv_timeout(Duration::from_secs(10))
            .expect("reading the outputs file hung")
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("groupguard-macros-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    }

    #[test]
    fn only_a_regular_file_of_sane_size_is_read() {
        let dir = scratch("read");
        let file = dir.join("amplify_outputs.json");
        std::fs::write(&file, r#"{"auth": {}}"#).expect("write");
        assert_eq!(read_within_a_while(&file).as_deref(), Ok(r#"{"auth": {}}"#));
        // A directory.
        let error = read_within_a_while(&dir).unwrap_err();
        assert!(error.starts_with("it is a directory"), "{error}");
        // A named pipe: refused at once, never opened (opening one blocks).
        let fifo = dir.join("fifo.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
        let error = read_within_a_while(&fifo).unwrap_err();
        assert!(error.contains("not a regular file"), "{error}");
        // A device that never ends.
        let error = read_within_a_while(Path::new("/dev/zero")).unwrap_err();
        assert!(error.contains("not a regular file"), "{error}");
        // A file over the cap (sparse: no disk used).
        let big = dir.join("big.json");
        std::fs::File::create(&big)
            .and_then(|f| f.set_len(MAX_OUTPUTS_BYTES + 1))
            .expect("a sparse file");
        let error = read_within_a_while(&big).unwrap_err();
        assert!(error.contains("more than the 4 MiB"), "{error}");
        // A missing file says so.
        assert!(read_within_a_while(&dir.join("missing.json")).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    const OUTPUTS: &str = r#"{"version": "1.5", "auth": {"groups": [
        {"ADMINS": {"precedence": 0}}, {"EDITORS": {"precedence": 1}}]}}"#;

    #[test]
    fn agreeing_groups_pass() {
        assert_eq!(drift(OUTPUTS, &[("ADMINS", 0), ("EDITORS", 1)]), Ok(()));
    }

    #[test]
    fn every_difference_is_named() {
        let message = drift(OUTPUTS, &[("ADMINS", 3), ("EDITOR", 1)]).unwrap_err();
        assert_eq!(
            message,
            "the groups differ from the user pool's:\n\
             - `ADMINS` has precedence 3 in Rust and 0 in the user pool\n\
             - `EDITOR` is declared in Rust but not in the user pool: rules naming it match no one\n\
             - `EDITORS` is in the user pool but not declared in Rust: its members get nothing from Rust rules"
        );
    }

    #[test]
    fn malformed_files_say_what_is_wrong() {
        assert!(drift("{", &[]).unwrap_err().starts_with("not JSON"));
        assert_eq!(
            drift("{}", &[]).unwrap_err(),
            "no `auth` section (no user pool)"
        );
        assert!(
            drift(r#"{"auth": {}}"#, &[])
                .unwrap_err()
                .starts_with("no `auth.groups`")
        );
        assert_eq!(
            drift(r#"{"auth": {"groups": {}}}"#, &[]).unwrap_err(),
            "`auth.groups` is not an array"
        );
        assert_eq!(
            drift(
                r#"{"auth": {"groups": [{"A": {"precedence": "x"}}]}}"#,
                &[("A", 0)]
            )
            .unwrap_err(),
            "`auth.groups[0].A.precedence` is not an integer"
        );
    }
}
