/** Small wording rules shared by replies and cards. Pure. */

/**
 * Joins names into a list. The notice has a community called `东、西鲁社区`: in a `、`-list it would read as two,
 * so a list holding a name with `、` is joined with `；` instead.
 */
export function joinNames(names: readonly string[]): string {
  return names.join(names.some((n) => n.includes('、')) ? '；' : '、');
}

/**
 * Why a due day moved: a weekend is a 休息日, a statutory holiday a 节假日. `isHoliday` tells the two apart
 * (the official holiday list); a day that is neither needs no word.
 */
export function nonWorkingDayWord(isHoliday: boolean): string {
  return isHoliday ? '节假日' : '休息日';
}
