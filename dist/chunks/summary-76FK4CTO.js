import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-L5TQQUN6.js";import"./chunk-YKA4P35B.js";import"./chunk-6D6SAVSE.js";import"./chunk-2C4SQSKF.js";import"./chunk-5MR3IYOG.js";import"./chunk-MI7FS76U.js";import"./chunk-LUIATLWK.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
