import type { StopStatus } from '../../db/stop-status-repo';

export interface ScoringProgress {
  /** stops the user scores (recused ones left out) */
  toScore: number;
  submitted: number;
}

export function summarizeProgress(statuses: ReadonlyMap<string, StopStatus>): ScoringProgress {
  let toScore = 0;
  let submitted = 0;
  for (const { sheet } of statuses.values()) {
    if (sheet === 'todo' || sheet === 'draft' || sheet === 'reopened' || sheet === 'submitted') toScore++;
    if (sheet === 'submitted') submitted++;
  }
  return { toScore, submitted };
}
