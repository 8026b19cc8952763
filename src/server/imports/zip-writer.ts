import { crc32 } from 'node:zlib';

/** One entry whose bytes are already in their stored form (raw deflate for method 8). */
export interface ZipEntryInput {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: 0 | 8;
  data: Buffer;
  crc32: number;
  uncompressedSize: number;
}

/** A stored (uncompressed) entry, its checksum computed. */
export function storedEntry(name: string, content: string | Buffer): ZipEntryInput {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { name, method: 0, data, crc32: crc32(data), uncompressedSize: data.length };
}

const utf8NamesFlag = 0x0800;
const dosDate1980 = 0x0021; // 1980-01-01: a fixed timestamp keeps the output reproducible

/**
 * Writes a plain zip (no data descriptors, no zip64, sizes in every local header), so that a
 * streaming reader never has to guess where an entry ends.
 */
export function writeZip(entries: readonly ZipEntryInput[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(utf8NamesFlag, 6);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(dosDate1980, 12);
    local.writeUInt32LE(entry.crc32 >>> 0, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    chunks.push(local, name, entry.data);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(utf8NamesFlag, 8);
    header.writeUInt16LE(entry.method, 10);
    header.writeUInt16LE(0, 12);
    header.writeUInt16LE(dosDate1980, 14);
    header.writeUInt32LE(entry.crc32 >>> 0, 16);
    header.writeUInt32LE(entry.data.length, 20);
    header.writeUInt32LE(entry.uncompressedSize, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += local.length + name.length + entry.data.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, ...central, end]);
}
