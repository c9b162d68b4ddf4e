import { until } from '@pm-agent/backend/test/support/until';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { ACTION_TYPES, AUTONOMY_LEVELS, BOUNDARY_INFO, type Settings } from '@pm-agent/shared';
import { startTestBackend, type TestBackend } from '@pm-agent/backend/test/support/local-backend';
import { resolverDefinitions, type ResolverDefinitions } from '../src/resolvers';
import { createMemoryPorts, forgeContextFor, type MemoryPorts } from '../src/stand-ins';
import { ADMIN, APPROVER, CLOUD_ID, VIEWER } from './support/backend';
import {
  PageSession,
  answerWith,
  button,
  byTestId,
  click,
  field,
  findAll,
  hasText,
  openPage,
  serialised,
  texts,
  typeInto,
  withProp,
  type ForgeNode,
} from './support/forge-doc';

/**
 * The admin page's real bundle entry rendered to a ForgeDoc and used as an admin would: connect
 * the backend, test the connection, change the agent's settings. Real resolvers, real backend.
 */

let b: TestBackend;
let ports: MemoryPorts;
let defs: ResolverDefinitions;
const sessions: PageSession[] = [];

beforeAll(async () => {
  b = await startTestBackend();
  ports = createMemoryPorts({ admins: [ADMIN] });
  defs = resolverDefinitions(ports);
});
afterEach(() => Promise.all(sessions.splice(0).map((s) => s.close())));
afterAll(() => b.stop());

function openAdmin(accountId: string): PageSession {
  const ctx = forgeContextFor('adminPage', { accountId, cloudId: CLOUD_ID });
  const session = new PageSession(answerWith(defs, ctx.resolver), ctx.view);
  sessions.push(session);
  return openPage('admin-page', session);
}

const section = (root: ForgeNode, title: string) => withProp(root, 'SectionMessage', 'title', title)[0];
/** The Select in a boundary-table row. */
const boundarySelect = (root: ForgeNode, type: string) => field(root, `boundary-${type}`);
/** The Jira account picker in an approver row. */
const userPicker = (root: ForgeNode, row: string) => {
  const found = findAll(root, (n) => n.type === 'UserPicker' && n.props.name === `${row}-jira`);
  if (found.length !== 1) throw new Error(`expected one Jira account picker in ${row}, found ${found.length}`);
  return found[0]!;
};
const onChange = (node: ForgeNode, value: unknown) => (node.props.onChange as (v: unknown) => void)(value);

describe('the admin page', () => {
  it('refuses someone who is not a Jira admin, and shows them no settings', async () => {
    const session = openAdmin(APPROVER);
    await session.until('the refusal', (root) => section(root, 'Not allowed here'));
    expect(hasText(session.root!, 'Only Jira admins can see or change the PM agent settings.')).toBe(true);
    expect(findAll(session.root!, (n) => ['Textfield', 'Select', 'Toggle'].includes(n.type))).toEqual([]);
  });

  it('connects the backend with a write-only key pair, then tests the connection step by step', async () => {
    const session = openAdmin(ADMIN);
    await session.untilText('Access key: not set. Enter the key pair of the backend’s Forge principal.');
    await session.until('the settings to say why they are missing', (root) => section(root, 'The PM agent is not connected yet'));

    const { accessKeyId, secretAccessKey } = b.forgeKeys;
    typeInto(field(session.root!, 'backend-endpoint'), b.url);
    typeInto(field(session.root!, 'backend-region'), 'local');
    typeInto(field(session.root!, 'backend-access-key-id'), accessKeyId);
    typeInto(field(session.root!, 'backend-secret-access-key'), secretAccessKey);
    expect(field(session.root!, 'backend-secret-access-key').props.type).toBe('password');
    click(button(session.root!, 'Save connection'));

    await session.untilText(/^Access key: set, last changed \d{4}-\d\d-\d\d \d\d:\d\d UTC\. Leave both key fields empty to keep it\.$/);
    await session.until('the key fields to be cleared', (root) => field(root, 'backend-access-key-id').props.value === '' && field(root, 'backend-secret-access-key').props.value === '');
    expect(field(session.root!, 'backend-endpoint').props.value).toBe(b.url);
    expect(ports.stored.secrets.get('backend-secret-access-key')).toBe(secretAccessKey);
    // Loaded now that the backend is connected.
    await session.untilText(AUTONOMY_LEVELS.manual.explains);

    click(button(session.root!, 'Test connection'));
    const result = await session.until('the test result', (root) => section(root, 'The connection works'));
    expect(texts(result).filter((t) => t === 'Passed')).toHaveLength(2);
    expect(texts(result)).toEqual(expect.arrayContaining([' Backend reachable (unsigned health check)', ' Signed call with the stored key']));

    // The key pair never travelled back to the page.
    expect(session.invokes.filter((i) => i.functionKey === 'saveConnection')).toHaveLength(1);
    const page = serialised(session.root!);
    expect(page).not.toContain(secretAccessKey);
    expect(page).not.toContain(accessKeyId);
    expect([...session.commands].sort()).toEqual(['invoke', 'reconcile']);
  });

  it('shows the decision boundaries with never-do rows locked, and offers only stricter boundaries', async () => {
    const session = openAdmin(ADMIN);
    await session.untilText('Decision boundaries');
    const root = session.root!;
    const never = ACTION_TYPES.filter((t) => t === 'delete_data' || t === 'share_confidential' || t === 'modify_integration_config' || t === 'change_own_autonomy_level');
    expect(texts(root).filter((t) => t === 'Locked: never-do actions cannot be unlocked')).toHaveLength(never.length);
    for (const t of never) expect(() => boundarySelect(root, t)).toThrow(/found 0/);
    const labels = (type: string) => (boundarySelect(root, type).props.options as Array<{ label: string }>).map((o) => o.label);
    expect(labels('jira_comment')).toEqual([BOUNDARY_INFO.auto.label, BOUNDARY_INFO.hold.label, BOUNDARY_INFO.approval.label, BOUNDARY_INFO.never.label]);
    expect(labels('email_external')).toEqual([BOUNDARY_INFO.approval.label, BOUNDARY_INFO.never.label]);
  });

  it('changes autonomy, pause, hold delay, a boundary and the approvers; the backend stores and audits them', async () => {
    const session = openAdmin(ADMIN);
    await session.untilText('Decision boundaries');

    onChange(field(session.root!, 'autonomy-level'), { label: 'Assisted', value: 'assisted' });
    await session.untilText(AUTONOMY_LEVELS.assisted.explains);
    typeInto(field(session.root!, 'hold-delay'), '45');
    await session.untilText('Hold-queue actions run 45 minutes after the agent proposes them, unless someone stops them.');
    onChange(boundarySelect(session.root!, 'email_stakeholder'), { label: BOUNDARY_INFO.approval.label, value: 'approval' });
    const rowsBefore = (await b.store.getSettings()).settings.approvers.length;
    click(button(session.root!, 'Add an approver'));
    const row = `approver-${rowsBefore}`;
    await session.until('the new row', (root) => byTestId(root, row));
    onChange(userPicker(session.root!, row), { id: VIEWER, type: 'user', name: 'Sam Viewer', email: '', avatarUrl: '' });
    await session.until('the picked name', (root) => field(root, `${row}-name`).props.value === 'Sam Viewer');
    typeInto(field(session.root!, `${row}-email`), 'sam.viewer@example.com');
    await session.until('the email to be typed', (root) => field(root, `${row}-email`).props.value === 'sam.viewer@example.com');

    click(button(session.root!, 'Save settings'));
    await session.untilText(/^Settings saved \(version \d+\)\. The change is in the audit trail\.$/);

    const { settings, updatedBy } = await b.store.getSettings();
    expect(settings).toMatchObject({
      autonomyLevel: 'assisted',
      holdDelayMinutes: 45,
      boundaryOverrides: { email_stakeholder: 'approval' },
      approvers: expect.arrayContaining([{ name: 'Sam Viewer', jiraAccountId: VIEWER, email: 'sam.viewer@example.com' }]),
    });
    expect(updatedBy).toMatchObject({ principal: 'forge', id: ADMIN });
    await session.untilText('changed the autonomy level to Assisted');
    expect(hasText(session.root!, /Hold delay: \d+ minutes → 45 minutes/)).toBe(true);
    await session.untilText('added Sam Viewer (Jira + sam.viewer@example.com) as approver');

    // Removing the person and saving again takes them off the backend's list, Jira account and email alike.
    click(button(session.root!, 'Remove Sam Viewer'));
    click(button(session.root!, 'Save settings'));
    await session.until('the second save', async () => !(await b.store.getSettings()).settings.approvers.some((p) => p.jiraAccountId === VIEWER || p.email === 'sam.viewer@example.com'));
    await session.untilText('removed Sam Viewer (Jira + sam.viewer@example.com) as approver');
  });

  it('saves with the version it read: when another admin saved meanwhile, it says so and shows their settings instead of overwriting them', async () => {
    const session = openAdmin(ADMIN);
    await session.untilText('Decision boundaries');
    const read = await b.store.getSettings();
    // Another admin, on another page, saves first.
    const other = await b.forge('/v1/settings', { accountId: ADMIN, admin: true, method: 'PUT', headers: { 'content-type': 'application/json', 'if-match': `"${read.version}"` }, body: JSON.stringify({ ...read.settings, holdDelayMinutes: 55 }) });
    expect(other.status).toBe(200);

    typeInto(field(session.root!, 'hold-delay'), '5');
    await session.until('the typed delay', (root) => field(root, 'hold-delay').props.value === '5');
    click(button(session.root!, 'Save settings'));
    await session.untilText(/Someone changed the settings since you loaded this page \(now version \d+\)/);
    expect(session.invokes.filter((i) => i.functionKey === 'saveSettings').map((i) => (i.payload as { version: number }).version)).toEqual([read.version]);
    expect((await b.store.getSettings()).settings.holdDelayMinutes).toBe(55);
    await session.until('the current settings shown', (root) => field(root, 'hold-delay').props.value === '55');
  });

  it('issue 14 item 2: an invalid hold delay is an error at the field and Save is disabled', async () => {
    const session = openAdmin(ADMIN);
    await session.untilText('Decision boundaries');
    const before = await b.store.getSettings();
    for (const [typed, says] of [
      ['0', /from 1 to 10080 \(7 days\); 0 is out of range/],
      ['abc', /Enter whole minutes/],
      ['', /Enter the hold delay in minutes/],
    ] as const) {
      typeInto(field(session.root!, 'hold-delay'), typed);
      await session.untilText(says);
      expect(field(session.root!, 'hold-delay').props.isInvalid).toBe(true);
      expect(button(session.root!, 'Save settings').props.isDisabled).toBe(true);
    }
    expect((await b.store.getSettings()).version).toBe(before.version);
    typeInto(field(session.root!, 'hold-delay'), '1');
    await session.untilText('Hold-queue actions run 1 minute after the agent proposes them, unless someone stops them.');
    expect(button(session.root!, 'Save settings').props.isDisabled).toBe(false);
  });

  it('issue 14 item 10: approvers are one row per person (name, Jira account, email): add, edit, remove; errors at the field in words; Save disabled while any is wrong; a duplicate is refused', async () => {
    const session = openAdmin(ADMIN);
    await session.untilText('Decision boundaries');
    const before = await b.store.getSettings();
    const n = before.settings.approvers.length;
    expect(n).toBeGreaterThan(0);
    const first = before.settings.approvers[0]!;
    expect(field(session.root!, 'approver-0-name').props.value).toBe(first.name);
    expect(field(session.root!, 'approver-0-email').props.value).toBe(first.email ?? '');
    expect(userPicker(session.root!, 'approver-0').props.defaultValue).toBe(first.jiraAccountId);
    const save = () => button(session.root!, 'Save settings');
    const invalid = (id: string) => field(session.root!, id).props.isInvalid === true;

    // A new row starts empty: it says what it needs, and Save waits for it.
    click(button(session.root!, 'Add an approver'));
    const row = `approver-${n}`;
    await session.untilText('Give a Jira account, an email address, or both: with neither, this person cannot approve anywhere.');
    expect(hasText(session.root!, 'Enter the person’s name.')).toBe(true);
    expect(invalid(`${row}-name`)).toBe(true);
    expect(save().props.isDisabled).toBe(true);
    expect(hasText(session.root!, 'Fix the fields marked above to save.')).toBe(true);

    typeInto(field(session.root!, `${row}-name`), 'Dana Lee');
    typeInto(field(session.root!, `${row}-email`), 'not-an-email');
    await session.untilText('“not-an-email” is not an email address: it should look like name@example.com.');
    expect(invalid(`${row}-email`)).toBe(true);
    expect(save().props.isDisabled).toBe(true);

    // Someone's email again (in another case) is refused, naming whose row it is on.
    typeInto(field(session.root!, `${row}-email`), (first.email ?? 'x@example.com').toUpperCase());
    await session.untilText(`${(first.email ?? 'x@example.com').toUpperCase()} is already on ${first.name}’s row.`);
    expect(save().props.isDisabled).toBe(true);
    // The same Jira account as the first person, likewise.
    onChange(userPicker(session.root!, row), { id: first.jiraAccountId, type: 'user', name: 'Whoever', email: '', avatarUrl: '' });
    await session.untilText(`This Jira account is already on ${first.name}’s row.`);
    click(button(session.root!, 'Take Dana Lee’s Jira account off'));

    typeInto(field(session.root!, `${row}-email`), 'dana.lee@example.com');
    await session.until('Save offered again', () => !save().props.isDisabled);
    expect(findAll(session.root!, (n) => n.type === 'ErrorMessage')).toEqual([]);
    click(save());
    await session.untilText(/^Settings saved \(version \d+\)\./);
    expect((await b.store.getSettings()).settings.approvers.at(-1)).toEqual({ name: 'Dana Lee', email: 'dana.lee@example.com' });
    await session.untilText('added Dana Lee (dana.lee@example.com) as approver');

    // Edit: a new name is a change to the same person; remove takes the row away.
    typeInto(field(session.root!, `${row}-name`), 'Dana Lee-Wu');
    await session.until('Save offered', () => !save().props.isDisabled);
    click(save());
    await session.untilText('changed approver Dana Lee (dana.lee@example.com) to Dana Lee-Wu (dana.lee@example.com)');
    click(button(session.root!, 'Remove Dana Lee-Wu'));
    click(save());
    await session.untilText('removed Dana Lee-Wu (dana.lee@example.com) as approver');
    expect((await b.store.getSettings()).settings.approvers).toEqual(before.settings.approvers);
  });

  it('settings stored in the old shape (two lists) show as one row per account and per email, and save back unchanged in who may approve', async () => {
    const current = await b.store.getSettings();
    const at = new Date().toISOString();
    const legacy = { jiraAccountIds: [APPROVER], emails: ['pat.old@example.com'] };
    await b.store.commit({ writes: [{ kind: 'settings', value: { settings: { ...current.settings, approvers: legacy } as unknown as Settings, version: current.version + 1, updatedAt: at, updatedBy: { principal: 'forge', id: ADMIN } }, pauses: [] }] });
    const session = openAdmin(ADMIN);
    await session.untilText('Jira approver 1 (imported: enter their name)');
    expect(userPicker(session.root!, 'approver-0').props.defaultValue).toBe(APPROVER);
    expect(field(session.root!, 'approver-1-name').props.value).toBe('pat.old@example.com');
    expect(field(session.root!, 'approver-1-email').props.value).toBe('pat.old@example.com');

    typeInto(field(session.root!, 'approver-0-name'), 'Pat Morgan');
    await session.until('Save offered', () => !button(session.root!, 'Save settings').props.isDisabled);
    click(button(session.root!, 'Save settings'));
    await session.untilText('changed approver Jira approver 1 (imported: enter their name) (Jira) to Pat Morgan (Jira)');
    expect((await b.store.getSettings()).settings.approvers).toEqual([
      { name: 'Pat Morgan', jiraAccountId: APPROVER },
      { name: 'pat.old@example.com', email: 'pat.old@example.com' },
    ]);
    // Put the seeded approvers back for the tests after this one.
    const now = await b.store.getSettings();
    await b.store.commit({ writes: [{ kind: 'settings', value: { ...now, settings: current.settings, version: now.version + 1 }, pauses: [] }] });
  });

  it('issue 13: the undo window is a minutes field with the schema\'s bounds (default 15), saved with the settings', async () => {
    const session = openAdmin(ADMIN);
    await session.untilText('Decision boundaries');
    expect(field(session.root!, 'undo-window').props.value).toBe(String((await b.store.getSettings()).settings.undoWindowMinutes ?? 15));
    typeInto(field(session.root!, 'undo-window'), '1441');
    await session.untilText(/from 1 to 1440 \(24 hours\); 1441 is out of range/);
    expect(field(session.root!, 'undo-window').props.isInvalid).toBe(true);
    expect(button(session.root!, 'Save settings').props.isDisabled).toBe(true);
    typeInto(field(session.root!, 'undo-window'), '30');
    await session.untilText('For 30 minutes afterwards an approver can undo a comment the agent posted, or reopen a rejected, dismissed or stopped suggestion.');
    click(button(session.root!, 'Save settings'));
    await until('the saved window', async () => (await b.store.getSettings()).settings.undoWindowMinutes === 30);
    const trail = (await b.store.readAuditChain()).entries.filter((e) => e.action === 'settings.updated').at(-1)!;
    expect(trail.details).toMatchObject({ changed: ['undoWindowMinutes'], after: { undoWindowMinutes: 30 } });
  });

  it('issue 14 item 10: the audit trail in words, filtered by kind, and exported as CSV naming the approver who decided', async () => {
    const s = (await b.store.listSuggestions({ issueKey: 'ABC-123' })).find((x) => x.state === 'pending' && x.actionType === 'jira_comment')!;
    const approved = await b.forge(`/v1/suggestions/${s.id}/approve`, { accountId: APPROVER, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payloadHash: s.payloadHash }) });
    expect(approved.status).toBe(200);
    const session = openAdmin(ADMIN);
    const decision = 'approved “Comment on a Jira issue” on ABC-123';
    await session.untilText(decision);
    expect(hasText(session.root!, 'changed the settings')).toBe(true);

    onChange(field(session.root!, 'audit-filter'), { value: 'settings', label: 'Settings changes' });
    await session.until('only settings changes', (root) => !hasText(root, decision));
    expect(hasText(session.root!, 'changed the settings')).toBe(true);
    onChange(field(session.root!, 'audit-filter'), { value: 'decisions', label: 'Decisions by people' });
    await session.untilText(decision);
    expect(hasText(session.root!, 'changed the settings')).toBe(false);

    click(button(session.root!, 'Export as CSV'));
    const csv = await session.until('the CSV', (root) => findAll(root, (n) => n.type === 'CodeBlock')[0]?.props.text as string | undefined);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('"#","When","Who","What","Details"');
    // The approver by the name the admin gave them, not "A Jira user" and never their account id.
    expect(lines).toContainEqual(expect.stringContaining(`"${LOCAL_USER.name}","${decision}"`));
    expect(csv).not.toContain(APPROVER);
    expect(lines.slice(1).every((l) => !l.includes('changed the settings'))).toBe(true);
  });

  it('issue 14 item 10: Pause is at the top and takes effect at once, after a confirmation', async () => {
    const session = openAdmin(ADMIN);
    await session.untilText('Decision boundaries');
    const all = texts(session.root!);
    expect(all.indexOf('Pause the agent')).toBeLessThan(all.indexOf('Decision boundaries'));
    click(button(session.root!, 'Pause the agent now'));
    await session.untilText('Pause the agent now? Nothing it proposes runs until you resume it.');
    expect((await b.store.getSettings()).settings.paused).toBe(false);
    click(button(session.root!, 'Yes, pause now'));
    await session.untilText('Paused. Nothing runs, hold timers included, until you resume it.');
    expect((await b.store.getSettings()).settings.paused).toBe(true);
    await session.untilText('paused the agent');
    click(button(session.root!, 'Resume the agent'));
    click(await session.until('the resume confirmation', (root) => (hasText(root, 'Yes, resume now') ? button(root, 'Yes, resume now') : undefined)));
    await session.until('resumed', async () => !(await b.store.getSettings()).settings.paused);
  });
});
