/** One part of a multipart/form-data body. */
export interface FormPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

/**
 * Parses a multipart/form-data body (RFC 7578) strictly, as a server must: the boundary from the
 * content type, CRLF-delimited part headers with a Content-Disposition naming the part, and the
 * closing delimiter. Throws with the reason on anything else.
 */
export function readMultipart(body: Buffer, contentType: string | undefined): FormPart[] {
  const match = /^multipart\/form-data\s*;\s*boundary=("?)([^";]{1,70})\1\s*$/i.exec(contentType ?? '');
  if (!match) throw new Error('content-type must be multipart/form-data with a boundary');
  const delimiter = Buffer.from(`--${match[2]}`);
  let position = body.indexOf(delimiter);
  if (position !== 0) throw new Error('the body does not start with the boundary');
  const parts: FormPart[] = [];
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') return parts;
    if (body.subarray(position, position + 2).toString() !== '\r\n')
      throw new Error('a boundary is not followed by CRLF');
    const headerEnd = body.indexOf('\r\n\r\n', position + 2);
    if (headerEnd < 0) throw new Error('a part has no end of headers');
    const headers = body
      .subarray(position + 2, headerEnd)
      .toString('utf8')
      .split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new Error('the body has no closing boundary');
    const disposition = headers.find((h) => /^content-disposition:/i.test(h));
    const name = disposition && /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (!name) throw new Error('a part has no Content-Disposition name');
    const type = headers.find((h) => /^content-type:/i.test(h));
    parts.push({
      name,
      filename: (disposition && /;\s*filename="([^"]*)"/i.exec(disposition)?.[1]) ?? null,
      contentType: type ? type.slice(type.indexOf(':') + 1).trim() : null,
      data: body.subarray(headerEnd + 4, next),
    });
    position = next + 2;
  }
}
