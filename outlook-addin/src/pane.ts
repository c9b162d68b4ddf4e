import { ConflictError, type BackendClient } from '@pm-agent/backend-client';
import { payloadHash, type ApproveRequest, type Suggestion, type Viewer } from '@pm-agent/shared';
import { createPaneClient, TRIAGE_RETRIES, TRIAGE_TIMEOUT_MS } from './api';
import type { PaneConfig } from './auth/config';
import { tokenSource } from './auth/token-source';
import { editableText, editedPayload } from '@pm-agent/shared';
import { describeError } from './errors';
import { followItemChanges } from './office/item-changed';
import { readCurrentEmail } from './office/read-item';
import { openReply } from './office/reply';
import type { OfficeLike } from './office/surface';
import { mark, MARKS } from './perf';
import { readAutoTriage, writeAutoTriage, type PrefStorage } from './prefs';
import { mount, type DomDocument } from './render/h';
import { MOVING_STATES } from './render/labels';
import { view, type ViewContext } from './render/view';
import { INITIAL, next, type CardState, type PaneEvent, type PaneState } from './state';

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
}

const WATCH_LIMIT = 40;

export class Pane {
  private state: PaneState = INITIAL;
  private generation = 0;
  private inFlight: AbortController | undefined;
  private config: Promise<PaneConfig> | undefined;
  private client: Promise<BackendClient> | undefined;
  private viewer: Viewer | undefined;
  private firstRendered = false;
  private readonly ctx: ViewContext;

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
        cancel: (s) => this.dispatch({ type: 'card', id: s.id, patch: { mode: 'view', draft: '', problem: undefined } }),
        // Typing updates the state without redrawing, so the text box keeps focus and caret.
        draft: (s, text) => this.dispatch({ type: 'card', id: s.id, patch: { draft: text } }, false),
        saveEdit: (s) => void this.saveEdit(s),
        confirmReject: (s) => void this.reject(s),
        stop: (s) => void this.decide(s, (c) => c.stopSuggestion(s.id), 'Stopped: it will not run.'),
        reply: (s) => this.reply(s),
      },
    };
  }

  async start(): Promise<void> {
    this.render();
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
  }

  private async showItem(): Promise<void> {
    const generation = ++this.generation;
    this.inFlight?.abort();
    this.inFlight = undefined;
    const read = await readCurrentEmail(this.deps.office);
    if (generation !== this.generation) return;
    if (read.kind === 'no-item') this.dispatch({ type: 'no-item' });
    else if (read.kind === 'unreadable') this.dispatch({ type: 'unreadable', error: { title: 'This email cannot be triaged', message: read.problem } });
    else this.dispatch({ type: 'item', email: read.email, notes: read.notes });
    if (!this.firstRendered) {
      this.firstRendered = true;
      mark(MARKS.firstRender);
    }
    if (this.ctx.autoTriage && this.state.kind === 'ready') void this.triage();
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
      this.dispatch({ type: 'triaged', triage: envelope.triage, cached: envelope.cached, viewer });
      mark(MARKS.triageResult);
    } catch (e) {
      if (generation !== this.generation || controller.signal.aborted) return;
      this.dispatch({ type: 'failed', error: describeError(e), retry: true });
    } finally {
      if (this.inFlight === controller) this.inFlight = undefined;
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
    return this.state.kind === 'result' ? this.state.cards[id] : undefined;
  }

  private async approve(s: Suggestion): Promise<void> {
    await this.decide(s, async (client) => client.approveSuggestion(s.id, { payloadHash: await payloadHash(s.payload) }), 'Approved.');
  }

  private async saveEdit(s: Suggestion): Promise<void> {
    const out = editedPayload(s.actionType, s.payload, this.card(s.id)?.draft ?? '');
    if (!out.ok) return this.dispatch({ type: 'card', id: s.id, patch: { problem: out.problem } });
    const request: ApproveRequest = { payloadHash: await payloadHash(out.payload), payload: out.payload, basePayloadHash: s.payloadHash };
    await this.decide(s, (client) => client.approveSuggestion(s.id, request), 'Approved with your edit.');
  }

  private async reject(s: Suggestion): Promise<void> {
    const reason = (this.card(s.id)?.draft ?? '').trim();
    if (!reason) return this.dispatch({ type: 'card', id: s.id, patch: { problem: 'Say why you are rejecting it, in a few words.' } });
    await this.decide(s, (client) => client.rejectSuggestion(s.id, { reason }), 'Rejected.');
  }

  /** One decision call: busy while it runs, the new version (or the problem) afterwards, then watch it run. */
  private async decide(s: Suggestion, call: (client: BackendClient) => Promise<Suggestion>, done: string): Promise<void> {
    const generation = this.generation;
    this.dispatch({ type: 'card', id: s.id, patch: { busy: true, problem: undefined, note: undefined } });
    try {
      const updated = await call(await this.backend());
      if (generation !== this.generation) return;
      this.dispatch({ type: 'suggestion', suggestion: updated, note: done });
      await this.watch(updated, generation);
    } catch (e) {
      if (generation !== this.generation) return;
      if (e instanceof ConflictError && e.current) {
        this.dispatch({ type: 'suggestion', suggestion: e.current, note: 'It changed since you looked at it. This is the current version: decide again.' });
        return;
      }
      const { title, message } = describeError(e);
      this.dispatch({ type: 'card', id: s.id, patch: { busy: false, problem: `${title}. ${message}` } });
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

  private reply(s: Suggestion): void {
    const item = this.deps.office.context.mailbox.item;
    const body = s.payload.body;
    if (!item || typeof body !== 'string') return this.dispatch({ type: 'card', id: s.id, patch: { problem: 'There is no open email to reply to.' } });
    try {
      const { cut } = openReply(item, body);
      const note = `Outlook's reply form is open with this text. You send it yourself; the agent never sends mail.${cut ? " The text was cut to fit Outlook's 32 KB limit." : ''}`;
      this.dispatch({ type: 'card', id: s.id, patch: { note, problem: undefined } });
    } catch (e) {
      this.dispatch({ type: 'card', id: s.id, patch: { problem: `Outlook could not open the reply form (${(e as Error).message}).` } });
    }
  }

  private dispatch(event: PaneEvent, redraw = true): void {
    this.state = next(this.state, event);
    if (redraw) this.render();
  }

  private render(): void {
    const { node, focus } = mount(view(this.state, this.ctx), this.deps.document);
    this.deps.root.replaceChildren(node);
    focus[0]?.focus();
  }

  /** For tests and the bench: the current state's kind. */
  get kind(): PaneState['kind'] {
    return this.state.kind;
  }
}
