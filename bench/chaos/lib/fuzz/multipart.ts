import { randomBytes } from 'node:crypto';

export interface Part {
  name: string;
  /** A field when a string, a file when bytes. */
  value: string | Uint8Array;
  filename?: string;
}

/** A multipart/form-data body built by hand, so its bytes (and its length) are exactly ours. */
export function multipart(parts: readonly Part[]): { data: Buffer; contentType: string } {
  const boundary = `----chaos${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file = typeof part.value !== 'string';
    const disposition = `form-data; name="${part.name}"${file ? `; filename="${part.filename ?? `${part.name}.bin`}"` : ''}`;
    const header = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${file ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n`;
    chunks.push(Buffer.from(header), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { data: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
