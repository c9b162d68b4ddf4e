import { jiraModule } from './jira';
import type { HostModuleFactory } from './module';
import { outlookModule } from './outlook';

/** The surfaces the local host serves, in the order of its index page. */
export const MODULES: HostModuleFactory[] = [jiraModule, outlookModule];
