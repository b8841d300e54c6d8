/**
 * Everything Lark would refuse that a test made the bot produce: cards the recording messenger or the fake Open API
 * refused, and card-callback answers in a shape Lark rejects. `strict-setup.ts` fails the test that produced any.
 * A test that provokes a refusal on purpose takes it with `takeViolations()`.
 */
const violations: string[] = [];

export function reportViolation(where: string, detail: string): void {
  violations.push(`${where}: ${detail}`);
}

/** Returns the violations so far and forgets them. */
export function takeViolations(): string[] {
  return violations.splice(0);
}
