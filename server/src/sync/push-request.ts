/**
 * Reading a push request mutation by mutation: the envelope (clientId, a list of 1–500 items) must
 * be well-formed as a whole, then each item is checked on its own (well-formed text everywhere,
 * then mutationSchema), so that a malformed mutation is answered `rejected` / `invalid` with its
 * reason in its place and the others are applied (API.md: one rejection never fails the rest).
 */
import { cleanTextMessage, findUncleanText } from '@shared/domain/schemas';
import { mutationSchema, type Mutation, type MutationResult, type PushResponse } from '@shared/sync/protocol';

export type ReadMutation = { mutation: Mutation } | { rejected: MutationResult };

/** The id to answer a malformed mutation with: its own when that is a clean string, else ''. */
function answerId(raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null && Object.hasOwn(raw, 'id') ? (raw as { id: unknown }).id : undefined;
  return typeof id === 'string' && id.length <= 100 && findUncleanText(id) === null ? id : '';
}

export function readMutation(raw: unknown): ReadMutation {
  const unclean = findUncleanText(raw);
  if (unclean !== null) {
    return { rejected: { id: answerId(raw), status: 'rejected', code: 'invalid', reason: `${unclean}: ${cleanTextMessage}` } };
  }
  const parsed = mutationSchema.safeParse(raw);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'mutation'}: ${issue.message}`)
      .join('; ');
    return { rejected: { id: answerId(raw), status: 'rejected', code: 'invalid', reason: `malformed mutation: ${reason}` } };
  }
  return { mutation: parsed.data };
}

/**
 * Applies the well-formed mutations with `apply` and answers every item in the order sent,
 * the malformed ones rejected in their places.
 */
export async function pushReadMutations(
  items: readonly ReadMutation[],
  apply: (mutations: Mutation[]) => Promise<PushResponse>,
  currentHlc: () => string,
): Promise<PushResponse> {
  const mutations = items.flatMap((item) => ('mutation' in item ? [item.mutation] : []));
  const applied = mutations.length > 0 ? await apply(mutations) : { results: [], serverHlc: currentHlc() };
  let next = 0;
  const results = items.map((item) => ('mutation' in item ? applied.results[next++]! : item.rejected));
  return { results, serverHlc: applied.serverHlc };
}
