//! The PDF file as a stream of objects: each is written out as soon as it is made, and only
//! its byte offset is kept, for the cross-reference table at the end. A document of any
//! length is then written in the memory of one page.

use pdf_writer::{Chunk, Ref, Settings};
use std::io::{BufWriter, Write};

/// A PDF being written to `out`: the header first, then objects in any order, then the
/// cross-reference table and the trailer in `finish`.
pub(super) struct PdfFile<'a> {
    out: BufWriter<&'a mut dyn Write>,
    /// Bytes written so far: where the next object starts.
    position: u64,
    /// Each object's offset, by its number less one; 0 for one not written yet.
    offsets: Vec<u64>,
}

impl<'a> PdfFile<'a> {
    pub fn new(out: &'a mut dyn Write) -> std::io::Result<Self> {
        let mut file = PdfFile { out: BufWriter::with_capacity(64 * 1024, out), position: 0, offsets: Vec::new() };
        // The comment of four high bytes marks the file as binary for transfer programs.
        file.write(b"%PDF-1.7\n%\x80\x80\x80\x80\n")?;
        Ok(file)
    }

    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)?;
        self.position += bytes.len() as u64;
        Ok(())
    }

    /// Writes the object `id`, made by `make` in a chunk of its own.
    pub fn object(&mut self, id: Ref, make: impl FnOnce(&mut Chunk)) -> std::io::Result<()> {
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        make(&mut chunk);
        let index = id.get() as usize - 1;
        if self.offsets.len() <= index {
            self.offsets.resize(index + 1, 0);
        }
        self.offsets[index] = self.position;
        self.write(chunk.as_bytes())
    }

    /// The cross-reference table and the trailer naming the catalog `root` and the document
    /// information `info`; every object numbered below the highest must have been written.
    pub fn finish(mut self, root: Ref, info: Ref) -> std::io::Result<()> {
        if let Some(missing) = self.offsets.iter().position(|&o| o == 0) {
            return Err(std::io::Error::other(format!("object {} was never written", missing + 1)));
        }
        let xref = self.position;
        let size = self.offsets.len() + 1;
        let mut table = format!("xref\n0 {size}\n0000000000 65535 f \n");
        for offset in std::mem::take(&mut self.offsets) {
            // Each entry is exactly 20 bytes, its end of line included.
            table.push_str(&format!("{offset:010} 00000 n \n"));
            if table.len() >= 64 * 1024 {
                self.write(table.as_bytes())?;
                table.clear();
            }
        }
        table.push_str(&format!(
            "trailer\n<< /Size {size} /Root {} 0 R /Info {} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            root.get(),
            info.get()
        ));
        self.write(table.as_bytes())?;
        self.out.flush()
    }
}

/// `data` compressed for a stream with the FlateDecode filter.
pub(super) fn deflate(data: &[u8]) -> Vec<u8> {
    use flate2::{Compression, write::ZlibEncoder};
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(data.len() / 3), Compression::new(6));
    // Writing to a Vec does not fail.
    encoder.write_all(data).expect("compress into memory");
    encoder.finish().expect("compress into memory")
}
