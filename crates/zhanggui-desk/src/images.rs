//! Script images kept as files: a picture given by path is checked (PNG, JPEG, GIF or WebP
//! by its first bytes, at most 5 MB), copied into the images folder beside the database
//! under a name made of its content's SHA-256 (`3f2a…9c.png`), and the script keeps that
//! name. The same picture added twice is stored once; an address (`https://…`) is kept as
//! it is. The cockpit serves stored images at `/desk/images/NAME`.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The largest image accepted.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// Why an image was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0} is not a PNG, JPEG, GIF or WebP picture")]
    NotAnImage(String),
    #[error("{0} is larger than 5 MB")]
    TooLarge(String),
    #[error("`{0}` is neither a picture file, a stored image nor an http(s) address")]
    Unknown(String),
}

/// The images folder of a database: `images` beside the database file.
pub fn images_dir(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("images")
}

/// The picture kind of some bytes, as a file extension.
pub fn kind_of(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// Whether a name is one this module gives: 64 hex digits and a picture extension.
pub fn is_stored_name(name: &str) -> bool {
    match name.split_once('.') {
        Some((hash, ext)) => {
            hash.len() == 64
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                && matches!(ext, "png" | "jpg" | "gif" | "webp")
        }
        None => false,
    }
}

/// The content type of a stored name.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("png") => "image/png",
        Some("jpg") => "image/jpeg",
        Some("gif") => "image/gif",
        _ => "image/webp",
    }
}

/// Stores a picture file; returns its stored name.
pub fn store(dir: &Path, source: &Path) -> Result<String, ImageError> {
    let shown = source.display().to_string();
    let bytes = std::fs::read(source).map_err(|e| ImageError::Io(shown.clone(), e))?;
    if bytes.len() > MAX_BYTES {
        return Err(ImageError::TooLarge(shown));
    }
    let ext = kind_of(&bytes).ok_or_else(|| ImageError::NotAnImage(shown.clone()))?;
    let hash: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let name = format!("{hash}.{ext}");
    std::fs::create_dir_all(dir).map_err(|e| ImageError::Io(dir.display().to_string(), e))?;
    let target = dir.join(&name);
    if !target.exists() {
        // Written beside, then renamed: a reader never sees half a picture.
        let partial = dir.join(format!("{name}.partial"));
        std::fs::write(&partial, &bytes).map_err(|e| ImageError::Io(shown.clone(), e))?;
        std::fs::rename(&partial, &target).map_err(|e| ImageError::Io(shown, e))?;
    }
    Ok(name)
}

/// What a script keeps for an image argument: an address as it is, a stored name that
/// exists, or a picture file stored now.
pub fn resolve(dir: &Path, given: &str) -> Result<String, ImageError> {
    let given = given.trim();
    if given.starts_with("https://") || given.starts_with("http://") {
        return Ok(given.to_owned());
    }
    if is_stored_name(given) && dir.join(given).is_file() {
        return Ok(given.to_owned());
    }
    let path = Path::new(given);
    if path.is_file() {
        return store(dir, path);
    }
    Err(ImageError::Unknown(given.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_stored_once_by_content() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("images");
        let png = tmp.path().join("size-chart.png");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\nrest of a picture").unwrap();
        let name = resolve(&dir, png.to_str().unwrap()).unwrap();
        assert!(is_stored_name(&name) && name.ends_with(".png"), "{name}");
        assert_eq!(
            std::fs::read(dir.join(&name)).unwrap(),
            std::fs::read(&png).unwrap()
        );
        let copy = tmp.path().join("again.png");
        std::fs::copy(&png, &copy).unwrap();
        assert_eq!(resolve(&dir, copy.to_str().unwrap()).unwrap(), name);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        // A stored name and an address are kept as they are.
        assert_eq!(resolve(&dir, &name).unwrap(), name);
        assert_eq!(
            resolve(&dir, "https://img.example.com/a.jpg").unwrap(),
            "https://img.example.com/a.jpg"
        );
        let text = tmp.path().join("notes.txt");
        std::fs::write(&text, "not a picture").unwrap();
        assert!(matches!(
            resolve(&dir, text.to_str().unwrap()),
            Err(ImageError::NotAnImage(_))
        ));
        assert!(matches!(
            resolve(&dir, "missing.png"),
            Err(ImageError::Unknown(_))
        ));
        assert!(!is_stored_name("../etc/passwd") && !is_stored_name("x.png"));
    }
}
