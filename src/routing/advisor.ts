import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { maskPhones } from '../logger.ts';

/** A department the model may choose, with its duties from the campaign. */
export interface AdvisableDepartment {
  name: string;
  duties: string;
}

export interface RoutingAdvice {
  /** A department name exactly as given in the question. */
  department: string;
  reason: string | null;
}

export interface RoutingAdvisor {
  /** The model's pick for an unsure grievance; null on timeout, error or an answer that does not check out. */
  advise(question: { text: string; likeliest: readonly string[]; departments: readonly AdvisableDepartment[] }): Promise<RoutingAdvice | null>;
}

export interface AdvisorOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  log: Logger;
  fetch?: typeof fetch;
}

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
});

const answerSchema = z.object({
  department: z.string().trim().min(1).max(100),
  reason: z.string().trim().max(200).optional().nullable(),
});

/** The first JSON object in the model's reply (models wrap it in prose or ``` fences however they are told). */
function firstJsonObject(content: string): unknown {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    return JSON.parse(content.slice(start, end + 1));
  } catch {
    return null;
  }
}

function prompt(q: Parameters<RoutingAdvisor['advise']>[0]): { role: 'system' | 'user'; content: string }[] {
  const list = q.departments.map((d) => `- ${d.name}：${d.duties || '（未写明职责）'}`).join('\n');
  return [
    {
      role: 'system',
      content:
        '你是区物业管理诉求的分派助手。根据群众诉求的内容和各部门职责，从给出的部门中选出最应负责办理的一个。' +
        '只回答一个 JSON 对象，不要其他文字：{"department":"部门名称（与列表完全一致）","reason":"二十字以内的理由"}。',
    },
    {
      role: 'user',
      content: `部门及职责：\n${list}\n\n初步判断最可能的部门：${q.likeliest.join('、') || '无'}\n\n诉求：${maskPhones(q.text)}`,
    },
  ];
}

/**
 * Asks an OpenAI-compatible chat-completions endpoint (an office's own model) which department an unsure
 * grievance belongs to. The answer only ever suggests: it is checked with zod, must name one of the offered
 * departments, and is shown to a person who decides. A timeout, an error or a bad answer gives null and a warning
 * that names neither the grievance text nor the key.
 */
export function createRoutingAdvisor(opts: AdvisorOptions): RoutingAdvisor {
  const doFetch = opts.fetch ?? fetch;
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    async advise(q) {
      const started = performance.now();
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
          body: JSON.stringify({ model: opts.model, messages: prompt(q), temperature: 0, max_tokens: 200, stream: false }),
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
        if (!res.ok) {
          opts.log.warn({ status: res.status }, 'routing model answered with an error; routing left to people');
          return null;
        }
        const completion = completionSchema.safeParse(await res.json());
        const content = completion.success ? (completion.data.choices[0]!.message.content ?? '') : '';
        const answer = answerSchema.safeParse(firstJsonObject(content));
        if (!answer.success) {
          opts.log.warn({ shape: completion.success ? 'answer' : 'completion' }, 'routing model gave an answer that does not check out; ignored');
          return null;
        }
        const name = answer.data.department.normalize('NFKC').replace(/\s+/g, '');
        const known = q.departments.find((d) => d.name === name) ?? q.departments.find((d) => d.name === `区${name}` || d.name.replace(/^区/, '') === name);
        if (!known) {
          opts.log.warn('routing model named a department that is not in the campaign; ignored');
          return null;
        }
        return { department: known.name, reason: answer.data.reason ? answer.data.reason.slice(0, 60) : null };
      } catch (err) {
        const kind = (err as Error)?.name === 'TimeoutError' ? 'timeout' : ((err as Error)?.name ?? 'error');
        opts.log.warn({ kind, ms: Math.round(performance.now() - started) }, 'routing model not reachable in time; routing left to people');
        return null;
      }
    },
  };
}
