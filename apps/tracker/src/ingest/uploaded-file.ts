/** The part of a multer in-memory upload the tracker reads. */
export interface UploadedImage {
  fieldname: string;
  originalname: string;
  size: number;
  buffer: Buffer;
}

export function bytesOf(file: UploadedImage): Uint8Array {
  return new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength);
}
