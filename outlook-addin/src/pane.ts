import { AbortedError, ConflictError, NetworkError, TimeoutError, type BackendClient, type DecisionOptions } from '@pm-agent/backend-client';
import { backendSentence, PAGE_CLOCK_SKEW_MS, payloadHash, startPolling, takeBackAt, takeBackEnds, UNDO_WINDOW_DEFAULT_MINUTES, type ApproveRequest, type Suggestion, type Viewer, type VisibilityLike } from '@pm-agent/shared';
import { createPaneClient, DECISION_TIMEOUT_MS, TRIAGE_RETRIES, TRIAGE_TIMEOUT_MS } from './api';
import type { PaneConfig } from './auth/config';
import { tokenSource } from './auth/token-source';
import { editableText, editedPayload } from '@pm-agent/shared';
import { describeError, STOPPED_WAITING } from './errors';
import { followItemChanges } from './office/item-changed';
import { readCurrentEmail } from './office/read-item';
import { openReply } from './office/reply';
import type { OfficeLike } from './office/surface';
import type { Opening } from './opening';
import { mark, MARKS } from './perf';
import { readAutoTriage, writeAutoTriage, type PrefStorage } from './prefs';
import { mount, type DomDocument } from './render/h';
import { MOVING_STATES, REPLY_ACTIONS } from './render/labels';
import { decidedInWords } from './render/suggestion';
import { view, type ViewContext } from './render/view';
import { when } from './render/text';
import { INITIAL, next, type CardState, type PaneEvent, type PaneState } from './state';
import { pollResult, pollWaiting, WAITING_LIMIT } from './live/poll';
import { nextWaiting, WAITING_CLOSED, waitingLoaded, type WaitingState } from './live/waiting';

/** After a re-triage: when, and what happened to the earlier suggestions still waiting. */
function retriagedInWords(at: string, superseded: number): string {
  const earlier = superseded === 0 ? 'No earlier suggestion was still waiting.' : `${superseded} earlier suggestion${superseded === 1 ? ' that was' : 's that were'} still waiting ${superseded === 1 ? 'was' : 'were'} replaced by these.`;
  return `Triaged again at ${when(at)}: this is the new result. ${earlier} Decided ones stay as they were.`;
}

/** "Rejected by Pat Morgan at 2026-12-01 17:01 UTC: nothing was done." or, when only the text changed, what to do. */
function staleInWords(current: Suggestion): string {
  const decided = decidedInWords(current);
  if (decided && current.state !== 'pending') return `${decided}, before your decision reached it: yours was not recorded.`;
  return 'It changed since you looked at it. This is the current version: read it and decide again.';
}

type FocusRoot = Partial<Element>;
const focusKey = (root: FocusRoot): string | undefined => {
  const active = (globalThis as { document?: Document }).document?.activeElement;
  if (!active || !root.contains?.(active)) return undefined;
  return active.id ? `#${active.id}` : `${active.getAttribute('data-testid') ?? ''}|${active.getAttribute('aria-label') ?? active.textContent ?? ''}`;
};
const findByKey = (root: FocusRoot, key: string): HTMLElement | undefined => {
  if (key.startsWith('#')) return (root.querySelector?.(key) as HTMLElement | null) ?? undefined;
  return [...(root.querySelectorAll?.<HTMLElement>('button, input, textarea, a, [tabindex]') ?? [])].find(
    (e) => `${e.getAttribute('data-testid') ?? ''}|${e.getAttribute('aria-label') ?? e.textContent ?? ''}` === key,
  );
};

/**
 * The pane's controller: reads the item, triages on request (or automatically, if the person
 * turned that on), records decisions, and follows ItemChanged. Each item gets a new generation
 * number; anything that finishes for an older generation is dropped, and switching items cancels
 * the triage in flight.
 */
export interface PaneDeps {
  office: OfficeLike;
  root: Pick<Element, 'replaceChildren'>;
  document: DomDocument;
  storage: PrefStorage | undefined;
  pageUrl: string;
  loadConfig(): Promise<PaneConfig>;
  /** Defaults to the STS-backed client; tests may pass another. */
  makeClient?(config: PaneConfig): BackendClient;
  /** How long to wait between looks at a suggestion that is still running. */
  watchIntervalMs?: number;
  /** The first drawing (opening.ts), when the entry made one: the controller draws over it and replays what was pressed. */
  opening?: Promise<Opening | undefined>;
  /** The clock cards are drawn by (what can still be taken back); defaults to the machine's. */
  now?(): Date;
}

const WATCH_LIMIT = 40;
/** After a window's end, before the redraw that drops its button. */
const WINDOW_END_GRACE_MS = 250;

export class Pane {
  private state: PaneState = INITIAL;
  private generation = 0;
  private inFlight: AbortController | undefined;
  private config: Promise<PaneConfig> | undefined;
  private client: Promise<BackendClient> | undefined;
  private viewer: Viewer | undefined;
  private firstRendered = false;
  private controllerReady = false;
  private readonly ctx: ViewContext;
  /** The decision waiting for an answer, per suggestion: Cancel aborts it. */
  private readonly deciding = new Map<string, AbortController>();
  /** The decision that got no answer, per suggestion: "Try again" resends it with the same key. */
  private readonly retries = new Map<string, () => Promise<unknown>>();
  /** "Waiting for you" (live/waiting.ts): outlives the email shown. */
  private waiting: WaitingState = WAITING_CLOSED;
  /** The newest copy of each suggestion this pane has shown or decided: live refresh says what changed since. */
  private readonly seen = new Map<string, Suggestion>();

  constructor(private readonly deps: PaneDeps) {
    this.ctx = {
      autoTriage: readAutoTriage(deps.storage),
      jiraBrowseUrl: undefined,
      actions: {
        triage: () => void this.triage(),
        setAutoTriage: (on) => {
          this.ctx.autoTriage = on;
          writeAutoTriage(this.deps.storage, on);
          if (on && this.state.kind === 'ready') void this.triage();
        },
        approve: (s) => void this.approve(s),
        startEdit: (s) => this.dispatch({ type: 'card', id: s.id, patch: { mode: 'edit', draft: editableText(s.actionType, s.payload) ?? '', problem: undefined, note: undefined } }),
        startReject: (s) => this.dispatch({ type: 'card', id: s.id, patch: { mode: 'reject', draft: '', problem: undefined, note: undefined } }),
        cancel: (s) => {
          // The form's text box goes away: focus returns to the card, not to <body>.
          this.focusAfterRender = `#title-${s.id}`;
          this.dispatch({ type: 'card', id: s.id, patch: { mode: 'view', draft: '', problem: undefined } });
        },
        // Typing updates the state without redrawing, so the text box keeps focus and caret.
        draft: (s, text) => this.dispatch({ type: 'card', id: s.id, patch: { draft: text } }, false),
        saveEdit: (s) => void this.saveEdit(s),
        confirmReject: (s) => void this.reject(s),
        stop: (s) => void this.decide(s, (c, o) => c.stopSuggestion(s.id, o), 'Stopped: it will not run.'),
        reply: (s) => void this.reply(s),
        toggleMore: (s) => this.dispatch({ type: 'card', id: s.id, patch: { expanded: !this.card(s.id)?.expanded } }),
        cancelTriage: () => this.cancelTriage(),
        cancelDecision: (s) => this.deciding.get(s.id)?.abort(),
        retryDecision: (s) => void this.retries.get(s.id)?.(),
        reopen: (s) => void this.decide(s, (c, o) => c.closeOrReopen(s.id, 'reopen', undefined, o), 'Reopened: it waits for a decision again.'),
        undo: (s) => void this.decide(s, (c, o) => c.afterTheFact(s.id, { action: 'undo' }, o), 'Undoing: the agent removes the comment it posted.'),
        notSuspicious: () => void this.markNotSuspicious(),
        retriage: () => void this.retriage(),
        toggleWaiting: () => void this.toggleWaiting(),
      },
    };
  }

  /** The first drawing's state (opening.ts), until this controller draws over it. */
  private opening: Opening | undefined;

  async start(): Promise<void> {
    const opening = await this.deps.opening;
    // "Starting…" only when nothing is drawn yet; an email already drawn stays until its full read replaces it.
    if (opening?.drawn) {
      this.firstRendered = true;
      this.opening = opening;
    } else this.render();
    const office = this.deps.office;
    const ready = await office.onReady();
    if (!ready.host) {
      this.dispatch({ type: 'outside' });
      mark(MARKS.firstRender);
      return;
    }
    this.config = this.deps.loadConfig();
    this.config.then(
      (c) => {
        this.ctx.jiraBrowseUrl = c.jiraBrowseUrl;
      },
      () => undefined, // reported when a triage needs it
    );
    await this.showItem();
    // Pinned panes stay open across items; Outlook says which through ItemChanged (item may be null).
    await followItemChanges(office, () => void this.showItem());
    // Live refresh (shared startPolling: backoff, nothing while the pane is hidden).
    const config = await this.config.catch(() => undefined);
    startPolling({ intervalMs: config?.liveRefreshMs, tick: () => this.poll(), visibility: (globalThis as { document?: VisibilityLike }).document });
  }

  /** One call for what is shown (the waiting list, or this email's suggestions); redraws only on a change, moving no focus. */
  private async poll(): Promise<boolean> {
    if (!this.waiting.open && this.state.kind !== 'result') return true;
    try {
      const client = await this.backend();
      if (this.waiting.open) {
        const w = await pollWaiting(client, () => this.waiting, this.seen);
        if (w) (this.waiting = w), this.render(true);
      } else {
        const s = await pollResult(client, () => this.state, this.seen);
        if (s) (this.state = s), this.render(true);
      }
      return true;
    } catch {
      return false; // the schedule backs off; what is shown stays
    }
  }

  private async toggleWaiting(): Promise<void> {
    const opening = !this.waiting.open;
    this.waiting = opening ? { ...WAITING_CLOSED, open: true, status: 'loading' } : WAITING_CLOSED;
    this.focusAfterRender = opening ? '#waiting-heading' : '[data-testid="waiting-toggle"]';
    this.render();
    if (!opening) return;
    try {
      const client = await this.backend();
      const [page, viewer] = await Promise.all([client.getInbox({ group: 'waiting', limit: WAITING_LIMIT }), this.whoAmI(client, new AbortController().signal)]);
      for (const s of page.items) this.seen.set(s.id, s);
      if (this.waiting.open) this.waiting = waitingLoaded(this.waiting, page.items, viewer, {});
    } catch (e) {
      const { title, message } = describeError(e);
      if (this.waiting.open) this.waiting = { ...this.waiting, status: 'failed', problem: `${title}. ${message}` };
    }
    this.render(true);
  }

  private async showItem(): Promise<void> {
    const generation = ++this.generation;
    this.inFlight?.abort();
    this.inFlight = undefined;
    const read = await readCurrentEmail(this.deps.office);
    if (generation !== this.generation) return;
    const opening = this.takeOver();
    if (read.kind === 'no-item') this.dispatch({ type: 'no-item' });
    else if (read.kind === 'unreadable') this.dispatch({ type: 'unreadable', error: { title: 'This email cannot be triaged', message: read.problem } });
    else this.dispatch({ type: 'item', email: read.email, notes: read.notes });
    if (!this.firstRendered) {
      this.firstRendered = true;
      mark(MARKS.firstRender);
    }
    if (!this.controllerReady) {
      this.controllerReady = true;
      mark(MARKS.controllerReady);
    }
    const shown = this.state.kind === 'ready' ? this.state.email.internetMessageId : undefined;
    // Triage pressed on the first drawing counts for the email it was pressed on, not for one Outlook moved to since.
    if (shown && (this.ctx.autoTriage || opening?.requested.triage === shown)) void this.triage();
    if (opening?.requested.waiting && !this.waiting.open) void this.toggleWaiting();
  }

  /** Draws over the first drawing from here on: what was set or pressed on it until now is taken over, once. */
  private takeOver(): Opening | undefined {
    const opening = this.opening;
    this.opening = undefined;
    if (opening) this.ctx.autoTriage = opening.autoTriage;
    return opening;
  }

  /** The person stops waiting: the call is abandoned, the email stays, and Triage can be pressed again. */
  private cancelTriage(): void {
    if (this.state.kind !== 'triaging') return;
    this.inFlight?.abort();
    this.inFlight = undefined;
    this.focusAfterRender = '[data-testid="error"]';
    this.dispatch({ type: 'failed', error: STOPPED_WAITING.triage, retry: true });
  }

  private async triage(): Promise<void> {
    const state = this.state;
    if ((state.kind !== 'ready' && state.kind !== 'error') || !state.email) return;
    const generation = this.generation;
    const email = state.email;
    const controller = new AbortController();
    this.inFlight?.abort();
    this.inFlight = controller;
    mark(MARKS.triageStart);
    this.dispatch({ type: 'triage' });
    try {
      const client = await this.backend();
      const [envelope, viewer] = await Promise.all([client.triage(email, { signal: controller.signal, timeoutMs: TRIAGE_TIMEOUT_MS, maxRetries: TRIAGE_RETRIES }), this.whoAmI(client, controller.signal)]);
      if (generation !== this.generation) return;
      // Focus goes to the result's heading, which also makes a screen reader read it out.
      this.focusAfterRender = '#result-heading';
      this.dispatch({ type: 'triaged', triage: envelope.triage, cached: envelope.cached, viewer });
      mark(MARKS.triageResult);
    } catch (e) {
      if (generation !== this.generation || controller.signal.aborted) return;
      this.focusAfterRender = '[data-testid="error"]';
      this.dispatch({ type: 'failed', error: describeError(e), retry: true });
    } finally {
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  /** The person's audited "not suspicious": recorded with their name; no suggestion's floor changes. */
  private async markNotSuspicious(): Promise<void> {
    if (this.state.kind !== 'result') return;
    const generation = this.generation;
    const { messageKey } = this.state.triage;
    this.dispatch({ type: 'review', review: { busy: true } });
    try {
      const answer = await (await this.backend()).markNotSuspicious(messageKey, {}, { timeoutMs: DECISION_TIMEOUT_MS, maxRetries: 0 });
      if (generation !== this.generation) return;
      this.dispatch({ type: 'review', review: { busy: false, note: `You marked this email not suspicious at ${when(answer.at)}. ${answer.effect}` } });
    } catch (e) {
      if (generation !== this.generation) return;
      const { title, message } = describeError(e);
      this.dispatch({ type: 'review', review: { busy: false, problem: `${title}. ${message}` } });
    }
  }

  /** The Idempotency-Key of a re-triage that got no answer: pressing again resends it, so it runs once. */
  private retriageKey: { messageKey: string; key: string } | undefined;

  /**
   * "Re-triage": the same email is read again by the backend (with the model, if one is set up now).
   * Its answer replaces the result; earlier suggestions still waiting are replaced by the new ones.
   */
  private async retriage(): Promise<void> {
    const state = this.state;
    if (state.kind !== 'result' || state.retriage?.busy) return;
    const generation = this.generation;
    const { messageKey } = state.triage;
    if (this.retriageKey?.messageKey !== messageKey) this.retriageKey = { messageKey, key: crypto.randomUUID() };
    const idempotencyKey = this.retriageKey.key;
    this.dispatch({ type: 'retriage', retriage: { busy: true } });
    try {
      const answer = await (await this.backend()).retriage(messageKey, state.email, { timeoutMs: TRIAGE_TIMEOUT_MS, maxRetries: TRIAGE_RETRIES, idempotencyKey });
      this.retriageKey = undefined;
      if (generation !== this.generation) return;
      this.focusAfterRender = '#result-heading';
      this.dispatch({ type: 'retriaged', triage: answer.triage, note: retriagedInWords(answer.triage.createdAt, answer.superseded.length) });
    } catch (e) {
      // With no answer the same key is kept: pressing again cannot triage twice.
      if (!(e instanceof TimeoutError || e instanceof NetworkError)) this.retriageKey = undefined;
      if (generation !== this.generation) return;
      const { title, message } = describeError(e);
      this.dispatch({ type: 'retriage', retriage: { busy: false, problem: `${title}. ${message}` } });
    }
  }

  /** Who the backend thinks we are; a failure here must not hide the triage, so it is just unknown. */
  private async whoAmI(client: BackendClient, signal: AbortSignal): Promise<Viewer | null> {
    if (this.viewer) return this.viewer;
    try {
      this.viewer = await client.getViewer({ signal });
      return this.viewer;
    } catch {
      return null;
    }
  }

  private backend(): Promise<BackendClient> {
    this.client ??= (async () => {
      const config = await (this.config ?? this.deps.loadConfig());
      if (this.deps.makeClient) return this.deps.makeClient(config);
      const profile = this.deps.office.context.mailbox.userProfile;
      return createPaneClient(config, tokenSource(config, profile, this.deps.pageUrl));
    })();
    // A failed start (bad config) is not kept: the next attempt tries again.
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  private card(id: string): CardState | undefined {
    return (this.waiting.open ? this.waiting.cards[id] : undefined) ?? (this.state.kind === 'result' ? this.state.cards[id] : undefined);
  }

  private async approve(s: Suggestion): Promise<void> {
    await this.decide(s, async (client, o) => client.approveSuggestion(s.id, { payloadHash: await payloadHash(s.payload) }, o), 'Approved.');
  }

  private async saveEdit(s: Suggestion): Promise<void> {
    const out = editedPayload(s.actionType, s.payload, this.card(s.id)?.draft ?? '');
    if (!out.ok) return this.dispatch({ type: 'card', id: s.id, patch: { problem: out.problem } });
    const request: ApproveRequest = { payloadHash: await payloadHash(out.payload), payload: out.payload, basePayloadHash: s.payloadHash };
    await this.decide(s, (client, o) => client.approveSuggestion(s.id, request, o), 'Approved with your edit.', (recorded) => {
      if (REPLY_ACTIONS.has(s.actionType)) this.openReplyForm(recorded);
    });
  }

  private async reject(s: Suggestion): Promise<void> {
    const reason = (this.card(s.id)?.draft ?? '').trim();
    if (!reason) return this.dispatch({ type: 'card', id: s.id, patch: { problem: 'Say why you are rejecting it, in a few words.' } });
    await this.decide(s, (client, o) => client.rejectSuggestion(s.id, { reason }, o), 'Rejected.');
  }

  /**
   * One decision call: busy while it runs (with Cancel), the new version (or the problem)
   * afterwards, then watch it run. One bounded wait, no automatic retry: when no answer comes
   * (cancelled, timed out, unreachable) the card says so in words and "Try again" resends the same
   * decision under the same Idempotency-Key, so one that did arrive is not made twice.
   */
  private async decide(
    s: Suggestion,
    call: (client: BackendClient, options: DecisionOptions) => Promise<Suggestion>,
    done: string,
    then?: (recorded: Suggestion) => void,
    idempotencyKey: string = crypto.randomUUID(),
  ): Promise<void> {
    const generation = this.generation;
    const controller = new AbortController();
    this.deciding.get(s.id)?.abort();
    this.deciding.set(s.id, controller);
    this.retries.delete(s.id);
    this.dispatch({ type: 'card', id: s.id, patch: { busy: true, problem: undefined, note: undefined, stale: undefined, retry: undefined } });
    try {
      const updated = await call(await this.backend(), { signal: controller.signal, timeoutMs: DECISION_TIMEOUT_MS, maxRetries: 0, idempotencyKey });
      if (generation !== this.generation) return;
      this.focusAfterRender = `#title-${updated.id}`;
      this.dispatch({ type: 'suggestion', suggestion: updated, note: done });
      void this.watch(updated, generation);
      then?.(updated);
    } catch (e) {
      if (generation !== this.generation) return;
      // Someone changed it meanwhile (a newer version): show it as it is now, as a stale view.
      if (e instanceof ConflictError && e.current && e.current.version !== s.version) {
        this.focusAfterRender = `#title-${e.current.id}`;
        this.dispatch({ type: 'suggestion', suggestion: e.current, stale: staleInWords(e.current) });
        return;
      }
      // Refused for the card as it is (nothing changed): the backend's own words say why and what to do instead.
      const refusedAsIs = e instanceof ConflictError ? backendSentence(e.serverMessage) : undefined;
      if (refusedAsIs) {
        this.focusAfterRender = `#title-${s.id}`;
        this.dispatch({ type: 'card', id: s.id, patch: { busy: false, problem: refusedAsIs, takeBackRefused: true } });
        return;
      }
      const noAnswer = e instanceof AbortedError || e instanceof TimeoutError || e instanceof NetworkError;
      if (noAnswer) this.retries.set(s.id, () => this.decide(s, call, done, then, idempotencyKey));
      const { title, message } = e instanceof AbortedError ? STOPPED_WAITING.decision : describeError(e);
      this.focusAfterRender = noAnswer ? `#title-${s.id}` : undefined;
      this.dispatch({ type: 'card', id: s.id, patch: { busy: false, problem: `${title}. ${message}`, retry: noAnswer } });
    } finally {
      if (this.deciding.get(s.id) === controller) this.deciding.delete(s.id);
    }
  }

  /** An approved action runs by itself shortly after; follow it until it settles, so the person sees the outcome. */
  private async watch(s: Suggestion, generation: number): Promise<void> {
    let current = s;
    for (let i = 0; i < WATCH_LIMIT && MOVING_STATES.has(current.state); i++) {
      await new Promise((r) => setTimeout(r, this.deps.watchIntervalMs ?? 1_500));
      if (generation !== this.generation) return;
      try {
        current = await (await this.backend()).getSuggestion(current.id);
      } catch {
        return; // the decision is recorded; only the live view stops
      }
      if (generation !== this.generation) return;
      this.dispatch({ type: 'suggestion', suggestion: current, note: this.card(current.id)?.note });
    }
  }

  /**
   * "Open as reply": the approval is recorded first (the suggestion is then handed to the person:
   * nothing runs, nothing can fail), then Outlook's reply form opens with the text. Once handed
   * over, the form can be opened again without a second decision.
   */
  private async reply(s: Suggestion): Promise<void> {
    if (!this.deps.office.context.mailbox.item) return this.dispatch({ type: 'card', id: s.id, patch: { problem: 'There is no open email to reply to.' } });
    if (s.state === 'handed_over') return this.openReplyForm(s);
    await this.decide(s, async (client, o) => client.approveSuggestion(s.id, { payloadHash: await payloadHash(s.payload) }, o), 'Approved.', (recorded) => this.openReplyForm(recorded));
  }

  private openReplyForm(s: Suggestion): void {
    const item = this.deps.office.context.mailbox.item;
    const body = s.payload.body;
    if (!item || typeof body !== 'string') return this.dispatch({ type: 'card', id: s.id, patch: { problem: 'There is no open email to reply to.' } });
    try {
      const { cut } = openReply(item, body);
      const note = `Outlook's reply form is open with this text. You send it yourself; the agent never sends mail.${cut ? " The text was cut to fit Outlook's 32 KB limit." : ''}`;
      this.dispatch({ type: 'card', id: s.id, patch: { note, problem: undefined } });
    } catch {
      this.dispatch({ type: 'card', id: s.id, patch: { problem: 'Outlook could not open the reply form. Use Reply in Outlook and paste the text from this card.' } });
    }
  }

  private dispatch(event: PaneEvent, redraw = true): void {
    this.state = next(this.state, event);
    this.waiting = nextWaiting(this.waiting, event);
    if (event.type === 'suggestion') this.seen.set(event.suggestion.id, event.suggestion);
    if (event.type === 'triaged' || event.type === 'retriaged') for (const s of event.triage.suggestions) this.seen.set(s.id, s);
    if (redraw) this.render();
  }

  /** A selector to focus after the next redraw (the result's heading after triage, a card after a decision). */
  private focusAfterRender: string | undefined;

  /**
   * Redraws the pane. The tree is rebuilt, so focus would fall to <body>: the element that had it
   * (same id, or same test id and label) gets it back; a requested target or a new form takes it.
   */
  private render(live = false): void {
    const root = this.deps.root as Partial<Element> & Pick<Element, 'replaceChildren'>;
    const before = focusKey(root);
    // A live redraw puts the focus (and a text box's caret) back exactly where the person had it, or nowhere.
    const caret = (live ? (globalThis as { document?: Document }).document?.activeElement : undefined) as Partial<HTMLTextAreaElement> | null | undefined;
    const range = caret?.setSelectionRange ? ([caret.selectionStart ?? 0, caret.selectionEnd ?? 0] as const) : undefined;
    this.ctx.waiting = this.waiting;
    const now = this.deps.now?.() ?? new Date();
    const { node, focus } = mount(view(this.state, { ...this.ctx, now: now.toISOString() }), this.deps.document);
    root.replaceChildren(node);
    this.redrawWhenWindowEnds(now);
    if (live) {
      const back = before ? findByKey(root, before) : undefined;
      back?.focus();
      if (range) (back as Partial<HTMLTextAreaElement> | undefined)?.setSelectionRange?.(...range);
      return;
    }
    const wanted = this.focusAfterRender && root.querySelector?.(this.focusAfterRender);
    this.focusAfterRender = undefined;
    const target = (focus[0] as HTMLElement | undefined) ?? (wanted as HTMLElement | null | undefined) ?? (before ? findByKey(root, before) : undefined);
    target?.focus();
  }

  private windowTimer: ReturnType<typeof setTimeout> | undefined;

  /** Redraws (keeping focus) once the first Reopen / Undo on show runs out of its window, so no button outlives it. */
  private redrawWhenWindowEnds(now: Date): void {
    clearTimeout(this.windowTimer);
    const minutes = this.viewer?.undoWindowMinutes ?? UNDO_WINDOW_DEFAULT_MINUTES;
    const ends = [...this.seen.values()].flatMap((s) => {
      const offered = takeBackAt(s, now.toISOString(), minutes, PAGE_CLOCK_SKEW_MS);
      return offered ? [takeBackEnds(s, offered, minutes)] : [];
    });
    if (!ends.length) return;
    this.windowTimer = setTimeout(() => this.render(true), Math.max(0, Math.min(...ends) - now.getTime()) + WINDOW_END_GRACE_MS);
    (this.windowTimer as { unref?: () => void }).unref?.(); // Node (tests): a pending redraw keeps nothing alive
  }

  /** For tests and the bench: the current state's kind. */
  get kind(): PaneState['kind'] {
    return this.state.kind;
  }
}
