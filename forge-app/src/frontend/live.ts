/** Live refresh and "changed under the viewer" words: one definition in shared/, for every surface. */
export { LIVE_MAX_BACKOFF_MS, LIVE_REFRESH_MS, changedUnderViewer, nextPollDelay } from '@pm-agent/shared';
