import type { FeatureModule } from '../../src/bot/command.ts';
import question from './question.ts';
import notYet from './not-yet.ts';
import chatter from './chatter.ts';
import { chooseAction, competingInterpreter, maybeGrievanceInterpreter } from './competing.ts';

/** Messages that are not reports: questions, "not yet", chatter, and messages that read two ways. */
export const understandingFeature: FeatureModule = {
  cardActions: [chooseAction],
  interpreters: [question, notYet, competingInterpreter, maybeGrievanceInterpreter, chatter],
};
