import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-KBAYIQWT.js";import"./chunk-RHTQ3PBC.js";import"./chunk-6DJYGR2R.js";import"./chunk-2C4SQSKF.js";import"./chunk-CKAA26EH.js";import"./chunk-6JF7JE5G.js";import"./chunk-CCKPGANL.js";import"./chunk-73HPCEJX.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
