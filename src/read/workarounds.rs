//! Rewrites of the bytes calamine 0.38 would misread, made before it sees them:
//! .xlsb short cell records made long, and absurd .xls DIMENSIONS records clamped.
//! Each leaves a file it does not understand as it is, for calamine to judge.

use std::io::Cursor;

/// calamine 0.38 reads only the long .xlsb cell records (BrtCellRk, BrtCellSt, ...) and
/// silently skips the short ones (BrtShortRk, BrtShortSt, ...: the same records without
/// the column, which is the previous cell's plus one) that SheetJS and Aspose write for
/// every cell after the first of a row; it also drops a formula cell whose cached value
/// is an error (BrtFmlaError). Rewrite the worksheets with long records so no cell is
/// lost. Anything unexpected leaves the bytes as they are, for calamine to judge.
pub(super) fn xlsb_long_cell_records(bytes: Vec<u8>) -> Vec<u8> {
    xlsb_rewrite_sheets(&bytes).unwrap_or(bytes)
}

fn xlsb_rewrite_sheets(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut parts = Vec::with_capacity(zip.len());
    let mut changed = false;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).ok()?;
        let name = part.name().ok()?.into_owned();
        let mut data = Vec::new();
        part.read_to_end(&mut data).ok()?;
        if name.starts_with("xl/worksheets/")
            && name.ends_with(".bin")
            && let Some(long) = xlsb_sheet_long_records(&data)
        {
            data = long;
            changed = true;
        }
        parts.push((name, data));
    }
    if !changed {
        return None;
    }
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in &parts {
        out.start_file(name.as_str(), opts).ok()?;
        out.write_all(data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

/// calamine 0.38 reserves room for every cell a .xls DIMENSIONS record claims, before
/// reading any cell: a crafted 16 KB file claiming billions of rows asks for hundreds of
/// GB, and a failed allocation aborts the whole run (it is not a panic that
/// [`read_bytes`](super::read_bytes) can catch; found by fuzzing). Clamp such records, in place, to what
/// BIFF allows (65,536 rows, 256 columns); claims within that are left alone. The scan
/// runs over the raw file, so a record split across two CFB sectors is not seen.
pub(super) fn xls_clamp_dimensions(mut bytes: Vec<u8>) -> Vec<u8> {
    let u16_at = |b: &[u8], i: usize| u32::from(u16::from_le_bytes([b[i], b[i + 1]]));
    let mut i = 0;
    while i + 16 <= bytes.len() {
        // Record type 0x0200 (DIMENSIONS), length 14 or 16 (BIFF8) or 10 (BIFF5).
        let wide = match bytes[i..i + 4] {
            [0x00, 0x02, 0x0E | 0x10, 0x00] => true,
            [0x00, 0x02, 0x0A, 0x00] => false,
            _ => {
                i += 1;
                continue;
            }
        };
        let (rf, rl, cols_at) = if wide {
            let u32_at = |k: usize| u32::from_le_bytes([bytes[k], bytes[k + 1], bytes[k + 2], bytes[k + 3]]);
            (u32_at(i + 4), u32_at(i + 8), i + 12)
        } else {
            (u16_at(&bytes, i + 4), u16_at(&bytes, i + 6), i + 8)
        };
        let (cf, cl) = (u16_at(&bytes, cols_at), u16_at(&bytes, cols_at + 2));
        // The cells calamine would reserve, computed as it does (u32, wrapping in release).
        let claimed = if rl >= 1 && cl >= 1 {
            let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
            let rows = u64::from((rl - 1).wrapping_sub(rf).wrapping_add(1));
            let cols = u64::from((cl - 1).wrapping_sub(cf).wrapping_add(1));
            rows.saturating_mul(cols)
        } else {
            1
        };
        // Only absurd claims are touched: other bytes that happen to look like the record
        // header are left as they are unless they would claim more than BIFF8 can hold.
        if claimed > 65_536 * 256 {
            let (rl, cl) = (rl.min(65_536), cl.min(256));
            if wide {
                bytes[i + 4..i + 8].copy_from_slice(&0u32.to_le_bytes());
                bytes[i + 8..i + 12].copy_from_slice(&rl.to_le_bytes());
            } else {
                bytes[i + 4..i + 6].copy_from_slice(&0u16.to_le_bytes());
                bytes[i + 6..i + 8].copy_from_slice(&(rl.min(65_535) as u16).to_le_bytes());
            }
            bytes[cols_at..cols_at + 2].copy_from_slice(&0u16.to_le_bytes());
            bytes[cols_at + 2..cols_at + 4].copy_from_slice(&(cl as u16).to_le_bytes());
        }
        i += 4;
    }
    bytes
}

/// One worksheet part with its short cell records made long; None when it has none
/// (or does not parse as BIFF12 records).
fn xlsb_sheet_long_records(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 2);
    let mut pos = 0;
    let mut next_col: u32 = 0;
    let mut changed = false;
    while pos < data.len() {
        let start = pos;
        // Record type: one or two bytes, 7 bits each, as calamine reads it.
        let b = *data.get(pos)?;
        pos += 1;
        let mut typ = u16::from(b & 0x7F);
        if b & 0x80 != 0 {
            typ |= u16::from(*data.get(pos)? & 0x7F) << 7;
            pos += 1;
        }
        // Record size: up to four bytes, 7 bits each.
        let mut len = 0usize;
        for i in 0..4 {
            let b = *data.get(pos)?;
            pos += 1;
            len |= usize::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
        }
        let body = data.get(pos..pos.checked_add(len)?)?;
        pos += len;
        match typ {
            0x0000 => next_col = 0, // BrtRowHdr
            0x0001..=0x000B if body.len() >= 4 => {
                let col = u32::from_le_bytes(body[..4].try_into().ok()?);
                next_col = col.wrapping_add(1);
                if typ == 0x000B && body.len() >= 9 {
                    // BrtFmlaError: the value as a BrtCellError first, then the formula.
                    push_record(&mut out, 0x0003, &body[..9]);
                    changed = true;
                }
            }
            0x000C..=0x0012 => {
                // BrtShortBlank..BrtShortIsst -> BrtCellBlank..BrtCellIsst
                let mut long = Vec::with_capacity(body.len() + 4);
                long.extend_from_slice(&next_col.to_le_bytes());
                long.extend_from_slice(body);
                push_record(&mut out, typ - 0x000B, &long);
                next_col = next_col.wrapping_add(1);
                changed = true;
                continue;
            }
            _ => {}
        }
        out.extend_from_slice(&data[start..pos]);
    }
    changed.then_some(out)
}

fn push_record(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
    if typ < 0x80 {
        out.push(typ as u8);
    } else {
        out.push((typ & 0x7F) as u8 | 0x80);
        out.push((typ >> 7) as u8 & 0x7F);
    }
    let mut len = body.len();
    loop {
        let b = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
    out.extend_from_slice(body);
}
