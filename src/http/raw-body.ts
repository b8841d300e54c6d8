import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {}
/** The client went away (or broke the connection) before its body arrived: there is nobody to answer. */
export class BodyAborted extends Error {}

const ignore = () => undefined;

/** Reads a request body into memory, refusing (without buffering the rest) once it passes `limit` bytes. */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge());
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onAbort = () => {
      cleanup();
      reject(new BodyAborted());
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
    };
    // Errors after the body was read (or refused) concern nobody: keep them from becoming uncaught.
    req.on('error', ignore);
    req.on('data', onData);
    req.on('end', onEnd);
    // A reset or a half-sent body ends in 'error' ("aborted") or a 'close' without 'end'.
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}
