import React from 'react';
import ForgeReconciler from '@forge/react';
import { IssuePanelApp } from './issue-panel/App';

/** The jira:issuePanel resource (manifest.yml: issue-panel). */
ForgeReconciler.render(<IssuePanelApp />);
