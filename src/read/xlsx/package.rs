//! The .xlsx zip package: its parts unpacked straight from the bytes in memory,
//! each checked against its declared size and checksum, and validated as UTF-8.

use super::{Result, unexpected};
use std::io::Cursor;

/// A zip package opened on bytes in memory.
pub(crate) type Zip<'b> = zip::ZipArchive<Cursor<&'b [u8]>>;

/// The zip package, its parts unpacked straight from the bytes in memory.
pub(super) struct Package<'b> {
    /// The whole file.
    pub(super) bytes: &'b [u8],
    /// Its zip directory, opened on `bytes`.
    pub(super) zip: Zip<'b>,
}

impl<'b> Package<'b> {
    /// Open the package held in `bytes`.
    #[cfg(test)]
    pub(super) fn open(bytes: &'b [u8]) -> Result<Self> {
        let zip = Zip::new(Cursor::new(bytes)).map_err(|e| unexpected(format!("zip: {e}")))?;
        Ok(Package { bytes, zip })
    }

    /// The unpacked bytes of the part `name`; see [`part`].
    pub(super) fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        part(self.bytes, &mut self.zip, name)
    }
}

/// The unpacked bytes of a part of the package `zip` opened on `bytes`; `None` when
/// there is no such part. Part names are case-insensitive in a package; the exact
/// name is tried first. A part unpacks to at most its declared size (which the
/// sniffer bounded) and must match its checksum.
pub(crate) fn part(bytes: &[u8], zip: &mut Zip, name: &str) -> Result<Option<Vec<u8>>> {
    let index = match zip.index_for_name(name) {
        Some(i) => i,
        None => match zip.file_names().flatten().position(|n| n.eq_ignore_ascii_case(name)) {
            Some(i) => i,
            None => return Ok(None),
        },
    };
    let bad = |what: &str| unexpected(format!("{name}: {what}"));
    let file = zip.by_index_raw(index).map_err(|e| bad(&e.to_string()))?;
    let (method, size, packed, crc) = (file.compression(), file.size(), file.compressed_size(), file.crc32());
    let start = file.data_start().ok_or_else(|| bad("no data offset"))?;
    drop(file);
    if size > crate::read::MAX_UNZIPPED_BYTES {
        return Err(bad("too large"));
    }
    let data = usize::try_from(start)
        .ok()
        .zip(usize::try_from(packed).ok())
        .and_then(|(start, packed)| bytes.get(start..start.checked_add(packed)?))
        .ok_or_else(|| bad("data out of the file"))?;
    let out = match method {
        zip::CompressionMethod::Stored if data.len() as u64 == size => data.to_vec(),
        zip::CompressionMethod::Deflated => inflate(data, size as usize).map_err(|e| bad(&e))?,
        _ => return Err(bad("unsupported compression")),
    };
    if out.len() as u64 != size || crc32fast::hash(&out) != crc {
        return Err(bad("size or checksum differs"));
    }
    Ok(Some(out))
}

/// A part's bytes as text, validated with SIMD (simdutf8, already a dependency of
/// the dependencies): several times faster than the standard check on Vietnamese text.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str> {
    simdutf8::basic::from_utf8(bytes).map_err(|_| unexpected("part is not UTF-8"))
}

thread_local! {
    /// One inflater per thread: setting one up costs more than unpacking a small part.
    /// libdeflate, because a part is unpacked whole into a buffer of its declared size,
    /// which is what it is made for: about twice as fast as a streaming inflater here
    /// (unpacking was a quarter of reading a province's inbox).
    static INFLATER: std::cell::RefCell<libdeflater::Decompressor> =
        std::cell::RefCell::new(libdeflater::Decompressor::new());
}

/// Inflate raw deflate `data`, which must unpack to at most `size` bytes.
fn inflate(data: &[u8], size: usize) -> std::result::Result<Vec<u8>, String> {
    let mut out = vec![0; size];
    let unpacked = INFLATER.with_borrow_mut(|inflater| inflater.deflate_decompress(data, &mut out));
    match unpacked {
        Ok(n) => {
            out.truncate(n);
            Ok(out)
        }
        Err(libdeflater::DecompressionError::InsufficientSpace) => Err("deflate stream longer than declared".into()),
        Err(libdeflater::DecompressionError::BadData) => Err("bad deflate stream".into()),
    }
}
