import { openStore, storeConfigFromEnv } from '../store/open-store';
import type { Store } from '../store/store';

/** The store of a warm function, opened once from its environment (DynamoDB on AWS). */
let store: Promise<Store> | undefined;
export function awsStore(): Promise<Store> {
  store ??= openStore(storeConfigFromEnv(process.env)).catch((e: Error) => {
    store = undefined; // try again on the next event
    throw e;
  });
  return store;
}
