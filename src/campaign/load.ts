import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CampaignDefinition, parseCampaign } from './schema.ts';

export const DEFAULT_CAMPAIGN_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../campaigns/shanting-2020.json',
);

/** Reads and validates a campaign file (JSON). */
export function loadCampaignFile(file: string = DEFAULT_CAMPAIGN_FILE): CampaignDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read campaign file ${file}: ${(err as Error).message}`);
  }
  return parseCampaign(raw);
}
