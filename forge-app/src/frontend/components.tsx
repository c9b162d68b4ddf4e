import React, { useState } from 'react';
import { router } from '@forge/bridge';
import { MODULE_KEYS } from '../common/modules';
import { Button, Inline, Link, SectionMessage, Stack, Text } from '@forge/react';
import { clampText, describeLink, removeInvisible } from '@pm-agent/shared';
import type { ResolverError } from '../common/contract';
import { ERROR_VIEWS } from './labels';

/**
 * Small pieces both pages use. Untrusted text (from email, Jira or the model) only ever reaches
 * the page as a string child of Text: never markdown, never HTML, never a link target.
 */

/** Multi-line untrusted text, exactly as it is, one Text per line; warns when it hides characters. */
export function UntrustedText({ value }: { value: string }) {
  const lines = value.split(/\r?\n/);
  return (
    <Stack space="space.050">
      {lines.map((line, i) => (
        <Text key={i}>{line.length ? line : ' '}</Text>
      ))}
      {removeInvisible(value) !== value ? (
        <Text color="color.text.warning">This text contains invisible characters (zero-width or direction controls) that may hide or reorder what you read.</Text>
      ) : null}
    </Stack>
  );
}

export { CLAMP_CHARS } from '@pm-agent/shared';

export function ClampedText({ value, testId }: { value: string; testId?: string }) {
  const [open, setOpen] = useState(false);
  const { short, cut } = clampText(value);
  if (!cut) return <UntrustedText value={value} />;
  return (
    <Stack space="space.050">
      <UntrustedText value={open ? value : short} />
      <Inline>
        <Button appearance="subtle" spacing="compact" testId={testId} onClick={() => setOpen(!open)}>
          {open ? 'Show less' : 'Show more'}
        </Button>
      </Inline>
    </Stack>
  );
}

/**
 * A link the backend produced (never one from untrusted text), shown with its full host so the
 * reader can check where it goes before following it.
 */
export function HostLink({ href, label }: { href: string; label: string }) {
  const link = describeLink(href);
  if (!link) return <Text>{`${label}: ${href}`}</Text>;
  if (!link.followable) return <Text>{`${label}: ${link.href} (not a web link, not opened)`}</Text>;
  return (
    <Text>
      <Link href={link.href} openNewTab>
        {label}
      </Link>
      {` (${link.host})`}
    </Text>
  );
}

/** What the last action led to: a failure in words, or a short note. */
export type Outcome = { error: ResolverError } | { note: string };

export function OutcomeView({ outcome }: { outcome: Outcome | undefined; subject?: string }) {
  if (!outcome) return null;
  return 'error' in outcome ? <ErrorMessage error={outcome.error} /> : <Text>{outcome.note}</Text>;
}

/**
 * A resolver's failure in words, titled as the resolver says (from the shared words table) or else by its kind. The technical detail (status codes, request
 * ids) is for support: it stays behind "Details" so the main message reads as words.
 */
export function ErrorMessage({ error, onRetry, title }: { error: ResolverError; onRetry?: () => void; title?: string }) {
  const view = ERROR_VIEWS[error.kind];
  const [details, setDetails] = useState(false);
  return (
    <SectionMessage appearance={view.appearance} title={title ?? error.title ?? view.title}>
      <Text>{error.message}</Text>
      {error.issues?.map((issue) => <Text key={issue.path}>{`${issue.path}: ${issue.message}`}</Text>)}
      {error.detail && details ? <Text size="small" color="color.text.subtlest">{error.detail}</Text> : null}
      {onRetry || error.detail ? (
        <Inline space="space.100">
          {onRetry ? <Button onClick={onRetry}>Try again</Button> : null}
          {error.detail ? (
            <Button appearance="subtle" onClick={() => setDetails(!details)}>
              {details ? 'Hide details' : 'Details'}
            </Button>
          ) : null}
        </Inline>
      ) : null}
    </SectionMessage>
  );
}

/** To the approvals inbox (the app's global page), from the issue panel and the admin page. */
export function InboxLink() {
  return (
    <Button appearance="subtle" onClick={() => void router.navigate({ target: 'module', moduleKey: MODULE_KEYS.inboxPage }).catch(() => undefined)}>
      Open the PM agent inbox (every suggestion in one place)
    </Button>
  );
}
