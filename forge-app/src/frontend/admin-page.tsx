import React from 'react';
import ForgeReconciler from '@forge/react';
import { AdminPageApp } from './admin-page/App';

/** The jira:adminPage resource (manifest.yml: admin-page). */
ForgeReconciler.render(<AdminPageApp />);
