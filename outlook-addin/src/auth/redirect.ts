import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

/**
 * auth-redirect.html: where MSAL's popup fallback lands (only where nested app authentication is not
 * available). It hands the answer to the pane that opened the popup, then the popup closes.
 */
void broadcastResponseToMainFrame().catch(() => {
  const p = document.getElementById('status');
  if (p) p.textContent = 'Sign-in could not be completed here. Close this window and try again from the PM agent pane.';
});
