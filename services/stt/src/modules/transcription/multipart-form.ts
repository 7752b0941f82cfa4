import { DomainException, ErrorCode } from '@parley/contracts';

/** A parsed `multipart/form-data` body: text fields and the one file part. */
export interface MultipartForm {
  fields: Record<string, string>;
  file: { name: string; filename: string | null; contentType: string | null; data: Buffer } | null;
}

const MAX_PARTS = 20;
const MAX_FIELD_BYTES = 4096;

/**
 * Parses a whole multipart body (RFC 7578), already bounded in size. At most one file part (the
 * audio, named `file`), at most 20 parts, text fields of at most 4 KB; anything else is 400.
 */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartForm {
  const match = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || !boundary) {
    throw new DomainException(ErrorCode.UnsupportedMediaType, 'Send the audio as multipart/form-data with a boundary');
  }
  const delimiter = Buffer.from(`--${boundary}`);
  const form: MultipartForm = { fields: {}, file: null };
  let position = body.indexOf(delimiter);
  if (position < 0) throw invalid('no part found');
  let parts = 0;
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') return form;
    position += 2; // CRLF after the delimiter
    const headerEnd = body.indexOf('\r\n\r\n', position);
    if (headerEnd < 0) throw invalid('a part has no header end');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw invalid('the body ends inside a part');
    if (++parts > MAX_PARTS) throw invalid(`more than ${MAX_PARTS} parts`);
    const headers = body.subarray(position, headerEnd).toString('utf8');
    const data = body.subarray(headerEnd + 4, next);
    addPart(form, headers, data);
    position = next + 2;
  }
}

function addPart(form: MultipartForm, headers: string, data: Buffer): void {
  const disposition = /content-disposition:\s*form-data([^\r\n]*)/i.exec(headers)?.[1] ?? '';
  const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
  if (!name) throw invalid('a part has no name');
  const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
  if (filename !== null || name === 'file') {
    if (name !== 'file') throw invalid(`unexpected file part "${name}" (the audio is the part named "file")`);
    if (form.file) throw invalid('more than one file part');
    const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? null;
    form.file = { name, filename, contentType, data };
    return;
  }
  if (data.length > MAX_FIELD_BYTES) throw invalid(`the field "${name}" is longer than ${MAX_FIELD_BYTES} bytes`);
  if (name in form.fields) throw invalid(`the field "${name}" is given twice`);
  form.fields[name] = data.toString('utf8');
}

function invalid(why: string): DomainException {
  return new DomainException(ErrorCode.ValidationFailed, `Malformed multipart form: ${why}`);
}
