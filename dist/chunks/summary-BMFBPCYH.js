import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-UWMALIHH.js";import"./chunk-YE3FP6K7.js";import"./chunk-ROTY6V7U.js";import"./chunk-2C4SQSKF.js";import"./chunk-4P3WMRNN.js";import"./chunk-AZXTZ6LK.js";import"./chunk-XRLWKBJM.js";import"./chunk-KAVVSFYI.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
