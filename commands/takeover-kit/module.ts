import type { FeatureModule } from '../../src/bot/command.ts';
import takeover from '../takeover.ts';
import category, { categoryInterpreter } from '../category.ts';
import action, { actionInterpreter } from '../action.ts';
import compound from '../compound.ts';
import undo from '../undo.ts';
import confirmAction from './confirm-action.ts';
import groupAction from './group-action.ts';
import pickAction from './pick-action.ts';
import undoAction from './undo-action.ts';
import { editCompound, openCompound } from './compound-actions.ts';
import interpreter from './interpreter.ts';

/** Takeover reporting: the commands, the confirmation and compound cards, and the free-text interpreter. */
export const takeoverFeature: FeatureModule = {
  commands: [compound, takeover, category, action, undo],
  cardActions: [confirmAction, groupAction, pickAction, undoAction, openCompound, editCompound],
  interpreters: [interpreter, actionInterpreter, categoryInterpreter],
};
