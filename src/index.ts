/**
 * Forge resolves `handler: index.handler` in manifest.yml to this file (src/ next to the manifest).
 * The app's code lives in the forge-app workspace; Forge's bundler follows this import.
 */
export { handler } from '../forge-app/src/index';
