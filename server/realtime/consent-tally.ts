/**
 * The server's count of a consent round (src/lib/domain/consent.ts), run by `reveal.ts` when the
 * facilitator sets a proposal to `revealed`: reads each participant's answer for the round from
 * their private document and writes only the counts per perspective and the reasons and notes
 * (with their perspective, no name) into `control.consentResults.<roundId>`.
 */
import type * as Y from 'yjs';
import { SERVER_ORIGIN } from '../../src/lib/board/schema/index.ts';
import { readConsent, readConsentAnswer } from '../../src/lib/board/schema/consent.ts';
import { writeConsentResult } from '../../src/lib/board/schema/consent-writers.ts';
import { tallyConsent, type ConsentAnswerRecord } from '../../src/lib/domain/consent.ts';
import { isPerspective, type Perspective } from '../../src/lib/domain/roles.ts';

/** Proposals whose current round is shown but has no result yet: `roundId`s to count. */
export function consentRoundsToCount(
	before: ReadonlyMap<string, { status: unknown; roundId: unknown }>,
	after: ReadonlyMap<string, { status: unknown; roundId: unknown }>
): string[] {
	const out: string[] = [];
	for (const [id, now] of after) {
		const then = before.get(id);
		if (now.status !== 'revealed' || typeof now.roundId !== 'string') continue;
		if (then?.status === 'revealed' && then.roundId === now.roundId) continue;
		out.push(now.roundId);
	}
	return out;
}

/**
 * Counts round `roundId` from the private documents (`participantId → doc`) and writes the result.
 * Does nothing when no proposal has this round any more.
 */
export function countConsentRound(
	board: Y.Doc,
	roundId: string,
	privateDocs: Iterable<[participantId: string, doc: Y.Doc]>,
	perspectives: ReadonlyMap<string, string>
): void {
	const proposal = readConsent(board).proposals.find((p) => p.roundId === roundId);
	if (!proposal) return;
	const answers: { perspective: Perspective; answer: ConsentAnswerRecord }[] = [];
	for (const [participantId, doc] of privateDocs) {
		const answer = readConsentAnswer(doc, roundId);
		if (!answer) continue;
		const known = perspectives.get(participantId);
		answers.push({ perspective: isPerspective(known) ? known : 'anders', answer });
	}
	writeConsentResult(
		board,
		{
			roundId,
			proposalId: proposal.id,
			round: proposal.round,
			text: proposal.text,
			...tallyConsent(answers)
		},
		SERVER_ORIGIN
	);
}
