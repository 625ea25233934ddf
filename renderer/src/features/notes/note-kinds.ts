import type { NoteKind } from '@shared/domain/schemas';
import type { MessageKey } from '../../i18n/catalogs';

export const noteKinds: readonly NoteKind[] = ['highlight', 'problem', 'suggestion'];

export const noteKindKey: Readonly<Record<NoteKind, MessageKey>> = {
  highlight: 'noteKind.highlight',
  problem: 'noteKind.problem',
  suggestion: 'noteKind.suggestion',
};
