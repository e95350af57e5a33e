import type http from 'node:http';
import type { Res } from './router.ts';

/** Reads the whole body, calling `tooLarge` (which throws the server's own error) past `maxBytes`. */
export async function readBody(req: http.IncomingMessage, maxBytes: number, tooLarge: () => never): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Writes a handler's Res: objects as JSON (with `jsonType` unless the handler set one), strings and Buffers as they are. */
export function writeRes(out: http.ServerResponse, res: Res, headers: Record<string, string | string[]>, jsonType: string): void {
  let payload: Buffer | string | undefined;
  if (res.body === undefined) payload = undefined;
  else if (Buffer.isBuffer(res.body) || typeof res.body === 'string') payload = res.body;
  else {
    payload = JSON.stringify(res.body);
    headers['Content-Type'] ??= jsonType;
  }
  out.writeHead(res.status, headers);
  out.end(payload);
}
