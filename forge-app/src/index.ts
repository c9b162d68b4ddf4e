import { buildResolver } from './resolvers';
import { forgePorts } from './resolvers/forge-ports';

/** The Forge function handler: manifest.yml's `index.handler`, re-exported by src/index.ts at the repository root. */
export const handler = buildResolver(forgePorts()).getDefinitions();
