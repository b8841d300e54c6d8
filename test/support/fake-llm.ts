import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake model does with the next questions. */
export type FakeLlmBehaviour =
  | { kind: 'answer'; content: string }
  | { kind: 'status'; status: number }
  | { kind: 'raw'; body: string }
  | { kind: 'hang' };

export interface LlmCall {
  path: string;
  auth: string | null;
  body: { model?: string; messages?: { role: string; content: string }[] } & Record<string, unknown>;
}

/**
 * An OpenAI-compatible chat-completions endpoint on 127.0.0.1 (POST {base}/chat/completions), the way an office's
 * own model server answers: a completion whose message content is the model's text. Its behaviour is switchable
 * (an answer, an HTTP error, a body that is not a completion, a hang) and it records every question.
 */
export class FakeLlm {
  readonly calls: LlmCall[] = [];
  behaviour: FakeLlmBehaviour = { kind: 'answer', content: '{"department":"区公安分局","reason":"涉及治安"}' };
  /** Runs before each answer (a test looks at the database while the bot waits for the model). */
  beforeAnswer: (() => Promise<void> | void) | null = null;
  private server: http.Server | null = null;
  private readonly hung: http.ServerResponse[] = [];

  get baseUrl(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (this.beforeAnswer) await this.beforeAnswer();
        let body: LlmCall['body'] = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LlmCall['body'];
        } catch {
          body = {};
        }
        this.calls.push({ path: req.url ?? '', auth: req.headers.authorization ?? null, body });
        if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
          res.writeHead(404).end();
          return;
        }
        const b = this.behaviour;
        if (b.kind === 'hang') {
          this.hung.push(res);
          return;
        }
        if (b.kind === 'status') {
          res.writeHead(b.status, { 'content-type': 'application/json' }).end('{"error":{"message":"fake failure"}}');
          return;
        }
        if (b.kind === 'raw') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(b.body);
          return;
        }
        const completion = {
          id: `chatcmpl-${this.calls.length}`,
          object: 'chat.completion',
          model: body.model ?? 'fake',
          choices: [{ index: 0, message: { role: 'assistant', content: b.content }, finish_reason: 'stop' }],
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hung.splice(0)) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
