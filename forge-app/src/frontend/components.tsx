import React from 'react';
import { router } from '@forge/bridge';
import { MODULE_KEYS } from '../common/modules';
import { Button, Link, SectionMessage, Stack, Text } from '@forge/react';
import { describeLink, removeInvisible } from '@pm-agent/shared';
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

export function OutcomeView({ outcome }: { outcome: Outcome | undefined }) {
  if (!outcome) return null;
  return 'error' in outcome ? <ErrorMessage error={outcome.error} /> : <Text>{outcome.note}</Text>;
}

/** A resolver's failure in words, titled by its kind; the technical detail below, for support. */
export function ErrorMessage({ error, onRetry }: { error: ResolverError; onRetry?: () => void }) {
  const view = ERROR_VIEWS[error.kind];
  return (
    <SectionMessage appearance={view.appearance} title={view.title}>
      <Text>{error.message}</Text>
      {error.issues?.map((issue) => <Text key={issue.path}>{`${issue.path}: ${issue.message}`}</Text>)}
      {error.detail ? <Text size="small" color="color.text.subtlest">{`Details: ${error.detail}`}</Text> : null}
      {onRetry ? <Button onClick={onRetry}>Try again</Button> : null}
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
