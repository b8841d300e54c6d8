import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CampaignDefinition, InvalidCampaign, parseCampaign } from './schema.ts';

/** The package's own campaigns/ folder, found from this file whether it runs from src/ or from the build in dist/. */
function packageCampaign(name: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'campaigns', name);
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve('campaigns', name);
}

export const DEFAULT_CAMPAIGN_FILE = packageCampaign('shanting-2020.json');

/** Reads and validates a campaign file (JSON); an InvalidCampaign error names the file and every problem. */
export function loadCampaignFile(file: string = DEFAULT_CAMPAIGN_FILE): CampaignDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InvalidCampaign([(err as Error).message], `campaign file ${file} (cannot be read as JSON)`);
  }
  return parseCampaign(raw, `campaign file ${file}`);
}
