/** `@pm-agent/dev-stack/identity`: the dev issuer (local stand-in for Entra ID), for tests that mint their own tokens. */
export * from './dev-issuer';
