import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-XQDX3APC.js";import"./chunk-KSGG5A2K.js";import"./chunk-GFSSRTLU.js";import"./chunk-2C4SQSKF.js";import"./chunk-P5WSCKJ4.js";import"./chunk-UCKTJQ5U.js";import"./chunk-TYXYBPIU.js";import"./chunk-5VDAAKIU.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
