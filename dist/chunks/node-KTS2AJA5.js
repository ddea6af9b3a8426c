import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b}from"./chunk-DR323BRC.js";import"./chunk-OZJ4OJ24.js";export{a as SecretLintProfiler,b as secretLintProfiler};
