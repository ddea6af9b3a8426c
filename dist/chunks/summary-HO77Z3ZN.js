import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-7OTVUOCP.js";import"./chunk-A6MU7TXE.js";import"./chunk-4Q3KNISA.js";import"./chunk-2C4SQSKF.js";import"./chunk-ROJL3I4S.js";import"./chunk-SUH3ZHR5.js";import"./chunk-DZMFUIAI.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
