/**
 * A parsed `multipart/form-data` body.
 * @internal
 */
export interface MultipartBody {
  /** Text fields by name. */
  fields: Record<string, string>;
  /** File parts by field name. */
  files: Record<string, { filename: string; contentType: string; bytes: Uint8Array }>;
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/**
 * Parses a `multipart/form-data` body (RFC 7578) given its `content-type` header. Returns
 * `undefined` when the header has no boundary or the body is not well formed.
 * @internal
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartBody | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const result: MultipartBody = { fields: {}, files: {} };
  let position = body.indexOf(delimiter);
  if (position < 0) return undefined;
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') return result;
    position += 2; // CRLF after the delimiter
    const headerEnd = body.indexOf(CRLF_CRLF, position);
    if (headerEnd < 0) return undefined;
    const headerText = body.subarray(position, headerEnd).toString('utf8');
    const next = body.indexOf(delimiter, headerEnd + 4);
    if (next < 0) return undefined;
    const content = body.subarray(headerEnd + 4, next - 2); // strip the CRLF before the delimiter
    const disposition = /content-disposition:[^\r\n]*/i.exec(headerText)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const partType =
      /content-type:\s*([^\r\n]+)/i.exec(headerText)?.[1]?.trim() ?? 'application/octet-stream';
    if (name !== undefined) {
      if (filename === undefined) result.fields[name] = content.toString('utf8');
      else result.files[name] = { filename, contentType: partType, bytes: new Uint8Array(content) };
    }
    position = next;
  }
}
