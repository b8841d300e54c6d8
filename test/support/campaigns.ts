import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CAMPAIGN_FILE } from '../../src/campaign/load.ts';

const written: string[] = [];

/**
 * The notice's campaign moved to another year (every `2020-` date becomes `<year>-`), changed by `edit`, written
 * to a temporary file for CAMPAIGN_FILE. Returns the file's path.
 */
export function campaignFile(year: number, edit: (def: Record<string, any>) => void = () => undefined): string {
  const text = fs.readFileSync(DEFAULT_CAMPAIGN_FILE, 'utf8').replace(/"2020-(\d\d-\d\d)"/g, `"${year}-$1"`);
  const def = JSON.parse(text) as Record<string, any>;
  def.code = `shanting-${year}`;
  edit(def);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-campaign-'));
  const file = path.join(dir, `campaign-${year}.json`);
  fs.writeFileSync(file, JSON.stringify(def, null, 2));
  written.push(dir);
  return file;
}

/** Removes the files campaignFile wrote. */
export function removeCampaignFiles(): void {
  for (const dir of written.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
