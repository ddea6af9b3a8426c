import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-3ARKHO6L.js";import"./chunk-XPEZQHNR.js";import"./chunk-XYROHNZS.js";import"./chunk-2C4SQSKF.js";import"./chunk-AVBIYX5W.js";import"./chunk-RXMECIAH.js";import"./chunk-LUIATLWK.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
