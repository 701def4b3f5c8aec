//! Embeds the built web console (`web/dist`: the console and GraphiQL) in the binary, so that
//! `cargo run --release` serves them with no Node on the machine. It writes
//! `$OUT_DIR/web_assets.rs`: one `(path, bytes)` entry per file, sorted by path, each bytes an
//! `include_bytes!` of the committed file. `web/README.md` says how to rebuild `web/dist`.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files_under(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?)
        .join("web")
        .join("dist");
    println!("cargo:rerun-if-changed={}", root.display());
    if !root.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: the committed console build is missing (cd web && npm ci && npm run build)",
            root.display()
        )
        .into());
    }
    let mut files = Vec::new();
    files_under(&root, &mut files)?;
    let mut entries = Vec::with_capacity(files.len());
    for file in &files {
        let relative = file
            .strip_prefix(&root)?
            .to_str()
            .ok_or("a file name in web/dist is not UTF-8")?;
        entries.push((
            format!("/{}", relative.replace(std::path::MAIN_SEPARATOR, "/")),
            file.display().to_string(),
        ));
    }
    // Sorted by URL path, so that the server can binary-search it.
    entries.sort();
    let mut table = String::from("/// Every file of web/dist: its URL path and its bytes, sorted by path.\n");
    table.push_str("pub static FILES: &[(&str, &[u8])] = &[\n");
    for (url, file) in &entries {
        writeln!(table, "    ({url:?}, include_bytes!({file:?})),")?;
    }
    table.push_str("];\n");
    std::fs::write(PathBuf::from(std::env::var("OUT_DIR")?).join("web_assets.rs"), table)?;
    Ok(())
}
