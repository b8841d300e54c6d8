import { afterEach } from 'vitest';
import { takeViolations } from './strict.ts';

// Every card any test produces is held to Lark's rules: a test whose bot sent something Lark refuses fails.
afterEach(() => {
  const found = takeViolations();
  if (found.length) throw new Error(`the bot produced what real Lark refuses:\n${found.slice(0, 10).join('\n')}`);
});
