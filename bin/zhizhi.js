#!/usr/bin/env node
// Entry for `npx zhizhi`: runs the TypeScript CLI through tsx so no compile step is needed.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
