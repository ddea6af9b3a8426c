import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-YWVBB3Y5.js";import"./chunk-223J4YIU.js";import"./chunk-D6CZZQM5.js";import"./chunk-2C4SQSKF.js";import"./chunk-V2SHHTJW.js";import"./chunk-PF3GXEHO.js";import"./chunk-5LX45HZV.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
