/** Turns a refused intent into a sentence for the person who tried it. */
import { m } from '$lib/paraglide/messages.js';
import { BoardActionError } from '$lib/board/board.svelte';
import { BoardWriteError } from '$lib/board/schema';
import { boardText } from './labels';

export function errorText(error: unknown): string {
	if (error instanceof BoardActionError) {
		if (error.code === 'locked') return m.board_step_locked();
		if (error.code === 'ended') return m.board_session_ended();
		if (error.code === 'no_round') return m.workshop_vote_no_round();
		return m.board_not_allowed();
	}
	if (error instanceof BoardWriteError) {
		if (error.linkProblem === 'duplicate') return m.board_link_duplicate();
		if (error.linkProblem) return m.board_link_not_allowed();
		const issue = error.issues[0];
		if (issue) return boardText(`board_invalid_${issue.code}`);
		return m.board_invalid_invalid();
	}
	return m.board_not_allowed();
}
