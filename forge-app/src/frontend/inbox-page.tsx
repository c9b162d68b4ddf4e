import React from 'react';
import ForgeReconciler from '@forge/react';
import { InboxApp } from './inbox-page/App';

/** The jira:globalPage resource (manifest.yml: inbox-page): the approvals inbox. */
ForgeReconciler.render(<InboxApp />);
